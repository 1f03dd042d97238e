"""The built site, as readers and the press get it: real HTML from a real build of the shipped data."""

from __future__ import annotations

import csv
import hashlib
import html
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from minhbach.build import build_site

ROOT = Path(__file__).resolve().parents[1]


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def page(site_dir: Path, key: str, lang: str) -> str:
    p = site_dir / ("en" if lang == "en" else "") / key / "index.html"
    assert p.is_file(), f"missing page {p}"
    return p.read_text(encoding="utf-8")


def text(html_src: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", html_src))


def expected_pages() -> list[str]:
    keys = [
        "",
        "kpi",
        "districts",
        "plan",
        "budget",
        "data-quality",
        "methodology",
        "glossary",
        "sources",
        "open-data",
        "whats-new",
    ]
    keys += [f"pillars/{r['pillar_id']}" for r in rows("pillar")]
    keys += [f"indices/{r['main_index_id']}" for r in rows("main_index")]
    keys += [f"sources/{r['source_id']}" for r in rows("source")]
    import json

    keys += [f"open-data/{r['name']}" for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]]
    return keys


def test_every_page_exists_in_both_languages(site):
    site_dir, _ = site
    for key in expected_pages():
        vi, en = page(site_dir, key, "vi"), page(site_dir, key, "en")
        assert '<html lang="vi"' in vi, key
        assert '<html lang="en"' in en, key


def _latest_total():
    obs = [
        r
        for r in rows("dti_observation")
        if r["statistic"] == "province" and not r["pillar_id"] and not r["main_index_id"]
    ]
    year = max(int(r["year"]) for r in obs)
    score = next(r for r in obs if r["metric"] == "score" and int(r["year"]) == year)
    rank = next(r for r in obs if r["metric"] == "rank" and r["rank_scope"] == "national" and int(r["year"]) == year)
    return year, score, rank


def test_headline_figures_match_the_data(site):
    site_dir, _ = site
    year, score, rank = _latest_total()
    vi, en = text(page(site_dir, "", "vi")), text(page(site_dir, "", "en"))
    assert score["as_written"] in vi  # 0,3509
    assert score["as_written"].replace(",", ".") in en  # 0.3509
    r = f"{int(float(rank['value']))}/{rank['out_of']}"
    assert r in vi and r in en
    assert f"{year}" in vi
    # every pillar's reported score and rank appear on its own page
    for p in rows("pillar"):
        got = text(page(site_dir, f"pillars/{p['pillar_id']}", "vi"))
        for o in rows("dti_observation"):
            if o["pillar_id"] == p["pillar_id"] and o["metric"] == "score":
                assert o["as_written"] in got, (p["pillar_id"], o["as_written"])


def test_every_chart_has_its_svg_table_and_csv(site):
    site_dir, _ = site
    charts = 0
    for f in sorted(site_dir.rglob("index.html")):
        if any(
            part in ("releases", "latest", "downloads", "assets", "embed") for part in f.relative_to(site_dir).parts
        ):  # embed pages: test_reuse
            continue
        src = f.read_text(encoding="utf-8")
        for fig in re.findall(r'<figure class="mb-chart".*?</figure>', src, flags=re.S):
            charts += 1
            img = re.search(r'<img src="([^"]+\.svg)" alt="([^"]+)"', fig)
            assert img, f"chart without static SVG in {f}"
            assert img.group(2).strip(), "chart image needs a text alternative"
            svg = (f.parent / html.unescape(img.group(1))).resolve()  # attribute values are entity-decoded by browsers
            assert svg.is_file() and svg.read_text(encoding="utf-8").lstrip().startswith("<svg")
            assert "<table" in fig and "<tbody><tr>" in fig, f"chart without data table in {f}"
            csv_link = re.search(r'href="([^"]+\.csv)" download', fig)
            assert csv_link and (f.parent / html.unescape(csv_link.group(1))).resolve().is_file()
    assert charts >= 20


def _recompute_pillars():
    """Independent recomputation: five foundation indices plus the pillar's activity index."""
    mi = {r["main_index_id"]: r for r in rows("main_index")}
    scores = {
        r["main_index_id"]: float(r["value"])
        for r in rows("dti_observation")
        if r["main_index_id"] and r["metric"] == "score" and r["year"] == "2021" and r["scale"] == "unit_interval"
    }
    out = []
    for p in rows("pillar"):
        members = [m for m, r in mi.items() if r["group"] == "foundation"] + [p["activity_main_index_id"]]
        pts = sum(scores[m] * float(mi[m]["max_points"]) for m in members)
        mx = sum(float(mi[m]["max_points"]) for m in members)
        reported = next(
            r
            for r in rows("dti_observation")
            if r["pillar_id"] == p["pillar_id"] and r["metric"] == "score" and r["year"] == "2021"
        )
        out.append((p, reported, pts / mx))
    return out


