"""Stage 2: is the package fit to publish? Frictionless schema checks plus the domain's own rules.

Rows are numbered as lines of the CSV file (the header is row 1), as frictionless does, so a
message points at the line a person opens in an editor. Findings (values that disagree with each
other) are not errors here: compute.py reports them for publication.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import guards, rules
from .errors import Issue
from .load import Package, load_package, read_descriptor, safe_join
from .numbers import parse_vi

MAX_CSV_BYTES = 20 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,]*%?$")
TEXT_PAIRS = ("title", "name", "issuer", "region", "reason", "text", "definition", "funding", "note", "expansion")


def validate_package(root: Path, max_bytes: int = MAX_CSV_BYTES) -> tuple[list[Issue], Package | None]:
    """Every problem in the package at root; the loaded package when it is sound enough to use."""
    root = Path(root).resolve()
    descriptor = read_descriptor(root)
    issues = guards.descriptor_shape(descriptor) or check_descriptor(descriptor, root)
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
    issues = []
    if "\r" in text:
        issues.append(
            Issue(
                "line-endings",
                "file has Windows (CRLF) line endings; save it with LF line endings",
                file=path,
                row=text[: text.index("\r")].count("\n") + 1,
            )
        )
    first = text.split("\n", 1)[0].rstrip("\r")
    expected = [f["name"] for f in res["schema"]["fields"]]
    header = next(csv.reader(io.StringIO(first)), [])
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


def frictionless_issues(descriptor: dict, root: Path) -> list[Issue]:
    from frictionless import validate

    report = validate(descriptor, basepath=str(root))
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


def _rows(df: pd.DataFrame):
    """(line number in the file, row) pairs."""
    for i, row in enumerate(df.itertuples(index=False)):
        yield i + 2, row._asdict()


def _num_equal(a: Decimal | None, b) -> bool:
    if a is None or b is None or pd.isna(b):
        return False
    return abs(a - Decimal(repr(float(b)))) <= Decimal("1e-9") * max(Decimal(1), abs(a))


def domain_issues(pkg: Package) -> list[Issue]:
    issues: list[Issue] = []
    for res in pkg.descriptor["resources"]:
        name, path = res["name"], res["path"]
        df = pkg.tables[name]
        text_cols = [f["name"] for f in res["schema"]["fields"] if f.get("type", "string") == "string"]
        issues += check_text_cells(df, path, text_cols)
        issues += check_translations(df, path)
        if "source_id" in df.columns:
            issues += check_provenance(pkg, df, path)
    issues += check_source_files(pkg)
    issues += check_scores(pkg)
    issues += check_shares(pkg)
    issues = rules.apply(pkg, issues)
    return issues


def check_source_files(pkg: Package) -> list[Issue]:
    """Every source document must be a readable UTF-8 file inside data/: as_written is checked against it."""
    if "source" not in pkg.tables:
        return []
    path = pkg.resource("source")["path"]
    base = pkg.root / "data"
    issues = []
    for line, row in _rows(pkg.t("source")):
        rel = row.get("path")
        if pd.isna(rel):
            continue
        rel = str(rel)
        p = safe_join(base, rel)
        if p is None:
            issues.append(
                Issue(
                    "unsafe-path",
                    "source text path is unsafe; it must be relative to data/, inside it, and not hidden",
                    file=path,
                    row=line,
                    column="path",
                    value=rel,
                    expected="e.g. sources/<source_id>.txt",
                )
            )
        elif not p.is_file():
            issues.append(
                Issue(
                    "file-missing",
                    "source text file not found",
                    file=path,
                    row=line,
                    column="path",
                    value=rel,
                    expected=f"a file data/{rel}",
                )
            )
        elif row["source_id"] in pkg.source_texts:
            issues += guards.control_in_text(pkg.source_texts[row["source_id"]], f"data/{rel}")
        elif row["source_id"] not in pkg.source_texts:
            raw = p.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                issues.append(
                    Issue(
                        "encoding-error",
                        "source text is not UTF-8 (Windows-1258 or another legacy encoding?); save it as UTF-8",
                        file=f"data/{rel}",
                        row=raw[: exc.start].count(b"\n") + 1,
                        value=raw[exc.start : exc.start + 8].hex(" "),
                        expected="UTF-8 bytes",
                    )
                )
    return issues


def check_text_cells(df: pd.DataFrame, path: str, cols: list[str]) -> list[Issue]:
    issues = []
    for line, row in _rows(df):
        for c in cols:
            v = row.get(c)
            if isinstance(v, str) and v.startswith(FORMULA_START) and not PLAIN_NUMBER.match(v):
                issues.append(
                    Issue(
                        "formula-injection",
                        "text cell starts with a character spreadsheets run as a formula (= + - @ tab CR LF)",
                        file=path,
                        row=line,
                        column=c,
                        value=v[:60],
                        expected="text that does not start with = + - @",
                    )
                )
    return issues


def check_translations(df: pd.DataFrame, path: str) -> list[Issue]:
    issues = []
    for base in TEXT_PAIRS:
        vi, en = f"{base}_vi", f"{base}_en"
        if vi not in df.columns or en not in df.columns:
            continue
        for line, row in _rows(df):
            has_vi, has_en = not pd.isna(row[vi]), not pd.isna(row[en])
            if has_vi != has_en:
                missing = en if has_vi else vi
                issues.append(
                    Issue(
                        "missing-translation",
                        f"label has only one language; {missing} is empty",
                        file=path,
                        row=line,
                        column=missing,
                        value=str(row[vi] if has_vi else row[en])[:60],
                        expected="text in both languages",
                    )
                )
    return issues


def check_provenance(pkg: Package, df: pd.DataFrame, path: str) -> list[Issue]:
    issues = []
    known = set(pkg.tables["source"]["source_id"]) if "source" in pkg.tables else set()
    cited: dict[tuple[str, str], str | None] = {}
    has_value = "value" in df.columns or "amount" in df.columns
    value_col = "value" if "value" in df.columns else "amount"
    for line, row in _rows(df):
        src = row["source_id"]
        if path.endswith("source.csv"):
            continue
        if src not in known:
            issues.append(
                Issue(
                    "unknown-source",
                    "source_id is not a document in source.csv",
                    file=path,
                    row=line,
                    column="source_id",
                    value=str(src),
                    expected=", ".join(sorted(known)),
                )
            )
            continue
        text = pkg.source_texts.get(src)
        section = row.get("section")
        if text is not None and isinstance(section, str):
            if (src, section) not in cited:
                cited[(src, section)] = guards.cited_text(text, section)
            if cited[(src, section)] is None:
                issues.append(
                    Issue(
                        "section-not-found",
                        "the cited section is not a heading path of the source document",
                        file=path,
                        row=line,
                        column="section",
                        value=section[:80],
                        expected="headings of the source text, from the outermost, joined by ' > '",
                    )
                )
                continue
            text = cited[(src, section)]
        pairs = [
            ("as_written", value_col if has_value else None),
            ("numerator_as_written", "numerator"),
            ("denominator_as_written", "denominator"),
        ]
        for aw_col, val_col in pairs:
            aw = row.get(aw_col)
            if aw_col not in row or pd.isna(aw):
                continue
            aw = str(aw)
            if text is not None and not guards.token_in(aw, text):
                issues.append(
                    Issue(
                        "as-written-not-in-source",
                        "as_written does not occur as a whole token in the cited section of the source document",
                        file=path,
                        row=line,
                        column=aw_col,
                        value=aw[:80],
                        expected=f"an exact excerpt of data/{pkg.t('source').set_index('source_id').loc[src, 'path']}",
                    )
                )
            if val_col and val_col in row:
                issues += _check_parse(row, aw, aw_col, val_col, path, line)
    return issues


def _check_parse(row: dict, aw: str, aw_col: str, val_col: str, path: str, line: int) -> list[Issue]:
    val = row.get(val_col)
    if pd.isna(val):
        return []
    m = re.fullmatch(r"\s*([\d.,]+)\s*/\s*([\d.,]+)\s*", aw)
    if m and aw_col == "as_written":
        a, b = parse_vi(m.group(1)), parse_vi(m.group(2))
        ok = a is not None and _num_equal(a, val)
        for col, part in (("numerator", a), ("denominator", b)):
            if col in row and not pd.isna(row[col]) and not _num_equal(part, row[col]):
                ok = False
        if "out_of" in row and not pd.isna(row.get("out_of")) and not _num_equal(b, row["out_of"]):
            ok = False
        if ok:
            return []
        return [
            Issue(
                "as-written-mismatch",
                f"{aw_col} is a ratio that does not match {val_col}",
                file=path,
                row=line,
                column=val_col,
                value=str(val),
                expected=f"{a} (from {aw!r})",
            )
        ]
    parsed = parse_vi(aw)
    if parsed is None:
        return [
            Issue(
                "malformed-number",
                f"{aw_col} is not a number in Vietnamese format",
                file=path,
                row=line,
                column=aw_col,
                value=aw,
                expected="e.g. 1.177.370 or 0,3509 or 50,65%",
            )
        ]
    if not _num_equal(parsed, val):
        return [
            Issue(
                "as-written-mismatch",
                f"{val_col} differs from the number written in the source",
                file=path,
                row=line,
                column=val_col,
                value=str(val),
                expected=f"{parsed} (from {aw!r})",
            )
        ]
    return []


def check_scores(pkg: Package) -> list[Issue]:
    if "dti_observation" not in pkg.tables:
        return []
    path = pkg.resource("dti_observation")["path"]
    mi = pkg.t("main_index").set_index("main_index_id")["max_points"]
    link = pkg.t("main_index_pillar")
    pillar_max = {p: float(mi[g["main_index_id"]].sum()) for p, g in link.groupby("pillar_id")}
    prov = pkg.t("province").set_index("province_id")
    issues = []
    for line, row in _rows(pkg.t("dti_observation")):
        v, metric, scale = row["value"], row["metric"], row["scale"]
        if not pd.isna(row["pillar_id"]) and not pd.isna(row["main_index_id"]):
            issues.append(
                Issue(
                    "subject-ambiguous",
                    "a row is about a pillar or a main index, not both",
                    file=path,
                    row=line,
                    column="main_index_id",
                    value=str(row["main_index_id"]),
                )
            )
            continue
        if (row["statistic"] == "province") == pd.isna(row["province_id"]):
            issues.append(
                Issue(
                    "province-mismatch",
                    "province rows need province_id; national_mean rows must leave it empty",
                    file=path,
                    row=line,
                    column="province_id",
                    value=str(row["province_id"]),
                )
            )
        if metric == "score":
            if scale == "unit_interval":
                hi = 1.0
            elif scale == "points":
                if not pd.isna(row["main_index_id"]):
                    hi = float(mi.get(row["main_index_id"], float("nan")))
                elif not pd.isna(row["pillar_id"]):
                    hi = pillar_max.get(row["pillar_id"], float("nan"))
                else:
                    hi = float(mi.sum())
            else:
                issues.append(
                    Issue(
                        "scale-mismatch",
                        "a score needs scale unit_interval or points",
                        file=path,
                        row=line,
                        column="scale",
                        value=str(scale),
                    )
                )
                continue
            if not (0 <= v <= hi):
                issues.append(
                    Issue(
                        "score-out-of-scale",
                        f"score is outside its scale 0–{hi:g}",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected=f"0 ≤ value ≤ {hi:g} ({scale})",
                    )
                )
        elif metric == "rank":
            n = row["out_of"]
            limit = None
            if not pd.isna(row["province_id"]) and row["province_id"] in prov.index:
                col = "provinces_in_region" if row["rank_scope"] == "region" else "provinces_in_country"
                limit = int(prov.loc[row["province_id"], col])
            if pd.isna(n) or (limit is not None and n > limit):
                issues.append(
                    Issue(
                        "rank-out-of-range",
                        "out_of must be given and not exceed the number of provinces",
                        file=path,
                        row=line,
                        column="out_of",
                        value=str(n),
                        expected=f"1..{limit}",
                    )
                )
            elif not (1 <= v <= n) or v != int(v):
                issues.append(
                    Issue(
                        "rank-out-of-range",
                        f"rank must be a whole number from 1 to {n}",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected=f"1..{n}",
                    )
                )
    return issues


def check_shares(pkg: Package) -> list[Issue]:
    issues: list[Issue] = []
    if "kpi" not in pkg.tables:
        return issues
    units = pkg.t("kpi").set_index("kpi_id")["unit"]
    for name in ("kpi_observation", "target"):
        if name not in pkg.tables:
            continue
        path = pkg.resource(name)["path"]
        for line, row in _rows(pkg.t(name)):
            unit = units.get(row.get("kpi_id")) if not pd.isna(row.get("kpi_id")) else None
            v = row.get("value")
            if unit == "percent" and not pd.isna(v) and not (0 <= v <= 100):
                issues.append(
                    Issue(
                        "share-out-of-bounds",
                        "a percentage must be between 0 and 100",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected="0 ≤ value ≤ 100",
                    )
                )
            num, den = row.get("numerator"), row.get("denominator")
            if num is not None and den is not None and not pd.isna(num) and not pd.isna(den):
                if den <= 0 or num < 0:
                    issues.append(
                        Issue(
                            "ratio-invalid",
                            "denominator must be positive and numerator not negative",
                            file=path,
                            row=line,
                            column="denominator",
                            value=f"{num:g}/{den:g}",
                        )
                    )
            if not pd.isna(v) and v < 0 and unit not in (None,):
                issues.append(
                    Issue(
                        "negative-value",
                        "a KPI value cannot be negative",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected="≥ 0",
                    )
                )
    return issues
