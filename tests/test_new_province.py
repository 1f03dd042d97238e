"""A new province from nothing: the guide's commands (docs/publishing.md, "Publishing another province"), run as
printed, from `minhbach new` through the Excel workbook to a built site, with no file edited outside the new
package's folder."""

from __future__ import annotations

import html
import json
import re
import shlex
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT

SECTION = "## Xuất bản cho một tỉnh khác"
REPORT = """BÁO CÁO
Kết quả chuyển đổi số tỉnh Lâm Đồng năm 2025

I. KẾT QUẢ CHỈ SỐ DTI NĂM 2025
Năm 2025 tỉnh Lâm Đồng đạt 0,4123 điểm, xếp hạng 12/34 tỉnh, thành phố.
"""


def guide_commands() -> list[list[str]]:
    text = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    part = text[text.index(SECTION) :]
    part = part[: part.index("\n## ", 1)]
    blocks = re.findall(r"```sh\n(.*?)```", part, flags=re.S)
    return [shlex.split(line) for b in blocks for line in b.strip().splitlines()]


def run(cmd: list[str], cwd) -> subprocess.CompletedProcess:
    assert cmd[0] == ".venv/bin/minhbach", cmd
    return subprocess.run(
        [sys.executable, "-m", "minhbach", *cmd[1:]], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def fill_workbook(path) -> None:
    """What the staff type in Excel: the source document, the 2025 score and rank."""
    wb = openpyxl.load_workbook(path)
    ws = wb["source"]
    fields = [c.value for c in ws[1]]
    row = {
        "source_id": "ld-dti2025-report",
        "title_vi": "Báo cáo kết quả chuyển đổi số tỉnh Lâm Đồng năm 2025",
        "title_en": "Lâm Đồng digital transformation results 2025",
        "issuer_vi": "Sở Khoa học và Công nghệ tỉnh Lâm Đồng",
        "issuer_en": "Lâm Đồng Department of Science and Technology",
        "issued": "2026-03",
        "document_type": "report",
        "path": "sources/ld-dti2025-report.txt",
    }
    first = 3
    for i, f in enumerate(fields, 1):
        if f in row:
            ws.cell(first, i, row[f])
    ws = wb["dti_observation"]
    fields = [c.value for c in ws[1]]
    sec = "I. KẾT QUẢ CHỈ SỐ DTI NĂM 2025"
    rows = [
        {"observation_id": "ld-2025-total", "metric": "score", "value": 0.4123, "scale": "unit_interval",
         "as_written": "0,4123"},
        {"observation_id": "ld-2025-rank", "metric": "rank", "value": 12, "scale": "rank", "out_of": 34,
         "rank_scope": "national", "as_written": "12/34"},
    ]  # fmt: skip
    for n, r in enumerate(rows):
        r |= {"province_id": "lam-dong", "year": 2025, "statistic": "province", "source_id": "ld-dti2025-report"}
        r["section"] = sec
        for i, f in enumerate(fields, 1):
            if f in r:
                ws.cell(first + n, i, r[f])
    wb.save(path)


@pytest.mark.slow
def test_the_guide_builds_a_new_province_from_nothing(tmp_path):
    proj = tmp_path / "project"  # the project folder the guide's commands run in
    proj.mkdir()
    for name in ("site_src", "mkdocs.yml", "datapackage.json", "data"):
        (proj / name).symlink_to(ROOT / name)
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "data").rglob("*")}
    cmds = guide_commands()
    assert [c[1] for c in cmds] == ["new", "template", "import", "validate", "build"]
    assert all("--data" in c for c in cmds), "every command of the guide names the package"
    for cmd in cmds:
        if cmd[1] == "import":
            (proj / "lam-dong" / "data" / "sources" / "ld-dti2025-report.txt").write_text(REPORT, encoding="utf-8")
            fill_workbook(proj / "lam-dong.xlsx")
        out = run(cmd, proj)
        assert out.returncode == 0, f"{shlex.join(cmd)}:\n{out.stdout}\n{out.stderr}"
        if cmd[1] == "new":
            assert "minhbach template --data lam-dong" in out.stdout + out.stderr
            desc = json.loads((proj / "lam-dong" / "datapackage.json").read_text(encoding="utf-8"))
            for key in ("name", "title", "description", "x-i18n", "version", "created", "homepage", "keywords",
                        "licenses", "contributors", "sources", "x-province", "x-spatial", "x-temporal",
                        "x-contact", "resources"):  # fmt: skip
                assert key in desc, key
            assert "Đắk Nông" not in json.dumps(desc, ensure_ascii=False)
            assert (proj / "lam-dong" / "data" / "sources" / "README.md").is_file()
    site = proj / "build-lam-dong" / "site"
    home_vi = html.unescape((site / "index.html").read_text(encoding="utf-8"))
    home_en = html.unescape((site / "en" / "index.html").read_text(encoding="utf-8"))
    assert "0,4123" in home_vi and "12/34" in home_vi
    assert "0.4123" in home_en and "12/34" in home_en
    leaked = [str(f.relative_to(site)) for f in site.rglob("*.html") if "Đắk Nông" in f.read_text(encoding="utf-8")]
    assert not leaked, leaked[:5]
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "data").rglob("*")} == before, "the shipped package untouched"
