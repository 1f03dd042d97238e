"""What every part of the workbook shares: limits, result records, issues placed in the workbook, the words.

The words come from `site_src/strings/<lang>/workbook.yml` (section `workbook`); messages for staff are
shown in both languages, Vietnamese first, as "vi / en".
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from minhbach import strings
from minhbach.errors import Failed, Issue

LISTS_SHEET = "_lists"
HEADER_ROWS = 2
FIRST_DATA_ROW = HEADER_ROWS + 1
MAX_EXCEL_ROW = 1_048_576
MAX_XLSX_BYTES = 50 * 1024 * 1024  # the .xlsx file as stored
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # all its members inflated (the shipped template: about 1.5 MB)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
INLINE_LIST_LIMIT = 255
ALLOWED_CONTROLS = frozenset("\t\n\r")  # Alt+Enter line breaks and tabs are text; other controls are not

GREY_FILL = "D9D9D9"
GREY_FONT = "595959"
HEADER_FILL = "DDEBF7"


# ---------------------------------------------------------------- words


@functools.lru_cache(maxsize=1)
def catalogue() -> strings.Catalogue:
    """The program's own catalogue (read once): the words belong to the program, not to the package."""
    return strings.load(None)


def say(lang: str, key: str, **kw: Any) -> str:
    return catalogue().get(lang, f"workbook.{key}", **kw)


def both(key: str, **kw: Any) -> str:
    """The bilingual form staff see everywhere in the workbook and its messages: "vi / en"."""
    return f"{say('vi', key, **kw)} / {say('en', key, **kw)}"


def instructions_sheet() -> str:
    return f"{say('vi', 'sheet.instructions')} - {say('en', 'sheet.instructions')}"  # Excel forbids "/"


def helper_sheets() -> tuple[str, str]:
    return (instructions_sheet(), LISTS_SHEET)


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
    recovered: list[str] = field(default_factory=list)  # paths an interrupted earlier import completed

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


def wissue(
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


# ---------------------------------------------------------------- package helpers


def sheet_name(resource_name: str) -> str:
    return resource_name[:31]


def resources_of(descriptor: dict) -> list[dict]:
    return [r for r in descriptor.get("resources", []) if r.get("name") and isinstance(r.get("path"), str)]


def fields_of(res: dict) -> list[dict]:
    return res.get("schema", {}).get("fields", [])


def primary_key(res: dict) -> list[str]:
    pk = res.get("schema", {}).get("primaryKey") or []
    return [pk] if isinstance(pk, str) else list(pk)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]] | None:
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a long cell is reported with its place, not as a crash
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as e:
        raise Failed([Issue("csv-unreadable", f"{path.name}: {e}", file=str(path), row=reader.line_num)]) from None
    finally:
        csv.field_size_limit(limit)
    if not rows:
        return [], []
    return rows[0], rows[1:]


def to_csv(header: list[str], rows: list[list[str]]) -> str:
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


def control_character(text: str) -> str | None:
    """The first control character Excel or the renderer cannot hold (as U+XXXX), or None."""
    for ch in text:
        if ch not in ALLOWED_CONTROLS and (unicodedata.category(ch) == "Cc" or ch in "\ufffe\uffff"):
            return f"U+{ord(ch):04X}"
    return None


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
