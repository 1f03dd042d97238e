"""Cells and keys that look alike but are not: keys compared in NFC (and refused in NFD), a CR inside a cell
told apart from Windows line ends, an over-long cell measured instead of taken for an open quote, and a field
type the schema does not know named with its resource and field. Used by guards.py and validate.py.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from minhbach.errors import Issue

# the field types of Table Schema (v1 and v2), which frictionless reads
FIELD_TYPES = (
    "string", "number", "integer", "boolean", "date", "time", "datetime", "year", "yearmonth", "duration",
    "object", "array", "list", "geopoint", "geojson", "any",
)  # fmt: skip


def field_type_unknown(typ: str, field: str, res: dict, column: str) -> Issue:
    close = difflib.get_close_matches(typ, FIELD_TYPES, n=1)
    return Issue(
        "field-type-unknown",
        f"field {field!r} of resource {res.get('name')!r} has the type {typ!r}, which no table schema knows"
        + (f" (did you mean {close[0]!r}?)" if close else ""),
        file="datapackage.json",
        column=column,
        value=typ,
        expected="one of " + ", ".join(FIELD_TYPES),
    )


@contextmanager
def whole_cells(text: str) -> Iterator[None]:
    """Let the csv module read a cell as long as the whole text, so an over-long cell is measured and named
    (cell-too-long, with its size) instead of stopping the reader as if a quote were left open."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def key_columns(res: dict) -> list[str]:
    """The primary key's columns (as a list, whichever way the schema writes it)."""
    pk = res["schema"].get("primaryKey")
    return [pk] if isinstance(pk, str) else [c for c in pk or [] if isinstance(c, str)]


def carriage_returns(text: str, header: list[str], path: str) -> list[Issue]:
    """CR + LF ends lines (a file saved with Windows line endings); a CR alone ends none: it sits inside a cell,
    where a spreadsheet shows what follows as a new line or runs it as a formula (a CR before "=1+1"). Each is
    named as what it is, a stray CR with its row and column."""
    if "\r" not in text:
        return []
    issues = []
    if "\r\n" in text:
        issues.append(
            Issue(
                "line-endings",
                "file has Windows (CRLF) line endings; save it with LF line endings",
                file=path,
                row=text[: text.index("\r\n")].count("\n") + 1,
            )
        )
    first = _LONE_CR.search(text)
    if first is None:
        return issues
    stray: list[Issue] = []
    if _MARK not in text:  # the same text with each lone CR as one private-use character: rows stay whole
        marked = _LONE_CR.sub(_MARK, text)
        try:
            with whole_cells(marked):
                for row_no, row in enumerate(csv.reader(io.StringIO(marked, newline="")), start=1):
                    for col, cell in zip(header, row, strict=False):
                        if _MARK in cell and len(stray) < 20:
                            at = cell.index(_MARK)
                            value = cell[max(0, at - 20) : at + 20].replace(_MARK, "\r")
                            stray.append(_stray_cr(path, row_no, col, value))
        except csv.Error:
            stray = []  # broken quoting: scan_cells names it; the CR is placed by its line below
    if not stray:
        at = first.start()
        stray = [_stray_cr(path, text[:at].count("\n") + 1, None, text[max(0, at - 20) : at + 20])]
    return issues + stray


_LONE_CR = re.compile(r"\r(?!\n)")
_MARK = "\ue000"


def _stray_cr(path: str, row: int, column: str | None, value: str) -> Issue:
    return Issue(
        "stray-carriage-return",
        "cell holds a carriage return (CR, U+000D) that ends no line: a spreadsheet shows what follows as a new "
        "line or runs it as a formula",
        file=path,
        row=row,
        column=column,
        value=value,
        expected="text without CR (a line break inside a cell is LF only)",
    )


def _first_change(cell: str) -> str:
    mark = next((ch for ch in cell if unicodedata.combining(ch)), None)
    if mark is not None:
        return f"a letter then the combining mark U+{ord(mark):04X}"
    odd = next((ch for ch in cell if unicodedata.normalize("NFC", ch) != ch), cell[:1])
    return f"U+{ord(odd):04X} where NFC writes {unicodedata.normalize('NFC', odd)!r}"


def key_not_nfc(cell: str, col: str, path: str, row: int) -> Issue:
    return Issue(
        "key-not-nfc",
        f"a key is written in decomposed Unicode (NFD: {_first_change(cell)}), so it looks the same as another key "
        "but is not equal to it",
        file=path,
        row=row,
        column=col,
        value=cell[:60],
        expected=f"the composed (NFC) form {unicodedata.normalize('NFC', cell)[:60]!r}: retype it or save as NFC",
    )


def nfc_duplicate(keys: dict, written: tuple, pk: list[str], path: str, row: int) -> list[Issue]:
    """Keys are unique once NFC-normalised: two that differ only by NFC vs NFD are the same key (frictionless
    compares them as written, and names an exact duplicate itself)."""
    nfc = tuple(unicodedata.normalize("NFC", c) for c in written)
    first = keys.setdefault(nfc, (row, written))
    if first[0] == row or first[1] == written:
        return []
    return [
        Issue(
            "primary-key",
            f"the key is the same as in row {first[0]} once both are normalised to NFC (one is written decomposed)",
            file=path,
            row=row,
            column=pk[0],
            value=", ".join(written),
            expected="a key no other row has",
        )
    ]
