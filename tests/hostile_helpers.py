"""Helpers for the hostile-input corpus: packages whose every free-text cell carries a payload."""

from __future__ import annotations

import csv
import json
from pathlib import Path

# every context a label can reach: element text, both kinds of quoted attribute, <title>, <script> (JSON-LD),
# <textarea> (citations), Markdown, Jinja expressions and statements, and invisible characters (bidi override,
# zero width) that must stay text
PAYLOAD = (
    "</title><script>window.__x=1</script><img src=x onerror=window.__x=2>{{ 7*7 }}[x](javascript:alert(1))**b**"
    "\"><script>window.__x=3</script>'><svg onload=window.__x=4></script></textarea><b>&amp;"
    "{% if 1 %}window.__x5{% endif %}\u202e\u200b"
)
PAYLOADS = (
    "</title><script>window.__x=1</script>",
    "<img src=x onerror=window.__x=2>",
    "{{ 7*7 }}",
    "[x](javascript:alert(1))",
    "**b**",
    '"><script>window.__x=3</script>',
    "'><svg onload=window.__x=4>",
    "</script></textarea><b>&amp;",
    "{% if 1 %}window.__x5{% endif %}",
)
# text columns that are provenance or paths, not labels: they must match the source or the disk
NOT_LABELS = {"section", "path", "as_written", "issued", "period", "term"}


def label_columns(resource: dict) -> list[str]:
    """String fields that hold free text: no pattern, no enum, not a key, not provenance."""
    schema = resource["schema"]
    keys = set(schema.get("primaryKey") or [])
    for fk in schema.get("foreignKeys") or []:
        keys.update([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    out = []
    for f in schema["fields"]:
        c = f.get("constraints") or {}
        name = f["name"]
        if f.get("type", "string") != "string" or "pattern" in c or "enum" in c or name in keys:
            continue
        if name in NOT_LABELS or name.endswith("_as_written"):
            continue
        out.append(name)
    return out


def poison_every_label(root: Path) -> dict[str, list[str]]:
    """Prefix every non-empty label cell of every table, and every title and description of the descriptor
    (package, resources, publisher, in both languages), with PAYLOAD; returns {table: columns poisoned}."""
    dp = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    _poison_titles(dp)
    (root / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    done = {}
    for res in dp["resources"]:
        cols = label_columns(res)
        if not cols:
            continue
        path = root / res["path"]
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header, rows = list(reader.fieldnames or []), list(reader)
        for row in rows:
            for c in cols:
                if row.get(c):
                    row[c] = f"{PAYLOAD} {row[c]}"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        done[res["name"]] = cols
    return done


def _poison_titles(node) -> None:
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if k in ("title", "description") and isinstance(v, str) and v:
                node[k] = f"{PAYLOAD} {v}"
            elif k != "licenses":
                _poison_titles(v)
    elif isinstance(node, list):
        for v in node:
            _poison_titles(v)
