"""Hostile and careless input: each case expects a clear error naming the place, or safe output.

Every case works on a copy of the shipped package (copy_package). One site build renders all the
hostile labels at once; the other cases stop in validation, or (release version reused) in publishing,
and must leave a previously built site byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import json
import re
import shutil
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, bump_version, copy_package
from minhbach.build import build_site
from minhbach.errors import Failed
from minhbach.validate.run import validate_package

FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
BASE_URL = "http://127.0.0.1:9/"

# ------------------------------------------------------------------ helpers


def read_table(root: Path, name: str) -> tuple[list[str], list[dict]]:
    with open(root / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_table(root: Path, name: str, header: list[str], rows: list[dict]) -> None:
    with open(root / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def edit(root: Path, name: str, where, **changes) -> int:
    """Change cells of the first row matching `where`; return its line number (header = 1)."""
    header, rows = read_table(root, name)
    for i, row in enumerate(rows):
        if where(row):
            row.update(changes)
            write_table(root, name, header, rows)
            return i + 2
    raise AssertionError(f"no row of {name} matches")


def cli_run(root: Path, *extra: str, observe: list | None = None) -> tuple[int, str, str]:
    """`minhbach validate --data root` through the CLI code in this process: (exit code, stdout, stderr).

    With observe=[], what validate_package returned to the CLI is appended to it (one validation, two views).
    """
    from minhbach import cli
    from minhbach.validate import run as validate_mod

    real = validate_mod.validate_package

    def observed(*a, **kw):
        result = real(*a, **kw)
        observe.append(result)
        return result

    out, err = io.StringIO(), io.StringIO()
    if observe is not None:
        validate_mod.validate_package = observed
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(["validate", "--data", str(root), *extra])
    finally:
        validate_mod.validate_package = real
    return rc, out.getvalue(), err.getvalue()


def assert_refused(root: Path, code: str, file: str, row: int | None = None, column: str | None = None):
    """validate_package names the place; `minhbach validate` exits 1, says it in words and in JSON."""
    seen: list = []
    rc, out, err = cli_run(root, observe=seen)
    assert len(seen) == 1
    issues, pkg = seen[0]
    hits = [i for i in issues if (i.code, i.file, i.row, i.column) == (code, file, row, column)]
    assert hits, f"no [{code}] at {file} row {row} column {column}:\n" + "\n".join(i.render() for i in issues)[:3000]
    assert rc == 1
    assert "internal error" not in err.lower() and "Traceback" not in err, err[-2000:]
    assert hits[0].render() in err and "nothing was published" in err
    rc, out, _ = cli_run(root, "--json")
    assert rc == 1
    payload = json.loads(out)
    assert not payload["valid"]
    assert any(
        e["code"] == code and e.get("file") == file and e.get("row") == row and e.get("column") == column
        for e in payload["errors"]
    )
    return hits[0], issues


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def pkg(tmp_path) -> Path:
    return copy_package(tmp_path / "pkg")


# ------------------------------------------------------------------ hostile labels: one build, safe output

SCRIPT = "<script>alert(1)</script>"
MD_LINK = "[x](javascript:alert(1))"
IMG = "<img src=x onerror=alert(2)>"
LABELS = {
    # (table, key column, column): text
    ("kpi", "kpi_id", "name_en"): f"Share {SCRIPT} of units",
    ("organisation", "organisation_id", "name_vi"): f"Sở {MD_LINK} thử",
    ("organisation", "organisation_id", "name_en"): f"Department {IMG} test",
    ("task", "task_id", "name_vi"): "Nhiệm vụ {{ 7*7 }} thử",
    ("glossary", "term", "expansion_vi"): "mạng {% raw %}di động{% endraw %} {{ 7*7 }} thế hệ",
    ("glossary", "term", "expansion_en"): "network {% for i in range(3) %}{{ i }}{% endfor %} generation",
}
EVALUATED = ["Nhiệm vụ 49 thử", "mạng di động 49 thế hệ", "network 012 generation"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for k, v in attrs:
            if k in ("href", "src", "action", "formaction", "xlink:href") and v is not None:
                self.urls.append(v)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The shipped package with hostile labels in four tables, built once into out/site."""
    tmp = tmp_path_factory.mktemp("hostile")
    root = copy_package(tmp / "pkg")
    bump_version(root)
    keys = {}
    for (table, key, col), text in LABELS.items():
        _, rows = read_table(root, table)
        keys.setdefault(table, rows[1][key])  # the second row: a real, linked entry of each table
        edit(root, table, lambda r, k=keys[table], kc=key: r[kc] == k, **{col: text})
    out = tmp / "out"
    build_site(root, out, ROOT, base_url=BASE_URL, force=True)
    return root, out


