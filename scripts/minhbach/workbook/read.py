"""Open a filled workbook and read its sheets back into rows of CSV text, each row with its Excel row.

The file is measured before openpyxl sees it: its size on disk, then every member inflated in a
stream (at most one chunk in memory) against `MAX_XLSX_UNPACKED`, so a small file that inflates to
gigabytes is refused without reading it. The same pass notes whether any sheet holds a formula.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from minhbach.errors import Issue
from minhbach.workbook.cells import blank, cell_text, same_number
from minhbach.workbook.common import FIRST_DATA_ROW, MAX_XLSX_BYTES, MAX_XLSX_UNPACKED, both, primary_key, wissue
from minhbach.workbook.common import fields_of as _fields

_FORMULA = re.compile(rb"<(\w+:)?f[ >/]")
_CHUNK = 1 << 20


@dataclass
class Sheet:
    """One sheet converted: CSV rows in schema order, each with the Excel row it came from."""

    rows: list[list[str]]
    excel_rows: list[int]
    letters: dict[str, str]  # field name -> column letter in the workbook
    bad_cells: set  # (excel_row, field) where the importer already reported the value


class _TooLarge(Exception):
    def __init__(self, size: int):
        self.size = size


def _inspect(xlsx: Path, limit: int = MAX_XLSX_UNPACKED) -> bool:
    """Whether a sheet holds a formula; raises _TooLarge past `limit` inflated bytes (declared or real)."""
    with zipfile.ZipFile(xlsx) as z:
        infos = z.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > limit:
            raise _TooLarge(declared)
        total, formulas = 0, False
        for info in infos:
            sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            tail = b""
            with z.open(info) as fh:  # zipfile stops at the declared size; the sum above bounds it
                while chunk := fh.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise _TooLarge(total)
                    if sheet and not formulas:
                        formulas = bool(_FORMULA.search(tail + chunk))
                        tail = chunk[-16:]
    return formulas


def open_workbook(xlsx: Path):
    """(values workbook, formulas workbook, None) or (None, None, the Issue explaining why it cannot be read)."""
    from openpyxl import load_workbook

    def bad(code, msg):
        return None, None, wissue(code, msg, sheet=None, value=str(xlsx))

    if not xlsx.is_file():
        return bad("workbook-missing", both("issue.workbook_missing", file=xlsx))
    size = xlsx.stat().st_size
    if size > MAX_XLSX_BYTES:
        return bad("workbook-too-large", both("issue.workbook_too_large", size=size, limit=MAX_XLSX_BYTES))
    with xlsx.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return bad("workbook-invalid", both("issue.workbook_old_format"))
    if not head.startswith(b"PK"):
        return bad("workbook-invalid", both("issue.workbook_not_xlsx"))
    try:
        has_formulas = _inspect(xlsx)
    except _TooLarge as t:
        return bad(
            "workbook-too-large",
            both("issue.workbook_too_large_unpacked", size=t.size, limit=MAX_XLSX_UNPACKED),
        )
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as exc:
        return bad("workbook-invalid", both("issue.workbook_unreadable", error=f"{type(exc).__name__}: {exc}"))
    try:
        wb = load_workbook(xlsx, data_only=True)
        wbf = load_workbook(xlsx, data_only=False) if has_formulas else None
    except Exception as exc:  # BadZipFile, KeyError on missing parts, InvalidFileException, XML errors...
        return bad("workbook-invalid", both("issue.workbook_unreadable", error=f"{type(exc).__name__}: {exc}"))
    return wb, wbf, None


def _header(ws, res: dict, names: list[str]):
    """Field positions from row 1, with the issues of a changed header row."""
    from openpyxl.utils import get_column_letter

    sname, path = ws.title, res["path"]
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
                    wissue(
                        "duplicate-column",
                        both("issue.duplicate_column", name=repr(h)),
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
            wissue(
                "header-missing",
                both("issue.header_missing"),
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
            wissue(
                "extra-column",
                both("issue.extra_column", name=repr(h), table=res["name"]),
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
    for n in names:
        if n not in positions:
            issues.append(
                wissue(
                    "missing-column",
                    both("issue.missing_column", name=repr(n)),
                    sheet=sname,
                    excel_row=1,
                    fname=n,
                    expected=",".join(names),
                    csv_file=path,
                    csv_row=1,
                )
            )
    return (positions, extra, ignored_cols), issues


def _old_rows_by_key(res: dict, old) -> dict:
    old_by_key: dict = {}
    if old is not None and (pk := primary_key(res)):
        oh, orows = old
        oidx = {h: i for i, h in enumerate(oh)}
        if all(k in oidx for k in pk):
            for r in orows:
                key = tuple(r[oidx[k]] if oidx[k] < len(r) else "" for k in pk)
                old_by_key.setdefault(key, {h: (r[i] if i < len(r) else "") for h, i in oidx.items()})
    return old_by_key


def read_sheet(ws, wsf, res: dict, old) -> tuple[Sheet | None, list[Issue]]:
    from openpyxl.utils import get_column_letter

    sname, path = ws.title, res["path"]
    fields = _fields(res)
    names = [f["name"] for f in fields]
    head, issues = _header(ws, res, names)
    if head is None:
        return None, issues
    positions, extra, ignored_cols = head
    for rng in ws.merged_cells.ranges:
        if rng.max_row >= FIRST_DATA_ROW:
            issues.append(
                wissue(
                    "merged-cells",
                    both("issue.merged_cells", cells=rng.coord),
                    sheet=sname,
                    excel_row=max(rng.min_row, FIRST_DATA_ROW),
                    value=rng.coord,
                    csv_file=path,
                )
            )
    if any(n not in positions for n in names) or any(i.code == "duplicate-column" for i in issues):
        return None, issues
    letters = {n: get_column_letter(j) for n, j in positions.items()}
    old_by_key = _old_rows_by_key(res, old)

    sheet = Sheet([], [], letters, set())
    ignored_data = set()
    watched = sorted(set(positions.values()) | set(ignored_cols) | {j for j, _ in extra})
    formula_rows = {}
    for row in wsf.iter_rows(min_row=FIRST_DATA_ROW) if wsf is not None else ():
        for c in row:
            if c.data_type == "f":
                formula_rows[(c.row, c.column)] = c.value
    for r_idx, row in enumerate(ws.iter_rows(min_row=FIRST_DATA_ROW), start=FIRST_DATA_ROW):
        cells = {c.column: c for c in row if hasattr(c, "column")}
        if all(blank(cells.get(j)) for j in watched) and not any((r_idx, j) in formula_rows for j in watched):
            continue
        for j in ignored_cols:
            if not blank(cells.get(j)):
                ignored_data.add(get_column_letter(j))
        out = []
        pk_vals = {}
        for f in fields:
            n = f["name"]
            cell = cells.get(positions[n])
            letter = letters[n]
            place = dict(sheet=sname, excel_row=r_idx, letter=letter, fname=n, csv_file=path)
            if (r_idx, positions[n]) in formula_rows and (cell is None or cell.value is None):
                value = str(formula_rows[(r_idx, positions[n])])[:80]
                issues.append(
                    wissue("formula-not-calculated", both("issue.formula_not_calculated"), value=value, **place)
                )
            text, problem = cell_text(cell, f)
            if problem:
                sheet.bad_cells.add((r_idx, n))
                issues.append(wissue(problem[0], problem[1], value=problem[2], expected=problem[3], **place))
            out.append(text)
            pk_vals[n] = text
        sheet.rows.append(out)
        sheet.excel_rows.append(r_idx)
        # a number that did not change keeps the exact text it has in the repository
        old_row = old_by_key.get(tuple(pk_vals.get(k, "") for k in primary_key(res)))
        if old_row:
            for i, f in enumerate(fields):
                if f.get("type") in ("number", "integer") and out[i] != "" and f["name"] in old_row:
                    if same_number(old_row[f["name"]], out[i]):
                        out[i] = old_row[f["name"]]
    for letter in sorted(ignored_data):
        issues.append(
            wissue(
                "unnamed-column",
                both("issue.unnamed_column", letter=letter),
                sheet=sname,
                excel_row=1,
                letter=letter,
                csv_file=path,
                csv_row=1,
            )
        )
    return sheet, issues
