"""The Excel workbook staff fill in: a template generated from the package, and its import back to CSV.

`make_template` writes one sheet per resource: row 1 holds the machine field names (the importer
reads them, so they stay, in grey), row 2 a bilingual header, the current data from row 3.
`import_workbook` turns every sheet back into CSV text in the repository's exact format, validates
it on a temporary copy of the package, reports every problem by sheet, Excel row and column, and
only when there is none replaces the CSV files in data/ (all written first, then renamed).

Conventions kept by both directions:
- text stays text (cells are typed as strings, formatted "@"), NFC-normalised on import;
- numbers are numbers: integers without ".0", other numbers in the shortest form that round-trips;
  a number that did not change keeps the exact text it had in the CSV;
- booleans are the text "true"/"false" chosen from a drop-down (not Excel's TRUE/FALSE, which
  localised Excel may show differently); Excel booleans typed by hand are accepted too;
- rows keep the order they have in the repository; new rows are appended in workbook order, so
  sorting or filtering the sheet in Excel does not rewrite the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .errors import Issue
from .validate import validate_package

INSTRUCTIONS_SHEET = "Hướng dẫn - Instructions"  # Excel forbids "/" in sheet names
LISTS_SHEET = "_lists"
HELPER_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET)
HEADER_ROWS = 2
FIRST_DATA_ROW = HEADER_ROWS + 1
MAX_EXCEL_ROW = 1_048_576
MAX_XLSX_BYTES = 50 * 1024 * 1024
INLINE_LIST_LIMIT = 255
FIXED_DATE = dt.datetime(2000, 1, 1)

_INT_TEXT = re.compile(r"^[+-]?\d+$")
_FLOAT_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_FK_FIELD = re.compile(r'for "([^"]+)"')
_FK_VALUE = re.compile(r'values? "([^"]*)"')
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "([^"]*)"')

GREY_FILL = "D9D9D9"
GREY_FONT = "595959"
HEADER_FILL = "DDEBF7"


# ---------------------------------------------------------------- results


class CellChange(NamedTuple):
    """One changed cell: (table, primary key, column, old, new, source_id of the row)."""

    table: str
    key: tuple
    column: str
    old: str
    new: str
    source_id: str | None


class RowChange(NamedTuple):
    """One added or removed row; key is the primary key (the whole row when the table has none)."""

    table: str
    key: tuple
    row: dict
    source_id: str | None


@dataclass
class TableDiff:
    table: str
    added: list[RowChange] = field(default_factory=list)
    removed: list[RowChange] = field(default_factory=list)
    changed: list[CellChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Diff:
    """What the workbook changes against the current data/, table by table (in package order)."""

    tables: dict[str, TableDiff] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[CellChange]:
        return [c for t in self.tables.values() for c in t.changed]

    @property
    def added(self) -> list[RowChange]:
        return [r for t in self.tables.values() for r in t.added]

    @property
    def removed(self) -> list[RowChange]:
        return [r for t in self.tables.values() for r in t.removed]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables.values())


@dataclass
class ImportResult:
    issues: list[Issue]
    diff: Diff
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # package-relative paths replaced on disk
    csv_texts: dict[str, str] = field(default_factory=dict)  # resource name -> CSV text from the workbook

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(frozen=True)
class WorkbookIssue(Issue):
    """An Issue placed in the workbook: `file` is the sheet, `row` the Excel row, `column` "D (field)"."""

    sheet: str | None = None
    excel_row: int | None = None
    column_letter: str | None = None
    field: str | None = None
    csv_file: str | None = None
    csv_row: int | None = None

    def place(self) -> str:
        parts = [f"sheet '{self.sheet}'" if self.sheet else (self.file or "workbook")]
        if self.excel_row is not None:
            parts.append(f"row {self.excel_row}")
        if self.column_letter or self.field:
            parts.append(
                f"column {self.column_letter or '?'} ({self.field})" if self.field else f"column {self.column_letter}"
            )
        return ", ".join(parts)


def _wissue(
    code,
    message,
    sheet=None,
    excel_row=None,
    letter=None,
    fname=None,
    value=None,
    expected=None,
    csv_file=None,
    csv_row=None,
) -> WorkbookIssue:
    column = None
    if letter or fname:
        column = f"{letter} ({fname})" if letter and fname else (letter or fname)
    return WorkbookIssue(
        code,
        message,
        file=sheet,
        row=excel_row,
        column=column,
        value=value,
        expected=expected,
        sheet=sheet,
        excel_row=excel_row,
        column_letter=letter,
        field=fname,
        csv_file=csv_file,
        csv_row=csv_row,
    )


# ---------------------------------------------------------------- shared helpers


def sheet_name(resource_name: str) -> str:
    return resource_name[:31]


def _resources(descriptor: dict) -> list[dict]:
    return [r for r in descriptor.get("resources", []) if r.get("name") and isinstance(r.get("path"), str)]


def _fields(res: dict) -> list[dict]:
    return res.get("schema", {}).get("fields", [])


def _pk(res: dict) -> list[str]:
    pk = res.get("schema", {}).get("primaryKey") or []
    return [pk] if isinstance(pk, str) else list(pk)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]] | None:
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _to_csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def format_number(v: float | int) -> str:
    """Integers without ".0"; other numbers in the shortest text that round-trips, never in exponent form."""
    if isinstance(v, int):
        return str(v)
    if v.is_integer():
        return str(int(v))
    s = format(Decimal(repr(v)), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _title(obj: dict, lang: str) -> str:
    if lang == "en":
        return (obj.get("x-i18n", {}).get("en", {}) or {}).get("title") or ""
    return obj.get("title") or ""


def header_label(f: dict) -> str:
    """Row 2: "title (vi) / title (en) [unit]", with * for a required field."""
    vi, en = _title(f, "vi"), _title(f, "en")
    label = " / ".join(x for x in (vi, en) if x) or f["name"]
    if vi and en and vi == en:
        label = vi
    if f.get("x-unit"):
        label += f" [{f['x-unit']}]"
    if f.get("constraints", {}).get("required"):
        label += " *"
    return label


# ---------------------------------------------------------------- template


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


def make_template(root: Path, out: Path) -> Path:
    """Write the data-entry workbook for the package at root to out (an .xlsx); returns out."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    root, out = Path(root), Path(out)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = _resources(descriptor)
    by_name = {r["name"]: r for r in resources}
    data = {}
    for res in resources:
        got = _read_csv(root / res["path"])
        header, rows = got if got else ([], [])
        idx = {h: i for i, h in enumerate(header)}
        data[res["name"]] = [
            [row[idx[f["name"]]] if f["name"] in idx and idx[f["name"]] < len(row) else "" for f in _fields(res)]
            for row in rows
        ]

    wb = Workbook()
    ins = wb.active
    ins.title = INSTRUCTIONS_SHEET
    _write_instructions(ins, descriptor, resources, data)

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
        ws, fields, rows = sheets[res["name"]], _fields(res), data[res["name"]]
        fk_of = {}
        for fk in res.get("schema", {}).get("foreignKeys", []):
            fks = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            ref = fk.get("reference", {})
            rfs = [ref.get("fields")] if isinstance(ref.get("fields"), str) else ref.get("fields", [])
            rres = ref.get("resource") or res["name"]
            if len(fks) == 1 and len(rfs) == 1 and rres in by_name:
                fk_of[fks[0]] = (rres, rfs[0])
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
                    errorTitle="Giá trị không hợp lệ",
                    error="Chọn một giá trị trong danh sách. / Choose a value from the list.",
                )
            elif typ == "boolean":
                dv = DataValidation(
                    type="list",
                    formula1='"true,false"',
                    allow_blank=not required,
                    errorStyle="stop",
                    errorTitle="true / false",
                    error="Chọn true (đúng) hoặc false (sai). / Choose true or false.",
                )
            elif f["name"] in fk_of:
                key = fk_of[f["name"]]
                if key not in ref_lists:
                    rres, rfield = key
                    rfields = [x["name"] for x in _fields(by_name[rres])]
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
                        errorTitle="Mã chưa có / Unknown id",
                        error=f"Mã này chưa có trong trang {fk_of[f['name']][0]}. Chỉ chọn Yes/Có nếu "
                        f"bạn vừa thêm nó vào trang đó. / This id is not in sheet "
                        f"{fk_of[f['name']][0]} yet; choose Yes only if you just added it there.",
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
    payload = _deterministic_zip(buf.getvalue(), created)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, out)
    return out


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


