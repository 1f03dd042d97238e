#!/usr/bin/env python3
"""Checks for the plan transcriber's tables.

Tables: task_group.csv, task.csv, task_organisation.csv, budget_table.csv, budget_item.csv, organisation.csv
(in data/). Run from anywhere: `python3 data/staging/check_plan.py`. Exit status 0 = all checks pass.

Checked:
- file conventions of SPEC.md (UTF-8 without BOM, "\\n" line ends, exact header, NFC, no non-breaking space,
  no leading/trailing space, no cell starting with = + - @, ids lowercase a-z0-9-);
- ids unique; every organisation / task_group / plan / budget_table / source id resolves (organisation ids
  also in any other data/*.csv with an organisation_id column); parent groups belong to the same plan;
- 51 tasks of plan qd-231-2022 numbered 1..51; enumerations (status, role, recurring, row_type, category,
  unit, kind); start/end years agree with the timeline;
- budget_item.as_written occurs in the source text (after replacing U+00A0 by a space) and parses by the
  Vietnamese rule ("." thousands, "," decimal) to amount; task/group/item names, status and timeline as
  written occur in the source; every part of each section path occurs in the source.
Also prints (without failing) each budget table's item sum against its stated totals.
"""
import csv
import os
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
errors = []


def err(msg):
    errors.append(msg)


HEADERS = {
    "task_group.csv": "task_group_id,plan_id,parent_id,code_as_written,name_vi,name_en,sort_order,source_id,section",
    "task.csv": "task_id,plan_id,task_group_id,number,name_vi,name_en,status,status_as_written,timeline_as_written,"
                "start_year,end_year,recurring,funding_vi,funding_en,source_id,section",
    "task_organisation.csv": "task_id,organisation_id,role",
    "budget_table.csv": "budget_table_id,name_vi,name_en,year,unit,source_id,section",
    "budget_item.csv": "budget_item_id,budget_table_id,line_no,row_type,name_vi,name_en,organisation_id,category,amount,"
                       "source_id,section,as_written,note_vi,note_en",
    "organisation.csv": "organisation_id,name_vi,name_en,short_vi,kind",
}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load(name, check_header=True):
    path = os.path.join(DATA, name)
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(f"{name}: has a BOM")
    if b"\r" in raw:
        err(f"{name}: contains CR line ends")
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    header, body = rows[0], rows[1:]
    if check_header and name in HEADERS and ",".join(header) != HEADERS[name]:
        err(f"{name}: header {header} != spec")
    out = []
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            err(f"{name}:{i}: {len(r)} cells, header has {len(header)}")
            continue
        for c in r:
            if c != unicodedata.normalize("NFC", c):
                err(f"{name}:{i}: text not NFC: {c[:40]!r}")
            if "\u00a0" in c:
                err(f"{name}:{i}: non-breaking space in {c[:40]!r}")
            if c != c.strip():
                err(f"{name}:{i}: leading/trailing space in {c[:40]!r}")
            if c[:1] in ("=", "+", "-", "@"):
                err(f"{name}:{i}: cell starts with {c[:1]!r}: {c[:40]!r}")
        out.append(dict(zip(header, r)))
    return out


def unique(name, rows, key):
    seen = set()
    for r in rows:
        k = tuple(r[c] for c in key) if isinstance(key, tuple) else r[key]
        if k in seen:
            err(f"{name}: duplicate key {k}")
        seen.add(k)
        if not isinstance(key, tuple) and not ID_RE.match(r[key]):
            err(f"{name}: bad id {r[key]!r}")
    return seen


def vn_number(s):
    """Parse a number written the Vietnamese way: '.' thousands, ',' decimal, optional %, +, -."""
    t = s.strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    sign = 1
    if t[:1] in "+-":
        sign = -1 if t[0] == "-" else 1
        t = t[1:]
    if not re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?|\d+(,\d+)?", t):
        raise ValueError(f"not a Vietnamese-format number: {s!r}")
    return sign * Decimal(t.replace(".", "").replace(",", "."))


def dec(s):
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueError(f"not a machine number: {s!r}")


# ------------------------------------------------------------------ load
sources = {r["source_id"]: r for r in load("source.csv", check_header=False)}
SRC_TEXT = {}
for sid, r in sources.items():
    p = os.path.join(DATA, r["path"]) if r.get("path") else os.path.join(DATA, "sources", sid + ".txt")
    SRC_TEXT[sid] = open(p, encoding="utf-8").read().replace("\u00a0", " ")
plans = {r["plan_id"] for r in load("plan.csv", check_header=False)}

