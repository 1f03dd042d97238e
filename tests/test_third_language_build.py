"""A third language is strings and configuration only, through the whole build: a copy of the project with `fr`
in site_src/languages.yml and a catalogue folder copied from English (a few strings French) builds in full, charts
and open-data files included, and the Vietnamese and English output it shares with the shipped site is unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TITLE_FR = "Scores des {n} indices principaux (échelle 0–1)"


def _set(path: Path, dotted: str, text: str) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    *parents, last = dotted.split(".")
    node = doc
    for p in parents:
        node = node[p]
    assert last in node, dotted  # the key exists in the English words: the test changes a real string
    node[last] = text
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _french_project(dst: Path) -> Path:
    dst.mkdir(parents=True)
    for name in ("mkdocs.yml", "datapackage.json"):
        shutil.copy2(ROOT / name, dst / name)
    for name in ("site_src", "data", "releases"):  # releases: the feeds list them
        shutil.copytree(ROOT / name, dst / name)
    src = dst / "site_src"
    shutil.copytree(src / "strings" / "en", src / "strings" / "fr")
    shutil.copytree(src / "pages" / "en", src / "pages" / "fr")  # hand-written prose: one file per language
    fr = src / "strings" / "fr"
    _set(fr / "ui.yml", "site.language_name", "Français")
    _set(fr / "sitemap.yml", "pages.glossary", "Glossaire")
    _set(fr / "charts.yml", "charts.main_indices.title", TITLE_FR)
    _set(fr / "opendata.yml", "feed.title", "Publications – {title}")
    (src / "languages.yml").write_text("languages: [vi, en, fr]\n", encoding="utf-8")
    return dst


@pytest.mark.slow
def test_a_third_language_builds_in_full_with_strings_and_config_only(tmp_path, site):
    from minhbach.build import build_site

    shipped, base = site
    project = _french_project(tmp_path / "p")
    build_site(project, tmp_path / "out", project, base_url=base)
    out = tmp_path / "out" / "site"

    # the pages: every page of the shipped site in French too, under /fr/
    shipped_pages = sorted(p.relative_to(shipped) for p in shipped.glob("en/**/index.html"))
    assert shipped_pages
    for rel in shipped_pages:
        assert (out / rel).is_file() and (out / "fr" / rel.relative_to("en")).is_file(), rel
    assert "Glossaire" in (out / "fr" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "Publications – " in (out / "feed-fr.xml").read_text(encoding="utf-8")
    dataset_fr = (out / "fr" / "open-data" / "kpi" / "index.html").read_text(encoding="utf-8")
    assert f'"url": "{base}fr/open-data/kpi/"' in dataset_fr and '"inLanguage": ["vi", "en", "fr"]' in dataset_fr

    # the charts: drawn in French, a data label the package lacks in French read as the default language's
    charts = out / "assets" / "charts"
    svg = (charts / "dti-main-index-scores-fr.svg").read_text(encoding="utf-8")
    assert TITLE_FR.format(n=8) in svg and "Scores of the 8" not in svg
    csv_fr = (charts / "dti-main-index-scores-fr.csv").read_text(encoding="utf-8")
    assert csv_fr == (charts / "dti-main-index-scores-vi.csv").read_text(encoding="utf-8")
    for kind in (".svg", ".csv", ".xlsx", ".zip", ".png"):
        assert {p.name.replace("-fr", "-vi") for p in charts.glob(f"*-fr*{kind}")} == {
            p.name for p in (shipped / "assets" / "charts").glob(f"*-vi*{kind}")
        }, kind
    assert (out / "fr" / "embed").is_dir()

    # the Vietnamese and English charts and tables are the shipped site's, byte for byte
    compared = 0
    for f in sorted((shipped / "assets" / "charts").glob("*")):
        if f.suffix in (".svg", ".csv", ".png"):
            assert (charts / f.name).read_bytes() == f.read_bytes(), f.name
            compared += 1
    assert compared > 30
    for feed in ("feed.xml", "feed-en.xml"):
        assert (out / feed).read_bytes() == (shipped / feed).read_bytes(), feed
