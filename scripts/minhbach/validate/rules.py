"""Domain rules added after the first release: reading notes for numbers the source misprints.

`apply` is called once from `domain.domain_issues` with the issues found so far: it removes the
`as-written-mismatch` of a row whose reading note explains the stored value, and adds its own issues.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from minhbach.errors import Issue
from minhbach.load.package import Package
from minhbach.numbers import parse_vi

NOTE_COLUMNS = ("reading_note_vi", "reading_note_en")


def _filled(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _value_column(df: pd.DataFrame) -> str | None:
    return next((c for c in ("value", "amount") if c in df.columns), None)


def reading_notes(pkg: Package, issues: list[Issue]) -> list[Issue]:
    """A stored value that the printed text does not give strictly is accepted only with a bilingual note.

    The note must come in both languages, and only where it is needed: a note on a row whose text
    already parses to the value would hide a real transcription slip behind an explanation.
    """
    noted: set[tuple[str, int]] = set()
    out: list[Issue] = []
    for res in pkg.descriptor["resources"]:
        df = pkg.tables.get(res["name"])
        col = _value_column(df) if df is not None else None
        if df is None or col is None or not set(NOTE_COLUMNS) <= set(df.columns):
            continue
        path = res["path"]
        for i, row in enumerate(df.to_dict("records")):
            line = i + 2
            vi, en = (_filled(row.get(c)) for c in NOTE_COLUMNS)
            if not (vi or en):
                continue
            if vi != en:
                out.append(
                    Issue(
                        "reading-note-incomplete",
                        "a reading note must be given in both languages",
                        file=path,
                        row=line,
                        column=NOTE_COLUMNS[1] if vi else NOTE_COLUMNS[0],
                        expected="reading_note_vi and reading_note_en both filled",
                    )
                )
                continue
            aw, val = row.get("as_written"), row.get(col)
            parsed = parse_vi(str(aw)) if isinstance(aw, str) else None
            if parsed is not None and not pd.isna(val) and abs(parsed - Decimal(repr(float(val)))) <= Decimal("1e-9"):
                out.append(
                    Issue(
                        "reading-note-unneeded",
                        "the printed text already gives the stored value; a reading note is only for misprints",
                        file=path,
                        row=line,
                        column=NOTE_COLUMNS[0],
                        value=str(aw),
                        expected="no reading note, or a value that differs from the strict reading",
                    )
                )
                continue
            noted.add((path, line))
    kept = [x for x in issues if not (x.code == "as-written-mismatch" and (x.file, x.row) in noted)]
    return kept + out


def apply(pkg: Package, issues: list[Issue]) -> list[Issue]:
    """Every rule of this module, in a fixed order."""
    return reading_notes(pkg, issues)