def _write_instructions(ws, descriptor: dict, resources: list[dict], data: dict) -> None:
    from openpyxl.styles import Alignment, Font

    en = descriptor.get("x-i18n", {}).get("en", {})
    lines: list[tuple[str, str, str]] = [  # (style, Vietnamese, English)
        ("title", "Mẫu nhập số liệu", "Data entry workbook"),
        ("text", str(descriptor.get("title", "")), str(en.get("title", ""))),
        (
            "text",
            f"Phiên bản gói dữ liệu: {descriptor.get('version', '')}",
            f"Data package version: {descriptor.get('version', '')}",
        ),
        ("", "", ""),
        ("head", "1. Các trang tính", "1. The sheets"),
        (
            "text",
            "Trang này là hướng dẫn. Mỗi bảng số liệu có một trang tính riêng mang đúng tên bảng (ví dụ "
            "kpi_observation); danh sách các trang ở cuối hướng dẫn này. Trang ẩn _lists chứa các danh sách "
            "chọn: không sửa, không xoá trang đó.",
            "This sheet is the instructions. Each data table has its own sheet named exactly after the table (e.g. "
            "kpi_observation); the sheets are listed at the end of these instructions. The hidden sheet _lists holds "
            "the drop-down lists: do not edit or delete it.",
        ),
        (
            "text",
            "Không đổi tên, không xoá trang tính. Trang tính lạ (do bạn thêm) sẽ bị bỏ qua khi nhập.",
            "Do not rename or delete sheets. Sheets the program does not know (added by you) are ignored on import.",
        ),
        ("", "", ""),
        ("head", "2. Cách điền", "2. How to fill in"),
        (
            "text",
            "Dòng 1 (chữ xám) là tên máy của các cột: chương trình đọc dòng này, KHÔNG sửa, không xoá, "
            "không chèn cột mới.",
            "Row 1 (grey) holds the machine names of the columns: the program reads it. Do NOT change or delete it, "
            "and do not insert new columns.",
        ),
        (
            "text",
            "Dòng 2 là tiêu đề tiếng Việt / tiếng Anh, [đơn vị] nếu có; dấu * nghĩa là ô bắt buộc phải điền.",
            "Row 2 is the header in Vietnamese / English, with [unit] when there is one; * marks a required cell.",
        ),
        (
            "text",
            "Số liệu bắt đầu từ dòng 3; mỗi dòng là một bản ghi. Dòng trống bị bỏ qua. Không gộp ô (merge), "
            "không dùng công thức cho mã.",
            "Data starts at row 3; one row is one record. Empty rows are ignored. Do not merge cells; do not use "
            "formulas for ids.",
        ),
        (
            "text",
            "Ô có mũi tên: chọn giá trị trong danh sách. Với cột mã tham chiếu bảng khác (ví dụ kpi_id, "
            "district_id), nếu bạn vừa thêm mã mới vào trang của bảng đó, Excel sẽ cảnh báo; chọn Yes/Có để giữ.",
            "Cells with an arrow: choose a value from the list. For ids that point to another table (e.g. kpi_id, "
            "district_id), if you just added a new id in that table's sheet, Excel warns; choose Yes to keep it.",
        ),
        ("text", "Cột đúng/sai: chọn true (đúng) hoặc false (sai).", "Yes/no columns: choose true or false."),
        (
            "text",
            "Lọc và sắp xếp bằng bộ lọc ở dòng 2 thì được: thứ tự dòng trong kho dữ liệu vẫn giữ nguyên.",
            "Filtering and sorting with the filter buttons in row 2 is fine: the row order in the repository is kept.",
        ),
        ("", "", ""),
        ("head", "3. Số", "3. Numbers"),
        (
            "text",
            "Gõ số dưới dạng số, không phải chữ. Excel tiếng Việt dùng dấu phẩy thập phân (0,3509) và dấu "
            "chấm hàng nghìn (1.177.370): gõ như vậy là đúng, Excel tự lưu thành số.",
            "Type numbers as numbers, not as text. Excel in the Vietnamese locale uses the decimal comma (0,3509) and "
            "the thousands dot (1.177.370): typing that is fine, Excel stores the number.",
        ),
        (
            "text",
            "Không gõ đơn vị hay dấu % vào cột số: 98% thì gõ 98 (đơn vị nằm ở tiêu đề). Excel lưu 98% thành "
            "0,98, chương trình sẽ báo lỗi.",
            "Do not type units or % into number columns: for 98% type 98 (the unit is in the header). Excel stores "
            "98% as 0.98; the program reports it.",
        ),
        (
            "text",
            "Cột số nguyên chỉ nhận số nguyên. Không làm tròn số: chương trình giữ đủ mọi chữ số.",
            "Integer columns take whole numbers only. Do not round: the program keeps every digit.",
        ),
        (
            "text",
            "Cột chữ được định dạng Text (@), nên 08 vẫn là 08. Nếu bạn dán số liệu từ nơi khác, hãy dán "
            "giá trị (Paste Values) để giữ định dạng.",
            "Text columns are formatted as Text (@), so 08 stays 08. When pasting from elsewhere, use Paste Values "
            "to keep the formatting.",
        ),
        ("", "", ""),
        ("head", "4. Cột as_written (nguyên văn)", "4. The as_written columns"),
        (
            "text",
            "as_written, numerator_as_written và denominator_as_written phải CHÉP ĐÚNG NGUYÊN VĂN từ văn bản "
            "nguồn: từng chữ số, dấu chấm, dấu phẩy, dấu %, như in trong văn bản (ví dụ 1.177.370, 0,3509, "
            "50,65%). Chương trình kiểm tra đoạn chữ này có trong văn bản nguồn và khớp với cột giá trị.",
            "as_written, numerator_as_written and denominator_as_written must be COPIED EXACTLY from the source "
            "document: every digit, dot, comma and % as printed (e.g. 1.177.370, 0,3509, 50,65%). The program checks "
            "that the text occurs in the source document and matches the value column.",
        ),
        ("", "", ""),
        ("head", "5. Mã (id)", "5. Ids"),
        (
            "text",
            "KHÔNG đổi mã của dòng đã có (cột đầu tiên và các cột *_id): mã nối các bảng với nhau và là địa chỉ "
            "trang web. Muốn sửa một dòng thì sửa các cột khác.",
            "Do NOT change the id of an existing row (the first column and the *_id columns): ids link the tables "
            "and are the web addresses. To correct a row, edit its other columns.",
        ),
        (
            "text",
            "Dòng mới cần mã mới, chưa dùng, chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (a-z, 0-9, -).",
            "A new row needs a new, unused id made of lower-case letters without accents, digits and hyphens "
            "(a-z, 0-9, -).",
        ),
        ("", "", ""),
        ("head", "6. Thêm một năm", "6. Adding a year"),
        (
            "text",
            "Không thêm cột cho năm mới. Mỗi năm là các DÒNG mới: chép một dòng của năm trước xuống cuối bảng, "
            "đặt mã mới, sửa năm (year hoặc period), giá trị, as_written, source_id và section theo văn bản mới.",
            "Do not add a column for a new year. Each year is new ROWS: copy a row of the previous year to the end "
            "of the table, give it a new id, and change the year (year or period), value, as_written, source_id and "
            "section to those of the new document.",
        ),
        (
            "text",
            "Văn bản nguồn mới phải có trong trang source (và bản chữ trong data/sources/, do bộ phận kỹ thuật "
            "thêm) trước khi dùng source_id của nó.",
            "A new source document must be in the source sheet (and its text copy in data/sources/, added by the "
            "technical team) before its source_id is used.",
        ),
        ("", "", ""),
        ("head", "7. Nhập vào kho dữ liệu", "7. Importing"),
        (
            "text",
            "Lưu tệp dạng Excel Workbook (.xlsx) rồi chạy: minhbach import <tệp>.xlsx. Mọi lỗi được báo theo "
            "trang tính, dòng và cột; khi còn lỗi, không số liệu nào bị thay đổi. Khi không còn lỗi, chương "
            "trình liệt kê các thay đổi.",
            "Save as Excel Workbook (.xlsx) and run: minhbach import <file>.xlsx. Every problem is reported by sheet, "
            "row and column; while any remains, no data is changed. When there is none, the program lists the "
            "changes.",
        ),
        ("", "", ""),
        ("head", "8. Danh sách trang tính", "8. List of sheets"),
    ]
    bold, big = Font(bold=True), Font(bold=True, size=14)
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for style, vi, en_text in lines:
        a, b = ws.cell(r, 1, vi or None), ws.cell(r, 2, en_text or None)
        for c in (a, b):
            c.alignment = wrap
            if c.value is not None:
                c.data_type = "s"
            if style == "title":
                c.font = big
            elif style == "head":
                c.font = bold
        r += 1
    for j, h in enumerate(
        ("Trang tính / Sheet", "Tên bảng", "Table", "Số dòng / Rows", "Mô tả", "Description"), start=1
    ):
        ws.cell(r, j, h).font = bold
    r += 1
    for res in resources:
        ren = res.get("x-i18n", {}).get("en", {})
        vals = (
            sheet_name(res["name"]),
            res.get("title", ""),
            ren.get("title", ""),
            len(data[res["name"]]),
            res.get("description", ""),
            ren.get("description", ""),
        )
        for j, v in enumerate(vals, start=1):
            c = ws.cell(r, j, v if v != "" else None)
            c.alignment = wrap
            if isinstance(v, str) and v:
                c.data_type = "s"
        r += 1
    for letter, width in zip("ABCDEF", (70, 70, 28, 14, 50, 50)):
        ws.column_dimensions[letter].width = width


