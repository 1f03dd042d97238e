"""Refusals that come before any parser trusts the input: shape of the descriptor, safe ids, CSV limits,
control characters, strict numbers, and where a cited section lies in its source text.

Each check names the place (file, row, column or key) so a clerk can fix it; none raises for bad input.
Rows are logical CSV rows with the header as row 1, as frictionless numbers them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from minhbach.errors import Issue
from minhbach.load import sources
from minhbach.validate.cells import (
    FIELD_TYPES,
    field_type_unknown,
    key_columns,
    key_not_nfc,
    nfc_duplicate,
    whole_cells,
)

# One rule for every id or name that becomes a path, a URL segment, an anchor or an IRI: lower-case ASCII
# letters and digits, inner dots and hyphens, never two dots in a row, at most 100 characters.
SAFE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]|\.(?!\.))*", re.ASCII)
MAX_ID = 100
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", re.ASCII)
MAX_COLUMNS = 200
MAX_CELL_CHARS = 20_000
# what no renderer can draw (vl-convert dies on NUL): C0 controls but tab/LF/CR, DEL, C1, non-characters
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def safe_id(value: str) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID and SAFE_ID.fullmatch(value) is not None


def id_columns(res: dict) -> list[str]:
    """Columns whose values become paths or anchors: every `*_id` string field."""
    return [
        f["name"] for f in res["schema"]["fields"] if f["name"].endswith("_id") and f.get("type", "string") == "string"
    ]


def descriptor_shape(d) -> list[Issue]:
    """The descriptor is an object with a list of resources, each with a safe name, a path and a list of
    named fields; checked before any code indexes into it."""
    if not isinstance(d, dict):
        return [
            Issue(
                "descriptor-invalid",
                f"datapackage.json must hold a JSON object, not a JSON {type(d).__name__.replace('list', 'array')}",
                file="datapackage.json",
                expected='{"name": ..., "resources": [...]}',
            )
        ]
    issues = []
    resources = d.get("resources")
    if not isinstance(resources, list) or not resources:
        return [
            Issue(
                "descriptor-invalid",
                "datapackage.json has no resources list",
                file="datapackage.json",
                column="resources",
            )
        ]
    if "version" in d and not (isinstance(d["version"], str) and SEMVER.fullmatch(d["version"])):
        issues.append(
            Issue(
                "version-invalid",
                "the package version must be MAJOR.MINOR.PATCH in ASCII digits (no spaces, newlines or leading zeros)",
                file="datapackage.json",
                column="version",
                value=repr(d["version"]),
                expected="e.g. 1.2.0",
            )
        )
    for n, res in enumerate(resources):
        where = f"resources[{n}]"
        if not isinstance(res, dict):
            issues.append(
                Issue("descriptor-invalid", f"{where} must be an object", file="datapackage.json", column=where)
            )
            continue
        name = res.get("name")
        if isinstance(name, str) and not safe_id(name.replace("_", "-")):
            issues.append(
                Issue(
                    "unsafe-id",
                    "a resource name becomes a file and page name: lower-case ASCII letters, digits, . - _",
                    file="datapackage.json",
                    column=f"{where}.name",
                    value=repr(name),
                    expected="e.g. kpi_observation",
                )
            )
        schema = res.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not fields:
            issues.append(
                Issue(
                    "descriptor-invalid",
                    f"{where}.schema.fields must be a non-empty list of field objects",
                    file="datapackage.json",
                    column=f"{where}.schema.fields",
                    value=None if fields is None else repr(fields)[:60],
                    expected='[{"name": ..., "type": ...}, ...]',
                )
            )
            continue
        for k, f in enumerate(fields):
            if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
                issues.append(
                    Issue(
                        "descriptor-invalid",
                        "every field needs a name",
                        file="datapackage.json",
                        column=f"{where}.schema.fields[{k}]",
                        value=repr(f)[:60],
                    )
                )
            elif isinstance(f.get("type"), str) and f["type"] not in FIELD_TYPES:
                issues.append(field_type_unknown(f["type"], f["name"], res, f"{where}.schema.fields[{k}].type"))
            elif not isinstance(f.get("type", "string"), str) or not isinstance(f.get("constraints", {}), dict):
                issues.append(
                    Issue(
                        "descriptor-invalid",
                        "a field's type is a word and its constraints an object",
                        file="datapackage.json",
                        column=f"{where}.schema.fields[{k}]",
                        value=repr(f)[:60],
                    )
                )
    return issues


def scan_cells(text: str, res: dict, path: str) -> list[Issue]:
    """One pass of the csv module over a table: quoting, column count, cell size, control characters,
    strict numbers (no NaN, inf, full-width digits or spaces) and safe ids, each with row and column."""
    with whole_cells(text):
        return _scan(text, res, path)


def _scan(text: str, res: dict, path: str) -> list[Issue]:
    fields = res["schema"]["fields"]
    types = {f["name"]: f.get("type", "string") for f in fields}
    ids = set(id_columns(res))
    pk = key_columns(res)
    keys: dict[tuple, tuple[int, tuple]] = {}  # NFC key -> (row, key as written)
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    ended = 0  # the last line of the last whole record
    try:
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            return [
                Issue(
                    "too-many-columns",
                    f"the header has {len(header):,} columns; at most {MAX_COLUMNS} are accepted",
                    file=path,
                    row=1,
                    expected=f"the {len(fields)} columns of the schema",
                )
            ]
        row_no = 1
        ended = reader.line_num
        for row in reader:
            row_no += 1
            ended = reader.line_num
            if len(row) > len(header):
                issues.append(
                    Issue(
                        "too-many-cells",
                        f"row has {len(row):,} cells; the header has {len(header)}",
                        file=path,
                        row=row_no,
                        expected=f"{len(header)} cells (is a comma missing its quotes?)",
                    )
                )
                continue
            by_col = dict(zip(header, row, strict=False))
            for col, cell in by_col.items():
                if (col in ids or col in pk) and cell != unicodedata.normalize("NFC", cell):
                    issues.append(key_not_nfc(cell, col, path, row_no))
                    continue
                issues += _cell(cell, col, types.get(col), col in ids, path, row_no)
            if pk and all(c in by_col for c in pk):
                issues += nfc_duplicate(keys, tuple(by_col[c] for c in pk), pk, path, row_no)
            if len(issues) > 100:
                break
    except csv.Error as exc:
        return issues + [
            Issue(
                "csv-malformed",
                f'the CSV cannot be read ({exc}): a quote (") in the record starting on line {ended + 1} '
                + _quote_fault(str(exc), reader.line_num - ended),
                file=path,
                row=reader.line_num or 1,
                expected="every quoted cell closed with a quote",
            )
        ]
    return issues


def _quote_fault(error: str, lines: int) -> str:
    if "end of data" in error:
        return "is left open: the file ends inside it"
    if lines > 1:
        return f"is left open: the cell runs over {lines} lines"
    return "is not followed by a comma: a quote inside a cell is written twice"


def _cell(cell: str, col: str, typ: str | None, is_id: bool, path: str, row: int) -> list[Issue]:
    if len(cell) > MAX_CELL_CHARS:
        # a cell that swallowed whole lines with commas may be a quote left open: say so only then
        swallowed = cell.count("\n") > 1 and cell.count(",") >= cell.count("\n")
        return [
            Issue(
                "cell-too-long",
                f"cell holds {len(cell):,} characters; at most {MAX_CELL_CHARS:,} are accepted"
                + (f' (it spans {cell.count(chr(10)) + 1:,} lines: is a quote (") left open?)' if swallowed else ""),
                file=path,
                row=row,
                column=col,
                value=cell[:40] + "…",
            )
        ]
    m = CONTROL.search(cell)
    if m:
        return [
            Issue(
                "control-character",
                f"cell holds the control character U+{ord(m.group()):04X}, which cannot be shown or drawn",
                file=path,
                row=row,
                column=col,
                value=repr(cell[max(0, m.start() - 20) : m.start() + 20]),
                expected="printable text (tabs and line breaks are allowed)",
            )
        ]
    if cell == "":
        return []
    if typ in ("number", "integer"):
        # what frictionless or pandas would wrongly accept (NaN, inf, "１２", " 12", "1_000"); other
        # malformed numbers are left to frictionless' type-error
        if not (NUMBER if typ == "number" else INTEGER).fullmatch(cell) and _lenient_number(cell):
            kind = "not-finite" if cell.strip().lower().lstrip("+-") in ("nan", "inf", "infinity") else "not-strict"
            return [
                Issue(
                    f"number-{kind}",
                    "NaN and infinity are not numbers a report prints"
                    if kind == "not-finite"
                    else f"a{'n integer' if typ == 'integer' else ' number'} in ASCII digits with a '.' decimal point",
                    file=path,
                    row=row,
                    column=col,
                    value=repr(cell[:40]),
                    expected="e.g. 1177370 or 0.3509",
                )
            ]
    if is_id and not safe_id(cell):
        return [
            Issue(
                "unsafe-id",
                "an id becomes a file name, a link and an IRI: lower-case ASCII letters, digits, inner . and -",
                file=path,
                row=row,
                column=col,
                value=repr(cell[:60]),
                expected=f"e.g. dn-2022-results (at most {MAX_ID} characters, no '..' or '/')",
            )
        ]
    return []


def _lenient_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return cell.strip().lower().lstrip("+-") in ("nan", "inf", "infinity")
    return True


def control_in_text(text: str, path: str) -> list[Issue]:
    """Source texts are shown on their pages: the same control characters are refused there (by line)."""
    m = CONTROL.search(text)
    if not m:
        return []
    return [
        Issue(
            "control-character",
            f"source text holds the control character U+{ord(m.group()):04X}",
            file=path,
            row=text[: m.start()].count("\n") + 1,
            value=repr(text[max(0, m.start() - 20) : m.start() + 20]),
        )
    ]


# ------------------------------------------------------------------ cited sections


def section_span(text: str, section: str) -> tuple[int, int] | None:
    """(start, end) of the cited section `A > B > C` in the source text (see sources.py: the document is indexed
    once, each section looked up once). None when a part is not found."""
    return sources.index_of(text).span(section)


def cited_text(text: str, section: str) -> str | None:
    """The text a row may quote: its section plus the document's footnotes (sources.DocumentIndex.cited)."""
    cited = sources.index_of(text).cited(section)
    return None if cited is None else cited.text


def token_in(needle: str, haystack: str) -> bool:
    """Does needle occur as a whole token? A number must not be part of a longer number (41 is not in 141,
    4,41 or 41,5); a word must not be part of a longer word. Runs of white space count as one space."""
    n = " ".join(needle.split())
    if not n:
        return False
    h = " ".join(haystack.split())
    if n[0].isdigit() or n[0] in "+-":
        pat = r"(?<![0-9.,])" + re.escape(n) + r"(?![0-9]|[.,][0-9])"
    else:
        pat = r"(?<!\w)" + re.escape(n) + (r"(?!\w)" if n[-1].isalnum() else "")
    return re.search(pat, h) is not None
