"""docs/data-dictionary.md, generated from datapackage.json so the dictionary cannot drift from the schemas."""

from __future__ import annotations

import json
from pathlib import Path

HEADER = """# Data dictionary

Generated from `datapackage.json` by `minhbach dictionary` — do not edit by hand; a test fails when this file
and the schemas disagree. Which table of which source document went where (document, section, lines), and
what was deliberately left out and why, is in [source-inventory.md](source-inventory.md).

Conventions for every table: CSV, UTF-8 without BOM, `,` separator, LF line ends, header row of the field
names below; empty cell = no value. Numbers are machine numbers (`.` decimal, no thousands separator); the
text exactly as the document prints it is kept in `as_written` (Vietnamese format: `.` thousands, `,`
decimal). Fact tables (kind `fact`) carry provenance on every row: `source_id` (a document in `source`),
`section` (the heading path in that document, joined with ` > `) and `as_written`. Labels come in pairs
`*_vi` / `*_en`; both must be filled or both empty. Rows are numbered as lines of the file (header = row 1)
in every error message.

| table | kind | rows | what it holds |
|---|---|---:|---|
"""


def render(root: Path) -> str:
    d = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    out = [HEADER]
    for r in d["resources"]:
        n = sum(1 for _ in open(root / r["path"], encoding="utf-8")) - 1
        out.append(
            f"| [`{r['name']}`](#{r['name'].replace('_', '-')}) | {r.get('x-kind', '')} | {n} | "
            f"{r['x-i18n']['en']['description']} |\n"
        )
    for r in d["resources"]:
        s = r["schema"]
        out.append(
            f"\n## {r['name'].replace('_', '-')}\n\n`{r['path']}` — {r['x-i18n']['en']['title']} / "
            f"{r['title']}. {r['x-i18n']['en']['description']}\n\n"
        )
        if s.get("primaryKey"):
            out.append(f"Primary key: `{', '.join(s['primaryKey'])}`. ")
        for fk in s.get("foreignKeys", []):
            out.append(f"`{fk['fields'][0]}` → `{fk['reference']['resource']}.{fk['reference']['fields'][0]}`. ")
        out.append(
            "\n\n| field | type | required | constraints | meaning (en) | meaning (vi) |\n|---|---|---|---|---|---|\n"
        )
        for f in s["fields"]:
            c = dict(f.get("constraints", {}))
            req = "yes" if c.pop("required", False) else ""
            cons = "; ".join(f"{k}: {' | '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in c.items())
            unit = f" [{f['x-unit']}]" if "x-unit" in f else ""
            out.append(
                f"| `{f['name']}` | {f['type']}{unit} | {req} | {cons.replace('|', '/')} | "
                f"{f['x-i18n']['en']['title']} | {f['title']} |\n"
            )
    return "".join(out)


# the tables every package must have; every other table of the profile may be left out
REQUIRED = ("source", "province", "pillar", "main_index", "main_index_pillar", "dti_observation")
PROFILE_ABOUT = (
    "The tables minhbach understands, with their fields and types. A package may leave out every table not marked "
    "required: minhbach reads an absent table as an empty one. Regenerated from the shipped datapackage.json by "
    "`minhbach dictionary`; tests/test_any_province.py checks the two agree."
)


def render_profile(root: Path) -> str:
    d = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = [
        {
            "name": r["name"],
            "required": r["name"] in REQUIRED,
            "fields": [{"name": f["name"], "type": f.get("type", "string")} for f in r["schema"]["fields"]],
        }
        for r in d["resources"]
    ]
    return json.dumps({"about": PROFILE_ABOUT, "resources": resources}, ensure_ascii=False, indent=1) + "\n"


def write(root: Path) -> Path:
    p = root / "docs" / "data-dictionary.md"
    p.write_text(render(root), encoding="utf-8")
    (Path(__file__).parent / "load" / "profile.json").write_text(render_profile(root), encoding="utf-8")
    return p
