"""A two-table synthetic package and workbook edits for the workbook fault tests (fast: real validation in ~1 s)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook

DESCRIPTOR = {
    "name": "syn",
    "title": "Synthetic",
    "version": "0.1.0",
    "created": "2026-01-01T00:00:00Z",
    "resources": [
        {
            "name": "alpha",
            "path": "data/alpha.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True}},
                    {"name": "label", "type": "string"},
                    {"name": "value", "type": "number"},
                ],
                "primaryKey": ["id"],
            },
        },
        {
            "name": "beta",
            "path": "data/beta.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True}},
                    {"name": "label", "type": "string"},
                ],
                "primaryKey": ["id"],
            },
        },
    ],
}
OLD = {"data/alpha.csv": "id,label,value\na1,first,1.5\na2,second,2\n", "data/beta.csv": "id,label\nb1,one\nb2,two\n"}
NEW = {
    "data/alpha.csv": "id,label,value\na1,changed,1.5\na2,second,2\n",
    "data/beta.csv": "id,label\nb1,one\nb2,deux\n",
}


def make_package(root: Path, tables: dict[str, str] | None = None) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps(DESCRIPTOR, indent=2), encoding="utf-8")
    for rel, text in (tables or OLD).items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def state(root: Path) -> str:
    """'old', 'new' or 'mixed' for the two tables on disk."""
    now = {rel: (root / rel).read_text(encoding="utf-8") for rel in OLD}
    if now == OLD:
        return "old"
    if now == NEW:
        return "new"
    return "mixed"


def stray_files(root: Path) -> list[str]:
    """Anything besides the package's own files: staging folders, temporary files."""
    keep = {"datapackage.json", *OLD}
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if str(p.relative_to(root)) not in keep and p != root / "data"
    )


def edit_both(xlsx: Path) -> Path:
    """The edit that turns OLD into NEW: one label in each table."""
    wb = load_workbook(xlsx)
    wb["alpha"]["B3"] = "changed"
    wb["beta"]["B4"] = "deux"
    wb.save(xlsx)
    return xlsx


def set_cell(xlsx: Path, sheet: str, ref: str, value) -> Path:
    wb = load_workbook(xlsx)
    wb[sheet][ref] = value
    wb.save(xlsx)
    return xlsx


def replace_in_members(xlsx: Path, old: bytes, new: bytes) -> Path:
    """Rewrite the .xlsx with `old` replaced by `new` in its XML (for text openpyxl will not write itself)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename).replace(old, new))
    xlsx.write_bytes(out.getvalue())
    return xlsx