orgs = load("organisation.csv")
groups = load("task_group.csv")
tasks = load("task.csv")
task_orgs = load("task_organisation.csv")
btables = load("budget_table.csv")
bitems = load("budget_item.csv")

org_ids = unique("organisation.csv", orgs, "organisation_id")
group_ids = unique("task_group.csv", groups, "task_group_id")
task_ids = unique("task.csv", tasks, "task_id")
unique("task_organisation.csv", task_orgs, ("task_id", "organisation_id", "role"))
table_ids = unique("budget_table.csv", btables, "budget_table_id")
unique("budget_item.csv", bitems, "budget_item_id")

KINDS = {"department", "agency", "media", "district_committees", "district_committee", "group", "company", "police", "bank", "other"}
for r in orgs:
    if r["kind"] not in KINDS:
        err(f"organisation {r['organisation_id']}: kind {r['kind']!r}")
    if not r["name_vi"] or not r["name_en"]:
        err(f"organisation {r['organisation_id']}: missing name")
names = {}
for r in orgs:
    names.setdefault(r["name_vi"].lower(), []).append(r["organisation_id"])
for n, ids in names.items():
    if len(ids) > 1:
        err(f"organisation: same name_vi {n!r} for {ids}")


def in_source(sid, s):
    return s in SRC_TEXT[sid]


def check_section(where, sid, section):
    if not section:
        err(f"{where}: empty section")
        return
    for part in section.split(" > "):
        if in_source(sid, part):
            continue
        # table-cell headings are printed as "II<TAB>name" in the source; accept "II. name" for them
        m = re.match(r"^([IVX]+|\d+)\. (.+)$", part)
        if m and (m.group(1) + "\t" + m.group(2)) in SRC_TEXT[sid]:
            continue
        err(f"{where}: section part {part!r} not found in {sid}")


def check_prov(where, r):
    if r["source_id"] not in sources:
        err(f"{where}: unknown source_id {r['source_id']!r}")
        return False
    check_section(where, r["source_id"], r["section"])
    return True


# ------------------------------------------------------------------ task groups
group_by_id = {r["task_group_id"]: r for r in groups}
for r in groups:
    w = f"task_group {r['task_group_id']}"
    if r["plan_id"] not in plans:
        err(f"{w}: unknown plan {r['plan_id']!r}")
    if r["parent_id"]:
        p = group_by_id.get(r["parent_id"])
        if not p:
            err(f"{w}: unknown parent {r['parent_id']!r}")
        elif p["plan_id"] != r["plan_id"]:
            err(f"{w}: parent in another plan")
    if not r["sort_order"].isdigit():
        err(f"{w}: sort_order {r['sort_order']!r}")
    if check_prov(w, r):
        if not in_source(r["source_id"], r["name_vi"]):
            err(f"{w}: name_vi not in source: {r['name_vi']!r}")
        if r["code_as_written"] and not in_source(r["source_id"], r["code_as_written"]):
            err(f"{w}: code not in source")

# ------------------------------------------------------------------ tasks
STATUS = {"new": {"Nhiệm vụ mới", "Dự án mới"}, "continuing": {"Nhiệm vụ chuyển tiếp"}, "": {""}}
numbers = []
for r in tasks:
    w = f"task {r['task_id']}"
    if r["plan_id"] not in plans:
        err(f"{w}: unknown plan")
    g = group_by_id.get(r["task_group_id"])
    if not g:
        err(f"{w}: unknown task_group {r['task_group_id']!r}")
    elif g["plan_id"] != r["plan_id"]:
        err(f"{w}: group in another plan")
    if r["plan_id"] == "qd-231-2022":
        numbers.append(int(r["number"]))
    if r["status"] not in STATUS or r["status_as_written"] not in STATUS[r["status"]]:
        err(f"{w}: status {r['status']!r} / {r['status_as_written']!r}")
    if r["recurring"] not in ("true", "false"):
        err(f"{w}: recurring {r['recurring']!r}")
    tl = r["timeline_as_written"]
    if tl == "Hàng năm":
        if r["recurring"] != "true" or r["start_year"] or r["end_year"]:
            err(f"{w}: 'Hàng năm' must be recurring without years")
    else:
        m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", tl)
        if not m or r["start_year"] != m.group(1) or r["end_year"] != (m.group(2) or m.group(1)) or r["recurring"] != "false":
            err(f"{w}: years {r['start_year']}-{r['end_year']} do not match timeline {tl!r}")
    if check_prov(w, r):
        for col in ("name_vi", "status_as_written", "timeline_as_written", "funding_vi"):
            if r[col] and not in_source(r["source_id"], r[col]):
                err(f"{w}: {col} not in source: {r[col]!r}")
    if not r["name_en"]:
        err(f"{w}: missing name_en")
    if bool(r["funding_vi"]) != bool(r["funding_en"]):
        err(f"{w}: funding_vi/funding_en mismatch")
