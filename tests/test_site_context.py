"""The site context (minhbach.context): languages from one place (site_src/languages.yml), the catalogue of the
build's own project everywhere, and a third language added with strings and configuration only."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
import yaml

from minhbach import context, strings
from minhbach.errors import Failed

ROOT = Path(__file__).resolve().parents[1]


def _project(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", dst / "site_src")
    return dst


def _set(path: Path, section: str, key: str, text: str) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc[section][key] = text
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _add_french(project: Path) -> Path:
    """A third language: a catalogue folder (the English words, a few of them French) and one config line."""
    src = project / "site_src"
    shutil.copytree(src / "strings" / "en", src / "strings" / "fr")
    _set(src / "strings" / "fr" / "ui.yml", "site", "language_name", "Français")
    _set(src / "strings" / "fr" / "sitemap.yml", "pages", "glossary", "Glossaire")
    (src / "languages.yml").write_text("languages: [vi, en, fr]\n", encoding="utf-8")
    return src


def test_languages_are_defined_once_in_site_src():
    assert context.languages(ROOT / "site_src") == ("vi", "en")
    assert strings.load(ROOT / "site_src").langs == ("vi", "en")
    # mkdocs.yml lists none: the build writes them into the staged config
    assert "locale:" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_project_without_site_src_uses_the_shipped_one(tmp_path):
    assert context.site_src(tmp_path) == context.shipped_site_src() == ROOT / "site_src"
    assert context.site_src(_project(tmp_path / "p")) == tmp_path / "p" / "site_src"


@pytest.mark.parametrize("text", ["languages: []\n", "languages: [vi, vi]\n", "languages: [../x]\n", "x: 1\n"])
def test_a_bad_language_list_fails_by_file(tmp_path, text):
    project = _project(tmp_path / "p")
    (project / "site_src" / "languages.yml").write_text(text, encoding="utf-8")
    with pytest.raises(Failed) as e:
        context.catalogue(project)
    assert "languages.yml" in str(e.value.issues[0].file)


def test_a_key_missing_in_a_third_language_fails_by_name(tmp_path):
    """A missing key never falls back to another language: the build stops, naming the key and the language."""
    src = _add_french(_project(tmp_path / "p"))
    f = src / "strings" / "fr" / "sitemap.yml"
    doc = yaml.safe_load(f.read_text(encoding="utf-8"))
    del doc["pages"]["glossary"]
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Failed) as e:
        strings.load(src)
    assert any(i.column == "pages.glossary" and "not in fr" in i.message for i in e.value.issues)


def test_a_third_language_is_strings_and_config_only(tmp_path):
    """Sitemap expansion, the nav and the staged mkdocs.yml in three languages, no code edited; a data label the
    package lacks in French (`name_fr`) is the default language's."""
    from minhbach.load.package import load_package
    from minhbach.site import render, sitemap
    from minhbach.stages import site_langs

    project = _project(tmp_path / "p")
    src = _add_french(project)
    cat = context.catalogue(project)
    assert cat.langs == ("vi", "en", "fr") and cat.default_lang == "vi"
    pkg = load_package(ROOT)
    pages = sitemap.expand(pkg, src, cat)
    assert pages and all(set(p.title) == {"vi", "en", "fr"} for p in pages)
    by_key = {p.key: p for p in pages}
    assert by_key["glossary"].title["fr"] == "Glossaire"
    pillar = next(p for p in pages if p.key.startswith("pillars/"))
    assert pillar.title["fr"] == pillar.title["vi"]  # no name_fr in the data: the default language's label
    navs = {lang: sitemap.nav(pages, cat, lang) for lang in cat.langs}
    assert "Glossaire" in str(navs["fr"])
    (tmp_path / "stage").mkdir()
    identity = {lang: {"site_name": cat.get(lang, "site.name", province="X")} for lang in cat.langs}
    staged = render.stage_config(
        project / "mkdocs.yml", tmp_path / "stage", tmp_path / "site", "https://e.org/", identity, navs, site_langs(cat)
    )
    text = staged.read_text(encoding="utf-8")
    conf = yaml.compose(text)
    assert conf is not None
    i18n = next(
        v
        for item in next(v for k, v in conf.value if k.value == "plugins").value
        if hasattr(item, "value") and isinstance(item.value, list)
        for k, v in item.value
        if k.value == "i18n"
    )
    langs = next(v for k, v in i18n.value if k.value == "languages")
    locales = [next(v.value for k, v in entry.value if k.value == "locale") for entry in langs.value]
    assert locales == ["vi", "en", "fr"]
    assert "Français" in text and "Glossaire" in text


