"""Typed `.xlsx` copies of the CSV tables, for people who open data in Excel or LibreOffice.

A CSV opened by double-click is re-read in the reader's locale: under vi_VN `0.262` becomes 262, under en_US the
id `4.10` becomes 4.1 and a period `2022-08` a date. A workbook stores each cell's type, so numbers stay numbers
and ids, periods and `as_written` stay text (number format "@"), whatever the locale. Output is deterministic:
fixed document dates and zip member timestamps, so the same table always gives the same bytes.

The data sheet comes first with ONE header row of field names, so `pandas.read_excel(url)` with its defaults gets
the schema's types (integers, floats, real booleans, ids as text); the labels in both languages, units and
descriptions are on the `Fields` sheet, and a published table has a cover sheet (see xlsx_sheets.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from minhbach.publish.xlsx_sheets import add_cover_sheet, add_fields_sheet

FIXED = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
NUMERIC = {"number", "integer", "percent", "year"}
HEADER_ROWS = 1  # the field names (the CSV header); labels in both languages are on the Fields sheet


@dataclass
class XCol:
    """One column of a workbook: machine name, header per language, kind (text | number | integer | percent)."""

    name: str
    vi: str
    en: str
    kind: str = "text"
    unit: str = ""


def columns_from_schema(schema: dict) -> list[XCol]:
    """Workbook columns of a Table Schema: titles in both languages, Frictionless types mapped to cell kinds."""
    out = []
    for f in schema.get("fields") or []:
        en = ((f.get("x-i18n") or {}).get("en") or {}).get("title") or f["name"]
        kind = {"integer": "integer", "number": "number", "year": "integer", "boolean": "boolean"}.get(
            f.get("type", "string"), "text"
        )
        out.append(XCol(f["name"], f.get("title") or f["name"], en, kind, str(f.get("x-unit") or "")))
    return out


def _number(value, kind: str, schema_field: dict | None = None):
    """A Python number for a numeric cell, or the text itself when it is not a number (never silently 0)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        if kind == "integer" and isinstance(value, float) and value.is_integer():
            return int(value)
        return float(value) if kind != "integer" else value
    s = str(value).strip()
    if s == "":
        return None
    if schema_field:
        if schema_field.get("groupChar"):
            s = s.replace(schema_field["groupChar"], "")
        if schema_field.get("decimalChar"):
            s = s.replace(schema_field["decimalChar"], ".")
    try:
        return int(s) if kind == "integer" else float(s)  # a number is a float, even when whole
    except ValueError:
        return str(value)


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


_BOOL = {"true": True, "false": False, "1": True, "0": False}


def _boolean(value):
    """A real boolean cell for a boolean field ("true"/"false" in the CSV); other text stays text."""
    if value is None or isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    return _BOOL.get(s, None if s == "" else str(value))


def workbook_bytes(columns: list, rows: list, sheet: str = "data", fields: dict | None = None, cover=None) -> bytes:
    """The .xlsx bytes of a table. `columns` are XCol or charts.Column (name, vi, en, kind); `rows` are sequences
    in column order or dicts keyed by column name; `cover`: an xlsx_sheets.Cover for a published table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31] or "data"
    bold = Font(bold=True)
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROWS, column=c, value=col.name)
        cell.font, cell.number_format = bold, "@"
    for r, row in enumerate(rows, start=HEADER_ROWS + 1):
        values = [row.get(col.name) for col in columns] if isinstance(row, dict) else list(row)
        for c, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            kind = getattr(col, "kind", "text")
            if kind == "boolean":
                v = _boolean(value)
            elif kind in NUMERIC:
                v = _number(
                    _cell_value(value) if not isinstance(value, (int, float)) else value,
                    kind,
                    (fields or {}).get(col.name),
                )
            else:
                v = _cell_value(value)
            cell = ws.cell(row=r, column=c, value=v)
            if v is not None and isinstance(v, str):
                cell.number_format = "@"
            elif kind == "percent":
                cell.number_format = "0.0"
    ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=1)
    add_fields_sheet(wb, columns, fields)
    if cover is not None:
        add_cover_sheet(wb, cover, rows, columns)
    wb.properties.creator = "minhbach"
    wb.properties.created = wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue())


def _fix_zip(data: bytes) -> bytes:
    """Rewrite the workbook's zip with fixed member timestamps and a fixed document date (openpyxl stamps 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fixed_core(body)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, body)
    return out.getvalue()


def _fixed_core(body: bytes) -> bytes:
    import re

    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", body)


def write_xlsx(path: Path, columns: list, rows, sheet: str = "data") -> Path:
    """Write a typed workbook of `rows` (a DataFrame, or a list of rows/dicts) with `columns` to `path`."""
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    Path(path).write_bytes(workbook_bytes(columns, list(rows), sheet))
    return Path(path)


def csv_to_xlsx(csv_bytes: bytes, schema: dict, sheet: str = "data", cover=None) -> bytes:
    """The typed workbook of one package CSV, read with its Table Schema."""
    text = csv_bytes.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    cols = columns_from_schema(schema)
    idx = {h: i for i, h in enumerate(header)}
    fields = {f["name"]: f for f in schema.get("fields") or []}
    rows = [[(r[idx[c.name]] if c.name in idx and idx[c.name] < len(r) else None) for c in cols] for r in reader]
    rows = [[None if v == "" else v for v in r] for r in rows]
    return workbook_bytes(cols, rows, sheet, fields, cover)


def columns_for_frame(df, schema_fields: dict | None = None) -> list[XCol]:
    """Workbook columns of a DataFrame of package rows: titles from the schema where a field is known."""
    import pandas as pd

    out = []
    for name in df.columns:
        f = (schema_fields or {}).get(name)
        if f is not None:
            out.extend(columns_from_schema({"fields": [f]}))
            continue
        s = df[name]
        if pd.api.types.is_bool_dtype(s):
            kind = "boolean"
        elif pd.api.types.is_integer_dtype(s):
            kind = "integer"
        elif pd.api.types.is_numeric_dtype(s):
            kind = "number"
        else:
            kind = "text"
        out.append(XCol(str(name), str(name), str(name), kind))
    return out
