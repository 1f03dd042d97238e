"""docs/architecture.md "Extending", done: each experiment copies the project, writes exactly the files the section
names, runs the stage that shows the addition in a subprocess whose PYTHONPATH is the copy, and asserts on its
output. A kind registered without words fails with its name; a chart without an origin fails in the charts stage,
by its name, before any chart renders."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# costly by design: each experiment copies the project and runs the stage in a new interpreter
pytestmark = pytest.mark.slow

SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")


def _project(tmp_path: Path) -> Path:
    """The code, site sources, configuration and package, copied: what a maintainer has in a checkout."""
    dst = tmp_path / "project"
    for name in ("scripts", "site_src", "data"):
        shutil.copytree(ROOT / name, dst / name, ignore=SKIP)
    for name in ("mkdocs.yml", "datapackage.json"):
        shutil.copy2(ROOT / name, dst / name)
    return dst


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    f = project / rel
    text = f.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: the anchor {old!r} is not there once"
    f.write_text(text.replace(old, new), encoding="utf-8")


def _append(project: Path, rel: str, text: str) -> None:
    f = project / rel
    f.write_text(f.read_text(encoding="utf-8") + text, encoding="utf-8")


def _changed(project: Path) -> set[str]:
    """Every file of the copy that differs from the checkout or is new: what the experiment touched."""
    out = set()
    for f in project.rglob("*"):
        if f.is_file() and "__pycache__" not in f.parts:
            rel = f.relative_to(project)
            orig = ROOT / rel
            if not orig.is_file() or not filecmp.cmp(f, orig, shallow=False):
                out.add(rel.as_posix())
    return out


def _run(project: Path, code: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "scripts"), "MINHBACH_CACHE_DIR": str(project.parent / "cache")}
    head = "import minhbach, pathlib; assert pathlib.Path(minhbach.__file__).is_relative_to(pathlib.Path.cwd())\n"
    p = subprocess.run(
        [sys.executable, "-c", head + code, *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    if ok:
        assert p.returncode == 0, p.stderr[-3000:]
    return p


# the stage that shows a page: the registry expanded over the package, the page rendered in every language
RENDER = """
import json, sys
from pathlib import Path
from minhbach.findings.run import compute_all
from minhbach.load.package import load_package
from minhbach import strings
from minhbach.site import sitemap
from minhbach.site.pages import Renderer

root = Path.cwd()
src = root / "site_src"
pkg, cat = load_package(root), strings.load(src)
pages = sitemap.expand(pkg, src, cat)
res = compute_all(pkg)
page = next(p for p in pages if p.key == sys.argv[1])
r = Renderer(pkg, res, src, {}, pages=pages, catalogue=cat)
kinds = sorted(set(res.findings["kind"]))
print(json.dumps({"keys": [p.key for p in pages], "kinds": kinds, **{l: r.render(page, l, {}) for l in cat.langs}}))
"""


def test_a_new_page_is_a_registry_entry_a_template_and_its_title(tmp_path):
    project = _project(tmp_path)
    _append(
        project,
        "site_src/sitemap.yml",
        "  - key: accessibility\n    template: accessibility.md.j2\n    title: pages.accessibility\n",
    )
    (project / "site_src/templates/accessibility.md.j2").write_text(
        "# {{ title }}\n\n<p id=\"mb-a11y\">{{ h.t('pages.accessibility') }}</p>\n", encoding="utf-8"
    )
    words = {"vi": "Hỗ trợ tiếp cận", "en": "Accessibility statement"}
    for lang, text in words.items():
        _edit(project, f"site_src/strings/{lang}/sitemap.yml", "pages:\n", f'pages:\n  accessibility: "{text}"\n')
    assert _changed(project) == {
        "site_src/sitemap.yml",
        "site_src/templates/accessibility.md.j2",
        "site_src/strings/vi/sitemap.yml",
        "site_src/strings/en/sitemap.yml",
    }
    out = json.loads(_run(project, RENDER, "accessibility").stdout)
    assert "accessibility" in out["keys"]
    for lang, text in words.items():
        assert out[lang].startswith(f"# {text}\n") and f'<p id="mb-a11y">{text}</p>' in out[lang]


NEW_KIND = '''

def example_check(i: Inputs) -> list[Finding]:
    """One finding on the first KPI row with a printed value: enough to see a new kind reach the page."""
    from minhbach.findings.model import fact

    row = i.obs.sort_values("observation_id").iloc[0].to_dict()
    return [Finding("example_kind", "kpi", row["kpi_id"], str(row["period"]), [fact("reported", "kpi_observation", row, "observation_id")])]


REGISTRY.append(Kind("example_kind", (example_check,), sides.misprint))
'''
KIND_WORDS = {
    "vi": ("Ví dụ một loại phát hiện", "{subject}: phép kiểm tra ví dụ thấy {a}."),
    "en": ("An example finding kind", "{subject}: the example check saw {a}."),
}


def _add_kind(project: Path, words: bool = True) -> None:
    _append(project, "scripts/minhbach/findings/kinds.py", NEW_KIND)
    for lang, (title, sentence) in KIND_WORDS.items() if words else ():
        rel = f"site_src/strings/{lang}/findings.yml"
        _edit(project, rel, "  kinds:\n", f'  kinds:\n    example_kind: "{title}"\n')
        _edit(project, rel, "  sentence:\n", f'  sentence:\n    example_kind: "{sentence}"\n')


def test_a_new_finding_kind_is_a_kind_and_its_words(tmp_path):
    project = _project(tmp_path)
    _add_kind(project)
    assert _changed(project) == {
        "scripts/minhbach/findings/kinds.py",
        "site_src/strings/vi/findings.yml",
        "site_src/strings/en/findings.yml",
    }
    out = json.loads(_run(project, RENDER, "data-quality").stdout)
    assert "example_kind" in out["kinds"]
    for lang, (title, sentence) in KIND_WORDS.items():
        page = out[lang]
        assert f'<h2 id="kind-example-kind">{title}</h2>' in page  # its own group, at its place (last)
        assert page.index('id="kind-example-kind"') > page.index('id="kind-misprint"')
        assert sentence.split("{a}")[0].split(": ")[1] in page


def test_a_kind_registered_without_words_stops_the_build_with_its_name(tmp_path):
    project = _project(tmp_path)
    _add_kind(project, words=False)
    code = "import sys; from minhbach.cli import main; sys.exit(main(sys.argv[1:]))"
    p = _run(project, code, "build", "--out", str(tmp_path / "out"), ok=False)
    assert p.returncode != 0
    said = p.stdout + p.stderr
    assert "finding kind 'example_kind' has no words" in said and "quality.kinds.example_kind" in said
    assert not (tmp_path / "out" / "site").exists()


NEW_CHART = """

