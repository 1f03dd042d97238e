"""Issue 6 end to end: a new year and a changed value go in through the workbook and out as a release."""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_package
from minhbach.build import build_site
from minhbach.errors import Failed
from minhbach.release import make_release
from minhbach.workbook.api import import_workbook, make_template

ROOT = Path(__file__).resolve().parents[1]


def _sheet_rows(ws):
    header = [c.value for c in ws[1]]
    return header, {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}


@pytest.mark.slow
def test_new_year_and_changed_value_flow_from_workbook_to_site(tmp_path):
    pkg = copy_package(tmp_path / "pkg", releases=False)  # a package with no history: its first two releases
    make_release(pkg, "0.1.0", summary_vi="Bản đầu tiên.", summary_en="First release.", date="2026-11-01")

    xlsx = make_template(pkg, tmp_path / "data.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    # 1. a new year: 2022 total score (a test fixture; its text "0,4228" occurs in the source, so provenance checks)
    ws = wb["dti_observation"]
    header, rows = _sheet_rows(ws)
    col = {h: i + 1 for i, h in enumerate(header)}
    template_row = rows["dti-2021-total-score-dn-dti2021-report"]
    new_r = ws.max_row + 1
    for h, c in col.items():
        ws.cell(row=new_r, column=c, value=ws.cell(row=template_row, column=c).value)
    ws.cell(row=new_r, column=col["observation_id"], value="dti-2022-total-score-test")
    ws.cell(row=new_r, column=col["year"], value=2022)
    ws.cell(row=new_r, column=col["value"], value=0.4228)
    ws.cell(row=new_r, column=col["as_written"], value="0,4228")
    ws.cell(row=new_r, column=col["section"], value="PHẦN I > II. XẾP HẠNG CÁC CHỈ SỐ CHÍNH")  # where 0,4228 is
    # 2. one changed value: household broadband 50,65% → 53,65 as the 2022 results document prints it
    ws = wb["kpi_observation"]
    header, rows = _sheet_rows(ws)
    col = {h: i + 1 for i, h in enumerate(header)}
    with open(pkg / "data" / "kpi_observation.csv", encoding="utf-8") as f:
        target = next(r for r in csv.DictReader(f) if r["as_written"] == "50,65%" and not r["district_id"])
    r = rows[target["observation_id"]]
    ws.cell(row=r, column=col["value"], value=53.65)
    ws.cell(row=r, column=col["as_written"], value="53,65")
    ws.cell(row=r, column=col["source_id"], value="dn-2022-results")
    ws.cell(row=r, column=col["section"], value="PHẦN I > III. HẠ TẦNG SỐ > 2. Tình hình thực hiện")
    wb.save(xlsx)

    result = import_workbook(xlsx, pkg)
    assert not result.issues, [i.render() for i in result.issues]
    changed = {(c.table, c.column) for c in result.diff.changes}
    assert ("kpi_observation", "value") in changed and ("kpi_observation", "as_written") in changed
    assert [r.key for r in result.diff.added] == [("dti-2022-total-score-test",)]
    assert not result.diff.removed

    notes = make_release(pkg, "0.2.0", summary_vi="Thêm năm 2022.", summary_en="Adds 2022.", date="2026-11-22")
    assert any("2022" in line and "dti_observation" in line for line in notes["changes_en"])
    assert any("50.65 → 53.65" in line for line in notes["changes_en"]), notes["changes_en"]

    build_site(pkg, tmp_path / "out", ROOT, base_url="http://127.0.0.1:9/")
    site = tmp_path / "out" / "site"
    news = html.unescape((site / "en" / "whats-new" / "index.html").read_text(encoding="utf-8"))
    assert "0.2.0" in news and "0.1.0" in news and "50.65 → 53.65" in news and "Adds 2022." in news
    feed = (site / "feed-en.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "50.65 → 53.65" in feed
    # both releases stay downloadable
    for v in ("0.1.0", "0.2.0"):
        assert (site / "releases" / v / "datapackage.json").is_file()
        assert (site / "releases" / v / f"minhbach-{v}.zip").is_file()
    assert json.loads((site / "latest" / "datapackage.json").read_text())["version"] == "0.2.0"
    # the new year shows in the charts and tables that have years
    trend = (site / "assets" / "charts" / "dti-total-trend-en.csv").read_text(encoding="utf-8")
    assert re.search(r"^Đắk Nông,2022,0\.4228", trend, re.M), trend
    home = html.unescape((site / "en" / "index.html").read_text(encoding="utf-8"))
    assert "DTI 2022" in home and "0.4228" in home


def test_a_version_is_never_reused(tmp_path):
    pkg = copy_package(tmp_path / "pkg", releases=False)
    make_release(pkg, "0.1.0", date="2026-11-01")
    try:
        make_release(pkg, "0.1.0")
    except Failed as f:
        assert f.issues[0].code == "release-version-reused"
    else:
        raise AssertionError("reused version accepted")


def test_shipped_releases_are_kept_and_never_reissued(tmp_path):
    shipped = sorted(d.name for d in (ROOT / "releases").glob("*.*.*"))
    assert shipped, "the project ships its published releases in releases/"
    pkg = copy_package(tmp_path / "pkg")
    for version in shipped:
        assert (pkg / "releases" / version / "release.json").is_file()
        try:
            make_release(pkg, version)
        except Failed as f:
            assert f.issues[0].code == "release-version-reused"
        else:
            raise AssertionError(f"{version} released twice")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _release_checksums(site: Path) -> dict[str, tuple[str, str]]:
    """Download URL -> (size, SHA-256) of every distribution under releases/ in the Turtle catalogue."""
    from rdflib import Graph, Namespace

    dcat, spdx = Namespace("http://www.w3.org/ns/dcat#"), Namespace("http://spdx.org/rdf/terms#")
    g = Graph().parse(site / "catalog.ttl", format="turtle")
    out = {}
    for dist in g.subjects(dcat.downloadURL, None):
        url = str(g.value(dist, dcat.downloadURL))
        if "/releases/" in url:
            ck = g.value(g.value(dist, spdx.checksum), spdx.checksumValue)
            out[url] = (str(g.value(dist, dcat.byteSize)), str(ck))
    return out


@pytest.mark.slow
def test_a_release_never_changes_and_unreleased_data_live_under_latest(tmp_path):
    """Harvest twice across a change: build, record 0.1.0, build; change a value (version 0.2.0, not released),
    build again. Every file of releases/0.1.0/ is byte-identical and its catalogue checksums unchanged; 0.2.0 is
    under latest/ only, not stable, no feed entry, no release date in its CITATION.cff."""
    from conftest import bump_version

    base = "https://dti.example.org/"
    pkg = copy_package(tmp_path / "pkg", releases=False)
    make_release(pkg, "0.1.0", summary_vi="Bản đầu.", summary_en="First.", date="2026-11-01")
    build_site(pkg, tmp_path / "a", ROOT, base_url=base)
    site_a = tmp_path / "a" / "site"
    rel_a = _tree(site_a / "releases" / "0.1.0")
    assert "release.json" in rel_a and json.loads(rel_a["release.json"])["version"] == "0.1.0"
    with zipfile.ZipFile(site_a / "releases" / "0.1.0" / "minhbach-0.1.0.zip") as z:
        assert "release.json" in z.namelist()
    sums_a = _release_checksums(site_a)
    assert f"{base}releases/0.1.0/minhbach-0.1.0.zip" in sums_a
    assert "date-released" in rel_a["CITATION.cff"].decode()

    ttl_a = (site_a / "catalog.ttl").read_text(encoding="utf-8")
    assert "mailto:new-desk@example.gov.vn" not in ttl_a

    assert bump_version(pkg) == "0.2.0"
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    dp["x-contact"] = {"email": "new-desk@example.gov.vn"}  # today's contact: in the catalogue, not in 0.1.0's files
    (pkg / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path = pkg / "data" / "organisation.csv"
    text = path.read_text(encoding="utf-8")
    assert "Department of Home Affairs" in text
    path.write_text(text.replace("Department of Home Affairs", "Department of Internal Affairs"), encoding="utf-8")
    build_site(pkg, tmp_path / "b", ROOT, base_url=base)
    site_b = tmp_path / "b" / "site"

    assert _tree(site_b / "releases" / "0.1.0") == rel_a
    sums_b = _release_checksums(site_b)
    zip_url = f"{base}releases/0.1.0/minhbach-0.1.0.zip"
    assert sums_b[zip_url] == sums_a[zip_url]
    assert all(sums_a[u] == s for u, s in sums_b.items())  # no checksum of a release changed
    assert sorted(p.name for p in (site_b / "releases").iterdir()) == ["0.1.0"]  # 0.2.0 is not a release
    latest = site_b / "latest"
    assert "Internal Affairs" in (latest / "data" / "organisation.csv").read_text(encoding="utf-8")
    assert json.loads((latest / "datapackage.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    cff = (latest / "CITATION.cff").read_text(encoding="utf-8")
    assert "date-released" not in cff and "\nversion:" not in cff
    assert not (latest / "release.json").exists() and (latest / "minhbach-latest.zip").is_file()
    ttl = (site_b / "catalog.ttl").read_text(encoding="utf-8")
    assert f"{base}releases/0.2.0" not in ttl and f"{base}latest/data/organisation.csv" in ttl
    assert "planned-availability/EXPERIMENTAL" in ttl and "mailto:new-desk@example.gov.vn" in ttl
    page = html.unescape((site_b / "en" / "open-data" / "organisation" / "index.html").read_text(encoding="utf-8"))
    assert "0.2.0 (not yet released)" in page
    for lang in ("vi", "en"):
        feed = (site_b / ("feed.xml" if lang == "vi" else f"feed-{lang}.xml")).read_text(encoding="utf-8")
        assert feed.count("<entry>") == 1 and "releases/0.1.0/" in feed and "0.2.0" not in feed
    news = html.unescape((site_b / "en" / "whats-new" / "index.html").read_text(encoding="utf-8"))
    assert "not yet released" in news and "latest/minhbach-latest.zip" in news