def test_hostile_labels_are_shown_as_text_and_never_run(hostile_site):
    _, out = hostile_site
    site = out / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    shown = {text: [] for text in LABELS.values()}
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        text = html.unescape(raw)
        where = str(page.relative_to(site))
        for label in shown:
            if label in text:
                shown[label].append(where)
        for evaluated in EVALUATED:
            assert evaluated not in text, f"{where}: a Jinja expression from the data was evaluated"
        low = raw.lower()
        assert "<script>alert(1)" not in low, where
        assert "<img src=x" not in low and "onerror=alert" not in low, where
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", low), where
        parser = Links()
        parser.feed(raw)
        for url in parser.urls:  # attribute values, entities decoded as a browser would
            assert not "".join(url.split()).lower().startswith(("javascript:", "vbscript:", "data:text/html")), (
                where,
                url,
            )
        for tag, attrs in parser.tags:
            assert not any(k.startswith("on") for k in attrs), (where, tag, attrs)
        # a script element holds only our own code or JSON: no label text inside one
        for body in re.findall(r"<script\b[^>]*>(.*?)</script>", raw, flags=re.S | re.I):
            assert "alert(" not in html.unescape(body), where
    for label, where in shown.items():
        assert where, f"{label!r} is not shown literally on any page"
    # each label reaches the pages that list its table (Vietnamese labels on Vietnamese pages and so on)
    assert any(p.startswith("en/") for p in shown[LABELS[("kpi", "kpi_id", "name_en")]])
    assert any(not p.startswith("en/") for p in shown[LABELS[("task", "task_id", "name_vi")]])
    assert any("glossary" in p for p in shown[LABELS[("glossary", "term", "expansion_vi")]])
    assert "{{ 7*7 }}" in "".join(html.unescape(p.read_text(encoding="utf-8")) for p in pages if "glossary" in str(p))


# ------------------------------------------------------------------ unsafe paths


