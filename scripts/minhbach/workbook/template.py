"""Write the data-entry workbook: one sheet per resource, machine names in row 1, a bilingual header in row 2.

The bytes are deterministic (fixed zip timestamps and document dates), so the same package gives the
same file. Data Excel cannot hold (a cell over 32,767 characters, a control character) is refused with
its place rather than written into a workbook Excel would truncate or refuse to open.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import zipfile
from pathlib import Path

from openpyxl.utils.exceptions import IllegalCharacterError

from minhbach.errors import Failed, Issue
from minhbach.workbook.commit import Busy, package_lock, recover
from minhbach.workbook.common import (
    FIRST_DATA_ROW,
    GREY_FILL,
    GREY_FONT,
    HEADER_FILL,
    HEADER_ROWS,
    INLINE_LIST_LIMIT,
    LISTS_SHEET,
    MAX_CELL_CHARS,
    MAX_EXCEL_ROW,
    both,
    control_character,
    fields_of,
    header_label,
    instructions_sheet,
    read_csv,
    resources_of,
    say,
    sheet_name,
    wissue,
)
from minhbach.workbook.instructions import write_instructions

FIXED_DATE = dt.datetime(2000, 1, 1)
_INT_TEXT = re.compile(r"^[+-]?\d+$")
_FLOAT_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _typed_cell_value(text: str, typ: str):
    """The value to put in a cell for CSV text of a field type; text when it is not a clean value."""
    if text == "":
        return None
    if typ == "integer" and _INT_TEXT.match(text) and len(text.lstrip("+-")) <= 15:
        return int(text)
    if typ == "number":
        if _INT_TEXT.match(text) and len(text.lstrip("+-")) <= 15:
            return int(text)
        if _FLOAT_TEXT.match(text):
            v = float(text)
            if math.isfinite(v):
                return v
    return text  # strings, booleans ("true"/"false") and anything malformed stay text


def _read_data(root: Path, resources: list[dict]) -> dict[str, list[list[str]]]:
    data = {}
    for res in resources:
        got = read_csv(root / res["path"])
        header, rows = got if got else ([], [])
        idx = {h: i for i, h in enumerate(header)}
        data[res["name"]] = [
            [row[idx[f["name"]]] if f["name"] in idx and idx[f["name"]] < len(row) else "" for f in fields_of(res)]
            for row in rows
        ]
    return data


def _unwritable(resources: list[dict], data: dict[str, list[list[str]]]) -> list[Issue]:
    """Cells Excel cannot hold, placed both in the CSV file and in the sheet they would go to."""
    from openpyxl.utils import get_column_letter

    issues: list[Issue] = []
    for res in resources:
        names = [f["name"] for f in fields_of(res)]
        for i, row in enumerate(data[res["name"]]):
            for j, text in enumerate(row):
                where = dict(
                    sheet=sheet_name(res["name"]),
                    excel_row=FIRST_DATA_ROW + i,
                    letter=get_column_letter(j + 1),
                    fname=names[j],
                    csv_file=res["path"],
                    csv_row=i + 2,
                )
                if len(text) > MAX_CELL_CHARS:
                    issues.append(
                        wissue(
                            "cell-too-long",
                            both(
                                "issue.template_cell_too_long", length=len(text), limit=MAX_CELL_CHARS, file=res["path"]
                            ),
                            value=text[:40] + "...",
                            expected=both("issue.cell_too_long_expected", limit=MAX_CELL_CHARS),
                            **where,
                        )
                    )
                elif (bad := control_character(text)) is not None:
                    issues.append(
                        wissue(
                            "control-character",
                            both("issue.template_control_character", char=bad, file=res["path"]),
                            value=text[:80],
                            expected=both("issue.control_expected"),
                            **where,
                        )
                    )
    return issues


def _foreign_lists(res: dict, by_name: dict[str, dict]) -> dict[str, tuple[str, str]]:
    fk_of = {}
    for fk in res.get("schema", {}).get("foreignKeys", []):
        fks = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk.get("reference", {})
        rfs = [ref.get("fields")] if isinstance(ref.get("fields"), str) else ref.get("fields", [])
        rres = ref.get("resource") or res["name"]
        if len(fks) == 1 and len(rfs) == 1 and rres in by_name:
            fk_of[fks[0]] = (rres, rfs[0])
    return fk_of


def make_template(root: Path, out: Path) -> Path:
    """Write the data-entry workbook for the package at root to out (an .xlsx); returns out."""
    root, out = Path(root), Path(out)
    try:
        with package_lock(root):
            _, stuck = recover(root)  # never a template from a half-finished import
    except Busy:
        stuck = [wissue("import-busy", both("issue.import_busy", file=str(root)), value=str(root))]
    if stuck:
        raise Failed(stuck)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = resources_of(descriptor)
    data = _read_data(root, resources)
    problems = _unwritable(resources, data)
    if problems:
        raise Failed(problems)

    try:
        payload = _render(descriptor, resources, data)
    except IllegalCharacterError:
        issue = wissue(
            "control-character",
            both("issue.descriptor_control_character"),
            csv_file="datapackage.json",
            expected=both("issue.control_expected"),
        )
        raise Failed([issue]) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(payload)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _render(descriptor: dict, resources: list[dict], data: dict[str, list[list[str]]]) -> bytes:
    """The workbook's bytes (deterministic)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    by_name = {r["name"]: r for r in resources}
    wb = Workbook()
    ins = wb.active
    ins.title = instructions_sheet()
    write_instructions(ins, descriptor, resources, data)

    sheets = {}
    for res in resources:
        sheets[res["name"]] = wb.create_sheet(sheet_name(res["name"]))
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    lists_col = 0

    def add_list(name: str, values: list[str]) -> str:
        nonlocal lists_col
        lists_col += 1
        letter = get_column_letter(lists_col)
        lists.cell(1, lists_col, name)
        for i, v in enumerate(values, start=2):
            c = lists.cell(i, lists_col, v)
            c.data_type = "s"
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        return name

    ref_lists: dict[tuple[str, str], str] = {}
    grey_fill, head_fill = PatternFill("solid", fgColor=GREY_FILL), PatternFill("solid", fgColor=HEADER_FILL)
    grey_font, bold = Font(color=GREY_FONT, size=9, italic=True), Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    for res in resources:
        ws, fields, rows = sheets[res["name"]], fields_of(res), data[res["name"]]
        fk_of = _foreign_lists(res, by_name)
        last = MAX_EXCEL_ROW
        for j, f in enumerate(fields, start=1):
            letter, typ = get_column_letter(j), f.get("type", "string")
            c1 = ws.cell(1, j, f["name"])
            c1.fill, c1.font = grey_fill, grey_font
            c2 = ws.cell(2, j, header_label(f))
            c2.fill, c2.font, c2.alignment = head_fill, bold, wrap
            fmt = {"integer": "0", "number": "General"}.get(typ, "@")
            ws.column_dimensions[letter].number_format = fmt
            width = max(
                [len(f["name"]) + 2, min(len(header_label(f)), 40) // 2 + 2]
                + [min(len(r[j - 1]), 60) + 2 for r in rows[:2000]]
            )
            ws.column_dimensions[letter].width = min(max(width, 8), 62)
            for i, row in enumerate(rows, start=FIRST_DATA_ROW):
                v = _typed_cell_value(row[j - 1], typ)
                if v is None:
                    continue
                c = ws.cell(i, j)
                c.value = v
                if isinstance(v, str):
                    c.data_type = "s"  # never a formula, never a number: "08" and "0,3509" stay as written
                    c.number_format = "@"
                else:
                    c.number_format = fmt
            rng = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
            required = bool(f.get("constraints", {}).get("required"))
            enum = f.get("constraints", {}).get("enum")
            dv = None
            if enum:
                values = [str(x) for x in enum]
                inline = '"' + ",".join(values) + '"'
                if len(inline) <= INLINE_LIST_LIMIT and not any("," in x or '"' in x for x in values):
                    formula = inline
                else:
                    formula = "=" + add_list(f"enum_{res['name']}_{f['name']}", values)
                dv = DataValidation(
                    type="list",
                    formula1=formula,
                    allow_blank=not required,
                    errorStyle="stop",
                    errorTitle=say("vi", "validation.invalid_title"),
                    error=both("validation.choose_list"),
                )
            elif typ == "boolean":
                dv = DataValidation(
                    type="list",
                    formula1='"true,false"',
                    allow_blank=not required,
                    errorStyle="stop",
                    errorTitle=say("vi", "validation.bool_title"),
                    error=both("validation.choose_bool"),
                )
            elif f["name"] in fk_of:
                key = fk_of[f["name"]]
                if key not in ref_lists:
                    rres, rfield = key
                    rfields = [x["name"] for x in fields_of(by_name[rres])]
                    col = rfields.index(rfield) if rfield in rfields else None
                    vals = [] if col is None else [r[col] for r in data[rres]]
                    vals = list(dict.fromkeys(v for v in vals if v))
                    ref_lists[key] = add_list(f"ref_{rres}_{rfield}", vals) if vals else ""
                if ref_lists[key]:
                    dv = DataValidation(
                        type="list",
                        formula1="=" + ref_lists[key],
                        allow_blank=not required,
                        errorStyle="warning",
                        errorTitle=both("validation.unknown_id_title"),
                        error=both("validation.unknown_id", sheet=key[0]),
                    )
            if dv is not None:
                dv.error, dv.errorTitle = dv.error[:225], dv.errorTitle[:32]  # Excel's limits
                dv.showErrorMessage = True
                ws.add_data_validation(dv)
                dv.add(rng)
        ws.row_dimensions[2].height = 45
        ws.freeze_panes = f"B{FIRST_DATA_ROW}"
        if fields:
            ws.auto_filter.ref = f"A2:{get_column_letter(len(fields))}{max(len(rows) + HEADER_ROWS, 2)}"
    lists.column_dimensions["A"].width = 30

    created = _fixed_date(descriptor)
    wb.properties.creator = "minhbach"
    wb.properties.lastModifiedBy = "minhbach"
    wb.properties.title = str(descriptor.get("title", ""))[:250]
    wb.properties.created = created
    wb.properties.modified = created
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue(), created)


def _fixed_date(descriptor: dict) -> dt.datetime:
    raw = str(descriptor.get("created") or "")
    try:
        d = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return d.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return FIXED_DATE


def _deterministic_zip(data: bytes, when: dt.datetime) -> bytes:
    """Same input, same bytes: fixed member timestamps and a fixed modified date (openpyxl stamps 'now')."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(max(when.year, 1980), when.month, when.day, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()
