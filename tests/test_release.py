"""Issue 6 end to end: a new year and a changed value go in through the workbook and out as a release."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_package
from minhbach.build import build_site
from minhbach.errors import Failed
from minhbach.release import make_release
from minhbach.workbook import import_workbook, make_template

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