@pytest.mark.parametrize(
    "bad", ["../outside.csv", "/etc/passwd", "data/../../outside.csv"], ids=["parent", "absolute", "dotdot-inside"]
)
def test_unsafe_resource_path_refuses_the_build(pkg, tmp_path, bad):
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    n = next(i for i, r in enumerate(dp["resources"]) if r["name"] == "district")
    if not bad.startswith("/"):
        (tmp_path / "outside.csv").write_bytes((pkg / dp["resources"][n]["path"]).read_bytes())
    dp["resources"][n]["path"] = bad
    (pkg / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(Failed) as exc:
        build_site(pkg, tmp_path / "out", ROOT, base_url=BASE_URL, force=True)
    hits = [i for i in exc.value.issues if i.code == "unsafe-path"]
    assert len(hits) == 1 and hits[0].file == "datapackage.json" and hits[0].column == f"resources[{n}].path"
    assert hits[0].value == bad and "district" in hits[0].message
    assert not (tmp_path / "out" / "site").exists()
    assert_refused(pkg, "unsafe-path", "datapackage.json", None, f"resources[{n}].path")


def test_symlink_out_of_the_package_is_refused(pkg, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_bytes((pkg / "data" / "district.csv").read_bytes())
    (pkg / "data" / "district.csv").unlink()
    (pkg / "data" / "district.csv").symlink_to(outside)
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    n = next(i for i, r in enumerate(dp["resources"]) if r["name"] == "district")
    assert_refused(pkg, "unsafe-path", "datapackage.json", None, f"resources[{n}].path")


def test_source_text_path_outside_data_is_refused(pkg):
    line = edit(pkg, "source", lambda r: True, path="../../../../etc/passwd")
    issue, _ = assert_refused(pkg, "unsafe-path", "data/source.csv", line, "path")
    assert issue.value == "../../../../etc/passwd"


# ------------------------------------------------------------------ encodings and Excel


def cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 stores it: base letter (with ^ ˘ ơ ư) plus a combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        # characters Windows-1258 lacks become '?', as a legacy "Save as" does
        out.append((base + "".join(c for c in d if c in tones)).encode("cp1258", errors="replace"))
    return b"".join(out)


def test_windows_1258_csv_is_named(pkg):
    path = pkg / "data" / "district.csv"
    text = path.read_text(encoding="utf-8")
    data = cp1258(text)
    assert data != text.encode("utf-8")
    path.write_bytes(data)
    first_bad = next(i for i, line in enumerate(text.split("\n"), start=1) if not line.isascii())
    issue, issues = assert_refused(pkg, "encoding-error", "data/district.csv", first_bad)
    assert "UTF-8" in issue.message and "1258" in issue.message
    assert len(issues) == 1  # stops there: no cascade of type errors from mangled text


def test_source_text_in_windows_1258_is_named(pkg):
    _, rows = read_table(pkg, "source")
    path = pkg / "data" / rows[0]["path"]
    text = path.read_text(encoding="utf-8")
    path.write_bytes(cp1258(text))
    first_bad = next(i for i, line in enumerate(text.split("\n"), start=1) if not line.isascii())
    issue, _ = assert_refused(pkg, "encoding-error", f"data/{rows[0]['path']}", first_bad)
    assert "UTF-8" in issue.message


def test_csv_with_bom_is_named(pkg):
    path = pkg / "data" / "kpi.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    issue, issues = assert_refused(pkg, "encoding-bom", "data/kpi.csv", 1)
    assert "BOM" in issue.message
    assert len(issues) == 1


def test_excel_vietnamese_locale_csv_is_named(pkg):
    fixture = (FIXTURES / "dti_observation-excel-vi.csv").read_bytes()
    assert b"\r\n" in fixture and b";" in fixture.split(b"\r\n")[0] and b";0,4014;" in fixture
    (pkg / "data" / "dti_observation.csv").write_bytes(fixture)
    issue, issues = assert_refused(pkg, "wrong-delimiter", "data/dti_observation.csv", 1)
    assert "';'" in issue.message and "','" in issue.message
    assert [i for i in issues if i.code == "line-endings" and i.file == "data/dti_observation.csv" and i.row == 1]
    assert {i.file for i in issues} == {"data/dti_observation.csv"}


# ------------------------------------------------------------------ shape of the tables


@pytest.mark.parametrize("content", [b"", b"\n \n"], ids=["zero-bytes", "blank-lines"])
def test_empty_file_is_named(pkg, content):
    (pkg / "data" / "kpi.csv").write_bytes(content)
    issue, issues = assert_refused(pkg, "file-empty", "data/kpi.csv")
    assert "header" in issue.message
    assert len(issues) == 1


def test_missing_column_is_named(pkg):
    header, rows = read_table(pkg, "kpi_observation")
    header.remove("qualifier")
    for r in rows:
        del r["qualifier"]
    write_table(pkg, "kpi_observation", header, rows)
    issue, issues = assert_refused(pkg, "missing-column", "data/kpi_observation.csv", 1, "qualifier")
    assert "qualifier" in issue.message
    assert {i.code for i in issues} == {"missing-column"}


def test_extra_column_is_named(pkg):
    header, rows = read_table(pkg, "kpi_observation")
    header.insert(3, "comment")
    for r in rows:
        r["comment"] = "checked"
    write_table(pkg, "kpi_observation", header, rows)
    issue, issues = assert_refused(pkg, "extra-column", "data/kpi_observation.csv", 1, "comment")
    assert {i.code for i in issues} == {"extra-column"}


def test_50_mb_csv_fails_fast_with_a_size_message(pkg, tmp_path):
    path = pkg / "data" / "kpi_observation.csv"
    header, body = path.read_bytes().split(b"\n", 1)
    target = 50 * 1024 * 1024
    with open(path, "wb") as f:
        f.write(header + b"\n")
        written = 0
        while written < target:
            f.write(body)
            written += len(body)
    size = path.stat().st_size
    assert size >= target
    t0 = time.perf_counter()
    issues, pkg_loaded = validate_package(pkg)
    elapsed = time.perf_counter() - t0
    assert elapsed < 5, f"validation took {elapsed:.1f} s on a {size:,}-byte file"
    assert pkg_loaded is None
    hits = [i for i in issues if i.code == "file-too-large"]
    assert len(hits) == 1 and hits[0].file == "data/kpi_observation.csv"
    assert f"{size:,}" in hits[0].message and "limit" in hits[0].message
    t0 = time.perf_counter()
    with pytest.raises(Failed) as exc:
        build_site(pkg, tmp_path / "out", ROOT, base_url=BASE_URL, force=True)
    assert time.perf_counter() - t0 < 5
    assert [i.code for i in exc.value.issues] == ["file-too-large"]
    rc, out, _ = cli_run(pkg, "--json")
    assert rc == 1 and json.loads(out)["errors"][0]["code"] == "file-too-large"


# ------------------------------------------------------------------ releases and atomic publishing


def copy_site(src_out: Path, dst_out: Path) -> dict[str, str]:
    """A good site (and the chart cache) in dst_out, as the last good build left it; returns its hashes."""
    shutil.copytree(src_out / "site", dst_out / "site")
    if (src_out / "cache").is_dir():
        shutil.copytree(src_out / "cache", dst_out / "cache")
    return tree_hashes(dst_out / "site")


def test_release_version_reused_with_other_data_is_refused(hostile_site, pkg, tmp_path):
    version = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["version"]
    rel = pkg / "releases" / version
    if rel.exists():
        shutil.rmtree(rel)
    rel.mkdir(parents=True)
    shutil.copy2(pkg / "datapackage.json", rel / "datapackage.json")
    shutil.copytree(pkg / "data", rel / "data")
    edit(pkg, "kpi", lambda r: True, name_en="Provincial digital transformation steering committee (revised)")
    assert json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["version"] == version
    out = tmp_path / "out"
    before = copy_site(hostile_site[1], out)
    with pytest.raises(Failed) as exc:
        build_site(pkg, out, ROOT, base_url=BASE_URL, force=True)
    issues = exc.value.issues
    assert [i.code for i in issues] == ["release-version-reused"]
    assert issues[0].file == "datapackage.json" and issues[0].column == "version" and issues[0].value == version
    assert tree_hashes(out / "site") == before  # failed late (while publishing), still nothing swapped in
    assert {p.name for p in out.iterdir()} - {"cache"} == {"site"}  # no unpublished tree, no .minhbach-tmp


def test_failed_build_leaves_the_last_good_site_byte_identical(hostile_site, pkg, tmp_path):
    out = tmp_path / "out"
    before = copy_site(hostile_site[1], out)
    assert len(before) > 100
    line = edit(pkg, "kpi_observation", lambda r: r["value"] != "", value="1,2,3")
    with pytest.raises(Failed) as exc:
        build_site(pkg, out, ROOT, base_url=BASE_URL, force=True)
    assert [(i.code, i.file, i.row, i.column) for i in exc.value.issues] == [
        ("type-error", "data/kpi_observation.csv", line, "value")
    ]
    assert tree_hashes(out / "site") == before
    assert {p.name for p in out.iterdir()} - {"cache"} == {"site"}  # no unpublished tree, no .minhbach-tmp


# ------------------------------------------------------------------ issue 13: the careless and hostile corpus
# Each case mutates a copy of the package and expects one exact refusal (code, file, row, column) from
# `minhbach validate`: exit 1, the rendered message on stderr, and no traceback. None of them builds.


def set_cell(root: Path, table: str, column: str, text: str, nth: int = 0) -> int:
    """Put text into `column` of the nth row of `table`; return the row number (header = 1)."""
    header, rows = read_table(root, table)
    rows[nth][column] = text
    write_table(root, table, header, rows)
    return nth + 2


def raw_append(root: Path, table: str, line: str) -> int:
    """Append one raw line to a table's CSV; return its row number."""
    path = root / "data" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def save_descriptor(root: Path, d) -> None:
    (root / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")


def drop_pattern(root: Path, table: str, column: str) -> None:
    """Remove the descriptor's pattern constraint, so only the code's own id check stands in the way."""
    d = descriptor(root)
    res = next(r for r in d["resources"] if r["name"] == table)
    for f in res["schema"]["fields"]:
        if f["name"] == column:
            f.get("constraints", {}).pop("pattern", None)
    save_descriptor(root, d)


def res_index(root: Path, name: str) -> int:
    return next(i for i, r in enumerate(descriptor(root)["resources"]) if r["name"] == name)


def refused(root: Path, code: str, file: str, row: int | None, column: str | None) -> list:
    """One run of `minhbach validate`: exit 1, the issue at exactly that place, rendered, no traceback."""
    seen: list = []
    rc, out, err = cli_run(root, observe=seen)
    assert rc == 1, (out, err)
    assert "Traceback" not in err and "Traceback" not in out
    issues = seen[0][0] if seen else []
    hits = [i for i in issues if (i.code, i.file, i.row, i.column) == (code, file, row, column)]
    assert hits, f"no [{code}] at {file} row {row} column {column}:\n" + err[:3000]
    assert hits[0].render() in err
    return hits


def _nan(root):
    return set_cell(root, "dti_observation", "value", "NaN"), "number-not-finite", "dti_observation", "value"


def _inf(root):
    return set_cell(root, "kpi_observation", "value", "inf", 3), "number-not-finite", "kpi_observation", "value"


def _neg_infinity(root):
    return set_cell(root, "budget_item", "amount", "-Infinity", 1), "number-not-finite", "budget_item", "amount"


def _fullwidth_number(root):
    return set_cell(root, "kpi_observation", "value", "１２", 2), "number-not-strict", "kpi_observation", "value"


def _arabic_indic_number(root):
    return set_cell(root, "dti_observation", "value", "٤١", 4), "number-not-strict", "dti_observation", "value"


def _spaced_number(root):
    return set_cell(root, "dti_observation", "value", " 0.4", 1), "number-not-strict", "dti_observation", "value"


def _underscore_number(root):
    return set_cell(root, "budget_item", "amount", "1_000", 2), "number-not-strict", "budget_item", "amount"


def _fullwidth_year(root):
    return set_cell(root, "dti_observation", "year", "２０２１"), "number-not-strict", "dti_observation", "year"


def _nul_in_label(root):
    return set_cell(root, "kpi", "name_en", "Share\x00of units"), "control-character", "kpi", "name_en"


def _bell_in_label(root):
    return set_cell(root, "pillar", "name_vi", "Ch\x07nh"), "control-character", "pillar", "name_vi"


def _escape_in_title(root):
    return set_cell(root, "source", "title_en", "Report \x1b[31m red"), "control-character", "source", "title_en"


def _c1_control(root):
    return set_cell(root, "organisation", "name_en", "Dept\x85x"), "control-character", "organisation", "name_en"


def _huge_cell(root):
    return set_cell(root, "glossary", "note_en", "x" * 200_000), "cell-too-long", "glossary", "note_en"


def _wide_row(root):
    return raw_append(root, "district", ",".join(["x"] * 10_000)), "too-many-cells", "district", None


def _unbalanced_quote(root):
    return raw_append(root, "district", 'q1,dak-nong,"Quận,Quận,district,9'), "csv-malformed", "district", None


def _id_parent(root):
    drop_pattern(root, "pillar", "pillar_id")
    return set_cell(root, "pillar", "pillar_id", "../../x"), "unsafe-id", "pillar", "pillar_id"


def _id_absolute(root):
    drop_pattern(root, "source", "source_id")
    return set_cell(root, "source", "source_id", "/etc/x"), "unsafe-id", "source", "source_id"


def _id_double_dot(root):
    drop_pattern(root, "main_index", "main_index_id")
    return set_cell(root, "main_index", "main_index_id", "a..b"), "unsafe-id", "main_index", "main_index_id"


def _id_unicode(root):
    drop_pattern(root, "district", "district_id")
    return set_cell(root, "district", "district_id", "đắk-mil"), "unsafe-id", "district", "district_id"


def _id_upper_slash(root):
    drop_pattern(root, "kpi", "kpi_id")
    return set_cell(root, "kpi", "kpi_id", "A/B"), "unsafe-id", "kpi", "kpi_id"


def _id_too_long(root):
    drop_pattern(root, "task", "task_id")
    return set_cell(root, "task", "task_id", "a" * 101), "unsafe-id", "task", "task_id"


def _rank_changed(root):
    """A rank changed from 41 to 59: "59" is in the document, not in the cited section."""
    header, rows = read_table(root, "dti_observation")
    n = next(i for i, r in enumerate(rows) if r["metric"] == "rank" and r["as_written"] == "41")
    src = next(r for r in read_table(root, "source")[1] if r["source_id"] == rows[n]["source_id"])
    assert "59" in (root / "data" / src["path"]).read_text(encoding="utf-8")  # the old check passed this
    rows[n].update(value="59", as_written="59")
    write_table(root, "dti_observation", header, rows)
    return n + 2, "as-written-not-in-source", "dti_observation", "as_written"


def _part_of_a_longer_number(root):
    """as_written "1.07" where the section prints 1.073: a whole token is required."""
    header, rows = read_table(root, "kpi_observation")
    n = next(i for i, r in enumerate(rows) if r["numerator_as_written"] == "1.073")
    rows[n]["numerator_as_written"] = "1.07"
    rows[n]["numerator"] = "1070"
    write_table(root, "kpi_observation", header, rows)
    return n + 2, "as-written-not-in-source", "kpi_observation", "numerator_as_written"


def _section_missing(root):
    return (
        set_cell(root, "dti_observation", "section", "PHẦN IX > Không có mục này"),
        "section-not-found",
        "dti_observation",
        "section",
    )


CELL_CASES = {
    f.__name__.lstrip("_"): f
    for f in (
        _nan,
        _inf,
        _neg_infinity,
        _fullwidth_number,
        _arabic_indic_number,
        _spaced_number,
        _underscore_number,
        _fullwidth_year,
        _nul_in_label,
        _bell_in_label,
        _escape_in_title,
        _c1_control,
        _huge_cell,
        _wide_row,
        _unbalanced_quote,
        _id_parent,
        _id_absolute,
        _id_double_dot,
        _id_unicode,
        _id_upper_slash,
        _id_too_long,
        _rank_changed,
        _part_of_a_longer_number,
        _section_missing,
    )
}


@pytest.mark.parametrize("case", list(CELL_CASES))
def test_careless_cell_is_refused_with_its_place(pkg, case):
    row, code, table, column = CELL_CASES[case](pkg)
    refused(pkg, code, f"data/{table}.csv", row, column)


def test_header_with_10000_columns_is_refused(pkg):
    path = pkg / "data" / "district.csv"
    head, body = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(head + "," + ",".join(f"c{i}" for i in range(10_000)) + "\n" + body, encoding="utf-8")
    t0 = time.perf_counter()
    hits = refused(pkg, "too-many-columns", "data/district.csv", 1, None)
    assert "10,006 columns" in hits[0].message
    assert time.perf_counter() - t0 < 10


def test_source_text_with_nul_is_refused(pkg):
    _, rows = read_table(pkg, "source")
    path = pkg / "data" / rows[0]["path"]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] += "\x00"
    path.write_text("\n".join(lines), encoding="utf-8")
    refused(pkg, "control-character", f"data/{rows[0]['path']}", 5, None)


# descriptor shapes: (mutation of the parsed descriptor, code, column)
def _array(d):
    return [d], "descriptor-invalid", None


def _fields_string(d):
    d["resources"][3]["schema"]["fields"] = "pillar_id,name_vi"
    return d, "descriptor-invalid", "resources[3].schema.fields"


def _fields_missing(d):
    del d["resources"][2]["schema"]["fields"]
    return d, "descriptor-invalid", "resources[2].schema.fields"


def _schema_string(d):
    d["resources"][1]["schema"] = "schema.json"
    return d, "descriptor-invalid", "resources[1].schema.fields"


def _resource_string(d):
    d["resources"][4] = "data/main_index.csv"
    return d, "descriptor-invalid", "resources[4]"


def _field_without_name(d):
    d["resources"][0]["schema"]["fields"][1] = {"type": "string"}
    return d, "descriptor-invalid", "resources[0].schema.fields[1]"


def _resources_object(d):
    d["resources"] = {"pillar": d["resources"][3]}
    return d, "descriptor-invalid", "resources"


def _resource_name_parent(d):
    d["resources"][3]["name"] = "../x"
    return d, "unsafe-id", "resources[3].name"


def _version_newline(d):
    d["version"] = d["version"] + "\n"
    return d, "version-invalid", "version"


def _version_fullwidth(d):
    d["version"] = "１.２.０"
    return d, "version-invalid", "version"


def _version_arabic_indic(d):
    d["version"] = "١.٢.٠"
    return d, "version-invalid", "version"


def _version_number(d):
    d["version"] = 1.2
    return d, "version-invalid", "version"


DESCRIPTOR_CASES = {
    f.__name__.lstrip("_"): f
    for f in (
        _array,
        _fields_string,
        _fields_missing,
        _schema_string,
        _resource_string,
        _field_without_name,
        _resources_object,
        _resource_name_parent,
        _version_newline,
        _version_fullwidth,
        _version_arabic_indic,
        _version_number,
    )
}


@pytest.mark.parametrize("case", list(DESCRIPTOR_CASES))
def test_careless_descriptor_is_refused_with_its_key(pkg, case):
    d, code, column = DESCRIPTOR_CASES[case](descriptor(pkg))
    save_descriptor(pkg, d)
    refused(pkg, code, "datapackage.json", None, column)


def test_truncated_descriptor_is_refused(pkg):
    (pkg / "datapackage.json").write_text('{"name": "x", "resources": [', encoding="utf-8")
    rc, out, err = cli_run(pkg)
    assert rc == 1 and "Traceback" not in err
    assert "[descriptor-invalid] datapackage.json: datapackage.json is not valid UTF-8 JSON" in err
    assert "line 1 column 29" in err
