#!/usr/bin/env python3
"""Check data/staging/kpi_observation-reports.csv and data/staging/kpi-extra.csv.

Rows transcribed from dn-dti2021-report and dn-press-2022 (see notes-kpi-reports.md).
For every observation row it verifies that
  * as_written, numerator_as_written and denominator_as_written occur in the source text
    (after replacing U+00A0 by a space) and parse (Vietnamese number format) to the stored numbers;
  * observation ids are unique, well formed, prefixed with the source id and do not clash with
    data/kpi_observation.csv (if that file exists);
  * kpi ids exist in data/kpi.csv or data/staging/kpi-extra.csv;
  * province and district ids exist; period, qualifier and source ids are valid;
  * file conventions of SPEC.md (UTF-8 without BOM, \\n line ends, NFC, no NBSP, no padded cells,
    no cell starting with = + - @).
It also checks kpi-extra.csv (no id that already exists in kpi.csv, valid units/pillars/indices)
and prints, for information, the district tables whose stated total differs from the sum of rows.

Usage: python3 data/staging/check_kpi_reports.py   (exit status 1 if any error)
"""
import csv
import datetime
import io
import re
import sys
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
STAGING = DATA / "staging"
OBS = STAGING / "kpi_observation-reports.csv"
EXTRA = STAGING / "kpi-extra.csv"
SOURCES = {"dn-dti2021-report", "dn-press-2022"}

OBS_HEADER = ("observation_id,kpi_id,province_id,district_id,period,value,numerator,denominator,qualifier,"
              "source_id,section,as_written,numerator_as_written,denominator_as_written,note_vi,note_en").split(",")
KPI_HEADER = "kpi_id,name_vi,name_en,unit,pillar_id,main_index_id,direction,definition_vi,definition_en".split(",")
QUALIFIERS = {"exact", "approximately", "more_than", "less_than", "at_least"}
DIRECTIONS = {"higher_is_better", "lower_is_better", "neutral"}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PERIOD_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NUM_RE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+(,\d+)?$")

errors, infos = [], []


def err(msg):
    errors.append(msg)


def parse_vn(text):
    """Vietnamese number: '.' thousands, ',' decimal, optional trailing %, optional leading +/-."""
    t = text.strip()
    if t.endswith("%"):
        t = t[:-1].rstrip()
    sign = ""
    if t[:1] in "+-":
        sign, t = t[0], t[1:].strip()
    if not NUM_RE.match(t):
        raise ValueError(f"not a Vietnamese-format number: {text!r}")
    return Decimal(sign + t.replace(".", "").replace(",", "."))


def dec(cell):
    if cell == "":
        return None
    try:
        return Decimal(cell)
    except InvalidOperation:
        raise ValueError(f"not a machine-form number: {cell!r}")


def read_csv(path, header, label):
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{label}: starts with a BOM")
    if b"\r" in raw:
        err(f"{label}: contains \\r (line ends must be \\n)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{label}: not UTF-8 ({e})")
        return []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or rows[0] != header:
        err(f"{label}: header differs from SPEC.md: {rows[0] if rows else None}")
        return []
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            err(f"{label} line {n}: {len(r)} fields, expected {len(header)}")
            continue
        for col, cell in zip(header, r):
            where = f"{label} line {n} {col}"
            if cell != unicodedata.normalize("NFC", cell):
                err(f"{where}: not NFC")
            if "\u00a0" in cell:
                err(f"{where}: non-breaking space")
            if cell != cell.strip():
                err(f"{where}: leading/trailing whitespace")
            if cell[:1] in ("=", "+", "-", "@"):
                err(f"{where}: starts with {cell[0]!r}")
        out.append((n, dict(zip(header, r))))
    return out


def ids_of(path, col):
    with open(path, encoding="utf-8", newline="") as f:
        return {r[col]: r for r in csv.DictReader(f)}


