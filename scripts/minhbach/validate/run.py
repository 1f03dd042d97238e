"""Stage 2: is the package fit to publish? Raw file checks and frictionless, then the domain's rules (domain.py).

Rows are numbered as lines of the CSV file (the header is row 1), as frictionless does, so a
message points at the line a person opens in an editor. Findings (values that disagree with each
other) are not errors here: compute.py reports them for publication.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from minhbach import address
from minhbach.errors import Issue
from minhbach.load.package import Package, load_package, profile, read_descriptor, safe_join
from minhbach.validate import cells, guards
from minhbach.validate.domain import domain_issues

MAX_CSV_BYTES = 20 * 1024 * 1024


def validate_package(root: Path, max_bytes: int = MAX_CSV_BYTES) -> tuple[list[Issue], Package | None]:
    """Every problem in the package at root; the loaded package when it is sound enough to use."""
    root = Path(root).resolve()
    descriptor = read_descriptor(root)
    issues = guards.descriptor_shape(descriptor) or check_descriptor(descriptor, root)
    issues += address.descriptor_issues(descriptor)
    if issues:
        return issues, None
    for res in descriptor["resources"]:
        issues += check_raw_csv(root, res, max_bytes)
    if issues:
        return issues, None
    issues += frictionless_issues(descriptor, root)
    if any(i.code in ("type-error", "schema-error", "resource-error") for i in issues):
        return issues, None
    pkg = load_package(root)
    issues += domain_issues(pkg)
    return dedupe(issues), pkg


def dedupe(issues: list[Issue]) -> list[Issue]:
    seen, out = set(), []
    for i in issues:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def check_descriptor(d: dict, root: Path) -> list[Issue]:
    issues = []
    resources = d.get("resources")
    if not isinstance(resources, list) or not resources:
        return [Issue("descriptor-invalid", "datapackage.json has no resources list")]
    names = set()
    for n, res in enumerate(resources):
        name, path = res.get("name"), res.get("path")
        where = f"resources[{n}]"
        if not name or not isinstance(path, str):
            issues.append(Issue("descriptor-invalid", f"{where} needs a name and a single path"))
            continue
        if name in names:
            issues.append(Issue("descriptor-invalid", f"resource name {name!r} is used twice"))
        names.add(name)
        if safe_join(root, path) is None:
            issues.append(
                Issue(
                    "unsafe-path",
                    f"resource {name!r} has an unsafe path; paths must be relative, "
                    "inside the package folder, and not hidden",
                    file="datapackage.json",
                    column=f"resources[{n}].path",
                    value=path,
                    expected="a relative path such as data/<name>.csv",
                )
            )
        elif not (root / path).is_file():
            issues.append(Issue("file-missing", f"resource {name!r}: file not found", file=path))
        if "schema" not in res or not res["schema"].get("fields"):
            issues.append(Issue("descriptor-invalid", f"resource {name!r} has no schema fields"))
    for n, lic in enumerate(d.get("licenses", [])):
        p = lic.get("path", "")
        if p and not re.match(r"^https?://", p) and safe_join(root, p) is None:
            issues.append(
                Issue(
                    "unsafe-path",
                    "licence path is unsafe",
                    file="datapackage.json",
                    column=f"licenses[{n}].path",
                    value=p,
                    expected="a URL or a relative path",
                )
            )
    return issues


def check_raw_csv(root: Path, res: dict, max_bytes: int) -> list[Issue]:
    """What frictionless would only mumble about: size, encoding, BOM, line ends, separator, header."""
    path = res["path"]
    p = root / path
    size = p.stat().st_size
    if size > max_bytes:
        return [
            Issue(
                "file-too-large",
                f"file is {size:,} bytes; the limit is {max_bytes:,} bytes. "
                "Split the table or raise the limit with --max-bytes",
                file=path,
            )
        ]
    raw = p.read_bytes()
    if not raw.strip():
        return [Issue("file-empty", "file is empty; it needs at least the header row", file=path)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [
            Issue(
                "encoding-bom",
                "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM "
                "(or use `minhbach import` with the Excel workbook)",
                file=path,
                row=1,
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [
            Issue(
                "encoding-error",
                "file is not UTF-8 (Windows-1258 or another legacy encoding?); save it as UTF-8",
                file=path,
                row=line,
                value=raw[exc.start : exc.start + 8].hex(" "),
                expected="UTF-8 bytes",
            )
        ]
    first = text.split("\n", 1)[0].rstrip("\r")
    expected = [f["name"] for f in res["schema"]["fields"]]
    header = next(csv.reader(io.StringIO(first)), [])
    issues = cells.carriage_returns(text, header, path) if len(header) <= guards.MAX_COLUMNS else []
    if len(header) > guards.MAX_COLUMNS:
        return issues + guards.scan_cells(first, res, path)  # one message, not one per column
    if len(header) == 1 and ";" in first:
        return issues + [
            Issue(
                "wrong-delimiter",
                "header is separated by ';' (as Excel saves CSV in the Vietnamese locale); the separator must be ','",
                file=path,
                row=1,
                value=first[:80],
                expected=",".join(expected)[:80],
            )
        ]
    for col in expected:
        if col not in header:
            issues.append(
                Issue(
                    "missing-column",
                    f"column {col!r} is missing",
                    file=path,
                    row=1,
                    column=col,
                    expected=",".join(expected),
                )
            )
    for col in header:
        if col not in expected:
            issues.append(
                Issue(
                    "extra-column",
                    f"column {col!r} is not in the schema",
                    file=path,
                    row=1,
                    column=col,
                    expected=",".join(expected),
                )
            )
    if not issues:
        issues += guards.scan_cells(text, res, path)
    if not issues and header != expected:
        issues.append(
            Issue(
                "column-order",
                "columns are in a different order than the schema",
                file=path,
                row=1,
                value=",".join(header),
                expected=",".join(expected),
            )
        )
    return issues


def without_absent_references(descriptor: dict) -> dict:
    """The descriptor frictionless checks: a foreign key to an optional table the package leaves out (no
    districts, no budget) has nothing to point at, so it is dropped; one to a table the package has stays."""
    import copy

    present = {r.get("name") for r in descriptor.get("resources", [])}
    optional = {name for name, spec in profile().items() if not spec.get("required")}
    d = copy.deepcopy(descriptor)
    for r in d.get("resources", []):
        schema = r.get("schema") or {}
        fks = schema.get("foreignKeys")
        if isinstance(fks, list):
            kept = [fk for fk in fks if not (isinstance(fk, dict) and _absent(fk, present, optional))]
            if len(kept) != len(fks):
                schema["foreignKeys"] = kept
    return d


def _absent(fk: dict, present: set, optional: set) -> bool:
    target = (fk.get("reference") or {}).get("resource")
    return bool(target) and target not in present and target in optional


def frictionless_issues(descriptor: dict, root: Path) -> list[Issue]:
    from frictionless import validate

    report = validate(without_absent_references(descriptor), basepath=str(root))
    issues = []
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    keys = {r["name"]: _key_fields(r["schema"].get("primaryKey")) for r in descriptor["resources"]}
    for err in report.errors:
        issues.append(Issue(err.type, err.message))
    for task in report.tasks:
        path = paths.get(task.name, task.name)
        for err in task.errors:
            row = getattr(err, "row_number", None)
            col = getattr(err, "field_name", None)
            cell = getattr(err, "cell", None)
            value = None if cell is None else str(cell)
            # row-level key errors name no cell: point at the key's (first) column and show the key's values
            if err.type == "foreign-key" and getattr(err, "field_names", None):
                col = err.field_names[0]
                value = ", ".join(str(c) for c in (getattr(err, "field_cells", None) or []))
            elif err.type == "primary-key" and keys.get(task.name):
                key, cells, names = keys[task.name], list(getattr(err, "cells", None) or []), fields.get(task.name, [])
                col = key[0]
                if len(cells) == len(names):
                    value = ", ".join(str(cells[names.index(k)]) for k in key if k in names)
            issues.append(Issue(err.type, err.note or err.message, file=path, row=row, column=col, value=value))
    return issues


def _key_fields(pk) -> list[str]:
    if isinstance(pk, str):
        return [pk]
    return list(pk or [])


# ---------------------------------------------------------------- domain rules
