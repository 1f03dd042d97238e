"""Issue 14, tested as the clients would: CKAN's own DCAT parser, pyshacl (shapes + range), LibreOffice headless in
two locales, frictionless on the zip, pandas with the schema's types, and no loopback URL in a public build."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

PUBLIC = "https://opendata.example.gov.vn/dti/"
EMAIL = "opendata@example.gov.vn"
LOOPBACK = re.compile(rb"(https?:)?//(127\.\d+\.\d+\.\d+|localhost|0\.0\.0\.0|\[::1\])", re.I)
CI = os.environ.get("CI") == "true"


def _need(ok: bool, what: str):
    """Skip a client test when the client is not installed, except under CI=true, where it must run."""
    if not ok:
        if CI:
            pytest.fail(f"CI=true but {what} is not installed (.ci/run installs it)")
        pytest.skip(f"{what} not installed")


@pytest.fixture(scope="session")
def public_site(tmp_path_factory):
    """(site_dir, package dir): the shipped data built with a public address and a contact email in the package."""
    from minhbach.build import build_site

    pkg = copy_package(tmp_path_factory.mktemp("pubpkg"))
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    dp["homepage"] = PUBLIC
    dp["x-contact"] = {"email": EMAIL}
    (pkg / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path_factory.mktemp("pubbuild")
    build_site(pkg, out, ROOT)  # no base_url: the package's homepage is the public address
    return out / "site", pkg


def _version(site_dir: Path) -> str:
    return json.loads((site_dir / "latest" / "datapackage.json").read_text(encoding="utf-8"))["version"]


# ------------------------------------------------------------------ public address / preview


def _all_bytes(path: Path):
    data = path.read_bytes()
    yield str(path), data
    if path.suffix in (".zip", ".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for n in z.namelist():
                yield f"{path}!{n}", z.read(n)


def test_no_loopback_url_in_any_artefact_of_a_public_build(public_site):
    site_dir, _ = public_site
    bad, n = [], 0
    for f in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        for name, data in _all_bytes(f):
            n += 1
            if LOOPBACK.search(data):
                bad.append(name)
    assert n > 500 and not bad, bad[:10]
    assert PUBLIC.encode() in (site_dir / "catalog.ttl").read_bytes()


def test_public_pages_are_indexable_and_preview_pages_are_not(public_site, site):
    site_dir, _ = public_site
    pages = sorted(site_dir.rglob("*.html"))
    assert pages and not [p for p in pages if 'name="robots" content="noindex"' in p.read_text(encoding="utf-8")]
    preview_pages = sorted(site[0].rglob("*.html"))
    missing = [p for p in preview_pages if '<meta name="robots" content="noindex">' not in p.read_text("utf-8")]
    assert preview_pages and not missing, missing[:5]


def test_cli_says_preview_and_release_refuses_it(tmp_path, capsys):
    from minhbach.cli import main

    pkg = copy_package(tmp_path / "pkg", releases=False)
    assert main(["release", "0.1.0", "--data", str(pkg), "--date", "2026-11-01"]) == 1
    err = capsys.readouterr().err
    assert "preview-base-url" in err and "preview-contact-email" in err
    assert not (pkg / "releases" / "0.1.0").exists()
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    dp["homepage"], dp["x-contact"] = PUBLIC, {"email": EMAIL}
    (pkg / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False), encoding="utf-8")
    assert main(["release", "0.1.0", "--data", str(pkg), "--date", "2026-11-01"]) == 0
    assert (pkg / "releases" / "0.1.0" / "datapackage.json").is_file()


# the recorded release 0.1.0 as published at PUBLIC: the SHA-256 of its SHA256SUMS, which lists every file (CSV,
# workbooks, resource files, README, CITATION, zip, release.json). Its files never change once released: a code
# change that alters one of them fails here (measured on main before issue 23's last changes, and after them)
RELEASE_0_1_0_SUMS = "b7e2d2c41ec3c27ac99ef3f0baa99ccbb6eb2e3da3c318f666fd8be84ae9b777"


def test_the_recorded_release_is_published_byte_for_byte_as_before(public_site):
    import hashlib

    site_dir, _ = public_site
    folder = site_dir / "releases" / "0.1.0"
    sums = (folder / "SHA256SUMS").read_bytes()
    listed = dict(reversed(line.split("  ", 1)) for line in sums.decode().splitlines())
    assert {"release.json", "minhbach-0.1.0.zip", "datapackage.json", "CITATION.cff"} <= set(listed)
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert files == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    for name in ("data/dti_observation.csv", "data/kpi.csv"):  # the recorded CSVs, copied as they are
        assert (folder / name).read_bytes() == (ROOT / "releases" / "0.1.0" / name).read_bytes()
    assert hashlib.sha256(sums).hexdigest() == RELEASE_0_1_0_SUMS


# ------------------------------------------------------------------ CKAN


CKAN_SCRIPT = r"""
import json, sys
from ckanext.dcat.processors import RDFParser
from ckan.lib.munge import munge_title_to_name
out = {}
for path, fmt in json.loads(sys.argv[1]):
    p = RDFParser(profiles=["euro_dcat_ap_3"])
    p.parse(open(path, encoding="utf-8").read(), _format=fmt)
    out[fmt] = [
        {"title": d.get("title"), "name": munge_title_to_name(d.get("title") or ""),
         "license": d.get("license_id"), "formats": sorted({r.get("format") for r in d.get("resources", [])}),
         "email": d.get("contact", [{}])[0].get("email") if d.get("contact") else
                  next((e["value"] for e in d.get("extras", []) if e["key"] == "contact_email"), None),
         "publisher": (d.get("publisher") or [{}])[0].get("name") if d.get("publisher") else
                  next((e["value"] for e in d.get("extras", []) if e["key"] == "publisher_name"), None),
         "tags": [t["name"] for t in d.get("tags", [])]}
        for d in p.datasets()
    ]
