#!/usr/bin/env python3
"""Check the DTI transcription tables against SPEC.md and the source texts.

Run from anywhere:  python3 data/staging/check_dti.py
Exit status 0 = all checks passed (consistency findings are printed as INFO, they are
disagreements inside the documents, not transcription errors).
"""
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
STAGING = DATA / "staging"

errors = []
info = []


def err(msg):
    errors.append(msg)


# ---------------------------------------------------------------- helpers
def read_csv(path, header):
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{path.name}: has a BOM")
    text = raw.decode("utf-8")
    if "\r" in text:
        err(f"{path.name}: contains CR line ends")
    if not text.endswith("\n"):
        err(f"{path.name}: no final newline")
    rows = list(csv.reader(text.splitlines()))
    if rows[0] != header:
        err(f"{path.name}: header {rows[0]} != {header}")
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            err(f"{path.name}:{n}: {len(r)} cells, expected {len(header)}")
            continue
        for col, v in zip(header, r):
            where = f"{path.name}:{n}:{col}"
            if v != unicodedata.normalize("NFC", v):
                err(f"{where}: not NFC")
            if "\u00a0" in v:
                err(f"{where}: non-breaking space")
            if v != v.strip():
                err(f"{where}: leading/trailing space")
            if v[:1] in ("=", "+", "-", "@") and not (col in ("as_written", "value") and re.fullmatch(r"[+-][\d.,]+%?", v)):
                err(f"{where}: text cell starts with {v[:1]!r}")
        out.append(dict(zip(header, r)))
    # quoting only where needed: re-serialise and compare
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in rows:
        w.writerow(r)
    if buf.getvalue() != text:
        err(f"{path.name}: not in canonical csv.writer form (quoting/line ends)")
    return out


def load_dim(name, key):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return {r[key] for r in csv.DictReader(f)}


SOURCES = {}
for p in (DATA / "sources").glob("*.txt"):
    SOURCES[p.stem] = p.read_text(encoding="utf-8").replace("\u00a0", " ")

NUM_RE = re.compile(r"^([+-])?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(%)?$")


def parse_vn(s):
    """Parse a Vietnamese-format number: '.' thousands, ',' decimal, optional sign and %."""
    s = s.strip()
    m = NUM_RE.match(s)
    if not m:
        return None
    sign, intpart, frac, _pct = m.groups()
    txt = intpart.replace(".", "") + ("." + frac if frac else "")
    v = Decimal(txt)
    return -v if sign == "-" else v


def parse_as_written(s):
    """Return (value, denominator) ; denominator only for ratios like 41/63."""
    if "/" in s:
        a, b = s.split("/", 1)
        return parse_vn(a), parse_vn(b)
    return parse_vn(s), None


def occurs_as_token(aw, text):
    """Numeric as_written must occur in the text not as part of a longer number."""
    pat = r"(?<![\d.,])" + re.escape(aw) + r"(?![\d]|[.,]\d|/\d)"
    return re.search(pat, text) is not None


ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

source_ids = load_dim("source.csv", "source_id")
province_ids = load_dim("province.csv", "province_id")
pillar_ids = load_dim("pillar.csv", "pillar_id")
main_index_ids = load_dim("main_index.csv", "main_index_id")
org_ids = load_dim("organisation.csv", "organisation_id")
org_stage = STAGING / "organisation-dti.csv"
stage_orgs = read_csv(org_stage, ["organisation_id", "name_vi", "name_en", "short_vi", "kind"]) if org_stage.exists() else []
ORG_KINDS = {"department", "agency", "media", "district_committees", "district_committee", "group", "company",
             "police", "bank", "board", "centre", "other"}
for r in stage_orgs:
    if r["organisation_id"] in org_ids:
        err(f"organisation-dti.csv: {r['organisation_id']} already in organisation.csv")
    if not ID_RE.match(r["organisation_id"]):
        err(f"organisation-dti.csv: bad id {r['organisation_id']}")
    if r["kind"] not in ORG_KINDS:
        err(f"organisation-dti.csv: bad kind {r['kind']}")
    if not r["name_vi"] or not r["name_en"]:
        err(f"organisation-dti.csv: {r['organisation_id']} missing name")
all_org_ids = org_ids | {r["organisation_id"] for r in stage_orgs}
if len(stage_orgs) != len({r["organisation_id"] for r in stage_orgs}):
    err("organisation-dti.csv: duplicate ids")


def check_unique(rows, key, fname):
    c = Counter(r[key] for r in rows)
    for k, n in c.items():
        if n > 1:
            err(f"{fname}: {key} {k!r} occurs {n} times")


