"""The Excel workbook staff fill in: a template generated from the package, and its import back to CSV.

`make_template` (template.py) writes one sheet per resource: row 1 holds the machine field names (the
importer reads them, so they stay, in grey), row 2 a bilingual header, the current data from row 3.
`import_workbook` (importer.py) reads every sheet back (read.py, cells.py) into CSV text in the
repository's exact format, merges it with the table (diff.py), validates it on a temporary copy of the
package, reports every problem by sheet, Excel row and column (issues.py), and only when there is none
replaces the CSV files in data/, all or none (commit.py). Every word comes from the `workbook` strings.

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
    format_number,
    header_label,
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
    "INSTRUCTIONS_SHEET",
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

# the names release.py has used since before the split
_merge, _read_csv, _Sheet = merge, read_csv, Sheet


def interrupted() -> str:
    """The one line `minhbach import` prints when stopped by Ctrl-C or SIGTERM (nothing was changed)."""
    from minhbach.workbook.common import both

    return both("interrupted")


def __getattr__(name: str) -> Any:
    """INSTRUCTIONS_SHEET is read from the catalogue when first asked for, not at import time."""
    if name == "INSTRUCTIONS_SHEET":
        return instructions_sheet()
    if name == "HELPER_SHEETS":
        from minhbach.workbook.common import helper_sheets

        return helper_sheets()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