# ---------------------------------------------------------------- import


@dataclass
class _Sheet:
    """One sheet converted: CSV rows in schema order, each with the Excel row it came from."""

    rows: list[list[str]]
    excel_rows: list[int]
    letters: dict[str, str]  # field name -> column letter in the workbook
    bad_cells: set  # (excel_row, field) where the importer already reported the value


def import_workbook(xlsx: Path, root: Path) -> ImportResult:
    """Check a filled workbook against the package at root; write data/ only when there is no problem."""
    xlsx, root = Path(xlsx), Path(root).resolve()
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = _resources(descriptor)
    wb, wbf, problem = _open(xlsx)
    if problem is not None:
        return ImportResult([problem], Diff())

    issues: list[Issue] = []
    warnings: list[str] = []
    known = {sheet_name(r["name"]) for r in resources}
    for name in wb.sheetnames:
        if name not in known and name not in HELPER_SHEETS:
            warnings.append(
                f"Trang tính '{name}' không thuộc gói dữ liệu nên bị bỏ qua. / "
                f"Sheet '{name}' is not a table of the package; it was ignored."
            )

    old_bytes: dict[str, bytes | None] = {}
    converted: dict[str, _Sheet] = {}
    for res in resources:
        p = root / res["path"]
        old_bytes[res["name"]] = p.read_bytes() if p.is_file() else None
        sname = sheet_name(res["name"])
        if sname not in wb.sheetnames:
            issues.append(
                _wissue(
                    "sheet-missing",
                    f"Thiếu trang tính '{sname}' (bảng {res['name']}); đừng xoá hay "
                    f"đổi tên trang. / Sheet '{sname}' for table {res['name']} is missing; do not delete "
                    "or rename sheets.",
                    sheet=sname,
                    csv_file=res["path"],
                )
            )
            continue
        old = _read_csv(p)
        sheet, sheet_issues = _read_sheet(wb[sname], wbf[sname] if wbf is not None else None, res, old)
        issues += sheet_issues
        if sheet is not None:
            converted[res["name"]] = sheet

    csv_texts, order = {}, {}
    diff = Diff(warnings=list(warnings))
    for res in resources:
        name = res["name"]
        if name not in converted:
            continue
        old = _read_csv(root / res["path"])
        rows, excel_rows, tdiff = _merge(res, old, converted[name])
        converted[name].rows, converted[name].excel_rows = rows, excel_rows
        csv_texts[name] = _to_csv([f["name"] for f in _fields(res)], rows)
        diff.tables[name] = tdiff

    with tempfile.TemporaryDirectory(prefix="minhbach-import-") as tmp:
        copy = Path(tmp) / "package"
        _copy_package(root, copy, resources)
        for res in resources:
            if res["name"] in csv_texts:
                (copy / res["path"]).write_bytes(csv_texts[res["name"]].encode("utf-8"))
        try:
            found, _ = validate_package(copy)
        except Exception as exc:  # a Failed from load, or anything frictionless raises on odd input
            found = getattr(exc, "issues", None) or [Issue("validation-failed", f"validation stopped: {exc}")]
    issues += _to_workbook_terms(found, resources, converted)
    issues = _dedupe(issues)

    result = ImportResult(issues, diff, warnings, [], csv_texts)
    if issues:
        return result
    changed = {n: t for n, t in csv_texts.items() if t.encode("utf-8") != old_bytes.get(n)}
    for res in resources:  # someone else saved data/ meanwhile: stop rather than overwrite their work
        p = root / res["path"]
        now = p.read_bytes() if p.is_file() else None
        if now != old_bytes[res["name"]]:
            result.issues.append(
                _wissue(
                    "data-changed",
                    "Tệp dữ liệu vừa bị thay đổi trong lúc nhập; hãy nhập lại. "
                    f"/ {res['path']} changed during the import; run the import again.",
                    csv_file=res["path"],
                )
            )
            return result
    by_name = {r["name"]: r for r in resources}
    result.written = _replace_all(root, {by_name[n]["path"]: t for n, t in changed.items()})
    return result


