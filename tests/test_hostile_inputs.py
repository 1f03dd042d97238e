"""Issue 24, items 2 and 4: public addresses checked before any work, and keys and cells that look alike.

Every address case runs the real `minhbach` command (build, validate and release in this process through
`cli.main`; serve in a subprocess, since a serve that wrongly binds must not hang the session) on a copy
of the shipped package and expects one `bad-address` line naming where the value came from, a non-zero exit,
nothing written, and never an internal error. The cell cases run `minhbach validate` and expect the exact code
and place (file, row, column).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from helpers import ROOT, copy_package, run_cli

BAD = {
    "javascript": "javascript:alert(1)//",
    "data": "data:text/html,<script>alert(1)</script>",
    "quote": 'https://example.org/"><script>alert(1)</script>',
    "newline": "https://example.org/\nx",
}
GOOD = ("https://dti.example.org/", "http://127.0.0.1:8000/")


def run(*args: str, timeout: float = 120) -> tuple[int, str, str]:
    if args[0] != "serve":
        return run_cli(*args)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "MINHBACH_CACHE_DIR": os.environ.get(
        "MINHBACH_CACHE_DIR", "/tmp/mb-cache-tests")}  # fmt: skip
    p = subprocess.run(
        [sys.executable, "-m", "minhbach", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )
    return p.returncode, p.stdout, p.stderr


def no_internal_error(out: str, err: str) -> None:
    for text in (out, err):
        assert "internal error" not in text.lower() and "Traceback" not in text, text[-2000:]


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def save_descriptor(root: Path, d: dict) -> None:
    (root / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")


def set_homepage(root: Path, value: str) -> None:
    d = descriptor(root)
    d["homepage"] = value
    save_descriptor(root, d)


def break_a_cell(root: Path) -> None:
    """A data error validation would name (NaN in a number): an address refused first never gets that far."""
    set_cell(root, "dti_observation", "value", "NaN")


def bad_address_line(err: str, place: str, value: str, expect: str = "https://") -> str:
    """The one `bad-address` line: its place and the value escaped (a newline shown as \\n, not a new line)."""
    lines = [ln for ln in err.splitlines() if ln.startswith("[bad-address]")]
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(f"[bad-address] {place}:"), line
    assert repr(value) in line, line
    assert expect in line.split("expected:", 1)[1]
    return line


@pytest.fixture
def pkg(tmp_path) -> Path:
    return copy_package(tmp_path / "pkg")


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize("case", list(BAD))
def test_bad_base_url_refuses_the_build_before_validation(pkg, tmp_path, case):
    break_a_cell(pkg)
    out_dir = tmp_path / "out"
    rc, out, err = run("build", "--data", str(pkg), "--out", str(out_dir), "--project", str(ROOT),
                       "--base-url", BAD[case])  # fmt: skip
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, "--base-url", BAD[case])
    assert "number-not-finite" not in err  # refused before validation ran
    assert not out_dir.exists()  # before any work: not even the output folder


@pytest.mark.parametrize("case", list(BAD))
def test_bad_homepage_refuses_build_validate_and_release(pkg, tmp_path, case):
    set_homepage(pkg, BAD[case])
    d = descriptor(pkg)
    d.setdefault("x-contact", {})["email"] = "dti@example.org"  # otherwise publishable: only the address is wrong
    save_descriptor(pkg, d)
    before = (pkg / "datapackage.json").read_bytes()
    releases = sorted(p.name for p in (pkg / "releases").iterdir())
    place = "datapackage.json, column homepage"

    out_dir = tmp_path / "out"
    rc, out, err = run("build", "--data", str(pkg), "--out", str(out_dir), "--project", str(ROOT))
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, place, BAD[case])
    assert not out_dir.exists()

    rc, out, err = run("validate", "--data", str(pkg))
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, place, BAD[case])
    rc, out, err = run("validate", "--data", str(pkg), "--json")
    assert rc == 1
    hits = [e for e in json.loads(out)["errors"] if e["code"] == "bad-address"]
    assert hits and hits[0]["file"] == "datapackage.json" and hits[0]["column"] == "homepage"
    assert hits[0]["value"] == BAD[case]

    rc, out, err = run("release", "9.0.0", "--data", str(pkg))
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, place, BAD[case])
    assert (pkg / "datapackage.json").read_bytes() == before  # nothing stamped
    assert sorted(p.name for p in (pkg / "releases").iterdir()) == releases


def test_bad_base_url_refuses_serve_before_binding(pkg, tmp_path):
    rc, out, err = run("serve", "--data", str(pkg), "--out", str(tmp_path / "out"), "--project", str(ROOT),
                       "--port", "0", "--base-url", BAD["quote"], timeout=60)  # fmt: skip
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, "--base-url", BAD["quote"])
    assert "Serving" not in out


@pytest.mark.parametrize(
    "value, why",
    [
        ("https://user:secret@example.org/", "user name"),
        ("http://example.org/", "http:// is accepted only"),
        ("https://", "no host"),
        ("example.org", "scheme is missing"),
        ("https://example.org/ dti/", "a space"),
        ("https://example.org/a\\b/", "'\\\\'"),
    ],
)
def test_contact_url_and_other_bad_shapes_are_named(pkg, value, why):
    d = descriptor(pkg)
    d["x-contact"] = {"email": "", "url": value}
    save_descriptor(pkg, d)
    rc, out, err = run("validate", "--data", str(pkg))
    assert rc == 1
    no_internal_error(out, err)
    line = bad_address_line(err, "datapackage.json, column x-contact.url", value)
    assert why in line


@pytest.mark.parametrize(
    "field, value",
    [
        ("x-contact.email", 'dti@example.org"><script>alert(1)</script>'),
        ("x-contact.email", "dti@example.org\nBcc: x@example.org"),
        ("licenses[0].path", "javascript:alert(1)//"),
        ("licenses[0].path", 'https://creativecommons.org/licenses/by/4.0/"><b>'),
    ],
)
def test_contact_email_and_licence_address_are_checked(pkg, field, value):
    d = descriptor(pkg)
    if field == "x-contact.email":
        d["x-contact"] = {"email": value}
    else:
        d["licenses"][0]["path"] = value
    save_descriptor(pkg, d)
    rc, out, err = run("validate", "--data", str(pkg))
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, f"datapackage.json, column {field}", value, "@" if "email" in field else "://")


def test_licence_at_an_http_address_stays_valid(pkg):
    d = descriptor(pkg)
    d["licenses"][0]["path"] = "http://opendatacommons.org/licenses/odbl/1-0/"
    d["x-contact"] = {"email": "so.tttt@daknong.gov.vn", "url": "https://daknong.gov.vn/lien-he/"}
    save_descriptor(pkg, d)
    rc, out, err = run("validate", "--data", str(pkg))
    assert rc == 0, err


def test_serve_on_a_public_interface_without_an_address_is_refused_before_binding(pkg, tmp_path):
    """A preview served on 192.0.2.1 would be built for http://192.0.2.1:PORT/, which passes for a public site."""
    rc, out, err = run("serve", "--data", str(pkg), "--out", str(tmp_path / "out"), "--project", str(ROOT),
                       "--host", "192.0.2.1", "--port", "0", timeout=60)  # fmt: skip
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, "--host", "192.0.2.1")
    assert "Serving" not in out and not (tmp_path / "out").exists()