def test_data_quality_page_lists_every_aggregate_that_does_not_match(site):
    site_dir, _ = site
    vi, en = text(page(site_dir, "data-quality", "vi")), text(page(site_dir, "data-quality", "en"))
    mismatches = [(p, rep) for p, rep, rec in _recompute_pillars() if abs(float(rep["value"]) - rec) > 0.01]
    assert mismatches, "the shipped data has a pillar that disagrees with its recomputation"
    for p, rep in mismatches:
        assert p["name_vi"] in vi and rep["as_written"] in vi
        assert p["name_en"] in en and rep["as_written"].replace(",", ".") in en


def test_every_number_on_a_page_names_its_source(site):
    site_dir, _ = site
    for key in ["", "pillars/digital-government", "indices/awareness", "kpi", "budget"]:
        src = page(site_dir, key, "vi")
        assert src.count('class="mb-src"') >= 3, key


def test_no_outside_host_is_loaded(site):
    site_dir, base = site
    allowed = {"127.0.0.1"}
    for f in site_dir.rglob("*.html"):
        src = f.read_text(encoding="utf-8")
        for attr, url in re.findall(r'<(?:script|img|link|iframe|source|video|audio)[^>]*?\s(src|href)="([^"]+)"', src):
            host = urlparse(url).hostname
            assert host is None or host in allowed, f"{f}: {attr}={url}"
        assert "fonts.googleapis" not in src and "fonts.gstatic" not in src
        for url in re.findall(r'<a [^>]*href="(https?://[^"]+)"', src):
            assert urlparse(url).hostname in allowed | {"creativecommons.org"}, f"{f}: link to {url}"
    for f in list(site_dir.rglob("*.css")):
        for url in re.findall(r"url\((['\"]?)(https?://[^)'\"]+)", f.read_text(encoding="utf-8")):
            pytest.fail(f"{f} loads {url[1]}")


def test_heading_anchors_keep_vietnamese_letters(site):
    site_dir, _ = site
    src = page(site_dir, "", "vi")
    assert re.search(r'id="điểm-mạnh-điểm-yếu"', src), "slug should keep đ and diacritics"


def test_same_inputs_give_byte_identical_output(site, tmp_path, monkeypatch):
    site_dir, base = site
    # a cache of its own (tmp_path/cache): every chart, PNG and card is rendered again, not read back
    monkeypatch.delenv("MINHBACH_CACHE_DIR")
    build_site(ROOT, tmp_path, ROOT, base_url=base, force=True)
    assert (tmp_path / "cache" / "charts").is_dir()

    def tree(root: Path) -> dict:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    a, b = tree(site_dir), tree(tmp_path / "site")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_no_page_shows_its_own_markup_as_text(site):
    """Generated HTML must render as HTML: escaped tags in the output mean a template escaped its own markup."""
    site_dir, _ = site
    for f in site_dir.rglob("index.html"):
        src = f.read_text(encoding="utf-8")
        for bad in (
            "&#60;div",
            "&#60;table",
            "&#60;a ",
            "&lt;div",
            "&lt;table",
            "&lt;a href",
            "&#60;figure",
            "<p>&#35;",
            "<p>#",
        ):  # a Markdown heading the template escaped
            assert bad not in src, f"{f.relative_to(site_dir)} shows escaped markup ({bad})"


def test_site_name_and_footer_come_from_the_package(tmp_path):
    """Another province's package names its own site: province, publisher and licence come from the data,
    escaped because MkDocs writes them into the page as they are."""
    import json

    from conftest import copy_package
    from minhbach.load.package import load_package
    from minhbach.stages import site_identity

    pkg_dir = copy_package(tmp_path / "pkg", releases=False)
    rows = list(csv.DictReader(open(pkg_dir / "data" / "province.csv", encoding="utf-8")))
    rows[0].update(name_vi="Lâm Đồng", name_en="Lam Dong")
    with open(pkg_dir / "data" / "province.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    dp = json.loads((pkg_dir / "datapackage.json").read_text(encoding="utf-8"))
    dp["contributors"] = [
        {"title": "Sở <b>TT&TT</b> Lâm Đồng", "role": "publisher", "x-i18n": {"en": {"title": "Lam Dong DIC"}}}
    ]
    (pkg_dir / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False), encoding="utf-8")
    from minhbach import strings

    got = site_identity(load_package(pkg_dir), strings.load(ROOT / "site_src"))
    assert got["vi"]["site_name"] == "Minh bạch chuyển đổi số Lâm Đồng"
    assert got["en"]["site_name"] == "Lam Dong digital transformation, in the open"
    assert got["vi"]["copyright"] == "Dữ liệu: Sở &lt;b&gt;TT&amp;TT&lt;/b&gt; Lâm Đồng · Giấy phép CC BY 4.0"
    assert got["en"]["copyright"] == "Data: Lam Dong DIC · Licence CC BY 4.0"
    assert not any("Đắk Nông" in v for lang in got.values() for v in lang.values())