def _open(xlsx: Path):
    """(values workbook, formulas workbook, None) or (None, None, the Issue explaining why it cannot be read)."""
    from openpyxl import load_workbook

    def bad(code, msg):
        return None, None, _wissue(code, msg, sheet=None, value=str(xlsx))

    if not xlsx.is_file():
        return bad("workbook-missing", f"Không tìm thấy tệp / file not found: {xlsx}")
    size = xlsx.stat().st_size
    if size > MAX_XLSX_BYTES:
        return bad(
            "workbook-too-large",
            f"Tệp quá lớn ({size:,} byte) / the file is too large ({size:,} bytes; limit {MAX_XLSX_BYTES:,})",
        )
    with xlsx.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return bad(
            "workbook-invalid",
            "Đây là tệp Excel cũ (.xls) hoặc tệp được bảo vệ bằng mật khẩu; hãy lưu lại "
            "dạng Excel Workbook (.xlsx), không đặt mật khẩu. / This is an old .xls file or a password-protected "
            "workbook; save it as Excel Workbook (.xlsx) without a password.",
        )
    if not head.startswith(b"PK"):
        return bad(
            "workbook-invalid",
            "Tệp này không phải sổ tính Excel (.xlsx) / this file is not an Excel "
            "workbook (.xlsx); open it in Excel and save it as Excel Workbook (.xlsx)",
        )
    try:
        wb = load_workbook(xlsx, data_only=True)
        wbf = load_workbook(xlsx, data_only=False) if _has_formulas(xlsx) else None
    except Exception as exc:  # BadZipFile, KeyError on missing parts, InvalidFileException, XML errors...
        return bad(
            "workbook-invalid",
            "Không đọc được tệp như một sổ tính Excel (.xlsx); hãy mở bằng Excel và lưu "
            f"lại dạng Excel Workbook. / The file cannot be read as an Excel workbook (.xlsx): "
            f"{type(exc).__name__}: {exc}",
        )
    return wb, wbf, None


