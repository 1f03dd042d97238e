"""The home brief, the budget page in one unit, folds and section paths, read from the built pages (the phone
measurements are in test_browser.py)."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _page(site_dir: Path, key: str, lang: str) -> str:
    f = site_dir / ("en" if lang == "en" else "") / key / "index.html"
    return f.read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _article(doc: str) -> str:
    return doc[doc.find("<article") : doc.find("</article>")]


def test_section_paths_read_by_their_numbers_in_english():
    from minhbach.context import program_catalogue
    from minhbach.site.section_path import section, short

    cat = program_catalogue()

    printed = "PHẦN II. PHÂN TÍCH KẾT QUẢ > V. AN TOÀN, AN NINH MẠNG > 1. Đánh giá chỉ số"
    assert short(printed, "en", cat) == "Part II › V › 1"
    assert short("PHỤ LỤC I > TỔNG HỢP KINH PHÍ", "en", cat) == "Annex I › §"
    assert short("Phần I > IV. PHÁT TRIỂN XÃ HỘI SỐ", "en", cat) == "Part I › IV"
    assert str(section(printed, "vi", cat)) == printed.replace(">", "&#62;")
    # the printed path stays on hover, escaped
    assert 'title="PH' in str(section(printed, "en", cat)) and "<script" not in str(
        section("<script> > 1. x", "en", cat)
    )


def test_a_sentence_escapes_its_text_and_keeps_markup_values():
    from markupsafe import Markup

    from minhbach.site.views.brief import sentence

    class H:
        def t(self, path, **kw):
            return "{a} & {b} {n}".format(**kw)

    out = sentence(H(), "x", a="<b>", b=Markup('<a href="x">y</a>'), n=3)
    assert str(out) == '&#60;b&#62; &#38; <a href="x">y</a> 3'


def test_money_unit_from_the_magnitude():
    from minhbach import fmt
    from minhbach.site.views.brief import decimals

    assert fmt.money_unit(22_638_000_000) == "billion_vnd"
    assert fmt.money_unit(240_000_000) == "million_vnd"
    assert fmt.money_unit(5_000) == "vnd"
    assert decimals([22.638, 3.0, 2.998]) == 3 and decimals([10.6, 2000.0]) == 1 and decimals([1 / 3]) == 3


def test_home_brief_lines_with_their_sources(site):
    site_dir, _ = site
    for lang, total, rank in (("vi", "22,638 tỷ đồng", "tăng 13 bậc"), ("en", "22.638 billion VND", "up 13 places")):
        doc = _page(site_dir, "", lang)
        brief = doc[doc.find('<ul class="mb-brief"') : doc.find("</ul>", doc.find('<ul class="mb-brief"'))]
        lines = dict(re.findall(r'<li data-brief="(\w+)"[^>]*>(.*?)</li>', brief, re.S))
        assert list(lines)[:3] == ["score", "rank", "pillars"], list(lines)
        assert ("0,3509" if lang == "vi" else "0.3509") in _text(lines["score"])
        assert ("0,4014" if lang == "vi" else "0.4014") in _text(lines["score"])
        assert rank in _text(lines["rank"]) and "54" in _text(lines["rank"])
        largest = "5,221" if lang == "vi" else "5.221"
        assert total in _text(lines["money"]) and largest in _text(lines["money"]), "the total and the largest item"
        for kind in ("score", "rank", "money"):
            assert 'class="mb-src"' in lines[kind], f"{lang}: the {kind} line names no source"
        # the count is the published findings' own (downloads/data-quality-findings.csv), recounted here
        with (site_dir / "downloads" / "data-quality-findings.csv").open(encoding="utf-8") as fh:
            found = list(csv.DictReader(fh))
        major = sum(f["severity"] == "major" for f in found)
        assert "<li" not in lines["findings"], lines["findings"]
        assert re.search(rf"\b{len(found)}\b", _text(lines["findings"])), (len(found), _text(lines["findings"]))
        assert re.search(rf"\b{major}\b", _text(lines["findings"])), (major, _text(lines["findings"]))


def test_budget_page_in_one_unit_with_a_headline_and_every_document_cited(site):
    site_dir, _ = site
    for lang, unit in (("vi", "tỷ đồng"), ("en", "billion VND")):
        doc = _page(site_dir, "budget", lang)
        art = _article(doc)
        lead = re.search(r'<p class="mb-lead" data-brief="money">(.*?)</p>', art, re.S)
        assert lead and ("22,638" if lang == "vi" else "22.638") in _text(lead.group(1)) and unit in lead.group(1)
        assert 'class="mb-src"' in lead.group(1)
        # one unit: every amount column is headed in tỷ, no amount is printed in đồng
        heads = re.findall(r'<th scope="col" class="mb-num">([^<]*)</th>', art)
        assert any(unit in h for h in heads) and not any("(đồng)" in h or "(VND)" in h for h in heads), heads
        # "as printed" only where the text differs from the reading: 22.638.000.000 is just the total in đồng
        assert "22.638.000.000" not in _text(art.split("mb-reuse")[0])
        # the page citation names every document whose link the page shows
        shown = set(re.findall(r'class="mb-src" href="\.\./(?:\.\./)?sources/([^/"]+)/"', art))
        cite = re.search(r'<textarea id="mb-cite-page"[^>]*>(.*?)</textarea>', doc, re.S)
        assert cite and shown, lang
        # documents are cited by title (never by their internal id)
        text = html.unescape(cite.group(1))
        with (ROOT / "data" / "source.csv").open(encoding="utf-8") as fh:
            titles = {r["source_id"]: r[f"title_{lang}"] for r in csv.DictReader(fh)}
        missing = sorted(s for s in shown if titles[s] not in text)
        assert not missing, f"{lang}: shown but not cited {missing}"


def test_budget_bars_sorted_and_labelled(site):
    site_dir, _ = site
    spec = json.loads((site_dir / "assets/charts/budget-qd-231-2022-it-2021-en.vegalite.json").read_text("utf-8"))
    data = next(iter(spec["datasets"].values()))
    values = [r["amount_shown"] for r in data]
    assert values == sorted(values, reverse=True) and abs(values[0] - 5.221) < 1e-9
    assert any(layer.get("mark", {}).get("type") == "text" for layer in spec["layer"])


def test_long_tables_fold_with_their_counts(site):
    site_dir, _ = site
    doc = _article(_page(site_dir, "pillars/digital-government", "en"))
    folds = [html.unescape(s) for s in re.findall(r'<details class="mb-fold"><summary>([^<]*)</summary>', doc)]
    assert folds and all(re.search(r": \d+ rows?$", s) for s in folds), folds
    kpi = _article(_page(site_dir, "kpi", "vi"))
    assert len(re.findall(r'<details class="mb-fold">', kpi)) >= 2, "targets fold per plan"
    dq = _article(_page(site_dir, "data-quality", "en"))
    assert re.search(r'<details class="mb-fold"><summary>[^<]*: \d+ findings?</summary>', html.unescape(dq))


def test_english_source_lines_carry_no_vietnamese_section_path(site):
    site_dir, _ = site
    doc = _article(_page(site_dir, "kpi", "en"))
    sections = re.findall(r'<span class="mb-section">(.*?)</span></', doc, re.S)
    shown = [_text(re.sub(r'title="[^"]*"', "", s)) for s in sections]
    assert shown and not [s for s in shown if re.search(r"PHẦN|PHỤ LỤC|Phần", s)], shown[:3]
    assert any(s.startswith("Part ") for s in shown)