def check_prov(r, fname, required=True):
    if r["source_id"] not in source_ids:
        err(f"{fname}: unknown source_id {r['source_id']}")
    if not r["section"]:
        err(f"{fname}: empty section")
    if r.get("province_id"):
        if r["province_id"] not in province_ids:
            err(f"{fname}: unknown province_id {r['province_id']}")
    elif required:
        err(f"{fname}: empty province_id")


# ---------------------------------------------------------------- sub_indicator
SI_H = ["sub_indicator_id", "main_index_id", "code_as_written", "name_vi", "name_en", "source_id", "section"]
si = read_csv(DATA / "sub_indicator.csv", SI_H)
check_unique(si, "sub_indicator_id", "sub_indicator.csv")
si_ids = {r["sub_indicator_id"] for r in si}
for r in si:
    f = f"sub_indicator.csv[{r['sub_indicator_id']}]"
    if not re.fullmatch(r"\d+\.\d+", r["sub_indicator_id"]):
        err(f"{f}: bad id")
    if r["main_index_id"] not in main_index_ids:
        err(f"{f}: unknown main_index_id")
    if r["source_id"] not in source_ids:
        err(f"{f}: unknown source_id")
    src = SOURCES[r["source_id"]]
    if ("\t" + r["code_as_written"] + "\n") not in src:
        err(f"{f}: code {r['code_as_written']!r} not found as a table cell")
    # name must occur (after collapsing runs of spaces, as names were whitespace-normalised)
    if r["name_vi"] not in re.sub(r"[ \t]+", " ", src):
        err(f"{f}: name_vi not found in source")
    if not r["name_en"]:
        err(f"{f}: empty name_en")
    mi_no = {"awareness": "1", "institutions": "2", "infrastructure": "3", "human-resources": "4",
             "cyber-security": "5", "government-activity": "6", "economy-activity": "7",
             "society-activity": "8"}[r["main_index_id"]]
    if r["sub_indicator_id"].split(".")[0] != mi_no:
        err(f"{f}: id prefix does not match main index {r['main_index_id']}")
    if r["code_as_written"] != r["sub_indicator_id"]:
        info.append(f"sub_indicator {r['sub_indicator_id']}: printed as {r['code_as_written']!r} in the source")

# ---------------------------------------------------------------- dti_observation
OB_H = ["observation_id", "province_id", "year", "pillar_id", "main_index_id", "statistic", "metric", "value",
        "scale", "out_of", "rank_scope", "source_id", "section", "as_written", "note_vi", "note_en"]
ob = read_csv(DATA / "dti_observation.csv", OB_H)
check_unique(ob, "observation_id", "dti_observation.csv")
for r in ob:
    f = f"dti_observation.csv[{r['observation_id']}]"
    if not ID_RE.match(r["observation_id"]):
        err(f"{f}: bad id")
    check_prov(r, f, required=(r["statistic"] == "province"))
    if r["statistic"] == "national_mean" and r["province_id"]:
        err(f"{f}: national_mean with province_id")
    if r["statistic"] not in ("province", "national_mean"):
        err(f"{f}: bad statistic")
    if r["pillar_id"] and r["pillar_id"] not in pillar_ids:
        err(f"{f}: unknown pillar_id")
    if r["main_index_id"] and r["main_index_id"] not in main_index_ids:
        err(f"{f}: unknown main_index_id")
    if r["pillar_id"] and r["main_index_id"]:
        err(f"{f}: both pillar and main index set")
    if not re.fullmatch(r"20\d\d", r["year"]):
        err(f"{f}: bad year")
    exp_scale = {"score": ("unit_interval", "points"), "rank": ("rank",), "rank_change": ("rank_steps",)}.get(r["metric"])
    if exp_scale is None:
        err(f"{f}: bad metric")
    elif r["scale"] not in exp_scale:
        err(f"{f}: scale {r['scale']} does not fit metric {r['metric']}")
    if r["metric"] == "rank":
        if r["out_of"] not in ("63", "5") or r["rank_scope"] not in ("national", "region"):
            err(f"{f}: rank needs out_of and rank_scope")
        if (r["out_of"] == "5") != (r["rank_scope"] == "region"):
            err(f"{f}: out_of/rank_scope mismatch")
    elif r["out_of"] or r["rank_scope"]:
        err(f"{f}: out_of/rank_scope only for ranks")
    src = SOURCES[r["source_id"]]
    aw = r["as_written"]
    if aw not in src:
        err(f"{f}: as_written {aw!r} not in source")
    elif not occurs_as_token(aw, src):
        err(f"{f}: as_written {aw!r} only occurs inside a longer number")
    val, den = parse_as_written(aw)
    if val is None:
        err(f"{f}: as_written {aw!r} does not parse")
    else:
        try:
            v = Decimal(r["value"])
        except Exception:
            err(f"{f}: value {r['value']!r} not a number")
            continue
        if v != val:
            err(f"{f}: value {r['value']} != parsed as_written {val}")
        if den is not None and str(den) != r["out_of"]:
            err(f"{f}: denominator {den} != out_of {r['out_of']}")
        if r["metric"] == "score" and r["scale"] == "unit_interval" and not (0 <= v <= 1):
            err(f"{f}: unit_interval score out of range")

