"""Show what was printed (issue 20, item 5): precision as printed on both scales, qualifiers beside the number,
no share of the way for a value moving away from its target, the printed change of rank beside the computed one,
numbers in the page's language in printed text, documents named by title (issuer and date) in citations.

Unit tests on the formatting functions, then the built sites: the shipped package (`site`), a synthetic twin for
the shapes the shipped data lacks (a qualifier "duoi", a falling value under a target above it)."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest

import helpers
from minhbach.context import program_catalogue

ROOT = Path(__file__).resolve().parents[1]

CAT = program_catalogue()


def _text(doc: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", doc)))


def _page(site: Path, key: str, lang: str) -> str:
    return (site / ("en" if lang == "en" else "") / key / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ formatting


def test_a_score_converted_to_the_other_scale_keeps_the_precision_it_was_printed_with():
    from minhbach import fmt

    # 0,6 of an index of 100 points is 60 points, not 60,00; 0,4228 is 42,28; 0,3509 of 1.000 is 350,9
    assert fmt.scale_decimals("0,6", "unit_interval", "points", 100) == 0
    assert fmt.scale_decimals("0,4228", "unit_interval", "points", 100) == 2
    assert fmt.scale_decimals("0,3509", "unit_interval", "points", 1000) == 1
    # 320,7 points of 1.000 is 0,3207 on 0-1; 247 of 650 is 0,380 (not 0,3800); the printed scale keeps its digits
    assert fmt.scale_decimals("320,7", "points", "unit_interval", 1000) == 4
    assert fmt.scale_decimals("247", "points", "unit_interval", 650) == 3
    assert fmt.scale_decimals("0,6", "unit_interval", "unit_interval", None) == 1
    # nothing printed, or no maximum to convert with: the caller's default
    assert fmt.scale_decimals(None, "points", "unit_interval", 1000) is None
    assert fmt.scale_decimals("241", "points", "unit_interval", float("nan")) is None
    assert (
        fmt.number(0.6 * 100, "vi", decimals=fmt.scale_decimals("0,6", "unit_interval", "points", 100), cat=CAT) == "60"
    )


def test_printed_text_takes_the_pages_separators_and_keeps_its_words():
    from minhbach import fmt

    assert fmt.printed("63.936", "en", cat=CAT) == "63,936"
    assert fmt.printed("0,6", "en", cat=CAT) == "0.6"
    assert fmt.printed("4,18%", "en", cat=CAT) == "4.18%"
    assert fmt.printed("(2.531 + 250)/664.416 = 0,42%", "en", cat=CAT) == "(2,531 + 250)/664,416 = 0.42%"
    assert fmt.printed("2.500.000,000", "en", cat=CAT) == "2,500,000.000"
    # not a Vietnamese-grouped number: left as printed (a fraction, a plain integer, words)
    for same in ("06/10", "Tăng 16 bậc", "250", "4.10"):
        assert fmt.printed(same, "en", cat=CAT) == same
    assert fmt.printed("63.936", "vi", cat=CAT) == "63.936"


def test_no_share_of_the_way_for_a_value_moving_away_from_its_target():
    from minhbach.compute.progress import assess

    # towards: 20 -> 40 of the way to 60 is half of it
    p = assess(60, "at_least", 2025, 40, "2023", 20, "2021")
    assert p.share == pytest.approx(50.0) and not p.moved_away
    # away: 50 -> 40 under a target of 60 is no distance covered at all (the old share read -100 %)
    p = assess(60, "at_least", 2025, 40, "2023", 50, "2021")
    assert p.share is None and p.moved_away
    # a baseline that met the target already, then fell under it: moved away, not "300 % of the way"
    p = assess(90, "at_least", 2022, 80, "2022", 95, "2021")
    assert p.share is None and p.moved_away and p.status == "not_met"
    # "at most": falling is towards the target
    p = assess(10, "at_most", 2025, 15, "2023", 20, "2021")
    assert p.share == pytest.approx(50.0) and not p.moved_away
    p = assess(10, "at_most", 2025, 25, "2023", 20, "2021")
    assert p.share is None and p.moved_away


def test_a_citation_names_a_document_by_title_issuer_and_date_never_by_its_code():
    from minhbach import strings
    from minhbach.load.package import load_package
    from minhbach.site.cite import identity, sources_text

    pkg = load_package(ROOT)
    ident = identity(pkg, strings.load(ROOT / "site_src"), "https://example.org/")
    en = sources_text(ident, [("dn-2022-results", "PHẦN II")], "en")
    vi = sources_text(ident, [("dn-2022-results", "PHẦN II")], "vi")
    assert "[dn-" not in en + vi
    assert "Đắk Nông Provincial People's Committee, November 2022" in en and en.endswith(": PHẦN II")
    assert "tháng 11/2022" in vi


# ------------------------------------------------------------------ the shipped site


@pytest.mark.slow
def test_scores_printed_with_one_digit_are_not_shown_with_four(site):
    """Digital institutions 2021 is printed "0,6": every page shows 0,6 (and 60 points), never 0,6000 / 60,00."""
    site_dir, _ = site
    vi = _text(_page(site_dir, "indices/institutions", "vi"))
    en = _text(_page(site_dir, "indices/institutions", "en"))
    assert re.search(r"2021 0,6 60 100 ", vi), "the score table: 0,6 and 60 points"
    assert re.search(r"2021 0\.6 60 100 ", en)
    bad = [
        str(f.relative_to(site_dir))
        for f in sorted(site_dir.rglob("*.html"))
        if re.search(r">(0,6000|60,00|0\.6000|60\.00)<", f.read_text(encoding="utf-8"))
    ]
    assert not bad, f"false precision on {len(bad)} pages, e.g. {bad[:3]}"


@pytest.mark.slow
def test_home_shows_the_dti_change_of_rank_the_document_prints(site):
    """000 prints "tăng 13 bậc so với năm 2020" and no 2020 rank: the rank card says so, marked as printed."""
    site_dir, _ = site
    for lang, want in (
        ("vi", "So với năm 2020: tăng 13 bậc (theo văn bản"),
        ("en", "Compared with 2020: up 13 places (as"),
    ):
        doc = _page(site_dir, "", lang)
        card = re.search(
            r'<div class="mb-card"><p class="mb-card__label">[^<]*</p><p class="mb-card__value">41/63.*?</div>', doc
        )
        assert card and want in _text(card.group(0)), lang


@pytest.mark.slow
def test_progress_shows_the_qualifier_and_moved_away(site):
    site_dir, _ = site
    vi, en = _text(_page(site_dir, "kpi", "vi")), _text(_page(site_dir, "kpi", "en"))
    # the baseline "khoảng 95%" (2021) of documents exchanged electronically, then 91,3 % under the target of 92 %
    assert "khoảng 95% (2021) 91,3% (2022) 0,7% đi xa mục tiêu hơn" in vi
    assert "about 95% (2021) 91.3% (2022) 0.7% moved away" in en
    # a value moving towards its target keeps its share
    assert "khoảng 40% (2021) 88,74% (2022) 0% 244%" in vi


@pytest.mark.slow
def test_affected_figures_on_english_pages_use_english_separators(site):
    site_dir, _ = site
    en, vi = _page(site_dir, "data-quality", "en"), _page(site_dir, "data-quality", "vi")
    items_en = [_text(x) for x in re.findall(r"<li><strong>.*?</li>", en, re.S)]
    items_vi = [_text(x) for x in re.findall(r"<li><strong>.*?</li>", vi, re.S)]
    assert items_en and len(items_en) == len(items_vi)
    printed_en = " ".join(x.split(" · ")[0] for x in items_en)
    printed_vi = " ".join(x.split(" · ")[0] for x in items_vi)
    assert "63,936" in printed_en and "63.936" not in printed_en
    assert "63.936" in printed_vi
    # no number grouped the Vietnamese way (two groups of three after a dot) is left in an English figure
    assert not re.findall(r"\b\d{1,3}(?:\.\d{3}){2,}\b", printed_en)


@pytest.mark.slow
def test_no_citation_on_any_page_carries_a_document_code(site):
    site_dir, _ = site
    bad = []
    for f in sorted(site_dir.rglob("*.html")):
        doc = html.unescape(f.read_text(encoding="utf-8"))
        if re.search(r"\[dn-[a-z0-9-]+\]", doc):
            bad.append(str(f.relative_to(site_dir)))
    assert not bad, f"{len(bad)} pages cite a document by its code, e.g. {bad[:3]}"


# ------------------------------------------------------------------ a synthetic twin


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory):
    from minhbach.build import build_site

    root = tmp_path_factory.mktemp("printed")
    pkg = helpers.make(root / "pkg", helpers.Shape(printed=True))
    build_site(pkg, root / "out", ROOT, base_url="https://example.org/printed/")
    return pkg, root / "out" / "site"


@pytest.mark.slow
def test_a_qualifier_stays_beside_its_number_and_a_falling_value_moved_away(printed_site):
    pkg, site_dir = printed_site
    with open(pkg / "data" / "kpi_observation.csv", encoding="utf-8", newline="") as f:
        obs = {o["observation_id"]: o for o in csv.DictReader(f)}
    under = next(o for o in obs.values() if o["qualifier"] == "less_than")
    vi, en = _text(_page(site_dir, "kpi", "vi")), _text(_page(site_dir, "kpi", "en"))
    aw = under["as_written"]
    assert f"dưới {aw} ({under['period']})" in vi, "the qualifier beside the printed number"
    assert f"less than {aw.replace(',', '.')} ({under['period']})" in en
    # digital firms fall from their baseline under a target above them: no share of the way, "moved away"
    assert re.search(r"Đến năm 2027 đạt 400 2027 \S+ \(\d{4}\) \S+ \(\d{4}\) [\d.,]+ đi xa mục tiêu hơn", vi), vi[:0]
    assert re.search(r"400 by 2027 2027 \S+ \(\d{4}\) \S+ \(\d{4}\) [\d.,]+ moved away", en)
