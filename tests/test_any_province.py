"""Any province, any year, any framework: packages of other shapes than the shipped one build from data alone.

The packages are written from scratch by tests/synthetic.py (no row of the shipped data), built end to end, and
read as a reader would: the built HTML of both languages.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import synthetic
from conftest import ROOT

FOREIGN = (
    "Đắk Nông",
    "Dak Nong",
    "dak-nong",
    "dn-dti2021",
    "dn-2022-results",
    "dn-plan-2022",
    "dn-press-2022",
    "231/QĐ-UBND",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every shape, built once: {name: (package dir, site dir, results)}."""
    from minhbach.build import build_site
    from minhbach.compute import compute_all
    from minhbach.load import load_package

    out = {}
    root = tmp_path_factory.mktemp("shapes")
    for name, shape in synthetic.SHAPES.items():
        pkg = synthetic.make(root / name / "pkg", shape)
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
    from minhbach.load import profile

    shipped = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    prof = profile()
    assert (ROOT / "scripts" / "minhbach" / "profile.json").read_text(encoding="utf-8") == render_profile(ROOT)
    assert [r["name"] for r in shipped["resources"]] == list(prof)
    for r in shipped["resources"]:
        assert [(f["name"], f.get("type", "string")) for f in r["schema"]["fields"]] == [
            (f["name"], f["type"]) for f in prof[r["name"]]["fields"]
        ], r["name"]


def test_every_shape_validates():
    from minhbach.validate import validate_package

    for name, shape in synthetic.SHAPES.items():
        pkg = synthetic.make(Path(f"/tmp/minhbach-shape-{name}"), shape)
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
    assert (site / "indices" / "data-index" / "index.html").is_file()
    text = article_text(page(site, "indices/data-index", "en"))
    assert "Digital data" in text


def test_three_provinces_compare_beside_each_other(built):
    _, site, _ = built["three-provinces"]
    for lang, names in (("vi", ("Lâm Đồng", "Gia Lai", "Đắk Lắk")), ("en", ("Lam Dong", "Gia Lai", "Dak Lak"))):
        doc = page(site, "pillars/digital-economy", lang)
        section = doc[doc.find('id="comparison"') :]
        assert all(n in section[:6000] for n in names), lang
        for pid in ("lam-dong", "gia-lai", "dak-lak"):
            assert f"provinces/{pid}/" in section[:6000]
            assert (site / ("en" if lang == "en" else "") / "provinces" / pid / "index.html").is_file()
