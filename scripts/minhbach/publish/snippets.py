"""One-line pandas snippets that read a published table with its schema's types, for the dataset pages.

`pd.read_csv` guesses: ids such as `4.10` become 4.1, integer columns with blanks become floats, and "NA" becomes
missing. The CSV snippet names every column's type (strings as `str`, integers as the nullable `Int64`, numbers
as `float`, booleans as the nullable `boolean`) and only an empty cell is missing. `pd.read_excel` keeps the
workbook's cell types, except that it turns a text column whose every value looks like a number into numbers:
its snippet names those columns as `str`.
"""

from __future__ import annotations

import csv
import io
import re

PANDAS_TYPES = {"integer": "Int64", "year": "Int64", "number": "float", "boolean": "boolean"}
_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def csv_dtypes(schema: dict) -> dict[str, str]:
    """Column -> the pandas dtype of its schema type (`str` for every text column)."""
    return {f["name"]: PANDAS_TYPES.get(f.get("type", "string"), "str") for f in schema.get("fields") or []}


def numeric_looking_text(csv_bytes: bytes, schema: dict) -> list[str]:
    """Text columns whose every non-empty value looks like a number (read_excel would convert them)."""
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    out = []
    for f in schema.get("fields") or []:
        if f.get("type", "string") not in ("string", "any", "date", "yearmonth"):
            continue
        values = [r.get(f["name"]) or "" for r in rows]
        filled = [v for v in values if v != ""]
        if filled and all(_NUMERIC.fullmatch(v) for v in filled):
            out.append(f["name"])
    return out


def _dict(d: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k!r}: {v if v in ('str', 'float') else repr(v)}" for k, v in d.items()) + "}"


def read_csv_line(url: str, schema: dict) -> str:
    return f"pd.read_csv({url!r}, dtype={_dict(csv_dtypes(schema))}, keep_default_na=False, na_values=[''])"


def read_excel_line(url: str, text_columns: list[str]) -> str:
    if not text_columns:
        return f"pd.read_excel({url!r})"
    return f"pd.read_excel({url!r}, dtype={_dict({c: 'str' for c in text_columns})})"