def _has_formulas(xlsx: Path) -> bool:
    """Whether any worksheet holds a formula (only then is the workbook read a second time, formulas kept)."""
    with zipfile.ZipFile(xlsx) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    if re.search(rb"<(\w+:)?f[ >/]", fh.read()):
                        return True
    return False


def _read_sheet(ws, wsf, res: dict, old) -> tuple[_Sheet | None, list[Issue]]:
    from openpyxl.utils import get_column_letter

    sname, path = ws.title, res["path"]
    fields = _fields(res)
    names = [f["name"] for f in fields]
    issues: list[Issue] = []
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    while header and (header[-1] is None or header[-1] == ""):
        header.pop()
    positions: dict[str, int] = {}
    extra, ignored_cols = [], []
    for j, h in enumerate(header, start=1):
        if h is None or str(h).strip() == "":
            ignored_cols.append(j)
            continue
        h = str(h)
        if h in names:
            if h in positions:
                issues.append(
                    _wissue(
                        "duplicate-column",
                        f"Tên cột {h!r} xuất hiện hai lần ở dòng 1 / column {h!r} appears twice in row 1",
                        sheet=sname,
                        excel_row=1,
                        letter=get_column_letter(j),
                        fname=h,
                        csv_file=path,
                        csv_row=1,
                    )
                )
                continue
            positions[h] = j
        else:
            extra.append((j, h))
    ignored_cols += list(range(len(header) + 1, (ws.max_column or 0) + 1))  # cells right of the last header
    if not positions:
        issues.append(
            _wissue(
                "header-missing",
                "Dòng 1 phải chứa tên máy của các cột (chữ xám); đừng xoá hay sửa "
                "dòng đó. / Row 1 must hold the machine field names (grey); do not delete or edit it.",
                sheet=sname,
                excel_row=1,
                value=", ".join(str(h) for h in header[:6]) or None,
                expected=",".join(names),
                csv_file=path,
                csv_row=1,
            )
        )
        return None, issues
    for j, h in extra:
        issues.append(
            _wissue(
                "extra-column",
                f"Cột {h!r} ở dòng 1 không có trong bảng {res['name']}; xoá cột này "
                f"hoặc sửa lại đúng tên. / Column {h!r} in row 1 is not a field of table {res['name']}; "
                "delete the column or restore its name.",
                sheet=sname,
                excel_row=1,
                letter=get_column_letter(j),
                fname=h,
                value=h,
                expected=",".join(names),
                csv_file=path,
                csv_row=1,
            )
        )
    missing = [n for n in names if n not in positions]
    for n in missing:
        issues.append(
            _wissue(
                "missing-column",
                f"Thiếu cột {n!r} ở dòng 1; đừng xoá cột hay sửa dòng 1. / "
                f"Column {n!r} is missing from row 1; do not delete columns or edit row 1.",
                sheet=sname,
                excel_row=1,
                fname=n,
                expected=",".join(names),
                csv_file=path,
                csv_row=1,
            )
        )
    for rng in ws.merged_cells.ranges:
        if rng.max_row >= FIRST_DATA_ROW:
            issues.append(
                _wissue(
                    "merged-cells",
                    f"Có ô bị gộp ({rng.coord}); hãy bỏ gộp ô (Unmerge). / Cells {rng.coord} are merged; unmerge them.",
                    sheet=sname,
                    excel_row=max(rng.min_row, FIRST_DATA_ROW),
                    value=rng.coord,
                    csv_file=path,
                )
            )
    if missing or any(i.code == "duplicate-column" for i in issues):
        return None, issues
    letters = {n: get_column_letter(j) for n, j in positions.items()}

    old_by_key = {}
    if old is not None and (pk := _pk(res)):
        oh, orows = old
        oidx = {h: i for i, h in enumerate(oh)}
        if all(k in oidx for k in pk):
            for r in orows:
                key = tuple(r[oidx[k]] if oidx[k] < len(r) else "" for k in pk)
                old_by_key.setdefault(key, {h: (r[i] if i < len(r) else "") for h, i in oidx.items()})

    sheet = _Sheet([], [], letters, set())
    ignored_data = set()
    watched = sorted(set(positions.values()) | set(ignored_cols) | {j for j, _ in extra})
    formula_rows = {}
    for row in wsf.iter_rows(min_row=FIRST_DATA_ROW) if wsf is not None else ():
        for c in row:
            if c.data_type == "f":
                formula_rows[(c.row, c.column)] = c.value
    for r_idx, row in enumerate(ws.iter_rows(min_row=FIRST_DATA_ROW), start=FIRST_DATA_ROW):
        cells = {c.column: c for c in row if hasattr(c, "column")}
        if all(_blank(cells.get(j)) for j in watched) and not any((r_idx, j) in formula_rows for j in watched):
            continue
        for j in ignored_cols:
            if not _blank(cells.get(j)):
                ignored_data.add(get_column_letter(j))
        out = []
        pk_vals = {}
        for f in fields:
            n = f["name"]
            cell = cells.get(positions[n])
            letter = letters[n]
            if (r_idx, positions[n]) in formula_rows and (cell is None or cell.value is None):
                issues.append(
                    _wissue(
                        "formula-not-calculated",
                        "Ô chứa công thức nhưng chưa có giá trị đã tính; hãy "
                        "mở tệp bằng Excel và lưu lại, hoặc gõ giá trị. / The cell holds a formula with no "
                        "saved result; open and save the file in Excel, or type the value.",
                        sheet=sname,
                        excel_row=r_idx,
                        letter=letter,
                        fname=n,
                        value=str(formula_rows[(r_idx, positions[n])])[:80],
                        csv_file=path,
                    )
                )
            text, problem = _cell_text(cell, f)
            if problem:
                sheet.bad_cells.add((r_idx, n))
                issues.append(
                    _wissue(
                        problem[0],
                        problem[1],
                        sheet=sname,
                        excel_row=r_idx,
                        letter=letter,
                        fname=n,
                        value=problem[2],
                        expected=problem[3],
                        csv_file=path,
                    )
                )
            out.append(text)
            pk_vals[n] = text
        sheet.rows.append(out)
        sheet.excel_rows.append(r_idx)
        # a number that did not change keeps the exact text it has in the repository
        key = tuple(pk_vals.get(k, "") for k in _pk(res))
        old_row = old_by_key.get(key)
        if old_row:
            for i, f in enumerate(fields):
                if f.get("type") in ("number", "integer") and out[i] != "" and f["name"] in old_row:
                    if _same_number(old_row[f["name"]], out[i]):
                        out[i] = old_row[f["name"]]
    for letter in sorted(ignored_data):
        issues.append(
            _wissue(
                "unnamed-column",
                f"Cột {letter} có số liệu nhưng không có tên ở dòng 1; số liệu đó "
                f"không được nhập. Xoá cột hoặc chuyển số liệu vào đúng cột. / Column {letter} holds data "
                "but has no name in row 1, so it cannot be imported; delete it or move the data.",
                sheet=sname,
                excel_row=1,
                letter=letter,
                csv_file=path,
                csv_row=1,
            )
        )
    return sheet, issues