def test_bad_site_url_in_mkdocs_yml_refuses_the_build(pkg, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        text.replace("site_url: http://127.0.0.1:8000/", "site_url: javascript:alert(1)//"), encoding="utf-8"
    )
    rc, out, err = run("build", "--data", str(pkg), "--out", str(tmp_path / "out"), "--project", str(project))
    assert rc == 1
    no_internal_error(out, err)
    bad_address_line(err, "mkdocs.yml, column site_url", "javascript:alert(1)//")


@pytest.mark.parametrize("good", GOOD)
def test_good_addresses_pass(pkg, tmp_path, good):
    set_homepage(pkg, good)
    rc, out, err = run("validate", "--data", str(pkg))
    assert (rc, out.strip()) == (0, "The data package is valid."), err
    # the build takes the option and goes on to validation, which names the broken cell (and nothing else)
    break_a_cell(pkg)
    rc, out, err = run("build", "--data", str(pkg), "--out", str(tmp_path / "out"), "--project", str(ROOT),
                       "--base-url", good)  # fmt: skip
    assert rc == 1
    no_internal_error(out, err)
    assert "bad-address" not in err and "[number-not-finite] data/dti_observation.csv, row 2" in err


# ------------------------------------------------------------------ keys and cells


def read_table(root: Path, name: str) -> tuple[list[str], list[dict]]:
    with open(root / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_table(root: Path, name: str, header: list[str], rows: list[dict], newline: str = "\n") -> None:
    with open(root / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator=newline)
        w.writeheader()
        w.writerows(rows)


def set_cell(root: Path, table: str, column: str, text: str, nth: int = 0) -> int:
    header, rows = read_table(root, table)
    rows[nth][column] = text
    write_table(root, table, header, rows)
    return nth + 2


def validate(root: Path) -> tuple[int, str, list[dict]]:
    """`minhbach validate` in this process, in words and in JSON: (exit code, stderr, JSON errors)."""
    from minhbach import cli

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = cli.main(["validate", "--data", str(root)])
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        rc_json = cli.main(["validate", "--data", str(root), "--json"])
    assert rc == rc_json
    no_internal_error(out.getvalue(), err.getvalue())
    return rc, err.getvalue(), json.loads(out.getvalue())["errors"]


def refused(root: Path, code: str, file: str, row: int | None, column: str | None) -> tuple[str, dict]:
    rc, err, errors = validate(root)
    assert rc == 1, err
    hits = [e for e in errors if (e["code"], e.get("file"), e.get("row"), e.get("column")) == (code, file, row, column)]
    assert hits, f"no [{code}] at {file} row {row} column {column}:\n{err[:3000]}"
    line = next(ln for ln in err.splitlines() if ln.startswith(f"[{code}] "))
    return line, hits[0]


def nfd(text: str) -> str:
    out = unicodedata.normalize("NFD", text)
    assert out != text
    return out


def test_glossary_terms_differing_only_by_nfc_and_nfd_are_one_key(pkg):
    header, rows = read_table(pkg, "glossary")
    n = next(i for i, r in enumerate(rows) if unicodedata.normalize("NFD", r["term"]) != r["term"])  # "ATTT mạng"
    twin = dict(rows[n], term=nfd(rows[n]["term"]))
    rows.append(twin)
    write_table(pkg, "glossary", header, rows)
    row = len(rows) + 1
    line, hit = refused(pkg, "primary-key", "data/glossary.csv", row, "term")
    assert f"row {n + 2}" in hit["message"] and "NFC" in hit["message"]
    refused(pkg, "key-not-nfc", "data/glossary.csv", row, "term")


def test_id_written_in_nfd_is_refused_with_its_place(pkg):
    row = set_cell(pkg, "district", "district_id", nfd("đắk-mil"))
    line, hit = refused(pkg, "key-not-nfc", "data/district.csv", row, "district_id")
    assert "U+0306" in hit["message"] and hit["value"] == nfd("đắk-mil")


def test_one_megabyte_cell_is_measured_not_taken_for_an_open_quote(pkg):
    """In a fresh process, where the csv module's own field limit (128 KiB) still stands."""
    row = set_cell(pkg, "glossary", "note_en", "x" * 1_000_000)
    rc, out, err = run("validate", "--data", str(pkg), "--json")
    assert rc == 1
    no_internal_error(out, err)
    hits = [e for e in json.loads(out)["errors"] if e["code"] == "cell-too-long"]
    assert hits and (hits[0]["file"], hits[0]["row"], hits[0]["column"]) == ("data/glossary.csv", row, "note_en")
    assert "1,000,000 characters" in hits[0]["message"] and "20,000" in hits[0]["message"]
    assert "quote" not in hits[0]["message"]
    assert not any(e["code"] == "csv-malformed" for e in json.loads(out)["errors"])


def test_field_type_typo_names_file_resource_field_and_the_accepted_types(pkg):
    d = descriptor(pkg)
    n = next(i for i, r in enumerate(d["resources"]) if r["name"] == "dti_observation")
    k = next(j for j, f in enumerate(d["resources"][n]["schema"]["fields"]) if f["name"] == "year")
    d["resources"][n]["schema"]["fields"][k]["type"] = "integr"
    save_descriptor(pkg, d)
    line, hit = refused(pkg, "field-type-unknown", "datapackage.json", None, f"resources[{n}].schema.fields[{k}].type")
    assert "'year'" in hit["message"] and "'dti_observation'" in hit["message"] and "'integer'" in hit["message"]
    assert hit["value"] == "integr" and "integer" in hit["expected"] and "string" in hit["expected"]
    assert "not supported" not in line  # frictionless's own words are not what the clerk reads


def test_quote_left_open_still_says_so_with_the_line_it_opened_on(pkg):
    path = pkg / "data" / "district.csv"
    text = path.read_text(encoding="utf-8")
    start = text.count("\n") + 1
    path.write_text(text + 'q1,dak-nong,"Quận,Quận,district,9\n', encoding="utf-8")
    line, hit = refused(pkg, "csv-malformed", "data/district.csv", start, None)
    assert f"starting on line {start} is left open" in hit["message"]


FORMULAS = {
    "equals": ("=1+1", "'='"),
    "plus-cmd": ("+cmd|' /C calc'!A0", "'+'"),
    "at-sum": ("@SUM(1+1)*cmd|' /C calc'!A0", "'@'"),
    "minus": ("-2+3+cmd|' /C calc'!A0", "'-'"),
    "tab": ("\t=1+1", "a tab (U+0009)"),
}


@pytest.mark.parametrize("case", list(FORMULAS))
def test_cell_starting_like_a_formula_is_named(pkg, case):
    text, name = FORMULAS[case]
    row = set_cell(pkg, "kpi", "name_en", text)
    line, hit = refused(pkg, "formula-injection", "data/kpi.csv", row, "name_en")
    assert f"starts with {name}" in hit["message"] and hit["value"] == text


@pytest.mark.parametrize("quoted", [False, True], ids=["as-written", "quoted"])
def test_carriage_return_inside_a_cell_is_named_not_taken_for_line_endings(pkg, quoted):
    row = set_cell(pkg, "kpi", "name_en", "\r=1+1")
    if quoted:  # a writer that quotes the CR: the cell holds it inside quotes
        path = pkg / "data" / "kpi.csv"
        raw = path.read_bytes()
        assert b",\r=1+1," in raw
        path.write_bytes(raw.replace(b",\r=1+1,", b',"\r=1+1",', 1))
    line, hit = refused(pkg, "stray-carriage-return", "data/kpi.csv", row, "name_en")
    assert hit["value"].startswith("\r=1+1")
    rc, err, errors = validate(pkg)
    assert not any(e["code"] == "line-endings" for e in errors)


def test_windows_line_endings_are_still_named_as_such(pkg):
    header, rows = read_table(pkg, "kpi")
    write_table(pkg, "kpi", header, rows, newline="\r\n")
    line, hit = refused(pkg, "line-endings", "data/kpi.csv", 1, None)
    assert "CRLF" in hit["message"]
    rc, err, errors = validate(pkg)
    assert not any(e["code"] == "stray-carriage-return" for e in errors)


def test_signed_numbers_as_written_stay_valid(pkg):
    """The shipped package writes ranks as `+14` and `-7`: text cells that are numbers are not formulas."""
    _, rows = read_table(pkg, "dti_observation")
    assert {"+14", "-7"} <= {r["as_written"] for r in rows}
    rc, err, errors = validate(pkg)
    assert (rc, errors) == (0, []), err


def test_a_private_network_preview_is_a_preview_not_a_public_address():
    """Staff preview on a phone over the office Wi-Fi: `serve --host 192.168.1.20` is accepted, and its build is a
    preview (noindex, never published); a public IP over http is refused."""
    from minhbach import address
    from minhbach.publish.run import is_preview

    assert address.serve_issue("192.168.1.20") is None
    assert address.problem("http://10.0.0.5:8000/") is None
    assert is_preview("http://192.168.1.20:8000/")
    assert not is_preview("https://dti.example.org/")
    assert address.serve_issue("203.0.113.9") is not None
    assert address.problem("http://8.8.8.8/") is not None