# ---------------------------------------------------------------- sub_indicator_assessment
AS_H = ["assessment_id", "sub_indicator_id", "province_id", "year", "status", "reason_vi", "reason_en",
        "source_id", "section", "as_written"]
asm = read_csv(DATA / "sub_indicator_assessment.csv", AS_H)
check_unique(asm, "assessment_id", "sub_indicator_assessment.csv")
for r in asm:
    f = f"sub_indicator_assessment.csv[{r['assessment_id']}]"
    if not ID_RE.match(r["assessment_id"]):
        err(f"{f}: bad id")
    check_prov(r, f)
    if r["sub_indicator_id"] not in si_ids:
        err(f"{f}: unknown sub_indicator_id")
    y = r["year"]
    if y == "2021":
        if r["status"] not in ("no_score", "below_average", "weak"):
            err(f"{f}: bad 2021 status")
        if not r["reason_vi"] or not r["reason_en"]:
            err(f"{f}: 2021 row without reason")
    elif y == "2022":
        if r["status"] not in ("achieved", "not_achieved", "in_progress"):
            err(f"{f}: bad 2022 status")
    else:
        err(f"{f}: bad year")
    if bool(r["reason_vi"]) != bool(r["reason_en"]):
        err(f"{f}: reason_vi/reason_en must both be set or both empty")
    src = SOURCES[r["source_id"]]
    if r["as_written"] not in src:
        err(f"{f}: as_written {r['as_written']!r} not in source")
    if y == "2022" and not re.search(r"đạt|Đạt|Chưa|chưa", r["as_written"]):
        err(f"{f}: 2022 as_written is not a result phrase")
# 2021 reasons: as_written must be a fragment of reason_vi (modulo whitespace)
for r in asm:
    if r["year"] == "2021":
        a = re.sub(r"\s+", " ", r["as_written"])
        if a not in r["reason_vi"]:
            err(f"sub_indicator_assessment.csv[{r['assessment_id']}]: as_written not part of reason_vi")
        if len(r["as_written"]) < 10:
            # allowed only when it is the whole cell
            if a != r["reason_vi"]:
                err(f"sub_indicator_assessment.csv[{r['assessment_id']}]: short as_written that is not the whole cell")
asm_ids = {r["assessment_id"] for r in asm}
per_si_2021 = Counter(r["sub_indicator_id"] for r in asm if r["year"] == "2021")
for s in si_ids:
    if per_si_2021[s] != 1:
        err(f"sub_indicator {s}: {per_si_2021[s]} rows for 2021 (expected 1)")

# ---------------------------------------------------------------- assessment_organisation
AO_H = ["assessment_id", "organisation_id"]
ao = read_csv(DATA / "assessment_organisation.csv", AO_H)
pairs = Counter((r["assessment_id"], r["organisation_id"]) for r in ao)
for p, n in pairs.items():
    if n > 1:
        err(f"assessment_organisation.csv: duplicate {p}")
for r in ao:
    if r["assessment_id"] not in asm_ids:
        err(f"assessment_organisation.csv: unknown assessment_id {r['assessment_id']}")
    if r["organisation_id"] not in all_org_ids:
        err(f"assessment_organisation.csv: unknown organisation_id {r['organisation_id']}")
    if not r["assessment_id"].startswith("dti-2021-"):
        err(f"assessment_organisation.csv: {r['assessment_id']} is not a 2021 row")
linked = {r["assessment_id"] for r in ao}
for r in asm:
    if r["year"] == "2021" and r["assessment_id"] not in linked:
        info.append(f"assessment {r['assessment_id']}: no responsible organisation (cell empty in the source)")

# ---------------------------------------------------------------- sub_indicator_count
CT_H = ["count_id", "province_id", "year", "main_index_id", "count_type", "value", "source_id", "section", "as_written"]
ct = read_csv(DATA / "sub_indicator_count.csv", CT_H)
check_unique(ct, "count_id", "sub_indicator_count.csv")
for r in ct:
    f = f"sub_indicator_count.csv[{r['count_id']}]"
    if not ID_RE.match(r["count_id"]):
        err(f"{f}: bad id")
    check_prov(r, f)
    if r["main_index_id"] and r["main_index_id"] not in main_index_ids:
        err(f"{f}: unknown main_index_id")
    if r["count_type"] not in ("total", "no_score", "below_average", "achieved", "not_achieved"):
        err(f"{f}: bad count_type")
    src = SOURCES[r["source_id"]]
    aw = r["as_written"]
    if aw not in src or not occurs_as_token(aw, src):
        err(f"{f}: as_written {aw!r} not in source as a number")
    val, _den = parse_as_written(aw)
    if val is None or str(val) != r["value"]:
        err(f"{f}: value {r['value']} != parsed as_written {val}")

