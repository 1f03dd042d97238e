"""The second shipped package, examples/bac-kan (Bắc Kạn's DTI 2021 report): another province is data only.

The package is validated and built by the real command line, as staff would run it, and its site is read as a
reader would: the built HTML of both languages, and every text file of the site for traces of Đắk Nông.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, SHIPPED_PLACES, SHIPPED_WORDS, run_cli

EXAMPLE = ROOT / "examples" / "bac-kan"

FOREIGN = SHIPPED_WORDS + SHIPPED_PLACES
TEXT_SUFFIXES = (".html", ".xml", ".json", ".csv", ".ttl", ".jsonld", ".rdf", ".svg", ".txt", ".js", ".yml", ".md")


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "minhbach", *args], env=env, capture_output=True, text=True, timeout=900, cwd=ROOT
    )


def rows(table: str) -> list[dict]:
    with open(EXAMPLE / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def text_of(doc: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", doc)))


def article(site: Path, key: str, lang: str) -> str:
    f = site / ("en" if lang == "en" else "") / key / "index.html"
    doc = f.read_text(encoding="utf-8")
    return text_of(doc[doc.find('<div class="md-content"') :])


def finding(site: Path, lang: str, finding_id: str) -> str:
    doc = (site / ("en" if lang == "en" else "") / "data-quality" / "index.html").read_text(encoding="utf-8")
    m = re.search(rf'<article[^>]*\bid="{re.escape(finding_id)}".*?</article>', doc, re.S)
    assert m, f"finding {finding_id} is not on the {lang} data-quality page"
    return text_of(m.group())


# ------------------------------------------------------------------ the package


def test_the_example_validates_with_no_issue():
    rc, out, err = run_cli("validate", "--data", str(EXAMPLE), "--json")
    assert rc == 0, out + err
    report = json.loads(out)
    assert report["valid"] is True and report["error_count"] == 0 and report["errors"] == []


def test_every_appendix_row_is_transcribed_and_the_counts_are_the_printed_ones():
    """Appendices 1-8 list 95 sub-indicators; section I prints 98 in all but per-index counts summing to 95."""
    text = (EXAMPLE / "data" / "sources" / "bk-dti2021-report.txt").read_text(encoding="utf-8")
    printed = re.findall(r"^(\d+\.\d+)\t", text, re.M)
    subs = rows("sub_indicator")
    assert [s["sub_indicator_id"] for s in subs] == printed and len(printed) == 95
    counts = {c["main_index_id"]: int(c["value"]) for c in rows("sub_indicator_count") if c["count_type"] == "total"}
    assert counts.pop("") == 98
    listed = {m: sum(s["main_index_id"] == m for s in subs) for m in counts}
    assert listed == counts, "each printed per-index count is the number of rows its appendix lists"
    assert sum(counts.values()) == 95


def test_no_row_of_the_example_names_another_province():
    hits = []
    for f in [EXAMPLE / "datapackage.json", *sorted((EXAMPLE / "data").rglob("*.*"))]:
        text = f.read_text(encoding="utf-8")
        hits += [f"{f.relative_to(EXAMPLE)}: {w}" for w in FOREIGN if w in text]
    assert not hits, hits


# ------------------------------------------------------------------ the built site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site as the README says to build it: `minhbach build --data examples/bac-kan --out DIR`."""
    out = tmp_path_factory.mktemp("bac-kan")
    run = cli("build", "--data", str(EXAMPLE), "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    return out / "site"


@pytest.mark.slow
def test_home_shows_the_headline_in_points_and_on_the_0_1_scale(site):
    vi, en = article(site, "", "vi"), article(site, "", "en")
    assert "320,7 / 1.000" in vi and "0,3207" in vi, "the points as printed and the computed 0-1 value"
    assert "320.7 / 1,000" in en and "0.3207" in en
    assert "320,73" not in vi.split("Bảng số liệu")[0], "the headline is the paragraph's figure, not the table's"
    assert "đứng thứ 51/63" in vi and "ranked 51 of 63" in en
    assert "tăng 8 bậc" in vi and "up 8 places" in en
    # the 2020 rank, out of the same 63 provinces, in the chart's data table
    assert "Hạng (/63)" in vi and re.search(r"Bắc Kạn 2020 0,2410 59 ", vi)
    assert "Rank (of 63)" in en and re.search(r"Bắc Kạn 2020 0\.2410 59 ", en)
    assert "0,4595" in vi and "0.4595" in en


@pytest.mark.slow
def test_the_methodology_counts_one_document(site):
    """A one-document package reads "1 official document", not "1 official documents" (plural from the catalogue)."""
    assert re.search(r"transcribed by hand from 1 official document \(", article(site, "methodology", "en"))
    assert re.search(r"chép tay từ 1 văn bản chính thức \(", article(site, "methodology", "vi"))


@pytest.mark.slow
def test_the_2020_rank_is_out_of_63(site):
    for lang, key in (("vi", "pillars/digital-government"), ("en", "pillars/digital-government")):
        assert "59/63" in article(site, key, lang), lang


@pytest.mark.slow
def test_98_stated_against_95_counted_is_a_finding(site):
    for lang in ("vi", "en"):
        block = finding(site, lang, "f-sub-indicator-count-total-2021-parts")
        assert re.search(r"\b98\b", block) and re.search(r"\b95\b", block), block[:300]
        # the finding cites where the counts are: the section as printed (vi), by its numbers on English pages
        cited = "I. Tổng quan về bộ chỉ số chuyển đổi số (DTI)" if lang == "vi" else "digital transformation index"
        assert cited in block, "the finding cites where the counts are"
    # the printed "Tăng 16 bậc" for the digital economy against its ranks 56 -> 39
    block = finding(site, "en", "f-rank-change-digital-economy-2021")
    assert "16" in block and "56" in block and "39" in block and "17" in block


@pytest.mark.slow
def test_no_text_of_dak_nong_anywhere_in_the_site(site):
    hits = []
    for f in sorted(site.rglob("*")):
        if not f.is_file():
            continue
        if f.suffix in TEXT_SUFFIXES:
            texts = [(str(f.relative_to(site)), f.read_text(encoding="utf-8", errors="replace"))]
        elif f.suffix in (".zip", ".xlsx"):
            with zipfile.ZipFile(f) as z:
                texts = [
                    (f"{f.relative_to(site)}!{n}", z.read(n).decode("utf-8", errors="replace"))
                    for n in z.namelist()
                    if n.endswith(TEXT_SUFFIXES)
                ]
        else:
            continue
        hits += [f"{name}: {w}" for name, text in texts for w in FOREIGN if w in text]
    assert not hits, hits[:20]
    assert any(site.rglob("*.zip")), "the scan covered the download bundles"


@pytest.mark.slow
def test_recomputation_table_shows_scores_printed_in_points_on_both_scales(site):
    """The reported pillar score is printed in points (247): the table shows 0,3800 (247 points), not the points'
    decimals applied to the 0-1 value (which read 0 and 0,3)."""
    for lang, want in (("vi", "0,3800 (247 điểm)"), ("en", "0.3800 (247 points)")):
        f = site / ("en" if lang == "en" else "") / "data-quality" / "index.html"
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", f.read_text(encoding="utf-8"))))
        assert want in text, lang


@pytest.mark.slow
def test_the_printed_change_of_rank_is_shown_beside_the_computed_one_and_marked(site):
    """Digital economy: ranks 56 -> 39 are 17 places up; the document prints "Tăng 16 bậc": the card shows both,
    with the mark and the link to the finding."""
    for lang, computed, printed in (
        ("vi", "tăng 17 bậc", "văn bản ghi tăng 16 bậc"),
        ("en", "up 17 places", "the document prints up 16 places"),
    ):
        doc = (site / ("en" if lang == "en" else "") / "index.html").read_text(encoding="utf-8")
        card = re.search(
            r'<div class="mb-card"><p class="mb-card__label"><a [^>]*pillars/digital-economy/.*?</div>', doc, re.S
        )
        assert card, lang
        text = text_of(card.group(0))
        assert f"{computed} ≠ {printed}" in text, text
        assert 'class="mb-printed mb-printed--differs"' in card.group(0)
        assert "f-rank-change-digital-economy-2021" in card.group(0), "the mark links to the finding"
