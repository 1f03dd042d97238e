"""The stages `build.build_site` runs, one function each: charts, publish (the open-data files), pages (with the
reuse files each page's charts bring), render (MkDocs). Imported by build only once the input fingerprint says a
build is needed, so a no-change rebuild never loads pandas, Altair or MkDocs."""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import vl_convert

from minhbach import context
from minhbach.cache import Cache
from minhbach.charts.data import BUILDERS
from minhbach.charts.model import Words
from minhbach.charts.registry import all_charts as make_charts
from minhbach.charts.render import write_charts as render_charts
from minhbach.compute.scores import publisher_province
from minhbach.findings import kinds as finding_kinds
from minhbach.load.package import in_languages, licence, publisher_title
from minhbach.publish import cards, reuse
from minhbach.publish import run as publish
from minhbach.publish.xlsx import write_xlsx
from minhbach.site import cite, render, sitemap
from minhbach.site import pages as pages_mod
from minhbach.site.views.dti import methodology_facts


def download_name(key: str, filename: str) -> str:
    """`indices-awareness-scores.xlsx` of page `indices/awareness` → `scores`."""
    stem = filename.rsplit(".", 1)[0]
    return stem.removeprefix((key.replace("/", "-") or "home") + "-")


def declared_downloads(pages, files: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each page offers the extracts its site-map entry names (`downloads:`), in that order."""
    out: dict[str, list[str]] = {}
    for p in pages:
        names = list(p.spec.downloads) if p.spec is not None else []
        have = files.get(p.key, [])
        out[p.key] = [f for n in names for f in have if download_name(p.key, f) == n]
    return out


def registries(site_src: Path) -> dict[str, tuple[str, ...]]:
    """What the site is made of, as registered: its pages (site map), charts (builders) and finding kinds."""
    return {
        "pages": tuple(s.key for s in sitemap.read_specs(site_src)),
        "charts": tuple(b.__name__ for b in BUILDERS),
        "finding_kinds": tuple(finding_kinds.names()),
    }


def write_charts(pkg, res, site: context.Site, out: Path, cache: Cache) -> dict:
    """Every chart in every language of the site; a label the data lacks in a language reads as the default's."""
    chart_map = {}
    pkg = in_languages(pkg, site.langs)
    words = Words(site.cat)
    all_charts = make_charts(pkg, res, words)
    written = render_charts(all_charts, out, cache, words=words)
    # typed workbook beside each chart's CSV (same columns, same rows)
    [
        write_xlsx(out / f["csv"].replace(".csv", ".xlsx"), c.columns, c.table(lang))
        for c in all_charts
        for lang, f in written[c.chart_id].items()
    ]  # noqa: E501
    for c in all_charts:
        files = written[c.chart_id]
        sizes = {}
        for lang in files:
            head = (out / files[lang]["svg"]).read_text(encoding="utf-8")[:400]
            w = re.search(r'width="([\d.]+)"', head)
            h = re.search(r'height="([\d.]+)"', head)
            sizes[lang] = (int(float(w.group(1))) if w else 600, int(float(h.group(1))) if h else 300)
        chart_map[c.chart_id] = (c, files, sizes)
    return chart_map


def publish_files(pkg, res, site: context.Site, docs: Path):
    """The open-data stage: releases, catalogue, feeds and every page's extracts, before the pages that link them."""
    docs.mkdir(parents=True, exist_ok=True)
    pages = sitemap.expand(pkg, site.site_src, site.cat)
    extra_pages, downloads, extra_context = publish.stage_open_data(pkg, res, docs, site.base_url, site.cat)
    downloads.update(declared_downloads(pages, publish.stage_page_downloads(pkg, res, docs)))
    return pages, extra_pages, downloads, extra_context


def stage_pages(
    pkg,
    res,
    site: context.Site,
    docs: Path,
    chart_map: dict,
    bundle,
    cache: Cache,
    open_data,
):
    site_src, base_url, cat = site.site_src, site.base_url, site.cat
    pkg = in_languages(pkg, site.langs)  # the pages read a label the data lacks in a language as the default's
    docs.mkdir(parents=True, exist_ok=True)
    # assets: the project's own, plus the vendored chart bundle (written only where charts exist)
    shutil.copytree(site_src / "assets", docs / "assets", dirs_exist_ok=True)
    if chart_map:
        vendor = docs / "assets" / "vendor"
        vendor.mkdir(parents=True, exist_ok=True)
        (vendor / "vega-bundle.js").write_text(bundle.result(), encoding="utf-8")
    pages, extra_pages, downloads, extra_context = open_data
    by_key = {p.key: p for p in pages}
    for extra in extra_pages:  # the release-specific context of the open-data pages
        if extra.key in by_key:
            by_key[extra.key].context.update(extra.context)
    ident = cite.identity(pkg, cat, base_url, preview=site.preview)
    renderer = pages_mod.Renderer(
        pkg, res, site_src, chart_map, pages=pages, downloads=downloads, catalogue=cat, identity=ident
    )
    for page in pages:
        for lang in site.langs:
            text = renderer.render(page, lang, extra_context)
            f = pages_mod.stage_file(docs, page.key, lang, site.default_lang)
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text, encoding="utf-8")
    # reuse: a zip per chart shown, its embed page (written beside the MkDocs output) and a card per page
    chart_dir = docs / "assets" / "charts"
    reuse.write_chart_bundles(chart_map, renderer.used, chart_dir, ident, cat)
    for path, text in reuse.embed_pages(renderer.env, chart_map, renderer.used, ident, cat).items():
        target = docs.parent / "site-extra" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    stage_file = functools.partial(pages_mod.stage_file, default_lang=site.default_lang)
    social = cards.social_cards(renderer.facts, chart_map, chart_dir, docs, ident, cat, cache, stage_file)
    (docs.parent / "social.json").write_text(json.dumps(social, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    facts = {lang: methodology_facts(pkg, lang, cat) for lang in site.langs}
    (docs.parent / "macros.json").write_text(json.dumps(facts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return pages, cat


def vega_bundle(cache: Cache) -> str:
    """vega + vega-lite + vega-embed in one offline file; generating it takes seconds, so it is cached per version."""
    versions = f"{vl_convert.get_vega_version()}-{vl_convert.get_vega_embed_version()}"
    key = "vega-bundle-" + "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in versions)
    hit = cache.get(key, "bundle")
    if hit is not None:
        return hit.decode("utf-8")
    text = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub misses the default
    cache.put(key, "bundle", text.encode("utf-8"))
    return text


def site_identity(pkg, cat) -> dict[str, dict[str, str]]:
    """Site name, description and footer per language, from the UI strings and the data package (province,
    publisher, licence), so another province's package names its own site. Escaped: MkDocs inserts them as they are."""
    pkg = in_languages(pkg, cat.langs)
    province = pkg.t("province").set_index("province_id").loc[publisher_province(pkg)]
    out = {}
    for lang in cat.langs:
        publisher = publisher_title(pkg.descriptor, lang) or str(province[f"name_{lang}"])
        kw = {"province": str(province[f"name_{lang}"]), "publisher": publisher, "licence": licence(pkg.descriptor)[0]}
        out[lang] = {
            option: html.escape(cat.get(lang, f"site.{key}", **kw))
            for key, option in (("name", "site_name"), ("tagline", "site_description"), ("copyright", "copyright"))
        }
    return out


def render_site(config_file: Path, docs: Path, site_tmp: Path, staged, base_url: str, pkg):
    pages, cat = staged
    navs = {lang: sitemap.nav(pages, cat, lang) for lang in cat.langs}
    staged_config = render.stage_config(
        config_file, docs.parent, site_tmp, base_url, site_identity(pkg, cat), navs, site_langs(cat)
    )
    render.render(staged_config, epoch(pkg))
    extra = docs.parent / "site-extra"  # pages outside MkDocs: each chart's embed page
    if extra.is_dir():
        shutil.copytree(extra, site_tmp, dirs_exist_ok=True)


def site_langs(cat) -> list[dict[str, str]]:
    """[{locale, name}] of the catalogue's languages (site_src/languages.yml), the default first."""
    return [{"locale": x, "name": cat.get(x, "site.language_name")} for x in cat.langs]


def epoch(pkg) -> int:
    """Build date = the release date in datapackage.json, so rebuilding the same data is byte-identical."""
    created = pkg.descriptor.get("created", "2000-01-01T00:00:00Z")
    try:
        return int(datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(UTC).timestamp())
    except ValueError:
        return 946684800
