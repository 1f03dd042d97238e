"""One-line pandas snippets that read a published table with its schema's types, for the dataset pages.

`pd.read_csv` guesses: ids such as `4.10` become 4.1, integer columns with blanks become floats, and "NA" becomes
missing. The CSV snippet names every column's type (strings as `str`, integers as the nullable `Int64`, numbers
as `float`, booleans as the nullable `boolean`) and only an empty cell is missing. `pd.read_excel` keeps the
workbook's cell types, except that it turns a text column whose every value looks like a number into numbers, an
integer column with a blank cell into floats and a number column of whole values into integers: its snippet names
those columns (`str`, `Int64`, `float`), so both lines give the schema's types.
"""

from __future__ import annotations

import csv
import io
import re

PANDAS_TYPES = {"integer": "Int64", "year": "Int64", "number": "float", "boolean": "boolean"}
_TEXT = ("string", "any", "date", "yearmonth")
_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def csv_dtypes(schema: dict) -> dict[str, str]:
    """Column -> the pandas dtype of its schema type (`str` for every text column)."""
    return {f["name"]: PANDAS_TYPES.get(f.get("type", "string"), "str") for f in schema.get("fields") or []}


def _columns(csv_bytes: bytes, schema: dict) -> list[tuple[dict, list[str]]]:
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    return [(f, [r.get(f["name"]) or "" for r in rows]) for f in schema.get("fields") or []]


def numeric_looking_text(csv_bytes: bytes, schema: dict) -> list[str]:
    """Text columns whose every non-empty value looks like a number (read_excel would convert them)."""
    out = []
    for f, values in _columns(csv_bytes, schema):
        if f.get("type", "string") not in _TEXT:
            continue
        filled = [v for v in values if v != ""]
        if filled and all(_NUMERIC.fullmatch(v) for v in filled):
            out.append(f["name"])
    return out


def excel_dtypes(csv_bytes: bytes, schema: dict) -> dict[str, str]:
    """The columns whose read_excel default differs from the schema's type, and the dtype that gives it: text
    that looks like numbers (or is all blank) -> str; integers -> the nullable Int64 (a blank cell would make the
    column float, and the CSV line reads them as Int64 too); whole numbers -> float; booleans with blanks -> boolean."""
    text = set(numeric_looking_text(csv_bytes, schema))
    out = {}
    for f, values in _columns(csv_bytes, schema):
        kind, name = f.get("type", "string"), f["name"]
        filled = [v for v in values if v != ""]
        if name in text or (kind in _TEXT and not filled):  # an all-blank column would read as float NaNs
            out[name] = "str"
        elif kind in ("integer", "year"):
            out[name] = "Int64"
        elif kind == "number" and filled and all(_NUMERIC.fullmatch(v) and float(v).is_integer() for v in filled):
            out[name] = "float"
        elif kind == "boolean" and len(filled) < len(values):
            out[name] = "boolean"
    return out


def _dict(d: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k!r}: {v if v in ('str', 'float') else repr(v)}" for k, v in d.items()) + "}"


def read_csv_line(url: str, schema: dict) -> str:
    return f"pd.read_csv({url!r}, dtype={_dict(csv_dtypes(schema))}, keep_default_na=False, na_values=[''])"


def read_excel_line(url: str, dtypes: dict[str, str]) -> str:
    if not dtypes:
        return f"pd.read_excel({url!r})"
    return f"pd.read_excel({url!r}, dtype={_dict(dtypes)})"