def _blank(cell) -> bool:
    return cell is None or cell.value is None or cell.value == ""


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _cell_text(cell, f: dict) -> tuple[str, tuple | None]:
    """(CSV text, None) or (CSV text, (code, message, value, expected)) for one cell of field f."""
    typ = f.get("type", "string")
    v = None if cell is None else cell.value
    if v is None:
        return "", None
    if isinstance(v, str) and v == "":
        return "", None
    if typ in ("integer", "number"):
        kind = "số nguyên / a whole number" if typ == "integer" else "số / a number"
        if isinstance(v, bool):
            return str(v).lower(), (
                "not-a-number",
                f"Ô này phải là {kind.split(' / ')[0]}, không phải đúng/sai. / "
                f"This cell must be {kind.split(' / ')[1]}, not TRUE/FALSE.",
                str(v),
                kind,
            )
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                return str(v), ("not-a-number", "Giá trị không phải số hữu hạn / not a finite number", str(v), kind)
            fmt = getattr(cell, "number_format", "") or ""
            if "%" in fmt.replace('"%"', "").replace("\\%", ""):
                return format_number(v), (
                    "percent-format",
                    "Ô định dạng phần trăm: Excel lưu 98% thành 0,98. Gõ 98 "
                    "và bỏ định dạng %. / The cell is formatted as a percentage, so Excel stores "
                    "98% as 0.98; type 98 and remove the % format.",
                    format_number(v),
                    "the number without %",
                )
            if typ == "integer" and isinstance(v, float) and not v.is_integer():
                return format_number(v), (
                    "not-an-integer",
                    "Cột này chỉ nhận số nguyên. / This column takes whole numbers only.",
                    format_number(v),
                    "a whole number",
                )
            return format_number(v), None
        if isinstance(v, (dt.datetime, dt.date, dt.time)):
            return v.isoformat(), (
                "not-a-number",
                "Excel đã hiểu ô này là ngày tháng; hãy gõ lại dưới dạng số. / "
                "Excel took this cell for a date; retype it as a number.",
                v.isoformat(),
                kind,
            )
        text = unicodedata.normalize("NFC", str(v))
        if _INT_TEXT.match(text):
            return str(int(text)), None
        return text, (
            "not-a-number",
            f"{text!r} là chữ, không phải {kind.split(' / ')[0]}. Gõ lại dưới dạng số "
            "(Excel tiếng Việt: 0,3509; Excel tiếng Anh: 0.3509), không kèm đơn vị. / "
            f"{text!r} is text, not {kind.split(' / ')[1]}; retype it as a number, without units.",
            text[:80],
            kind,
        )
    if typ == "boolean":
        if isinstance(v, bool):
            return ("true" if v else "false"), None
        text = unicodedata.normalize("NFC", str(v))
        if text.lower() in ("true", "false"):
            return text.lower(), None
        return text, (
            "not-a-boolean",
            "Chọn true (đúng) hoặc false (sai). / Choose true or false.",
            text[:80],
            "true or false",
        )
    # text (and any other type): the cell as text
    if isinstance(v, bool):
        return ("true" if v else "false"), None
    if isinstance(v, (int, float)):
        return format_number(v), None
    if isinstance(v, dt.datetime):
        text = v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
        return text, (
            "date-in-text-column",
            "Excel đã đổi ô này thành ngày tháng; hãy định dạng ô là Text (@) và gõ "
            "lại đúng như văn bản (ví dụ 2021 hoặc 2021-12). / Excel turned this cell into a date; format the "
            "cell as Text (@) and retype it as written (e.g. 2021 or 2021-12).",
            text,
            "text",
        )
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat(), (
            "date-in-text-column",
            "Excel đã đổi ô này thành ngày giờ; hãy định dạng ô là Text (@) "
            "và gõ lại. / Excel turned this cell into a date or time; format it as Text (@) and "
            "retype it.",
            v.isoformat(),
            "text",
        )
    return unicodedata.normalize("NFC", str(v)), None


