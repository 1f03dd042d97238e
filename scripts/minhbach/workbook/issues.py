"""The validator's issues on the CSV copy, placed back in the workbook (sheet, Excel row, column) in plain words."""

from __future__ import annotations

import re

from minhbach.errors import Issue
from minhbach.workbook.common import both, fields_of, primary_key, sheet_name, wissue
from minhbach.workbook.read import Sheet

_FK_FIELD = re.compile(r'for "([^"]+)"')
_FK_VALUE = re.compile(r'values? "([^"]*)"')
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "([^"]*)"')
_LOOKUP = re.compile(r'lookup table "([^"]*)"')


def _field_of(issue: Issue) -> str | None:
    if issue.column:
        return issue.column
    m = _FK_FIELD.search(issue.message or "")
    if m:
        return m.group(1).split(",")[0].strip().strip('"')
    return None


def friendly(issue: Issue, f: dict | None) -> tuple[str, str | None, str | None]:
    """(message, value, expected) in the staff's words for frictionless's codes; others unchanged."""
    msg, value, expected = issue.message, issue.value, issue.expected
    if issue.code == "constraint-error":
        m = _CONSTRAINT.search(msg or "")
        what, arg = (m.group(1), m.group(2)) if m else ("", "")
        if what == "required":
            msg = both("friendly.required")
        elif what == "enum":
            msg = both("friendly.enum")
            expected = expected or ", ".join(map(str, (f or {}).get("constraints", {}).get("enum", [])))
        elif what == "pattern":
            msg = both("friendly.pattern", pattern=arg)
            expected = expected or arg
        elif what in ("minimum", "maximum"):
            msg = both(f"friendly.{what}", limit=arg)
            expected = expected or (f"≥ {arg}" if what == "minimum" else f"≤ {arg}")
        elif what == "unique":
            msg = both("friendly.unique")
    elif issue.code == "type-error":
        msg = both("friendly.type", type=(f or {}).get("type", ""), detail=msg)
    elif issue.code == "foreign-key":
        m = _FK_VALUE.search(msg or "")
        if m and value is None:
            value = m.group(1)
        ref = _LOOKUP.search(msg or "")
        msg = both("friendly.foreign_key", table=ref.group(1) if ref else "?")
    elif issue.code in ("primary-key", "unique-error"):
        msg = both("friendly.primary_key", detail=msg)
    return msg, value, expected


def to_workbook_terms(found: list[Issue], resources: list[dict], converted: dict[str, Sheet]) -> list[Issue]:
    from openpyxl.utils import get_column_letter

    by_path = {r["path"]: r for r in resources}
    out: list[Issue] = []
    for i in found:
        res = by_path.get(i.file or "")
        if res is None or res["name"] not in converted:
            out.append(i)  # the package itself, or a table the workbook did not replace (already reported)
            continue
        sheet = converted[res["name"]]
        fname = _field_of(i)
        if fname is None and i.code == "primary-key" and primary_key(res):
            fname = primary_key(res)[0]
        fdesc = next((f for f in fields_of(res) if f["name"] == fname), None)
        if fname in sheet.letters:
            letter = sheet.letters[fname]
        elif fdesc is not None:
            letter = get_column_letter([f["name"] for f in fields_of(res)].index(fname) + 1)
        else:
            letter = None
        if i.row is None:
            excel_row = None
        elif i.row <= 1:
            excel_row = i.row
        elif i.row - 2 < len(sheet.excel_rows):
            excel_row = sheet.excel_rows[i.row - 2]
        else:
            excel_row = None
        if excel_row is not None and fname and (excel_row, fname) in sheet.bad_cells and i.code == "type-error":
            continue  # already reported by the importer in plainer words
        msg, value, expected = friendly(i, fdesc)
        out.append(
            wissue(
                i.code,
                msg,
                sheet=sheet_name(res["name"]),
                excel_row=excel_row,
                letter=letter,
                fname=fname,
                value=value,
                expected=expected,
                csv_file=i.file,
                csv_row=i.row,
            )
        )
    return out


def dedupe(issues: list[Issue]) -> list[Issue]:
    """One issue per problem and place: the workbook's own checks and the validator's guards may both name the
    same cell (a cell too long, a control character); the first, in the staff's terms, is kept."""
    seen, out = set(), []
    for i in issues:
        key = (i.code, getattr(i, "sheet", None), getattr(i, "excel_row", None), getattr(i, "column_letter", None))
        place = key if key[1] is not None else i
        if place not in seen:
            seen.add(place)
            out.append(i)
    return out
