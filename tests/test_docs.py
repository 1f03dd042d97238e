"""The maintainers' docs stay true: the dictionary matches the schemas, every document table is accounted for."""

from __future__ import annotations

import json
import re
from pathlib import Path

from minhbach.dictionary import render

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_generated_from_the_current_schemas():
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == render(ROOT), (
        "run `minhbach dictionary` to regenerate docs/data-dictionary.md"
    )


def test_every_structured_table_of_every_document_is_accounted_for():
    inv = (ROOT / "docs" / "source-inventory.md").read_text(encoding="utf-8")
    names = {r["name"] for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]}
    names |= {"kpi/kpi_observation"}
    docs = {r.split(",")[0] for r in (ROOT / "data" / "source.csv").read_text(encoding="utf-8").splitlines()[1:]}
    seen_docs, entries = set(), 0
    doc = None
    for line in inv.splitlines():
        m = re.match(r"^## (\S+)", line)
        if m:
            doc = m.group(1)
            seen_docs.add(doc)
        cells = [c.strip() for c in line.split("|")]
        if doc in docs and len(cells) >= 6 and re.match(r"^\d+$", cells[1] or ""):
            entries += 1
            belongs = cells[5]
            tables = set(re.findall(r"\b[a-z_]+(?:/[a-z_]+)?\b", belongs))
            assert belongs.startswith("left out") or tables & names, f"{doc} entry {cells[1]}: {belongs[:80]}"
            if belongs.startswith("left out"):
                assert len(belongs) > len("left out: ") + 5, f"{doc} entry {cells[1]} is left out without a reason"
    assert docs <= seen_docs
    assert entries >= 100