def test_a_projects_own_words_win_in_the_publish_stage(tmp_path):
    """The feed and the DCAT catalogue use the build's catalogue: a project that rewords them sees its words."""
    from minhbach.publish import feed
    from minhbach.publish.catalog.canonical import serialize
    from minhbach.publish.catalog.mapping import build_catalog
    from minhbach.site.paths import feed_name

    project = _project(tmp_path / "p")
    _set(project / "site_src" / "strings" / "vi" / "opendata.yml", "feed", "title", "Bản tin riêng {title}")
    _set(project / "site_src" / "strings" / "en" / "opendata.yml", "catalog", "publisher_default", "Own publisher")
    cat = context.catalogue(project)
    d = {"name": "p", "title": "T", "resources": []}
    assert "Bản tin riêng T" in feed.atom([], "https://e.org/", "vi", cat, d)
    assert feed_name("vi", cat) == "feed.xml" and feed_name("en", cat) == "feed-en.xml"
    g = build_catalog(d, "https://e.org/", "1.0.0", [], cat=cat)
    assert "Own publisher" in serialize(g, "turtle")


@pytest.mark.slow
def test_the_pages_stage_renders_a_third_language(tmp_path):
    """The publish and pages stages in French with no code edited: every page renders, links stay under /fr/,
    the feed is French, and a label the data lacks in French reads as the default language's."""
    from minhbach.findings.run import compute_all
    from minhbach.load.package import in_languages, load_package
    from minhbach.publish import run as publish
    from minhbach.site import cite, sitemap
    from minhbach.site import pages as pages_mod

    project = _project(tmp_path / "p")
    src = _add_french(project)
    shutil.copytree(src / "pages" / "en", src / "pages" / "fr")  # hand-written prose: one file per language
    _set(src / "strings" / "fr" / "opendata.yml", "feed", "title", "Publications – {title}")
    cat = context.catalogue(project)
    pkg = load_package(ROOT)
    res = compute_all(pkg)
    pages = sitemap.expand(pkg, src, cat)
    docs = tmp_path / "docs"
    extra_pages, downloads, extra = publish.stage_open_data(pkg, res, docs, "https://e.org/", cat)
    by_key = {p.key: p for p in pages}
    for e in extra_pages:
        if e.key in by_key:
            by_key[e.key].context.update(e.context)
    assert "Publications – " in (docs / "feed-fr.xml").read_text(encoding="utf-8")
    view = in_languages(pkg, cat.langs)
    assert "name_fr" in view.t("pillar") and "name_fr" not in pkg.t("pillar")  # published tables keep theirs
    ident = cite.identity(view, cat, "https://e.org/")
    r = pages_mod.Renderer(view, res, src, {}, pages=pages, downloads=downloads, catalogue=cat, identity=ident)
    texts = {p.key: html.unescape(r.render(p, "fr", extra)) for p in pages}
    assert len(texts) == len(pages) and all(texts.values())
    assert "Glossaire" in texts["glossary"]
    assert 'href="../../feed-fr.xml"' in texts["whats-new"]
    assert "https://e.org/fr/summary/" in texts["summary"]
    assert pages_mod.stage_file(docs, "kpi", "fr", cat.default_lang) == docs / "kpi.fr.md"
    assert pages_mod.stage_file(docs, "kpi", "vi", cat.default_lang) == docs / "kpi.md"
