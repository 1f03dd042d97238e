"""Source documents as PDF-to-text prints them: headings in Markdown bold or italics, two headings glued on one
line, numbering variants and wrapped lines; one index per document; a refused citation names the nearest headings.
"""

from __future__ import annotations

import random
import re

import pytest

from conftest import ROOT, copy_package
from minhbach.load import sources
from minhbach.validate import guards
from minhbach.validate.run import validate_package

BAC_KAN = ROOT / "tests" / "fixtures" / "sources" / "bac-kan-dti2021.txt"  # seed 001, as extracted
SHIPPED = sorted((ROOT / "data" / "sources").glob("*.txt"))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.fixture(scope="module")
def bac_kan() -> str:
    return BAC_KAN.read_text(encoding="utf-8")


def test_glued_heading_is_two_headings(bac_kan):
    """`Phu luc 5**Ket qua ...**` on one line: the appendix and its title, citable as a path."""
    assert "Phụ lục 5**Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN MẠNG**" in bac_kan
    ix = sources.index_of(bac_kan)
    span = ix.span("Phụ lục 5 > Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN MẠNG")
    assert span is not None
    assert _line(bac_kan, span[0]) == 260
    assert bac_kan[span[1] :].startswith("Phụ lục 6")  # ends at the next appendix
    assert span == ix.span("Phụ lục 5")
    cited = ix.cited("Phụ lục 5 > Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN MẠNG")
    assert cited is not None and cited.contains("5.1") and not cited.contains("6.1")
    pieces = [h.text for h in ix.headings() if h.line == 260]
    assert pieces == ["Phụ lục 5", "Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN MẠNG"]
    # the title alone is a heading too, and a wrong title under the right appendix is refused
    assert ix.span("Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN MẠNG") is not None
    assert ix.span("Phụ lục 5 > Kết quả đánh giá DTI năm 2021 nhóm chỉ số HẠ TẦNG SỐ") is None


def test_heading_title_on_the_next_line(bac_kan):
    ix = sources.index_of(bac_kan)
    span = ix.span("Phụ lục 2 > Kết quả đánh giá DTI năm 2021 nhóm chỉ số THỂ CHẾ SỐ")
    assert span is not None and bac_kan[span[1] :].startswith("Phụ lục 3")


def test_bold_inside_a_lettered_heading(bac_kan):
    """`a) **Danh gia chung:** Dat **60/100**` is the heading `a) Danh gia chung` of section 1 only."""
    section = "II. Đánh giá chỉ số DTI tỉnh Bắc Kạn năm 2021 > 1. Đánh giá chỉ số “Nhận thức số” > a) Đánh giá chung"
    cited = sources.index_of(bac_kan).cited(section)
    assert cited is not None
    assert cited.contains("60/100") and not cited.contains("25/100")


SYNTHETIC = """BÁO CÁO THỬ
**I. MỤC TIÊU**
Mở đầu 11 đơn vị.
*1. Chỉ tiêu chung*
Đạt 12 chỉ tiêu.
1) Hạ tầng
Có 13 trạm.
2) Nhân lực
Có 14 người.
__II - NHIỆM VỤ__
a) Nhiệm vụ thứ nhất
Giao 15 việc.
b) Nhiệm vụ thứ hai, viết dài đến mức
xuống dòng khi in
Giao 16 việc.
PHỤ LỤC I**Danh mục dự án**
1	Dự án A	17 tỷ
Phụ lục II
Danh mục khác 18
"""


@pytest.mark.parametrize(
    ("section", "inside", "outside"),
    [
        ("I. MỤC TIÊU", "11", "15"),  # bold heading
        ("I. MỤC TIÊU > 1. Chỉ tiêu chung", "12", "11"),  # italic heading
        ("I. MỤC TIÊU > 1) Hạ tầng", "13", "14"),  # "1)" numbering
        ("I. MỤC TIÊU > 1. Hạ tầng", "13", "14"),  # cited with "1." where the text prints "1)"
        ("II. NHIỆM VỤ", "15", "13"),  # "II -" numbering in underscores, cited with "II."
        ("II - NHIỆM VỤ > a) Nhiệm vụ thứ nhất", "15", "16"),
        ("II. NHIỆM VỤ > b) Nhiệm vụ thứ hai, viết dài đến mức xuống dòng khi in", "16", "15"),  # wrapped
        ("PHỤ LỤC I > Danh mục dự án", "17", "18"),  # glued, upper case
        ("Phụ lục I > Danh mục dự án", "17", "16"),
    ],
)
def test_each_artefact(section, inside, outside):
    cited = sources.index_of(SYNTHETIC).cited(section)
    assert cited is not None, sources.index_of(SYNTHETIC).suggestion(section)
    assert cited.contains(inside)
    assert not cited.contains(outside)
    assert guards.cited_text(SYNTHETIC, section) == cited.text


