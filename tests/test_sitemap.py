"""The site model: one registry of pages (site_src/sitemap.yml), the renderer behind one interface, the CLI server.

These are behaviour tests on copies of the project; assertions about the shipped figures live in
test_shipped_data.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]"
)


def _project_copy(dst: Path) -> Path:
    """A project folder of its own (mkdocs.yml + site_src) whose registry, templates and strings a test may edit."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", dst / "site_src")
    return dst


def test_no_vietnamese_letter_in_python_modules():
    """Every word a reader sees lives in the string catalogues or the schema, never in Python."""
    offenders = []
    for f in sorted((ROOT / "scripts" / "minhbach").rglob("*.py")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if VIETNAMESE.search(line):
                offenders.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert not offenders, f"{len(offenders)} lines with Vietnamese letters:\n" + "\n".join(offenders[:40])


def test_registry_pages_match_the_built_site(site):
    """The registry expanded over the package is exactly the set of pages built, in both languages."""
    from minhbach import strings
    from minhbach.load.package import load_package
    from minhbach.site import sitemap

    site_dir, _ = site
    cat = strings.load(ROOT / "site_src")
    pages = sitemap.expand(load_package(ROOT), ROOT / "site_src", cat)
    expected = {p.key for p in pages}
    built = set()
    for index in site_dir.rglob("index.html"):
        rel = index.relative_to(site_dir).parts[:-1]
        if rel[:1] in (("en",),):
            rel = rel[1:]
        key = "/".join(rel)
        # embed/<chart>/ pages are each chart's own page to embed, outside the registry and sitemap.xml (canonical: the full page)
        if not key.startswith(("releases", "latest", "assets", "downloads", "search", "embed")):
            built.add(key)
    assert expected == built, sorted(expected ^ built)
    for p in pages:
        vi = site_dir / p.key / "index.html"
        en = site_dir / "en" / p.key / "index.html"
        assert vi.is_file() and en.is_file(), p.key


@pytest.mark.slow
def test_adding_a_page_is_an_entry_a_template_and_two_strings(tmp_path):
    """A new page appears in both languages, in the nav and in the page list, with no code edit."""
    from minhbach import strings
    from minhbach.build import build_site
    from minhbach.load.package import load_package
    from minhbach.site import sitemap

    project = _project_copy(tmp_path / "project")
    reg = project / "site_src" / "sitemap.yml"
    reg.write_text(
        reg.read_text(encoding="utf-8")
        + "  - key: accessibility\n    template: accessibility.md.j2\n    title: pages.accessibility\n"
        "    explore: true\n",
        encoding="utf-8",
    )
    (project / "site_src" / "templates" / "accessibility.md.j2").write_text(
        "# {{ title }}\n\n<p id=\"mb-a11y\">{{ h.t('pages.accessibility') }}</p>\n", encoding="utf-8"
    )
    for lang, text in (("vi", "Hỗ trợ tiếp cận"), ("en", "Accessibility statement")):
        f = project / "site_src" / "strings" / lang / "sitemap.yml"
        f.write_text(
            f.read_text(encoding="utf-8").replace("pages:\n", f'pages:\n  accessibility: "{text}"\n', 1),
            encoding="utf-8",
        )
    cat = strings.load(project / "site_src")
    keys = [p.key for p in sitemap.expand(load_package(ROOT), project / "site_src", cat)]
    assert "accessibility" in keys
    out = tmp_path / "out"
    build_site(ROOT, out, project, base_url="https://example.org/dti/")
    site = out / "site"
    for prefix, text in (("", "Hỗ trợ tiếp cận"), ("en/", "Accessibility statement")):
        page = (site / prefix / "accessibility" / "index.html").read_text(encoding="utf-8")
        assert f"<title>{text} - " in page
        assert f'<p id="mb-a11y">{text}</p>' in page
        home = (site / prefix / "index.html").read_text(encoding="utf-8")
        nav_link = re.search(r'<a href="accessibility/"[^>]*class="md-nav__link"[^>]*>\s*<span[^>]*>\s*' + text, home)
        assert nav_link, f"{prefix or 'vi'}: the nav has no link to the new page"
        explore = re.search(r'<ul class="mb-explore">(.*?)</ul>', home, re.S)
        assert explore and "accessibility/" in explore.group(1) and text in explore.group(1)


def test_optional_tables_leave_their_pages_out(tmp_path):
    """A package without districts or budget builds with those pages left out of the site and the nav."""
    from minhbach import strings
    from minhbach.load.package import load_package
    from minhbach.site import sitemap

    pkg = load_package(ROOT)
    for table in ("district", "budget_item"):
        pkg.tables[table] = pkg.tables[table].iloc[0:0]
    keys = [p.key for p in sitemap.expand(pkg, ROOT / "site_src", strings.load(ROOT / "site_src"))]
    assert "districts" not in keys and "budget" not in keys
    assert "kpi" in keys and "" in keys


def test_unsafe_page_key_from_data_is_refused():
    from minhbach import strings
    from minhbach.errors import Failed
    from minhbach.load.package import load_package
    from minhbach.site import sitemap

    pkg = load_package(ROOT)
    pkg.tables["pillar"].loc[0, "pillar_id"] = "../../etc"
    with pytest.raises(Failed) as e:
        sitemap.expand(pkg, ROOT / "site_src", strings.load(ROOT / "site_src"))
    assert any(i.code == "unsafe-page-key" and i.value == "pillars/../../etc" for i in e.value.issues)


@pytest.mark.slow
def test_render_leaves_environment_and_cwd_as_they_were(tmp_path):
    from minhbach.build import build_site

    pkg = copy_package(tmp_path / "pkg")
    before_env, before_cwd = dict(os.environ), os.getcwd()
    build_site(pkg, tmp_path / "out", ROOT, base_url="https://example.org/")
    assert os.getcwd() == before_cwd
    assert dict(os.environ) == before_env
    staged = (tmp_path / "out" / "stage" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV" not in staged and "nav:" in staged and "site_url: https://example.org/" in staged


@pytest.mark.slow
def test_serve_builds_a_preview_for_the_origin_it_serves(tmp_path):
    """`minhbach serve` on any port builds the preview for that origin (links, embed codes and citations point at
    it, not at 127.0.0.1:8000), answers with the home page and serves RDF with its media type."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "minhbach", "serve", "--out", str(tmp_path / "out"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    try:
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if line.startswith("Serving "):
                break
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", seen[-1] if seen else "")
        assert m, "".join(seen)[-2000:]
        base = f"http://127.0.0.1:{m.group(1)}/"
        with urllib.request.urlopen(base, timeout=10) as r:
            home = r.read().decode("utf-8")
        assert r.status == 200 and '<html lang="vi"' in home
        assert base in home and (m.group(1) == "8000" or "127.0.0.1:8000" not in home)
        with urllib.request.urlopen(base + "catalog.ttl", timeout=10) as r:
            assert r.headers["Content-Type"].startswith("text/turtle")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_page_download_is_declared_in_the_registry(tmp_path):
    """The extracts publish writes for a page are exactly the ones its site-map entry names: none is produced
    and silently dropped, none declared and missing (for the shipped package, which has every table)."""
    from minhbach import strings
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package
    from minhbach.publish import run as publish
    from minhbach.site import sitemap
    from minhbach.stages import declared_downloads, download_name

    pkg = load_package(ROOT)
    pages = sitemap.expand(pkg, ROOT / "site_src", strings.load(ROOT / "site_src"))
    files = publish.stage_page_downloads(pkg, compute_all(pkg), tmp_path)
    kept = declared_downloads(pages, files)
    for p in pages:
        produced = {download_name(p.key, f) for f in files.get(p.key, [])}
        assert produced == set(p.spec.downloads), (p.key, produced ^ set(p.spec.downloads))
        assert sorted(kept[p.key]) == sorted(files.get(p.key, []))
