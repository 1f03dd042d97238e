"""Any province, any year, any framework: packages of other shapes than the shipped one build from data alone.

The packages are written from scratch by tests/helpers.py (no row of the shipped data), built end to end, and
read as a reader would: the built HTML of both languages.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import helpers
from conftest import ROOT

FOREIGN = helpers.SHIPPED_WORDS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every shape, built once: {name: (package dir, site dir, results)}."""
    from minhbach.build import build_site
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package

    out = {}
    root = tmp_path_factory.mktemp("shapes")
    for name, shape in helpers.SHAPES.items():
        pkg = helpers.make(root / name / "pkg", shape)
        build_site(pkg, root / name / "out", ROOT, base_url=f"https://example.org/{name}/")
        out[name] = (pkg, root / name / "out" / "site", compute_all(load_package(pkg)))
    return out


def page(site: Path, key: str, lang: str) -> str:
    f = site / ("en" if lang == "en" else "") / key / "index.html"
    return f.read_text(encoding="utf-8")


def article_text(doc: str) -> str:
    body = doc[doc.find("<article") : doc.find("</article>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_profile_matches_the_shipped_schemas():
    from minhbach.dictionary import render_profile
    from minhbach.load.package import profile

    shipped = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    prof = profile()
    assert (ROOT / "scripts" / "minhbach" / "load" / "profile.json").read_text(encoding="utf-8") == render_profile(ROOT)
    assert [r["name"] for r in shipped["resources"]] == list(prof)
    for r in shipped["resources"]:
        assert [(f["name"], f.get("type", "string")) for f in r["schema"]["fields"]] == [
            (f["name"], f["type"]) for f in prof[r["name"]]["fields"]
        ], r["name"]


@pytest.mark.slow  # costly by design: validates every synthetic shape
def test_every_shape_validates():
    from minhbach.validate.run import validate_package

    for name, shape in helpers.SHAPES.items():
        pkg = helpers.make(Path(f"/tmp/minhbach-shape-{name}"), shape)
        issues, _ = validate_package(pkg)
        assert not issues, f"{name}: " + "; ".join(i.render() for i in issues[:5])


def test_no_text_of_another_province_anywhere(built):
    for name, (_, site, _) in built.items():
        hits = []
        for f in site.rglob("*"):
            if f.is_file() and f.suffix in (
                ".html",
                ".xml",
                ".json",
                ".csv",
                ".ttl",
                ".jsonld",
                ".rdf",
                ".svg",
                ".txt",
                ".js",
            ):
                text = f.read_text(encoding="utf-8", errors="replace")
                hits += [f"{f.relative_to(site)}: {w}" for w in FOREIGN if w in text]
        assert not hits, f"{name}: {hits[:10]}"


def test_points_scale_headline_on_both_scales_and_out_of_n_per_year(built):
    """Scores printed in points show the points as printed and the 0-1 value with four decimals; each year's
    rank is out of that year's number of ranked provinces (63 before the 2025 merger, 34 after)."""
    _, site, res = built["points-34"]
    sc = res.scores
    tot = sc[(sc["level"] == "total") & (sc["statistic"] == "province")].sort_values("year")
    last = tot.iloc[-1]
    vi, en = article_text(page(site, "", "vi")), article_text(page(site, "", "en"))
    unit_vi = f"{last['value_unit']:.4f}".replace(".", ",")
    assert unit_vi in vi and f"{last['value_unit']:.4f}" in en
    assert f"{last['as_written']} / 1.000" in vi, "the points are shown as the document printed them"
    assert f"{int(last['rank'])}/34" in vi and f"ranked {int(last['rank'])} of 34" in en
    pillar = article_text(page(site, "pillars/digital-government", "vi"))
    assert re.search(r"\b2023\b", pillar)
    total_rows = article_text(page(site, "provinces/lam-dong", "vi")) if (site / "provinces").exists() else ""
    assert "2.023" not in vi + pillar + total_rows and "2,023" not in en


def test_future_targets_are_said_plainly(built):
    _, site, _ = built["points-34"]
    vi, en = article_text(page(site, "", "vi")), article_text(page(site, "", "en"))
    assert "2027, 2030" in vi and "2027, 2030" in en
    assert "No target of the" in en


def test_no_empty_heading_on_any_page(built):
    """A heading is followed by something to read before the next heading of the same or a higher level."""
    for name, (_, site, _) in built.items():
        for f in site.rglob("index.html"):
            doc = f.read_text(encoding="utf-8")
            body = doc[doc.find("<article") : doc.find("</article>")]
            parts = re.split(r"(<h[1-3][^>]*>.*?</h[1-3]>)", body, flags=re.S)
            for i in range(1, len(parts) - 1, 2):
                level = int(parts[i][2])
                nxt = parts[i + 2] if i + 2 < len(parts) else ""
                between = re.sub(r"<[^>]+>|\s", "", parts[i + 1])
                if not between and (not nxt or int(nxt[2]) <= level):
                    raise AssertionError(f"{name}: empty section {parts[i][:80]!r} in {f.relative_to(site)}")


def test_optional_tables_absent_leave_their_pages_out(built):
    _, site, _ = built["no-optional"]
    for key in ("districts", "budget", "plan"):
        assert not (site / key).exists() and not (site / "en" / key).exists(), key
    home = page(site, "", "vi")
    assert 'href="districts/"' not in home and 'href="budget/"' not in home


def test_ninth_index_with_no_sub_indicator_keeps_recomputation(built):
    _, site, res = built["ninth-index"]
    assert not res.recomputed.empty, "a main index with 0 points must not switch recomputation off"
    # absence is silence: an index nothing is reported about gets no page and no dead link; it is still named
    assert not (site / "indices" / "data-index").exists()
    pillar = page(site, "pillars/digital-government", "en")
    assert "Digital data" in article_text(pillar)
    assert "indices/data-index" not in pillar
    assert (site / "indices" / "awareness" / "index.html").is_file()


def test_three_provinces_compare_beside_each_other(built):
    _, site, _ = built["three-provinces"]
    for lang, names in (("vi", ("Lâm Đồng", "Gia Lai", "Đắk Lắk")), ("en", ("Lam Dong", "Gia Lai", "Dak Lak"))):
        doc = page(site, "pillars/digital-economy", lang)
        section = doc[doc.find('id="comparison"') :]
        assert all(n in section[:6000] for n in names), lang
        for pid in ("lam-dong", "gia-lai", "dak-lak"):
            assert f"provinces/{pid}/" in section[:6000]
            assert (site / ("en" if lang == "en" else "") / "provinces" / pid / "index.html").is_file()


def test_summary_page_in_both_languages_for_every_shape(built):
    """The one-page summary exists in both languages for every shape, opens with the headline score (and the rank
    out of that year's N when one is reported), has something to read in every section, says plainly when there
    are no targets or no findings, and prints its own absolute address."""
    from minhbach.load.package import load_package
    from minhbach.site.queries import Q
    from minhbach.site.views.base import latest
    from phone_helpers import unit_decimals

    for name, (pkg, site, res) in built.items():
        last = latest(Q(load_package(pkg), res), "total", "dti")
        assert last is not None, name
        for lang in ("vi", "en"):
            doc = page(site, "summary", lang)
            text = article_text(doc)
            where = f"{name}/{lang}"
            assert re.search(r"<h1[^>]*>", doc), where
            body = doc[doc.find("<article") : doc.find("</article>")]
            parts = re.split(r"(<h[1-3][^>]*>.*?</h[1-3]>)", body, flags=re.S)
            heads = parts[1::2]
            assert len(heads) >= 6, f"{where}: {len(heads)} headings"
            for i in range(1, len(parts), 2):
                between = re.sub(r"<[^>]+>|\s", "", parts[i + 1] if i + 1 < len(parts) else "")
                assert between, f"{where}: nothing under {parts[i][:80]!r}"
            dec = unit_decimals(last.as_written, last.scale, last.max_points)
            score = f"{last.value_unit:.{dec}f}"
            assert (score.replace(".", ",") if lang == "vi" else score) in text, f"{where}: no headline score {score}"
            if last.rank is not None:
                assert f"{last.rank}/{last.rank_out_of}" in text, f"{where}: no rank out of N"
            if res.findings.empty:
                assert ("Không phát hiện" if lang == "vi" else "No disagreement found") in text, where
            if res.attainment is None or res.attainment.empty:  # absence is silence: no targets section at all
                assert ("không có mục tiêu" if lang == "vi" else "has no plan targets") not in text, where
            url = f"https://example.org/{name}/{'en/' if lang == 'en' else ''}summary/"
            assert re.search(r'class="mb-print-only mb-summary__url">[^<]*' + re.escape(url) + "<", html.unescape(doc))
            home = page(site, "", lang)
            assert 'href="summary/"' in home, f"{where}: the home page does not link the summary"


def test_summary_without_ranks_or_findings_shows_neither(built):
    """A package that reports no rank: the summary's headline is the score alone and no rank column is drawn;
    with no finding, one plain sentence."""
    from minhbach import strings
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package
    from minhbach.site import sitemap
    from minhbach.site.pages import Renderer

    pkg_dir, _, _ = built["no-optional"]
    pkg = load_package(pkg_dir)
    obs = pkg.tables["dti_observation"]
    pkg.tables["dti_observation"] = obs[obs["metric"] != "rank"].reset_index(drop=True)
    res = compute_all(pkg)
    assert res.scores["rank"].isna().all()
    cat = strings.load(ROOT / "site_src")
    pages = sitemap.expand(pkg, ROOT / "site_src", cat)
    summary = next(p for p in pages if p.key == "summary")
    renderer = Renderer(pkg, res, ROOT / "site_src", {}, pages=pages, catalogue=cat)
    for lang, rank_words in (("vi", ("Hạng", "hạng", "đứng thứ")), ("en", ("Rank", "rank"))):
        text = html.unescape(renderer.render(summary, lang, {"base_url": "https://example.org/x/"}))
        assert not any(w in text for w in rank_words), f"{lang}: a rank is shown where none is reported"
        assert ("Không phát hiện" if lang == "vi" else "No disagreement found") in text


def _read_built(site_dir: Path, public: str):
    """fetch(url) -> bytes for a site built for `public` but not served: the file the URL names."""

    def fetch(url: str) -> bytes:
        assert url.startswith(public), f"{url}: not under the site's address {public}"
        rel = url[len(public) :].split("#")[0]
        f = site_dir / rel
        if not rel or rel.endswith("/"):
            f = f / "index.html"
        assert f.is_file(), f"{url}: the link leads nowhere ({f.relative_to(site_dir)} is not in the build)"
        return f.read_bytes()

    return fetch


def test_every_shape_has_working_chart_reuse_and_social_cards(built):
    """The reuse checks of tests/test_reuse.py on every shape: each chart's PNG, SVG, xlsx, CSV, zip (its CSV,
    metadata and provenance of every number) and embed page; each page's card and its image."""
    from test_reuse import card_problems, chart_problems

    for name, (_, site, _) in built.items():
        public = f"https://example.org/{name}/"
        fetch = _read_built(site, public)
        charts, problems = chart_problems(site, public, fetch)
        pages, card = card_problems(site, fetch)
        assert charts > 0 and pages > 20, f"{name}: {charts} charts on {pages} pages"
        assert not problems + card, f"{name}:\n" + "\n".join((problems + card)[:20])


def test_no_rank_change_across_the_2025_merger(built):
    """Ranks out of 63 (2023, 2024) and out of 34 (2025): the site shows both ranks and says they are not
    comparable, and no page, chart or download states a change of places between them; the comparable
    2023 → 2024 change is shown, in English with the singular."""
    for name in ("points-34", "ninth-index"):
        _, site, res = built[name]
        sc = res.scores
        tot = sc[(sc["level"] == "total") & (sc["statistic"] == "province")].set_index("year")
        r24, r25 = int(tot.loc[2024, "rank"]), int(tot.loc[2025, "rank"])
        naive = r24 - r25
        assert naive > 1, "the shape must make a cross-base change look like a move"
        wrong = [f"tăng {naive} bậc", f"up {naive} places", f"+{naive}"]
        hits = []
        for f in site.rglob("*"):
            if f.is_file() and f.suffix in (".html", ".csv", ".json", ".svg", ".xml"):
                text = html.unescape(f.read_text(encoding="utf-8", errors="replace"))
                hits += [f"{f.relative_to(site)}: {w}" for w in wrong if w in text]
        assert not hits, f"{name}: {hits[:5]}"
        for lang, words in (("vi", "không so sánh được"), ("en", "not comparable")):
            home = article_text(page(site, "", lang))
            assert words in home, f"{name} {lang}: the home rank card says the bases differ"
            assert f"2024: {r24}/63 · 2025: {r25}/34" in home
        assert not (res.changes["rank_base_changed"] & res.changes["rank_change"].notna()).any()
        tch = res.changes[(res.changes["level"] == "total") & (res.changes["statistic"] == "province")]
        assert tch.set_index("to_year").loc[2024, "rank_change"] == 1, "63 → 63 stays comparable"
        assert "up 1 places" not in "".join(f.read_text(encoding="utf-8") for f in (site / "en").rglob("index.html"))


def test_plural_forms_come_from_the_catalogue():
    from minhbach import strings

    cat = strings.load(ROOT / "site_src")
    assert cat.get("en", "common.places_up", n=1) == "up 1 place"
    assert cat.get("en", "common.places_up", n=2) == "up 2 places"
    assert cat.get("vi", "common.places_up", n=1) == "tăng 1 bậc"


def test_a_rank_base_that_differs_within_a_year_is_refused(tmp_path):
    import csv

    from minhbach.validate.run import validate_package

    pkg = helpers.make(tmp_path / "pkg", helpers.SHAPES["points-34"])
    f = pkg / "data" / "dti_observation.csv"
    rows = list(csv.DictReader(f.open(encoding="utf-8")))
    ranks = [r for r in rows if r["metric"] == "rank" and r["year"] == "2025"]
    extra = dict(ranks[0], observation_id="extra-rank", out_of="63", as_written=f"{ranks[0]['value']}/63")
    extra["section"] = ranks[0]["section"]
    rows.append(extra)
    with f.open("w", encoding="utf-8", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    (pkg / "data" / "sources" / f"{helpers.SOURCE}.txt").open("a", encoding="utf-8").write(
        f"\n{ranks[0]['section']}\n{ranks[0]['value']}/63\n"
    )
    issues, _ = validate_package(pkg)
    codes = {i.code for i in issues}
    assert "rank-base-differs" in codes, [i.render() for i in issues[:5]]


@pytest.mark.browser
def test_home_brief_in_the_first_two_phone_screens_on_every_shape(built, chromium_browser):
    """Every synthetic shape, both languages, at 390 x 844: the score, the rank (and its change where the previous
    year is ranked out of as many provinces), the targets met per plan and the budget total, where the package has
    those tables, are each in a brief sentence within the first two screens; a table that is empty gives no line."""
    from minhbach.load.package import load_package
    from phone_helpers import PHONE, check_home, expected

    ctx = chromium_browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    problems = []
    for name, (pkg_dir, site, res) in built.items():
        exp = expected(load_package(pkg_dir), res)
        assert exp["score"] and exp["rank"], name
        for lang, index in (("vi", site / "index.html"), ("en", site / "en" / "index.html")):
            problems += [f"{name}: {p}" for p in check_home(page, index.as_uri(), lang, exp, {})]
    ctx.close()
    assert not problems, "\n".join(problems)