print(json.dumps(out))
"""


def _ckan_python() -> Path | None:
    for cand in (os.environ.get("MINHBACH_CKAN_VENV"), "/tmp/ckan-venv", str(ROOT / ".ckan-venv")):
        if cand and (Path(cand) / "bin" / "python").is_file():
            return Path(cand) / "bin" / "python"
    return None


def test_ckan_dcat_parser_reads_every_serialisation(public_site):
    py = _ckan_python()
    _need(py is not None, "the ckanext-dcat virtualenv (MINHBACH_CKAN_VENV or /tmp/ckan-venv)")
    site_dir, pkg = public_site
    files = [
        (str(site_dir / "catalog.ttl"), "turtle"),
        (str(site_dir / "catalog.jsonld"), "json-ld"),
        (str(site_dir / "catalog.rdf"), "xml"),
    ]
    run = subprocess.run([str(py), "-c", CKAN_SCRIPT, json.dumps(files)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    n_tables = len(json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["resources"])
    publishers = set()
    for fmt, datasets in result.items():
        assert len(datasets) == n_tables + 1, fmt
        names = [d["name"] for d in datasets]
        assert len(set(names)) == len(names), f"{fmt}: slugs collide"
        for d in datasets:
            # the title stands alone in a national listing, the province with its diacritics; CKAN's slug keeps
            # only Latin-1 letters ("k-nong-digital-transformation-..."), still unique and readable
            assert "Đắk Nông" in d["title"] and "nong-digital-transformation" in d["name"], d
            assert d["license"] == "cc-by", d
            assert "CSV" in d["formats"], d
            assert set(d["formats"]) <= {"CSV", "XLSX", "ZIP", "JSON"}, d  # a label, never the file-type IRI
            assert d["email"] == EMAIL, d
            assert len(d["tags"]) == len(set(d["tags"])), d
            publishers.add(d["publisher"])
    assert len(publishers) == 1, publishers  # the same publisher name whatever the serialisation


# ------------------------------------------------------------------ DCAT-AP shapes + range


def test_catalogue_conforms_to_dcat_ap_shapes_and_range(public_site):
    from pyshacl import validate
    from rdflib import Graph

    site_dir, _ = public_site
    shapes = Graph()
    for f in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"):
        shapes.parse(
            f"/work/shared/dcat-ap-3.0.1/{f}"
            if Path("/work/shared/dcat-ap-3.0.1").is_dir()
            else str(ROOT / "tests" / "fixtures" / "dcat-ap-3.0.1" / f),
            format="turtle",
        )
    data = Graph().parse(site_dir / "catalog.ttl", format="turtle")  # no ontology: the data carry their types
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert conforms, text[:3000]
    warnings = sorted(set(re.findall(r"Message: (.*)", text)))
    print("DCAT-AP recommended (warnings):", warnings)


# ------------------------------------------------------------------ LibreOffice, two locales


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(xlsx_files: list[Path], out: Path, locale: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    env = {**os.environ, "LC_ALL": f"{locale}.UTF-8", "LANG": f"{locale}.UTF-8", "HOME": str(out)}
    # 44 = comma, 34 = quote, 76 = UTF-8, row 1, no column formats; token 9 false: values, not as shown
    flt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false"
    cmd = [
        _soffice(),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        flt,
        "--outdir",
        str(out),
        *map(str, xlsx_files),
    ]
    subprocess.run(cmd, env=env, capture_output=True, timeout=600, check=True)


def _as_bool(text: str) -> bool:
    """A boolean cell as LibreOffice writes it: TRUE/FALSE, or ĐÚNG/SAI under vi_VN."""
    t = text.strip().casefold()
    assert t in ("true", "false", "đúng", "sai"), text
    return t in ("true", "đúng")


def _as_number(text: str, locale: str) -> float:
    t = text.strip()
    if locale.startswith("vi"):
        t = t.replace(".", "").replace(",", ".") if "," in t else t
    return float(t)


@pytest.mark.parametrize("locale", ["vi_VN", "en_US"])
def test_libreoffice_opens_every_workbook_with_numbers_and_text_intact(public_site, tmp_path, locale):
    _need(_soffice() is not None, "LibreOffice (libreoffice-calc-nogui)")
    from minhbach.publish import xlsx

    site_dir, pkg = public_site
    dp = json.loads((site_dir / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    books = {
        site_dir / "latest" / r["path"].replace("data/", "excel/", 1).replace(".csv", ".xlsx"): r
        for r in dp["resources"]
    }
    pages = (
        sorted((site_dir / "downloads").glob("*.xlsx"))[:6]
        + sorted((site_dir / "assets" / "charts").glob("*.xlsx"))[:4]
    )
    _convert(list(books) + pages, tmp_path, locale)
    checked = 0
    for book, r in books.items():
        got = list(csv.reader((tmp_path / (book.stem + ".csv")).read_text(encoding="utf-8").splitlines()))
        want = list(csv.DictReader(io.StringIO((site_dir / "latest" / r["path"]).read_text(encoding="utf-8"))))
        header = got[xlsx.HEADER_ROWS - 1]
        assert header == [f["name"] for f in r["schema"]["fields"]], book
        kinds = {f["name"]: f["type"] for f in r["schema"]["fields"]}
        assert len(got) - xlsx.HEADER_ROWS == len(want), book
        for row, exp in zip(got[xlsx.HEADER_ROWS :], want, strict=True):
            row = row + [""] * (len(header) - len(row))
            for name, cell in zip(header, row, strict=True):
                if kinds[name] in ("number", "integer") and exp[name] != "":
                    assert _as_number(cell, locale) == pytest.approx(float(exp[name]), rel=1e-12), (book, name, cell)
                elif kinds[name] == "boolean":  # a real boolean cell, shown in the locale's words
                    assert _as_bool(cell) == (exp[name] == "true"), (book.name, name, cell, exp[name])
                else:
                    assert cell == exp[name], (book.name, name, cell, exp[name])
                checked += 1
    for book in pages:  # page and chart downloads: numeric cells equal the CSV's numbers, text cells its text
        import openpyxl

        typed = list(openpyxl.load_workbook(book, read_only=True).active.iter_rows(values_only=True))
        got = list(csv.reader(io.StringIO((tmp_path / (book.stem + ".csv")).read_text(encoding="utf-8"))))
        want = list(csv.reader(io.StringIO(book.with_suffix(".csv").read_text(encoding="utf-8"))))
        assert got[xlsx.HEADER_ROWS - 1] == want[0], book
        assert len(got) - xlsx.HEADER_ROWS == len(want) - 1, book
        for row, exp, cells in zip(got[xlsx.HEADER_ROWS :], want[1:], typed[xlsx.HEADER_ROWS :], strict=True):
            row = row + [""] * (len(exp) - len(row))
            for cell, e, value in zip(row, exp, cells, strict=True):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert _as_number(cell, locale) == pytest.approx(float(e), rel=1e-12), (book.name, cell, e)
                elif isinstance(value, bool):
                    assert _as_bool(cell) == (e.lower() == "true"), (book.name, cell, e)
                else:
                    assert cell == e, (book.name, cell, e)
                checked += 1
    assert checked > 5000


# ------------------------------------------------------------------ frictionless, pandas


def test_frictionless_opens_the_release_zip_as_a_package(public_site, tmp_path):
    site_dir, _ = public_site
    z = site_dir / "latest" / "minhbach-latest.zip"  # the shipped 0.2.0 is not released yet
    names = zipfile.ZipFile(z).namelist()
    for required in ("datapackage.json", "README.txt", "LICENSE.txt", "CITATION.cff"):
        assert required in names
    readme = zipfile.ZipFile(z).read("README.txt").decode("utf-8")
    assert "Tệp ZIP này" in readme and "This ZIP file" in readme  # both languages
    dp = json.loads(zipfile.ZipFile(z).read("datapackage.json"))
    assert dp["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert all(c.get("roles") for c in dp["contributors"])
    run = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", str(z)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "VALID" in run.stdout and "INVALID" not in run.stdout


def test_pandas_with_the_schema_types_keeps_every_id(public_site):
    import pandas as pd

    site_dir, _ = public_site
    dp = json.loads((site_dir / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    for r in dp["resources"]:
        path = site_dir / "latest" / r["path"]
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
        dtypes = {f["name"]: "string" for f in r["schema"]["fields"] if f["type"] == "string"}
        df = pd.read_csv(path, dtype=dtypes, keep_default_na=False)
        with path.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for key in r["schema"].get("primaryKey") or []:
            assert list(df[key]) == [x[key] for x in rows], (r["name"], key)


# ------------------------------------------------------------------ schema.org and feeds


def _jsonld(html: str) -> list[dict]:
    import re

    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_schema_org_dataset_meets_dataset_search_guidelines(public_site):
    site_dir, pkg = public_site
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    docs = []
    for prefix in ("", "en/"):
        for r in dp["resources"]:
            docs += _jsonld((site_dir / prefix / "open-data" / r["name"] / "index.html").read_text("utf-8"))
        whole = _jsonld((site_dir / prefix / "open-data" / "index.html").read_text("utf-8"))
        assert len(whole) == 1 and len(whole[0]["hasPart"]) == len(dp["resources"])
        docs += whole
    assert len(docs) == 2 * (len(dp["resources"]) + 1)
    names = set()
    for d in docs:
        assert d["@type"] == "Dataset"
        assert 50 <= len(d["description"]) <= 5000, d["name"]
        for key in (
            "identifier",
            "spatialCoverage",
            "publisher",
            "creator",
            "keywords",
            "license",
            "datePublished",
            "dateModified",
            "distribution",
        ):
            assert d.get(key), (d["name"], key)
        assert d["publisher"]["email"] == EMAIL
        assert d["identifier"].startswith(PUBLIC)
        names.add(d["name"])
    assert len(names) == len(docs)  # every name says which table it is
    assert sum(1 for d in docs if d.get("temporalCoverage")) >= 20


def test_feeds_are_authored_by_the_publisher_and_linked_from_each_language(public_site):
    from xml.etree import ElementTree as ET

    site_dir, pkg = public_site
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for lang, feed, page in (("vi", "feed.xml", "index.html"), ("en", "feed-en.xml", "en/index.html")):
        root = ET.parse(site_dir / feed).getroot()
        author = root.find("a:author/a:name", ns).text
        expected = dp["contributors"][0]["title"] if lang == "vi" else dp["contributors"][0]["x-i18n"]["en"]["title"]
        assert author == expected and root.find("a:author/a:email", ns).text == EMAIL
        html = (site_dir / page).read_text(encoding="utf-8")
        assert 'type="application/atom+xml" title="' in html and f'href="{PUBLIC}{feed}"' in html, lang
        od = (site_dir / ("" if lang == "vi" else "en/") / "open-data" / "index.html").read_text(encoding="utf-8")
        assert feed in od  # a visible link too


def _page_snippets(site_dir: Path, name: str) -> tuple[str, str]:
    """The two pandas lines the dataset page gives (CSV, workbook), as the reader copies them."""
    import html as html_mod

    page = html_mod.unescape((site_dir / "en" / "open-data" / name / "index.html").read_text(encoding="utf-8"))
    lines = re.findall(r"df = (pd\.read_(?:csv|excel)\(.*?\))</code>", page, re.S)
    assert len(lines) == 2 and lines[0].startswith("pd.read_csv") and lines[1].startswith("pd.read_excel"), name
    return lines[0], lines[1]


def test_pandas_reads_every_table_with_the_schema_types(public_site):
    """Every table of the built site, read from disk exactly as its page instructs (the CSV line and the workbook
    line), has the schema's dtypes: text (ids and codes such as 4.10) as str with every value kept, integers (years,
    out_of, line_no, with blanks) as the nullable Int64, numbers as float64, booleans as bool/boolean; the values
    equal the CSV's text. pandas' bare defaults are listed where they differ (what the page's line is for)."""
    import pandas as pd

    site_dir, _ = public_site
    dp = json.loads((site_dir / "latest" / "datapackage.json").read_text(encoding="utf-8"))
    local = {PUBLIC + "latest/": str(site_dir / "latest") + "/"}
    want = {"integer": {"Int64"}, "year": {"Int64"}, "number": {"float64"}, "boolean": {"boolean", "bool"}}
    defaults_differ, checked, blank_ints = [], 0, 0
    for r in dp["resources"]:
        csv_line, excel_line = _page_snippets(site_dir, r["name"])
        for url, path in local.items():
            csv_line, excel_line = csv_line.replace(url, path), excel_line.replace(url, path)
        assert (site_dir / "latest" / (r["path"][:-4] + ".resource.json")).is_file()
        with (site_dir / "latest" / r["path"]).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        book = site_dir / "latest" / r["path"].replace("data/", "excel/", 1).replace(".csv", ".xlsx")
        bare = pd.read_excel(book)
        frames = {"csv": eval(csv_line, {"pd": pd}), "xlsx": eval(excel_line, {"pd": pd})}  # the page's lines
        for how, df in frames.items():
            assert list(df.columns) == [f["name"] for f in r["schema"]["fields"]], (how, r["name"])
            assert len(df) == len(rows), (how, r["name"])
        for f in r["schema"]["fields"]:
            name, kind = f["name"], f["type"]
            values = [x[name] for x in rows]
            blank_ints += kind == "integer" and "" in values
            for how, df in frames.items():
                got = str(df[name].dtype)
                assert got in want.get(kind, {"object", "str", "string"}), (how, r["name"], name, got)
                cells = [None if pd.isna(v) else v for v in df[name]]
                if kind in want and kind != "boolean":
                    assert cells == [None if v == "" else float(v) for v in values], (how, r["name"], name)
                elif kind == "boolean":
                    assert cells == [None if v == "" else v == "true" for v in values], (how, r["name"], name)
                else:
                    assert [("" if v is None else v) for v in cells] == values, (how, r["name"], name)
                checked += 1
            default = str(bare[name].dtype)
            if default not in want.get(kind, {"object", "str"}):
                defaults_differ.append(f"{r['name']}.{name}: {default}")
    assert checked > 400 and blank_ints >= 3  # years, out_of, line_no with blanks among them
    print("read_excel's bare defaults differ from the schema (the page's line names these):", defaults_differ)