def main():
    kpis = ids_of(DATA / "kpi.csv", "kpi_id") if (DATA / "kpi.csv").exists() else {}
    if not kpis:
        err("data/kpi.csv missing or empty")
    provinces = ids_of(DATA / "province.csv", "province_id")
    districts = ids_of(DATA / "district.csv", "district_id")
    pillars = ids_of(DATA / "pillar.csv", "pillar_id")
    indices = ids_of(DATA / "main_index.csv", "main_index_id")
    sources = ids_of(DATA / "source.csv", "source_id")
    texts = {s: (DATA / "sources" / f"{s}.txt").read_text(encoding="utf-8").replace("\u00a0", " ")
             for s in SOURCES}

    # ---- kpi-extra.csv ----
    extra = {}
    units_known = {r["unit"] for r in kpis.values()} | {"times", "percentage_points"}
    for n, r in read_csv(EXTRA, KPI_HEADER, "kpi-extra.csv"):
        k = r["kpi_id"]
        where = f"kpi-extra.csv line {n} ({k})"
        if not ID_RE.match(k):
            err(f"{where}: bad id")
        if k in extra:
            err(f"{where}: duplicate id")
        if k in kpis:
            err(f"{where}: id already defined in data/kpi.csv; use that id and drop the extra")
        for col in ("name_vi", "name_en", "unit", "direction", "definition_vi", "definition_en"):
            if not r[col]:
                err(f"{where}: empty {col}")
        if r["unit"] not in units_known:
            err(f"{where}: unknown unit {r['unit']!r}")
        if r["pillar_id"] and r["pillar_id"] not in pillars:
            err(f"{where}: unknown pillar {r['pillar_id']!r}")
        if r["main_index_id"] and r["main_index_id"] not in indices:
            err(f"{where}: unknown main index {r['main_index_id']!r}")
        if not r["pillar_id"] and not r["main_index_id"]:
            err(f"{where}: needs pillar_id and/or main_index_id")
        if r["direction"] not in DIRECTIONS:
            err(f"{where}: bad direction {r['direction']!r}")
        extra[k] = r
    all_kpis = {**kpis, **extra}

    # ---- other transcriber's observation ids ----
    other_ids = set()
    main_obs = DATA / "kpi_observation.csv"
    if main_obs.exists():
        other_ids = set(ids_of(main_obs, "observation_id"))

    # ---- observations ----
    seen, used = set(), set()
    rows = read_csv(OBS, OBS_HEADER, "kpi_observation-reports.csv")
    for n, r in rows:
        oid = r["observation_id"]
        where = f"line {n} ({oid})"
        src = r["source_id"]
        if not ID_RE.match(oid):
            err(f"{where}: bad observation id")
        if oid in seen:
            err(f"{where}: duplicate observation id")
        if oid in other_ids:
            err(f"{where}: id clashes with data/kpi_observation.csv")
        seen.add(oid)
        if src not in SOURCES or src not in sources:
            err(f"{where}: source {src!r} not one of {sorted(SOURCES)}")
            continue
        if not oid.startswith(src + "-"):
            err(f"{where}: id not prefixed with source id")
        k = r["kpi_id"]
        if k not in all_kpis:
            err(f"{where}: kpi {k!r} not in kpi.csv or kpi-extra.csv")
        used.add(k)
        if r["province_id"] not in provinces:
            err(f"{where}: unknown province {r['province_id']!r}")
        d = r["district_id"]
        if d and (d not in districts or districts[d]["province_id"] != r["province_id"]):
            err(f"{where}: unknown district {d!r}")
        p = r["period"]
        if not PERIOD_RE.match(p):
            err(f"{where}: bad period {p!r}")
        else:
            parts = [int(x) for x in p.split("-")] + [1, 1]
            try:
                datetime.date(parts[0], parts[1], parts[2])
            except ValueError:
                err(f"{where}: impossible period {p!r}")
        if r["qualifier"] not in QUALIFIERS:
            err(f"{where}: bad qualifier {r['qualifier']!r}")
        if not r["section"]:
            err(f"{where}: empty section")

        try:
            value, num, den = dec(r["value"]), dec(r["numerator"]), dec(r["denominator"])
        except ValueError as e:
            err(f"{where}: {e}")
            continue
        if value is None and num is None:
            err(f"{where}: neither value nor numerator")
        if (num is None) != (r["numerator_as_written"] == ""):
            err(f"{where}: numerator and numerator_as_written must be both filled or both empty")
        if (den is None) != (r["denominator_as_written"] == ""):
            err(f"{where}: denominator and denominator_as_written must be both filled or both empty")

        aw = r["as_written"]
        if not aw:
            err(f"{where}: empty as_written")
            continue
        for col in ("as_written", "numerator_as_written", "denominator_as_written"):
            if r[col] and r[col] not in texts[src]:
                err(f"{where}: {col} {r[col]!r} not found in {src}.txt")
        try:
            if "/" in aw:
                a, b = aw.split("/", 1)
                if (parse_vn(a), parse_vn(b)) != (num, den):
                    err(f"{where}: ratio {aw!r} != numerator/denominator {num}/{den}")
                if (r["numerator_as_written"], r["denominator_as_written"]) not in (("", ""), (a.strip(), b.strip())):
                    err(f"{where}: numerator/denominator_as_written differ from the ratio {aw!r}")
                if value is not None:
                    if all_kpis.get(k, {}).get("unit") != "count" or value != num:
                        err(f"{where}: ratio-only row may carry a value only as the count (numerator) under a count KPI")
            else:
                if value is None or parse_vn(aw) != value:
                    err(f"{where}: as_written {aw!r} does not parse to value {r['value']!r}")
                if r["numerator_as_written"] and parse_vn(r["numerator_as_written"]) != num:
                    err(f"{where}: numerator_as_written {r['numerator_as_written']!r} != {num}")
                if r["denominator_as_written"] and parse_vn(r["denominator_as_written"]) != den:
                    err(f"{where}: denominator_as_written {r['denominator_as_written']!r} != {den}")
        except ValueError as e:
            err(f"{where}: {e}")

    for k in extra:
        if k not in used:
            err(f"kpi-extra.csv: {k} is not used by any observation")

    # ---- information: district tables vs stated totals; ratios vs printed percentages ----
    groups = {}
    for n, r in rows:
        key = (r["source_id"], r["kpi_id"], r["period"])
        g = groups.setdefault(key, {"districts": [], "totals": []})
        if r["district_id"] and r["value"]:
            g["districts"].append(Decimal(r["value"]))
        elif r["note_en"].startswith("stated total of the district table") or "Province total stated" in r["note_en"]:
            g["totals"].append(Decimal(r["value"]))
    for key, g in groups.items():
        if len(g["districts"]) >= 8:
            s = sum(g["districts"])
            for t in g["totals"]:
                infos.append(f"district table {key}: sum of {len(g['districts'])} rows = {s}, stated total = {t}"
                             + ("" if s == t else "  <-- DISAGREES"))
    for n, r in rows:
        if r["value"] and r["numerator"] and r["denominator"] and all_kpis.get(r["kpi_id"], {}).get("unit") == "percent":
            pct = Decimal(r["numerator"]) / Decimal(r["denominator"]) * 100
            printed = Decimal(r["value"])
            q = Decimal(1).scaleb(printed.as_tuple().exponent)  # precision of the printed figure
            if printed not in (pct.quantize(q, ROUND_HALF_UP), pct.quantize(q, ROUND_DOWN)):
                infos.append(f"line {n} {r['kpi_id']} ({r['source_id']}): {r['numerator']}/{r['denominator']} = "
                             f"{pct:.2f}%, printed {r['as_written']}")

    for i in infos:
        print("info:", i)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(rows)} observation rows, {len(extra)} extra KPIs, "
          f"{len(used & set(kpis))} kpi.csv ids used; {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
