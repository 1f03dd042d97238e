"""A wheel holds everything a build reads besides the project's data: every package, the site sources
(catalogues, templates, site map, overrides, assets, languages), the chart fonts and the validation profile."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_ships_the_site_sources(tmp_path):
    # build isolation fetches setuptools>=68 from the configured (local) index; the venv's own lacks bdist_wheel
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=600,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("minhbach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {
        "minhbach/" + str(p.parent.relative_to(ROOT / "scripts" / "minhbach")) + "/__init__.py"
        for p in (ROOT / "scripts" / "minhbach").rglob("__init__.py")
    }
    packages = {p.replace("/./", "/") for p in packages}
    assert packages <= names, sorted(packages - names)
    shipped = {
        "minhbach/site_src/" + str(p.relative_to(ROOT / "site_src"))
        for p in (ROOT / "site_src").rglob("*")
        if p.is_file()
    }
    assert shipped <= names, sorted(shipped - names)
    for must in (
        "minhbach/site_src/languages.yml",
        "minhbach/site_src/sitemap.yml",
        "minhbach/site_src/strings/vi/ui.yml",
        "minhbach/site_src/strings/en/ui.yml",
        "minhbach/site_src/templates/home.md.j2",
        "minhbach/site_src/overrides/main.html",
        "minhbach/charts/fonts/LiberationSans-Regular.ttf",
        "minhbach/load/profile.json",
    ):
        assert must in names, must
