"""The published site, harvested as a CKAN portal would: over HTTP from 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request

import pytest
from rdflib import Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import RDF

from test_catalog import _validate

DCAT = Namespace(
    "http://www.w3.org/ns/dcat#"
)  # a plain Namespace: rdflib's DefinedNamespace warns when pytest probes it
SPDX = Namespace("http://spdx.org/rdf/terms#")
CATALOGUES = {
    "catalog.ttl": ("turtle", "text/turtle"),
    "catalog.jsonld": ("json-ld", "application/ld+json"),
    "catalog.rdf": ("xml", "application/rdf+xml"),
}


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


@pytest.fixture(scope="module")
def graphs(site):
    _, base = site
    out = {}
    for name, (fmt, ctype) in CATALOGUES.items():
        status, got_type, body = fetch(base + name)
        assert status == 200 and got_type.startswith(ctype), (name, got_type)
        out[name] = Graph().parse(data=body, format=fmt, publicID=base)
    return out


def test_three_catalogue_files_are_the_same_graph(graphs):
    g = list(graphs.values())
    assert len(g[0]) > 100
    assert isomorphic(g[0], g[1]) and isomorphic(g[0], g[2])


def test_catalogue_conforms_to_dcat_ap_3(graphs):
    conforms, _, text, counts = _validate(graphs["catalog.ttl"], "shapes.ttl", "range.ttl")
    assert conforms and counts.get("Violation", 0) == 0, text


def test_every_download_matches_its_size_and_checksum(graphs, site):
    g = graphs["catalog.ttl"]
    _, base = site
    dists = list(g.subjects(RDF.type, DCAT.Distribution))
    assert len(dists) >= 2 * 20
    for d in dists:
        url = str(g.value(d, DCAT.downloadURL))
        assert url.startswith(base) and ("/releases/" in url or "/latest/" in url)
        status, _, body = fetch(url)
        assert status == 200
        assert int(g.value(d, DCAT.byteSize)) == len(body), url
        checksum = g.value(d, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest(), url


def test_published_datapackage_agrees_with_its_files(site):
    _, base = site
    _, _, body = fetch(base + "latest/datapackage.json")
    dp = json.loads(body)
    assert dp["licenses"][0]["name"] == "CC-BY-4.0" and dp["licenses"][0]["path"].startswith("https://creativecommons")
    assert dp["version"] and dp["created"] and dp["contributors"] and dp["sources"]
    for r in dp["resources"]:
        _, _, data = fetch(f"{base}latest/{r['path']}")
        assert r["bytes"] == len(data) and r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
        header = data.split(b"\n", 1)[0].decode()
        assert re.fullmatch(r"[a-z0-9_]+(,[a-z0-9_]+)*", header), header
        assert r["x-i18n"]["en"]["title"] and r["title"]
        _, _, excel = fetch(f"{base}latest/{r['path'].replace('data/', 'excel/', 1)[:-4]}.xlsx")
        assert excel.startswith(b"PK")  # a real workbook, not a BOM CSV


def test_frictionless_validates_the_published_package_over_http(site):
    from frictionless import validate

    _, base = site
    report = validate(f"{base}latest/datapackage.json")
    assert report.stats["tasks"] >= 20
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_release_checksums_file_lists_every_file(site):
    site_dir, base = site
    _, _, dp = fetch(base + "latest/datapackage.json")
    assert json.loads(dp)["version"]  # the shipped 0.2.0 is not released: its files are under latest/ only
    _, _, sums = fetch(f"{base}latest/SHA256SUMS")
    lines = dict(reversed(line.split("  ", 1)) for line in sums.decode().splitlines())
    assert "minhbach-latest.zip" in lines and "datapackage.json" in lines
    for name, digest in lines.items():
        _, _, body = fetch(f"{base}latest/{name}")
        assert hashlib.sha256(body).hexdigest() == digest, name
    _, _, sums = fetch(f"{base}releases/0.1.0/SHA256SUMS")  # a recorded release: release.json, also in its zip
    lines = dict(reversed(line.split("  ", 1)) for line in sums.decode().splitlines())
    assert {"release.json", "minhbach-0.1.0.zip"} <= set(lines)
    for name, digest in lines.items():
        _, _, body = fetch(f"{base}releases/0.1.0/{name}")
        assert hashlib.sha256(body).hexdigest() == digest, name


def test_dataset_iris_are_stable_and_pages_link_the_catalogue(graphs, site):
    site_dir, base = site
    g = graphs["catalog.ttl"]
    for ds in g.subjects(RDF.type, DCAT.Dataset):
        assert str(ds).startswith(base) and not re.search(r"\d+\.\d+\.\d+", str(ds)[len(base) :]), ds
        titles = {t.language for t in g.objects(ds, DCT.title)}
        assert {"vi", "en"} <= titles
    for key in ("", "en/", "kpi/", "en/open-data/kpi/"):
        html = (site_dir / key / "index.html").read_text(encoding="utf-8")
        for name, (_, ctype) in CATALOGUES.items():
            assert re.search(
                rf'<link rel="alternate" type="{re.escape(ctype)}"[^>]+href="{re.escape(base)}{name}"', html
            ), (key, name)


def test_dataset_landing_pages_carry_schema_org_json_ld(site):
    site_dir, base = site
    html = (site_dir / "open-data" / "kpi_observation" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m
    doc = json.loads(m.group(1))
    assert doc["@type"] == "Dataset" and doc["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert doc["distribution"][0]["contentUrl"].startswith(base + "latest/")


# ------------------------------------------------------------------ workbooks and preview (issue 14)


def test_workbook_is_typed_and_deterministic():
    """Ids that look like numbers stay text, numbers are numbers, and the bytes do not depend on the clock."""
    import io
    import time
    import zipfile

    import openpyxl

    from minhbach.publish import xlsx

    schema = {
        "fields": [
            {"name": "sub_indicator_id", "type": "string", "title": "Mã", "x-i18n": {"en": {"title": "Id"}}},
            {"name": "period", "type": "string", "title": "Kỳ"},
            {"name": "value", "type": "number", "title": "Giá trị", "x-unit": "points"},
            {"name": "year", "type": "integer", "title": "Năm"},
            {"name": "as_written", "type": "string", "title": "Nguyên văn"},
        ]
    }
    data = b"sub_indicator_id,period,value,year,as_written\n4.10,2022-08,0.262,2021,04/5\n6.10,2021,3128,2022,3.128\n"
    one = xlsx.csv_to_xlsx(data, schema)
    time.sleep(1.1)
    assert xlsx.csv_to_xlsx(data, schema) == one
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(one)).infolist()} == {xlsx.ZIP_DATE}
    book = openpyxl.load_workbook(io.BytesIO(one))
    assert book.sheetnames == ["data", "Fields"]  # the data first: pandas.read_excel reads the first sheet
    ws = book.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("sub_indicator_id", "period", "value", "year", "as_written")  # one header row
    assert rows[1] == ("4.10", "2022-08", 0.262, 2021, "04/5")
    assert rows[2] == ("6.10", "2021", 3128.0, 2022, "3.128")
    assert isinstance(rows[2][3], int)  # (a whole number is stored as "3128" in the file: xlsx has one number type)
    assert ws.cell(row=2, column=1).number_format == "@" and ws.cell(row=2, column=5).number_format == "@"
    fields = list(book["Fields"].iter_rows(values_only=True))
    assert fields[1][:5] == ("sub_indicator_id", "Mã", "Id", "string", None)
    assert fields[3][:5] == ("value", "Giá trị", "value", "number", "points")


def test_booleans_are_real_booleans_and_a_release_workbook_has_a_cover():
    import io

    import openpyxl

    from minhbach.publish import xlsx
    from minhbach.publish.xlsx_sheets import Cover

    schema = {"fields": [{"name": "task_id", "type": "string"}, {"name": "recurring", "type": "boolean"}]}
    cover = Cover(
        name="task",
        title={"vi": "Nhiệm vụ", "en": "Tasks"},
        description={"vi": "", "en": ""},
        version="0.2.0",
        released=False,
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        publisher={"vi": "Sở", "en": "Department"},
        contact="opendata@example.gov.vn",
        citation={"vi": "Trích", "en": "Cite"},
        url="https://x.org/open-data/task/",
        download="https://x.org/latest/excel/task.xlsx",
        sources={"s1": ("Văn bản", "Document")},
    )
    schema["fields"].append({"name": "source_id", "type": "string"})
    schema["fields"].append({"name": "section", "type": "string"})
    data = b"task_id,recurring,source_id,section\n1.10,true,s1,A > B\n2,false,s1,C\n"
    book = openpyxl.load_workbook(io.BytesIO(xlsx.csv_to_xlsx(data, schema, "task", cover)))
    assert book.sheetnames == ["task", "Fields", "About"]
    rows = list(book["task"].iter_rows(values_only=True))
    assert rows[1][:2] == ("1.10", True) and rows[2][1] is False
    text = "\n".join(str(b) for _, b in book["About"].iter_rows(values_only=True))
    assert "opendata@example.gov.vn" in text and "CC BY 4.0" in text and "not yet released" in text
    assert "s1: Văn bản / Document" in text and "s1: A > B" in text and "s1: C" in text


def test_every_page_download_has_a_workbook_beside_its_csv(site):
    site_dir, _ = site
    csvs = sorted((site_dir / "downloads").glob("*.csv")) + sorted((site_dir / "assets" / "charts").glob("*.csv"))
    assert csvs
    for f in csvs:
        assert f.with_suffix(".xlsx").is_file(), f
        assert not f.read_bytes().startswith(b"\xef\xbb\xbf"), f  # CSVs stay plain UTF-8 for machines
    html = (site_dir / "budget" / "index.html").read_text(encoding="utf-8")
    assert 'downloads/budget-items.xlsx" download' in html


def test_build_cli_says_a_loopback_build_is_a_preview(capsys):
    import argparse

    from conftest import ROOT
    from minhbach.cli import _preview_notice

    _preview_notice(argparse.Namespace(data=str(ROOT), project=str(ROOT), base_url="http://127.0.0.1:8000/"))
    assert "PREVIEW" in capsys.readouterr().err
    _preview_notice(argparse.Namespace(data=str(ROOT), project=str(ROOT), base_url="https://example.gov.vn/"))
    err = capsys.readouterr().err
    assert "PREVIEW" not in err and "x-contact.email" in err  # the shipped package names no contact email yet
