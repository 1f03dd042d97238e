"""`minhbach import`: check a filled workbook against the package and write data/ only when nothing is wrong.

Every sheet becomes CSV text in the repository's exact format; the text is validated on a temporary copy
of the package; every problem is reported by sheet, Excel row and column; only then are the changed
files replaced, all together (see `commit`). An earlier interrupted import is finished first.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from minhbach.errors import Issue
from minhbach.validate.run import validate_package
from minhbach.workbook import commit as _commit
from minhbach.workbook.common import (
    Diff,
    ImportResult,
    both,
    fields_of,
    helper_sheets,
    read_csv,
    resources_of,
    sheet_name,
    to_csv,
    wissue,
)
from minhbach.workbook.diff import merge
from minhbach.workbook.issues import dedupe, to_workbook_terms
from minhbach.workbook.read import Sheet, open_workbook, read_sheet


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


def _validate(root: Path, resources: list[dict], csv_texts: dict[str, str]) -> list[Issue]:
    with tempfile.TemporaryDirectory(prefix="minhbach-import-") as tmp:
        copy = Path(tmp) / "package"
        _copy_package(root, copy, resources)
        for res in resources:
            if res["name"] in csv_texts:
                (copy / res["path"]).write_bytes(csv_texts[res["name"]].encode("utf-8"))
        try:
            found, _ = validate_package(copy)
        except Exception as exc:  # a Failed from load, or anything frictionless raises on odd input
            found = getattr(exc, "issues", None) or [
                Issue("validation-failed", both("issue.validation_stopped", error=exc))
            ]
    return found


def import_workbook(xlsx: Path, root: Path) -> ImportResult:
    """Check a filled workbook against the package at root; write data/ only when there is no problem."""
    xlsx, root = Path(xlsx), Path(root).resolve()
    try:
        with _commit.package_lock(root):
            return _import(xlsx, root)
    except _commit.Busy as busy:
        issue = wissue("import-busy", both("issue.import_busy", file=str(busy)), value=str(busy))
        return ImportResult([issue], Diff())


def _import(xlsx: Path, root: Path) -> ImportResult:
    recovered, stuck = _commit.recover(root)
    if stuck:
        return ImportResult(stuck, Diff())
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = resources_of(descriptor)
    wb, wbf, problem = open_workbook(xlsx)
    if problem is not None:
        return ImportResult([problem], Diff(), recovered=recovered)

    issues: list[Issue] = []
    warnings: list[str] = []
    known = {sheet_name(r["name"]) for r in resources}
    for name in wb.sheetnames:
        if name not in known and name not in helper_sheets():
            warnings.append(both("issue.unknown_sheet", sheet=name))

    old_bytes: dict[str, bytes | None] = {}
    converted: dict[str, Sheet] = {}
    for res in resources:
        p = root / res["path"]
        old_bytes[res["name"]] = p.read_bytes() if p.is_file() else None
        sname = sheet_name(res["name"])
        if sname not in wb.sheetnames:
            msg = both("issue.sheet_missing", sheet=sname, table=res["name"])
            issues.append(wissue("sheet-missing", msg, sheet=sname, csv_file=res["path"]))
            continue
        sheet, sheet_issues = read_sheet(wb[sname], wbf[sname] if wbf is not None else None, res, read_csv(p))
        issues += sheet_issues
        if sheet is not None:
            converted[res["name"]] = sheet

    csv_texts = {}
    diff = Diff(warnings=list(warnings))
    for res in resources:
        name = res["name"]
        if name not in converted:
            continue
        rows, excel_rows, tdiff = merge(res, read_csv(root / res["path"]), converted[name])
        converted[name].rows, converted[name].excel_rows = rows, excel_rows
        csv_texts[name] = to_csv([f["name"] for f in fields_of(res)], rows)
        diff.tables[name] = tdiff

    issues += to_workbook_terms(_validate(root, resources, csv_texts), resources, converted)
    issues = dedupe(issues)

    result = ImportResult(issues, diff, warnings, [], csv_texts, recovered)
    if issues:
        return result
    changed = {n: t for n, t in csv_texts.items() if t.encode("utf-8") != old_bytes.get(n)}
    for res in resources:  # someone else saved data/ meanwhile: stop rather than overwrite their work
        p = root / res["path"]
        now = p.read_bytes() if p.is_file() else None
        if now != old_bytes[res["name"]]:
            msg = both("issue.data_changed", file=res["path"])
            result.issues.append(wissue("data-changed", msg, csv_file=res["path"]))
            return result
    by_name = {r["name"]: r for r in resources}
    try:
        result.written = _commit.commit(root, {by_name[n]["path"]: t for n, t in changed.items()})
    except OSError as exc:
        done, _ = _commit.recover(root)  # after the commit point the import completes; before it, nothing changed
        if not done:
            result.issues.append(wissue("write-failed", both("issue.write_failed", error=exc), value=str(exc)))
        else:
            result.written = done
    return result