def _merge(res: dict, old, sheet: _Sheet) -> tuple[list[list[str]], list[int], TableDiff]:
    """New rows in repository order (existing rows where they were, new ones appended) and the diff."""
    name, fields = res["name"], [f["name"] for f in _fields(res)]
    pk = _pk(res) if all(k in fields for k in _pk(res)) else []
    keycols = [fields.index(k) for k in pk] if pk else list(range(len(fields)))
    src = fields.index("source_id") if "source_id" in fields else None
    oh, orows = old if old is not None else ([], [])
    oidx = {h: i for i, h in enumerate(oh)}
    old_rows = [[r[oidx[n]] if n in oidx and oidx[n] < len(r) else "" for n in fields] for r in orows]

    def key(r):
        return tuple(r[i] for i in keycols)

    positions: dict[tuple, list[int]] = {}
    for i, r in enumerate(old_rows):
        positions.setdefault(key(r), []).append(i)
    used: dict[tuple, int] = {}
    matched, new = [], []
    for r, xr in zip(sheet.rows, sheet.excel_rows):
        k = key(r)
        n = used.get(k, 0)
        if n < len(positions.get(k, [])):
            matched.append((positions[k][n], r, xr))
            used[k] = n + 1
        else:
            new.append((r, xr))
    matched.sort(key=lambda t: t[0])
    tdiff = TableDiff(name)
    taken = {m[0] for m in matched}
    for i, r in enumerate(old_rows):
        if i not in taken:
            tdiff.removed.append(RowChange(name, key(r), dict(zip(fields, r)), r[src] if src is not None else None))
    for i, r, _ in matched:
        o = old_rows[i]
        for c, n in enumerate(fields):
            if o[c] != r[c]:
                tdiff.changed.append(
                    CellChange(name, key(r), n, o[c], r[c], (r[src] or o[src]) if src is not None else None)
                )
    for r, _ in new:
        tdiff.added.append(RowChange(name, key(r), dict(zip(fields, r)), r[src] if src is not None else None))
    rows = [m[1] for m in matched] + [r for r, _ in new]
    excel_rows = [m[2] for m in matched] + [xr for _, xr in new]
    return rows, excel_rows, tdiff


def _copy_package(root: Path, dst: Path, resources: list[dict]) -> None:
    dst.mkdir(parents=True)
    shutil.copy2(root / "datapackage.json", dst / "datapackage.json")
    if (root / "data").is_dir():
        shutil.copytree(root / "data", dst / "data")
    for res in resources:  # a resource stored outside data/
        p, q = root / res["path"], dst / res["path"]
        if p.is_file() and not q.exists():
            q.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, q)


