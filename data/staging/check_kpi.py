#!/usr/bin/env python3
"""Check kpi.csv, kpi_observation.csv and target.csv against the spec and the source texts.

Run from anywhere: python3 data/staging/check_kpi.py
Exit status 0 when every check passes, 1 otherwise (all problems are listed).
"""
import csv
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
SOURCES = DATA / "sources"

KPI_COLS = "kpi_id,name_vi,name_en,unit,pillar_id,main_index_id,direction,definition_vi,definition_en".split(",")
OBS_COLS = ("observation_id,kpi_id,province_id,district_id,period,value,numerator,denominator,qualifier,source_id,"
            "section,as_written,numerator_as_written,denominator_as_written,note_vi,note_en").split(",")
TGT_COLS = ("target_id,plan_id,kpi_id,province_id,target_year,comparator,value,text_vi,text_en,source_id,section,"
            "as_written").split(",")

UNITS = {"percent", "count", "per_100_people", "million_vnd", "billion_vnd", "mbps", "minutes", "per_month", "per_week",
         "times", "percentage_points"}
DIRECTIONS = {"higher_is_better", "lower_is_better", "neutral"}
QUALIFIERS = {"exact", "approximately", "more_than", "less_than", "at_least"}
COMPARATORS = {"at_least", "at_most", "equal"}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PERIOD_RE = re.compile(r"^(20\d\d)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
VN_NUM_RE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+(,\d+)?$")

errors = []


def err(msg):
    errors.append(msg)


def parse_vn(s):
    """Vietnamese number -> Decimal. '.' thousands, ',' decimal, optional leading +/- and trailing % (spaces allowed)."""
    t = s.strip()
    t = re.sub(r"\s*%$", "", t)
    sign = 1
    m = re.match(r"^([+-])\s*", t)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        t = t[m.end():]
    if not VN_NUM_RE.match(t):
        raise ValueError(f"not a Vietnamese-format number: {s!r}")
    return sign * Decimal(t.replace(".", "").replace(",", "."))


def parse_machine(s):
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        raise ValueError(f"not a machine-form number: {s!r}")
    return Decimal(s)


def read_csv(name, cols):
    path = DATA / name
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{name}: has a BOM")
    if b"\r" in raw:
        err(f"{name}: contains CR characters (line ends must be \\n)")
    if raw and not raw.endswith(b"\n"):
        err(f"{name}: does not end with a newline")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != cols:
        err(f"{name}: header is {rows[0] if rows else None}, expected {cols}")
        return []
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(cols):
            err(f"{name}:{i}: {len(r)} cells, expected {len(cols)}")
            continue
        for c, v in zip(cols, r):
            if v != v.strip():
                err(f"{name}:{i}:{c}: leading/trailing space")
            if "\u00a0" in v:
                err(f"{name}:{i}:{c}: non-breaking space")
            if v != unicodedata.normalize("NFC", v):
                err(f"{name}:{i}:{c}: not NFC")
            if v[:1] in ("=", "+", "-", "@"):
                err(f"{name}:{i}:{c}: starts with {v[0]!r}")
        out.append((i, dict(zip(cols, r))))
    return out


def ids_of(name, col):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return {r[col] for r in csv.DictReader(f)}


def check_in_source(where, text, s, label):
    if s and s not in text:
        err(f"{where}: {label} {s!r} not found in the source text")


def check_number(where, aw, stored, label):
    try:
        a = parse_vn(aw)
    except ValueError as e:
        err(f"{where}: {label}: {e}")
        return
    try:
        b = parse_machine(stored)
    except ValueError as e:
        err(f"{where}: {label}: stored {e}")
        return
    if a != b:
        err(f"{where}: {label} {aw!r} parses to {a}, stored {stored!r}")


def main():
    source_ids = ids_of("source.csv", "source_id")
    plan_ids = ids_of("plan.csv", "plan_id")
    province_ids = ids_of("province.csv", "province_id")
    district_ids = ids_of("district.csv", "district_id")
    main_index_ids = ids_of("main_index.csv", "main_index_id")
    pillar_ids = ids_of("pillar.csv", "pillar_id")
    texts = {}
    for sid in source_ids:
        p = SOURCES / f"{sid}.txt"
        if p.exists():
            texts[sid] = p.read_text(encoding="utf-8").replace("\u00a0", " ")

    # ---- kpi.csv
    kpis = read_csv("kpi.csv", KPI_COLS)
    kpi_unit = {}
    for i, r in kpis:
        w = f"kpi.csv:{i}"
        k = r["kpi_id"]
        if not ID_RE.match(k):
            err(f"{w}: bad kpi_id {k!r}")
        if k in kpi_unit:
            err(f"{w}: duplicate kpi_id {k!r}")
        kpi_unit[k] = r["unit"]
        if r["unit"] not in UNITS:
            err(f"{w}: unknown unit {r['unit']!r}")
        if r["direction"] not in DIRECTIONS:
            err(f"{w}: bad direction {r['direction']!r}")
        if not r["pillar_id"] and not r["main_index_id"]:
            err(f"{w}: neither pillar_id nor main_index_id")
        if r["pillar_id"] and r["pillar_id"] not in pillar_ids:
            err(f"{w}: unknown pillar_id {r['pillar_id']!r}")
        if r["main_index_id"] and r["main_index_id"] not in main_index_ids:
            err(f"{w}: unknown main_index_id {r['main_index_id']!r}")
        for c in ("name_vi", "name_en", "definition_vi", "definition_en"):
            if not r[c]:
                err(f"{w}: empty {c}")

    # ---- kpi_observation.csv
    obs = read_csv("kpi_observation.csv", OBS_COLS)
    seen = set()
    for i, r in obs:
        w = f"kpi_observation.csv:{i} ({r['observation_id']})"
        oid = r["observation_id"]
        if not ID_RE.match(oid):
            err(f"{w}: bad observation_id")
        if oid in seen:
            err(f"{w}: duplicate observation_id")
        seen.add(oid)
        if r["kpi_id"] not in kpi_unit:
            err(f"{w}: unknown kpi_id {r['kpi_id']!r}")
        if r["province_id"] not in province_ids:
            err(f"{w}: unknown province_id {r['province_id']!r}")
        if r["district_id"] and r["district_id"] not in district_ids:
            err(f"{w}: unknown district_id {r['district_id']!r}")
        if not PERIOD_RE.match(r["period"]):
            err(f"{w}: bad period {r['period']!r}")
        if r["qualifier"] not in QUALIFIERS:
            err(f"{w}: bad qualifier {r['qualifier']!r}")
        if r["source_id"] not in texts:
            err(f"{w}: unknown source_id {r['source_id']!r}")
            continue
        if not r["section"]:
            err(f"{w}: empty section")
        text = texts[r["source_id"]]
        aw = r["as_written"]
        if not aw:
            err(f"{w}: empty as_written")
            continue
        check_in_source(w, text, aw, "as_written")
        check_in_source(w, text, r["numerator_as_written"], "numerator_as_written")
        check_in_source(w, text, r["denominator_as_written"], "denominator_as_written")
        if "/" in aw:
            # a printed ratio "a/b": numerator/denominator carry it; value is empty or equals the count
            parts = [p.strip() for p in aw.split("/")]
            if len(parts) != 2:
                err(f"{w}: as_written ratio {aw!r} has {len(parts)} parts")
                continue
            check_number(w, parts[0], r["numerator"], "ratio numerator")
            check_number(w, parts[1], r["denominator"], "ratio denominator")
            if r["numerator_as_written"] != parts[0] or r["denominator_as_written"] != parts[1]:
                err(f"{w}: numerator/denominator_as_written do not match the ratio {aw!r}")
            if r["value"]:
                if kpi_unit.get(r["kpi_id"]) == "percent":
                    err(f"{w}: value set for a printed ratio under a percent KPI")
                check_number(w, parts[0], r["value"], "ratio value (count)")
        else:
            if not r["value"]:
                err(f"{w}: empty value")
            else:
                check_number(w, aw, r["value"], "as_written")
            for part in ("numerator", "denominator"):
                paw, pv = r[f"{part}_as_written"], r[part]
                if bool(paw) != bool(pv):
                    err(f"{w}: {part} and {part}_as_written must both be set or both empty")
                elif paw:
                    check_number(w, paw, pv, f"{part}_as_written")

    # ---- target.csv
    tgts = read_csv("target.csv", TGT_COLS)
    seen = set()
    for i, r in tgts:
        w = f"target.csv:{i} ({r['target_id']})"
        tid = r["target_id"]
        if not ID_RE.match(tid):
            err(f"{w}: bad target_id")
        if tid in seen:
            err(f"{w}: duplicate target_id")
        seen.add(tid)
        if r["plan_id"] not in plan_ids:
            err(f"{w}: unknown plan_id {r['plan_id']!r}")
        if r["province_id"] not in province_ids:
            err(f"{w}: unknown province_id {r['province_id']!r}")
        if not re.fullmatch(r"20\d\d", r["target_year"]):
            err(f"{w}: bad target_year {r['target_year']!r}")
        if r["source_id"] not in texts:
            err(f"{w}: unknown source_id {r['source_id']!r}")
            continue
        if not r["text_vi"] or not r["text_en"] or not r["section"]:
            err(f"{w}: empty text_vi/text_en/section")
        aw = r["as_written"]
        if aw or r["kpi_id"] or r["value"]:
            # quantitative target: all of kpi_id, comparator, value, as_written set
            if r["kpi_id"] not in kpi_unit:
                err(f"{w}: unknown kpi_id {r['kpi_id']!r}")
            if r["comparator"] not in COMPARATORS:
                err(f"{w}: bad comparator {r['comparator']!r}")
            if not aw:
                err(f"{w}: empty as_written")
            else:
                check_in_source(w, texts[r["source_id"]], aw, "as_written")
                check_number(w, aw, r["value"], "as_written")
        else:
            if r["comparator"]:
                err(f"{w}: qualitative target with a comparator")

    n_obs, n_tgt = len(obs), len(tgts)
    if errors:
        for e in errors:
            print("ERROR", e)
        print(f"{len(errors)} problem(s); kpi {len(kpis)}, kpi_observation {n_obs}, target {n_tgt}")
        return 1
    print(f"OK: kpi {len(kpis)}, kpi_observation {n_obs}, target {n_tgt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