# ---------------------------------------------------------------- consistency (INFO only)
obs = defaultdict(list)
for r in ob:
    if r["statistic"] == "province":
        key = (r["pillar_id"] or r["main_index_id"] or "total", r["metric"], r["year"], r["rank_scope"])
        obs[key].append((Decimal(r["value"]), r["source_id"], r["as_written"]))
for key, vals in sorted(obs.items()):
    if len({v for v, _, _ in vals}) > 1:
        info.append(f"DISAGREEMENT {key}: " + "; ".join(f"{a} ({s})" for _, s, a in vals))
    spell = {a for _, _, a in vals}
    if len(spell) > 1 and len({v for v, _, _ in vals}) == 1:
        info.append(f"same value printed differently {key}: {sorted(spell)}")
for item in sorted({k[0] for k in obs}):
    r20 = obs.get((item, "rank", "2020", "national"))
    r21 = obs.get((item, "rank", "2021", "national"))
    ch = obs.get((item, "rank_change", "2021", ""))
    if r20 and r21 and ch:
        for c, s, a in ch:
            exp = r20[0][0] - r21[0][0]
            tag = "ok" if exp == c else "DISAGREEMENT"
            info.append(f"{tag} rank change {item}: printed {a} ({s}); 2020 rank {r20[0][0]} -> 2021 rank {r21[0][0]} = {exp:+}")

cnt = {(r["main_index_id"] or "overall", r["count_type"]): int(r["value"]) for r in ct}
rows_per_mi = Counter()
si_mi = {r["sub_indicator_id"]: r["main_index_id"] for r in si}
for s in si_ids:
    rows_per_mi[si_mi[s]] += 1
for mi in sorted(main_index_ids):
    ns, ba, tot = cnt.get((mi, "no_score"), 0), cnt.get((mi, "below_average"), 0), cnt.get((mi, "total"))
    tag = "ok" if ns + ba == rows_per_mi[mi] else "DISAGREEMENT"
    info.append(f"{tag} {mi}: stated {tot} total, {ns} no score + {ba} below average = {ns + ba}; rows listed {rows_per_mi[mi]}")
sum_tot = sum(cnt.get((mi, "total"), 0) for mi in main_index_ids)
sum_ns = sum(cnt.get((mi, "no_score"), 0) for mi in main_index_ids)
sum_ba = sum(cnt.get((mi, "below_average"), 0) for mi in main_index_ids)
o = lambda t: cnt.get(("overall", t))
info.append(f"{'ok' if sum_tot == o('total') else 'DISAGREEMENT'} sum of per-index totals {sum_tot} vs overall total {o('total')}")
info.append(f"{'ok' if sum_ns == o('no_score') else 'DISAGREEMENT'} sum of per-index no-score {sum_ns} vs overall {o('no_score')}")
info.append(f"{'ok' if sum_ns + sum_ba == o('not_achieved') else 'DISAGREEMENT'} per-index no-score+below-average {sum_ns + sum_ba} vs overall not achieved {o('not_achieved')}")
info.append(f"{'ok' if o('achieved') + o('not_achieved') == o('total') else 'DISAGREEMENT'} achieved {o('achieved')} + not achieved {o('not_achieved')} vs total {o('total')}")
info.append(f"{'ok' if sum_tot - o('not_achieved') == o('achieved') else 'DISAGREEMENT'} per-index totals {sum_tot} - not achieved {o('not_achieved')} = {sum_tot - o('not_achieved')} vs stated achieved {o('achieved')}")
info.append(f"{'ok' if len(si_ids) == o('not_achieved') else 'DISAGREEMENT'} sub-indicator rows listed {len(si_ids)} vs overall not achieved {o('not_achieved')}")

for line in info:
    print("INFO", line)
for e in errors:
    print("ERROR", e)
print(f"\nsub_indicator {len(si)}, dti_observation {len(ob)}, sub_indicator_assessment {len(asm)}, "
      f"assessment_organisation {len(ao)}, sub_indicator_count {len(ct)}, organisation-dti {len(stage_orgs)}")
print("FAILED" if errors else "PASSED", f"({len(errors)} errors)")
sys.exit(1 if errors else 0)