def _replace_all(root: Path, texts: dict[str, str]) -> list[str]:
    """Write every file next to its target first, then rename each into place."""
    temps: list[tuple[Path, Path]] = []
    try:
        for rel, text in texts.items():
            target = root / rel
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            if target.exists():
                shutil.copymode(target, tmp)
            else:
                os.chmod(tmp, 0o644)
            temps.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in temps:
        os.replace(tmp, target)
    return sorted(texts)


# ---------------------------------------------------------------- issues in workbook terms


def _field_of(issue: Issue) -> str | None:
    if issue.column:
        return issue.column
    m = _FK_FIELD.search(issue.message or "")
    if m:
        return m.group(1).split(",")[0].strip().strip('"')
    return None


def _friendly(issue: Issue, f: dict | None) -> tuple[str, str | None, str | None]:
    """(message, value, expected) in the staff's words for frictionless's codes; others unchanged."""
    msg, value, expected = issue.message, issue.value, issue.expected
    if issue.code == "constraint-error":
        m = _CONSTRAINT.search(msg or "")
        what, arg = (m.group(1), m.group(2)) if m else ("", "")
        if what == "required":
            msg = "Ô bắt buộc đang trống / a required cell is empty"
        elif what == "enum":
            msg = "Giá trị không có trong danh sách; hãy chọn trong danh sách / the value is not one of the allowed values"
            expected = expected or ", ".join(map(str, (f or {}).get("constraints", {}).get("enum", [])))
        elif what == "pattern":
            msg = f"Giá trị không đúng dạng / the value does not have the required form ({arg})"
            expected = expected or arg
        elif what in ("minimum", "maximum"):
            msg = (
                f"Giá trị {'nhỏ hơn mức tối thiểu' if what == 'minimum' else 'lớn hơn mức tối đa'} {arg} / "
                f"the value is {'below the minimum' if what == 'minimum' else 'above the maximum'} {arg}"
            )
            expected = expected or (f"≥ {arg}" if what == "minimum" else f"≤ {arg}")
        elif what == "unique":
            msg = "Giá trị bị trùng trong cột / the value is repeated in this column"
    elif issue.code == "type-error":
        typ = (f or {}).get("type", "")
        msg = f"Giá trị không đúng kiểu {typ} / the value is not a valid {typ} ({msg})"
    elif issue.code == "foreign-key":
        m = _FK_VALUE.search(msg or "")
        if m and value is None:
            value = m.group(1)
        ref = re.search(r'lookup table "([^"]*)"', msg or "")
        table = ref.group(1) if ref else "?"
        msg = (
            f"Mã này không có trong trang {table}; chọn trong danh sách hoặc thêm nó vào trang {table} / "
            f"this id is not in sheet {table}; choose one from the list or add it to sheet {table}"
        )
    elif issue.code in ("primary-key", "unique-error"):
        msg = f"Mã bị trùng với một dòng khác / the id is the same as another row's ({msg})"
    return msg, value, expected


def _to_workbook_terms(found: list[Issue], resources: list[dict], converted: dict[str, _Sheet]) -> list[Issue]:
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
        if fname is None and i.code == "primary-key" and _pk(res):
            fname = _pk(res)[0]
        fdesc = next((f for f in _fields(res) if f["name"] == fname), None)
        if fname in sheet.letters:
            letter = sheet.letters[fname]
        elif fdesc is not None:
            letter = get_column_letter([f["name"] for f in _fields(res)].index(fname) + 1)
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
        msg, value, expected = _friendly(i, fdesc)
        out.append(
            _wissue(
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


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen, out = set(), []
    for i in issues:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


# ---------------------------------------------------------------- rendering


_WORDS = {
    "vi": {
        "none": "Không có thay đổi nào.",
        "table": "Bảng {t}: thêm {a} dòng, xoá {r} dòng, sửa {c} ô",
        "source": "nguồn",
        "empty": "(trống)",
        "notes": "Lưu ý:",
    },
    "en": {
        "none": "No changes.",
        "table": "Table {t}: {a} row(s) added, {r} row(s) removed, {c} cell(s) changed",
        "source": "source",
        "empty": "(empty)",
        "notes": "Notes:",
    },
}


def _show(v: str, w: dict) -> str:
    if v == "":
        return w["empty"]
    return repr(v if len(v) <= 160 else v[:157] + "...")


def _key(k: tuple) -> str:
    return " / ".join(k)


def render_diff(diff: Diff, lang: str = "vi") -> str:
    """The changes as plain text, in Vietnamese (vi) or English (en)."""
    w = _WORDS.get(lang, _WORDS["en"])
    lines = []
    for t in diff.tables.values():
        if t.empty:
            continue
        lines.append(w["table"].format(t=t.table, a=len(t.added), r=len(t.removed), c=len(t.changed)))
        for r in t.added:
            lines.append(f"  + {_key(r.key)}" + (f" ({w['source']}: {r.source_id})" if r.source_id else ""))
        for r in t.removed:
            lines.append(f"  - {_key(r.key)}" + (f" ({w['source']}: {r.source_id})" if r.source_id else ""))
        for c in t.changed:
            lines.append(
                f"  ~ {_key(c.key)} · {c.column}: {_show(c.old, w)} → {_show(c.new, w)}"
                + (f" ({w['source']}: {c.source_id})" if c.source_id else "")
            )
    if not lines:
        lines.append(w["none"])
    if diff.warnings:
        lines.append(w["notes"])
        lines += [f"  ! {x}" for x in diff.warnings]
    return "\n".join(lines)