if sorted(numbers) != list(range(1, 52)):
    err(f"qd-231-2022 task numbers are not exactly 1..51: {sorted(numbers)}")

leads = set()
for r in task_orgs:
    w = f"task_organisation {r['task_id']}/{r['organisation_id']}"
    if r["task_id"] not in task_ids:
        err(f"{w}: unknown task")
    if r["organisation_id"] not in org_ids:
        err(f"{w}: unknown organisation")
    if r["role"] not in ("lead", "partner"):
        err(f"{w}: role {r['role']!r}")
    if r["role"] == "lead":
        leads.add(r["task_id"])
for t in task_ids - leads:
    err(f"task {t}: no lead organisation")

# ------------------------------------------------------------------ budgets
UNITS = {"vnd", "million_vnd", "billion_vnd"}
CATS = {"", "infrastructure", "software", "policy", "infrastructure_software"}
unit_of = {}
for r in btables:
    w = f"budget_table {r['budget_table_id']}"
    unit_of[r["budget_table_id"]] = r["unit"]
    if r["unit"] not in UNITS:
        err(f"{w}: unit {r['unit']!r}")
    if r["year"] and not re.fullmatch(r"\d{4}", r["year"]):
        err(f"{w}: year {r['year']!r}")
    check_prov(w, r)

by_table = {}
for r in bitems:
    w = f"budget_item {r['budget_item_id']}"
    if r["budget_table_id"] not in table_ids:
        err(f"{w}: unknown budget_table")
    if r["organisation_id"] and r["organisation_id"] not in org_ids:
        err(f"{w}: unknown organisation {r['organisation_id']!r}")
    if r["row_type"] not in ("item", "stated_total"):
        err(f"{w}: row_type {r['row_type']!r}")
    if r["category"] not in CATS:
        err(f"{w}: category {r['category']!r}")
    if r["row_type"] == "item" and not r["line_no"].isdigit():
        err(f"{w}: item without line_no")
    if not check_prov(w, r):
        continue
    aw = r["as_written"]
    if not aw or not in_source(r["source_id"], aw):
        err(f"{w}: as_written {aw!r} not in source {r['source_id']}")
    try:
        if vn_number(aw) != dec(r["amount"]):
            err(f"{w}: as_written {aw!r} parses to {vn_number(aw)}, amount is {r['amount']}")
    except ValueError as e:
        err(f"{w}: {e}")
    if r["row_type"] == "item" and not in_source(r["source_id"], r["name_vi"]):
        err(f"{w}: name_vi not in source: {r['name_vi']!r}")
    by_table.setdefault(r["budget_table_id"], []).append(r)

# ------------------------------------------------------------------ organisation ids used by other tables
import glob
for path in sorted(glob.glob(os.path.join(DATA, "*.csv"))):
    name = os.path.basename(path)
    if name in ("organisation.csv", "task_organisation.csv", "budget_item.csv"):
        continue
    with open(path, encoding="utf-8") as f:
        rd = csv.DictReader(f)
        if "organisation_id" not in (rd.fieldnames or []):
            continue
        for i, r in enumerate(rd, start=2):
            if r["organisation_id"] and r["organisation_id"] not in org_ids:
                err(f"{name}:{i}: unknown organisation {r['organisation_id']!r}")

# ------------------------------------------------------------------ report
print("rows: organisation %d, task_group %d, task %d, task_organisation %d, budget_table %d, budget_item %d"
      % (len(orgs), len(groups), len(tasks), len(task_orgs), len(btables), len(bitems)))
print("budget tables (sum of items vs stated totals; informational):")
for tid, rows in by_table.items():
    items = [dec(r["amount"]) for r in rows if r["row_type"] == "item"]
    s = sum(items) if items else None
    for r in rows:
        if r["row_type"] == "stated_total":
            diff = "" if s is None else f"  diff {dec(r['amount']) - s:+}"
            print(f"  {tid} [{unit_of.get(tid)}]: {len(items)} items sum {s}; stated {r['amount']} "
                  f"({r['source_id']}: {r['section'].split(' > ')[-1][:40]}){diff}")

if errors:
    print(f"\n{len(errors)} error(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("\nOK: all plan checks pass")
