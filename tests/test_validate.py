"""Tests feed broken packages and get the precise error for each.

The shipped package must be valid (frictionless and minhbach agree), and every fact row must quote its
source verbatim and parse to the stored value (checked here independently of validate.py). Then each
test copies the package, breaks one thing, and asserts the exact Issue (code, file, row, column) from
validate_package and that `minhbach validate` exits 1 and lists it in its JSON output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import ROOT, copy_package, run_cli
from minhbach.errors import Issue
from minhbach.validate.run import validate_package

# ------------------------------------------------------------------ helpers


def cli(*args: str) -> list[str]:
    exe = ROOT / ".venv" / "bin" / "minhbach"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "minhbach", *args]


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")]))
    return env


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
    """Change cells of the first row matching `where`; return its line number in the CSV (header = 1)."""
    header, rows = read_table(root, name)
    for i, row in enumerate(rows):
        if where(row):
            for k, v in changes.items():
                assert k in header, k
                row[k] = v
            write_table(root, name, header, rows)
            return i + 2
    raise AssertionError(f"no row of {name} matches")


def line_of(root: Path, name: str, where) -> int:
    _, rows = read_table(root, name)
    return next(i + 2 for i, r in enumerate(rows) if where(r))


def matching(issues, code, file, row, column) -> list:
    return [i for i in issues if i.code == code and i.file == file and i.row == row and i.column == column]


class Check:
    """Validate a package once: the Issues from validate_package, the exit code and JSON from the CLI.

    By default `minhbach validate --json` runs in this process with validate_package observed (one
    validation serves both); with real_cli=True the installed console script runs as a subprocess beside
    the in-process validate_package call.
    """

    def __init__(self, root: Path, real_cli: bool = False):
        self.root = root
        args = ["validate", "--data", str(root), "--json"]
        if real_cli:
            proc = subprocess.Popen(
                cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), cwd=str(ROOT)
            )
            self.issues, self.pkg = validate_package(root)
            self.stdout, self.stderr = proc.communicate(timeout=300)
            self.rc = proc.returncode
            return
        from minhbach import cli as cli_mod
        from minhbach.validate import run as validate_mod

        seen = []
        real = validate_mod.validate_package

        def observed(*a, **kw):
            seen.append(real(*a, **kw))
            return seen[-1]

        out, err = io.StringIO(), io.StringIO()
        validate_mod.validate_package = observed
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                self.rc = cli_mod.main(args)
        finally:
            validate_mod.validate_package = real
        assert len(seen) == 1
        self.issues, self.pkg = seen[0]
        self.stdout, self.stderr = out.getvalue(), err.getvalue()

    def expect(
        self,
        baseline: set,
        code: str,
        file: str,
        row: int | None,
        column: str | None,
        value: str | None = None,
        also: tuple[str, ...] = (),
    ) -> Issue:
        """The issue is reported exactly once, the CLI exits 1 and lists it, and nothing new appears elsewhere."""
        hits = matching(self.issues, code, file, row, column)
        assert len(hits) == 1, (
            f"expected one [{code}] at {file} row {row} column {column}; got:\n"
            + "\n".join(i.render() for i in self.issues if i not in baseline)[:3000]
        )
        issue = hits[0]
        if value is not None:
            assert issue.value == value
        assert issue.message and issue.place().startswith(file)
        new = [i for i in self.issues if i not in baseline and i is not issue]
        for i in new:  # consequences of the same broken cell are fine; anything elsewhere is not
            assert (i.file, i.row) == (file, row) and i.code in also, f"unexpected: {i.render()}"
        assert self.rc == 1, (self.rc, self.stderr[-2000:])
        payload = json.loads(self.stdout)
        assert payload["valid"] is False and payload["error_count"] == len(payload["errors"]) >= 1
        listed = [
            e
            for e in payload["errors"]
            if e["code"] == code and e.get("file") == file and e.get("row") == row and e.get("column") == column
        ]
        assert listed, f"[{code}] at {file} row {row} not in the --json output"
        return issue


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> set:
    """Issues of an untouched copy (empty once the package is complete; tolerates work in progress)."""
    root = copy_package(tmp_path_factory.mktemp("pristine"))
    issues, _ = validate_package(root)
    return set(issues)


@pytest.fixture
def pkg(tmp_path) -> Path:
    return copy_package(tmp_path / "pkg")


# ------------------------------------------------------------------ the shipped package


def test_shipped_package_is_valid_for_frictionless(monkeypatch):
    import frictionless

    monkeypatch.chdir(ROOT)
    report = frictionless.validate("datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_shipped_package_is_valid_for_minhbach():
    rc, out, err = run_cli("validate", "--data", str(ROOT))
    assert rc == 0, err[-3000:]
    assert "valid" in out


NUMBER_VI = re.compile(r"^([+-])?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?:\s*%)?$")
RATIO = re.compile(r"^\s*(\S+?)\s*/\s*(\S+?)\s*$")


def parse_vi(text: str) -> Decimal | None:
    """Vietnamese number text, written here from the spec (not validate.py): '.' thousands, ',' decimal."""
    m = NUMBER_VI.match(text.strip())
    if not m:
        return None
    sign, whole, frac = m.groups()
    d = Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    return -d if sign == "-" else d


def test_parse_vi_reference():
    assert parse_vi("1.177.370") == Decimal(1177370)
    assert parse_vi("0,3509") == Decimal("0.3509")
    assert parse_vi("50,65%") == Decimal("50.65")
    assert parse_vi("75,12 %") == Decimal("75.12")
    assert parse_vi("2.500.000,000") == Decimal(2500000)
    assert parse_vi("+14") == 14 and parse_vi("-7") == -7 and parse_vi("08") == 8
    for bad in ("abc", "1,2,3", "1.5", "1.2345", "", "12a", "--7"):
        assert parse_vi(bad) is None, bad


def fact_rows():
    """(file, line, row, value column) for every row of every resource with source_id and as_written."""
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in dp["resources"]:
        names = [f["name"] for f in res["schema"]["fields"]]
        if "source_id" not in names or "as_written" not in names:
            continue
        vcol = "value" if "value" in names else "amount" if "amount" in names else None
        with open(ROOT / res["path"], encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                yield res["path"], line, row, vcol


def test_every_fact_is_quoted_verbatim_and_parses_to_its_value():
    texts = {}
    with open(ROOT / "data" / "source.csv", encoding="utf-8", newline="") as f:
        for s in csv.DictReader(f):
            raw = (ROOT / "data" / s["path"]).read_text(encoding="utf-8")
            texts[s["source_id"]] = unicodedata.normalize("NFC", raw).replace("\u00a0", " ")
    problems, checked, compared = [], 0, 0
    for path, line, row, vcol in fact_rows():
        where = f"{path} row {line}"
        text = texts.get(row["source_id"])
        if text is None:
            problems.append(f"{where}: unknown source_id {row['source_id']!r}")
            continue
        pairs = [
            ("as_written", [vcol] if vcol else []),
            ("numerator_as_written", ["numerator"]),
            ("denominator_as_written", ["denominator"]),
        ]
        for aw_col, value_cols in pairs:
            aw = row.get(aw_col)
            if not aw:
                continue
            checked += 1
            if aw not in text:
                problems.append(f"{where}: {aw_col} {aw!r} is not in the text of {row['source_id']}")
            if aw_col == "as_written" and row.get("reading_note_vi") and row.get("reading_note_en"):
                continue  # a misprint: the value is what the document means, explained in both languages
            m = RATIO.match(aw) if aw_col == "as_written" else None
            if m and parse_vi(m.group(1)) is not None and parse_vi(m.group(2)) is not None:
                # 'a/b': a is the value (or numerator), b the denominator (or out_of, "41/63")
                a, b = parse_vi(m.group(1)), parse_vi(m.group(2))
                expect = [(c, a) for c in value_cols + ["numerator"]] + [(c, b) for c in ("denominator", "out_of")]
            elif any(row.get(c) for c in value_cols):
                n = parse_vi(aw)
                if n is None:
                    problems.append(f"{where}: {aw_col} {aw!r} is not a Vietnamese-format number")
                    continue
                expect = [(c, n) for c in value_cols]
            else:
                continue  # a quotation without a stored number (e.g. an assessment's reason)
            for col, want in expect:
                if row.get(col):
                    compared += 1
                    if Decimal(row[col]) != want:
                        problems.append(f"{where}: {col}={row[col]} but {aw_col} {aw!r} reads {want}")
    assert checked > 500 and compared > 500, (checked, compared)
    assert not problems, "\n".join(problems[:40])


# ------------------------------------------------------------------ broken packages, one thing each


def test_malformed_number_in_value_column(pkg, baseline):
    line = edit(pkg, "kpi_observation", lambda r: r["value"] != "", value="1,2,3")
    c = Check(pkg)
    c.expect(baseline, "type-error", "data/kpi_observation.csv", line, "value", value="1,2,3")
    assert c.pkg is None  # a type error stops before the domain rules: nothing half-loaded is used


def test_as_written_not_a_number(pkg, baseline):
    line = edit(pkg, "dti_observation", lambda r: r["metric"] == "score", as_written="abc")
    c = Check(pkg)
    c.expect(
        baseline,
        "malformed-number",
        "data/dti_observation.csv",
        line,
        "as_written",
        value="abc",
        also=("as-written-not-in-source",),
    )


def test_unknown_source_id(pkg, baseline):
    line = edit(pkg, "sub_indicator_count", lambda r: True, source_id="no-such-source")
    c = Check(pkg)
    c.expect(
        baseline,
        "unknown-source",
        "data/sub_indicator_count.csv",
        line,
        "source_id",
        value="no-such-source",
        also=("foreign-key",),
    )
    fk = matching(c.issues, "foreign-key", "data/sub_indicator_count.csv", line, "source_id")
    assert fk and fk[0].value == "no-such-source"


def test_missing_english_label(pkg, baseline):
    line = edit(pkg, "kpi", lambda r: r["name_vi"] != "", name_en="")
    c = Check(pkg)
    issue = c.expect(baseline, "missing-translation", "data/kpi.csv", line, "name_en", also=("constraint-error",))
    assert "name_en" in issue.message
    assert matching(c.issues, "constraint-error", "data/kpi.csv", line, "name_en")


def test_duplicate_primary_key(pkg, baseline):
    _, rows = read_table(pkg, "kpi_observation")
    first = rows[0]["observation_id"]
    line = edit(
        pkg, "kpi_observation", lambda r: r["observation_id"] == rows[3]["observation_id"], observation_id=first
    )
    c = Check(pkg)
    c.expect(baseline, "primary-key", "data/kpi_observation.csv", line, "observation_id", value=first)


def test_dangling_foreign_key(pkg, baseline):
    line = edit(pkg, "kpi_observation", lambda r: True, district_id="no-such-district")
    c = Check(pkg)
    c.expect(baseline, "foreign-key", "data/kpi_observation.csv", line, "district_id", value="no-such-district")


def test_score_above_unit_interval(pkg, baseline):
    line = edit(pkg, "dti_observation", lambda r: r["metric"] == "score" and r["scale"] == "unit_interval", value="1.7")
    c = Check(pkg)
    issue = c.expect(
        baseline,
        "score-out-of-scale",
        "data/dti_observation.csv",
        line,
        "value",
        value="1.7",
        also=("as-written-mismatch",),
    )
    assert "1" in issue.expected


def test_points_above_the_index_maximum(pkg, baseline):
    _, mi = read_table(pkg, "main_index")
    big = next(m["main_index_id"] for m in mi if Decimal(m["max_points"]) == 200)
    line = edit(
        pkg,
        "dti_observation",
        lambda r: r["metric"] == "score" and r["main_index_id"] == big,
        scale="points",
        value="250",
    )
    c = Check(pkg)
    issue = c.expect(
        baseline,
        "score-out-of-scale",
        "data/dti_observation.csv",
        line,
        "value",
        value="250",
        also=("as-written-mismatch",),
    )
    assert "200" in issue.expected


def test_rank_beyond_the_number_of_provinces(pkg, baseline):
    line = edit(pkg, "dti_observation", lambda r: r["metric"] == "rank" and r["out_of"] == "63", value="64")
    c = Check(pkg)
    issue = c.expect(
        baseline,
        "rank-out-of-range",
        "data/dti_observation.csv",
        line,
        "value",
        value="64",
        also=("as-written-mismatch",),
    )
    assert "63" in issue.expected


@pytest.mark.parametrize("bad", ["../x.csv", "/etc/passwd", ".hidden/x.csv"], ids=["parent", "absolute", "hidden"])
def test_unsafe_resource_path(pkg, baseline, bad):
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    n = next(i for i, r in enumerate(dp["resources"]) if r["name"] == "district")
    target = (pkg / bad) if not bad.startswith("/") else None
    if target is not None:  # the file exists: refused for where it is, not for being missing
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((pkg / dp["resources"][n]["path"]).read_bytes())
    dp["resources"][n]["path"] = bad
    (pkg / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2), encoding="utf-8")
    c = Check(pkg, real_cli=True)
    issue = c.expect(baseline, "unsafe-path", "datapackage.json", None, f"resources[{n}].path", value=bad)
    assert "district" in issue.message
    assert c.pkg is None


def test_formula_injection_named_but_negative_numbers_stay_valid(pkg, baseline):
    cell = '=HYPERLINK("http://example.invalid/","click")'
    line = edit(pkg, "kpi", lambda r: r["name_en"] != "", name_en=cell)
    c = Check(pkg)
    issue = c.expect(baseline, "formula-injection", "data/kpi.csv", line, "name_en")
    assert issue.value == cell[:60]
    # the shipped rank change of -7 (a negative number in a numeric column, as_written "-7") is not flagged
    neg = line_of(pkg, "dti_observation", lambda r: r["as_written"] == "-7" and Decimal(r["value"]) == -7)
    assert not [i for i in c.issues if i.file == "data/dti_observation.csv" and i.row == neg]


def test_percentage_above_100(pkg, baseline):
    _, kpis = read_table(pkg, "kpi")
    percent = {k["kpi_id"] for k in kpis if k["unit"] == "percent"}
    line = edit(pkg, "kpi_observation", lambda r: r["kpi_id"] in percent and r["value"] != "", value="120")
    c = Check(pkg)
    c.expect(
        baseline,
        "share-out-of-bounds",
        "data/kpi_observation.csv",
        line,
        "value",
        value="120",
        also=("as-written-mismatch",),
    )
