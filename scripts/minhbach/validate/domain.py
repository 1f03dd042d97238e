"""Stage 2b: the domain's own rules on a package that frictionless accepted: every value traceable to its
source text, labels in both languages, no spreadsheet formulas; the numbers' bounds (scores, ranks, shares) are
bounds.py. Each rule returns Issues with the file, row (CSV line) and column.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from minhbach.errors import Issue
from minhbach.load import sources
from minhbach.load.package import Package, safe_join
from minhbach.numbers import parse_vi
from minhbach.validate import guards, rules
from minhbach.validate.bounds import check_rank_bases, check_scores, check_shares
from minhbach.validate.bounds import rows as _rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_NAMES = {"\t": "a tab (U+0009)", "\r": "a carriage return (U+000D)", "\n": "a line break (U+000A)"}
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,]*%?$")
TEXT_PAIRS = ("title", "name", "issuer", "region", "reason", "text", "definition", "funding", "note", "expansion")


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
    issues += check_rank_bases(pkg)
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
                        f"text cell starts with {_FORMULA_NAMES.get(v[0], repr(v[0]))}, which a spreadsheet "
                        "opening the CSV runs as a formula",
                        file=path,
                        row=line,
                        column=c,
                        value=v[:60],
                        expected="text not starting with = + - @, a tab or a line break (a number may carry a sign)",
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
        doc = pkg.source_texts.get(src)
        section = row.get("section")
        cited = None
        if doc is not None:
            index = sources.index_of(doc)
            cited = index.cited(section) if isinstance(section, str) else index.whole()
            if cited is None and isinstance(section, str):
                issues.append(
                    Issue(
                        "section-not-found",
                        "the cited section is not a heading path of the source document",
                        file=path,
                        row=line,
                        column="section",
                        value=section[:80],
                        expected="headings of the source text, from the outermost, joined by ' > '; "
                        + index.suggestion(section),
                    )
                )
                continue
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
            if cited is not None and not cited.contains(aw):
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