def test_levels_of_the_numbering_variants():
    levels = {h.text: h.level for h in sources.index_of(SYNTHETIC).headings()}
    assert levels["I. MỤC TIÊU"] == 1 and levels["II - NHIỆM VỤ"] == 1
    assert levels["1. Chỉ tiêu chung"] == 2 and levels["1) Hạ tầng"] == 2
    assert levels["a) Nhiệm vụ thứ nhất"] == 3
    assert levels["PHỤ LỤC I"] == 0 and levels["Danh mục dự án"] is None


def test_refused_section_names_the_nearest_headings(bac_kan):
    ix = sources.index_of(bac_kan)
    section = "Phụ lục 5 > Kết quả đánh giá DTI năm 2021 nhóm chỉ số AN TOÀN THÔNG TIN"
    assert ix.span(section) is None or ix.span(section) == ix.span("Phụ lục 5")  # a prefix of the title: found
    bad = "Phu luc 5 > Ket qua"
    assert ix.span(bad) is None
    near = ix.nearest(ix.missing_part(bad) or "")
    assert len(near) == 3 and near[0].line == 260 and near[0].text == "Phụ lục 5"
    text = ix.suggestion(bad)
    assert "'Phu luc 5'" in text and "line 260: 'Phụ lục 5'" in text


def test_refusal_through_validate_lists_headings_with_line_numbers(tmp_path):
    root = copy_package(tmp_path / "pkg", releases=False)
    path = root / "data" / "dti_observation.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("PHẦN I > I. KẾT QUẢ CHỈ SỐ DTI NĂM 2021", "PHẦN I > I. KẾT QUẢ CHỈ SỐ DTI 2021", 1))
    issues, _ = validate_package(root)
    hits = [i for i in issues if i.code == "section-not-found"]
    assert len(hits) == 1 and hits[0].row == 2
    assert "'I. KẾT QUẢ CHỈ SỐ DTI 2021' is not a heading" in (hits[0].expected or "")
    m = re.search(r"nearest headings: line (\d+): 'I\. KẾT QUẢ CHỈ SỐ DTI NĂM 2021", hits[0].expected or "")
    assert m, hits[0].expected
    doc = (root / "data" / "sources" / "dn-dti2021-report.txt").read_text(encoding="utf-8").split("\n")
    assert doc[int(m.group(1)) - 1].startswith("I. KẾT QUẢ CHỈ SỐ DTI NĂM 2021")


@pytest.mark.slow  # costly by design: the index against the full scan, thousands of needles per document
@pytest.mark.parametrize("path", [*SHIPPED, BAC_KAN], ids=lambda p: p.stem)
def test_token_index_answers_as_the_scan_does(path):
    """Cited.contains is guards.token_in on the section text, for whole tokens, parts of tokens and near misses."""
    text = path.read_text(encoding="utf-8")
    ix = sources.index_of(text)
    assert sources.index_of(text) is ix  # parsed once
    rnd = random.Random(path.stem)
    whole = ix.whole()
    flat = whole.flat
    needles = set()
    for _ in range(400):
        a = rnd.randrange(len(flat))
        needles.add(flat[a : a + rnd.randint(1, 12)])
    needles |= {m.group() for m in re.finditer(r"[0-9][0-9.,%]*", flat)}
    needles |= {n[:-1] for n in list(needles) if len(n) > 1} | {n + "0" for n in list(needles)[:200]}
    for n in sorted(needles):
        assert whole.contains(n) == guards.token_in(n, text), n