def chart_observations_per_year(pkg: Package, res: Results, w: Words) -> list[Chart]:
    obs = _table(pkg, "kpi_observation")
    if obs.empty:
        return []
    d = obs.groupby("period").size().rename("count").reset_index()
    for lang in w.langs:
        d[f"period_{lang}"] = d["period"].astype(str)

    def build(df, lang, words, width):
        return specs.hbars(df, lang, words, width, "count", w.get(lang, "col.count"), BLUE, False)

    cols = [w.col("period", "period", "text"), w.col("count", "count", "integer")]
    origins = [Origin("count", table="kpi_observation")] if ORIGIN else []
    return [Chart("observations-per-year", w.both("observations.title"), w.both("observations.desc"), d, cols, build, height_rows=len(d), origins=origins)]


ORIGIN = True
BUILDERS.append(chart_observations_per_year)
"""
CHART_WORDS = {
    "vi": ("Số dòng chỉ tiêu theo kỳ", "Biểu đồ cột ngang: số dòng số liệu chỉ tiêu của mỗi kỳ."),
    "en": ("KPI rows by period", "Horizontal bars: the number of KPI data rows of each period."),
}
CHARTS = """
import json, sys
from pathlib import Path
from minhbach.charts.registry import all_charts
from minhbach.charts.render import write_charts
from minhbach.findings.run import compute_all
from minhbach.errors import Failed
from minhbach.load.package import load_package

pkg = load_package(Path.cwd())
try:
    made = all_charts(pkg, compute_all(pkg))
except Failed as e:
    print(json.dumps({"issues": [[i.code, i.message] for i in e.issues]}))
    sys.exit(0)
new = [c for c in made if c.chart_id == "observations-per-year"]
files = write_charts(new, Path(sys.argv[1]), None, workers=1)
print(json.dumps({"ids": [c.chart_id for c in made], "files": files}))
"""


def _add_chart(project: Path, origin: bool = True) -> None:
    _append(project, "scripts/minhbach/charts/data.py", NEW_CHART.replace("ORIGIN = True", f"ORIGIN = {origin}"))
    for lang, (title, desc) in CHART_WORDS.items():
        words = f'\ncharts:\n  observations:\n    title: "{title}"\n    desc: "{desc}"\n'
        _edit(project, f"site_src/strings/{lang}/charts.yml", "\ncharts:\n", words)


def test_a_new_chart_is_a_builder_and_its_words(tmp_path):
    project = _project(tmp_path)
    _add_chart(project)
    assert _changed(project) == {
        "scripts/minhbach/charts/data.py",
        "site_src/strings/vi/charts.yml",
        "site_src/strings/en/charts.yml",
    }
    out_dir = tmp_path / "charts"
    out = json.loads(_run(project, CHARTS, str(out_dir)).stdout)
    assert "observations-per-year" in out["ids"]
    for lang, (title, _desc) in CHART_WORDS.items():
        f = out["files"]["observations-per-year"][lang]
        assert title in (out_dir / f["svg"]).read_text(encoding="utf-8")
        csv = (out_dir / f["csv"]).read_text(encoding="utf-8-sig").splitlines()
        assert len(csv) > 1 and csv[1].split(",")[1].isdigit()


def test_a_chart_without_an_origin_fails_in_the_charts_stage_by_name(tmp_path):
    project = _project(tmp_path)
    _add_chart(project, origin=False)
    out_dir = tmp_path / "charts"
    out = json.loads(_run(project, CHARTS, str(out_dir)).stdout)
    assert out["issues"] == [["chart-origin-missing", "chart 'observations-per-year': column 'count' has no origin"]]
    assert not out_dir.exists()  # refused before any chart rendered
