"""The workbook's public names in one place (see the package's docstring): template, import, diff, recovery."""

from __future__ import annotations

from typing import Any

from minhbach.workbook.commit import recover
from minhbach.workbook.common import (
    FIRST_DATA_ROW,
    HEADER_ROWS,
    LISTS_SHEET,
    MAX_CELL_CHARS,
    MAX_EXCEL_ROW,
    MAX_XLSX_BYTES,
    MAX_XLSX_UNPACKED,
    CellChange,
    Diff,
    ImportResult,
    RowChange,
    TableDiff,
    WorkbookIssue,
    both,
    format_number,
    header_label,
    helper_sheets,
    instructions_sheet,
    read_csv,
    say,
    sheet_name,
)
from minhbach.workbook.diff import merge, render_diff
from minhbach.workbook.importer import import_workbook
from minhbach.workbook.read import Sheet
from minhbach.workbook.template import make_template

__all__ = [
    "FIRST_DATA_ROW",
    "HEADER_ROWS",
    "INSTRUCTIONS_SHEET",  # noqa: F822 (given by the module __getattr__ below)
    "LISTS_SHEET",
    "MAX_CELL_CHARS",
    "MAX_EXCEL_ROW",
    "MAX_XLSX_BYTES",
    "MAX_XLSX_UNPACKED",
    "CellChange",
    "Diff",
    "ImportResult",
    "RowChange",
    "TableDiff",
    "WorkbookIssue",
    "format_number",
    "header_label",
    "import_workbook",
    "instructions_sheet",
    "interrupted",
    "make_template",
    "recover",
    "merge",
    "read_csv",
    "render_diff",
    "Sheet",
    "say",
    "sheet_name",
]


def interrupted() -> str:
    """The one line `minhbach import` prints when stopped by Ctrl-C or SIGTERM (nothing was changed)."""
    return both("interrupted")


def __getattr__(name: str) -> Any:
    """INSTRUCTIONS_SHEET is read from the catalogue when first asked for, not at import time."""
    if name == "INSTRUCTIONS_SHEET":
        return instructions_sheet()
    if name == "HELPER_SHEETS":
        return helper_sheets()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
