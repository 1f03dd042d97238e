"""Charts follow the data: ranks "out of N", axis ranges, framework sizes and years come from the package; years
are labels; each chart has a narrow variant that fits a phone; every word is in the string catalogues; the
progress to a target follows the documented linear-trajectory method."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from minhbach import fmt
from minhbach.charts.registry import all_charts
from minhbach.charts.render import NARROW, WIDE, spec, write_charts
from minhbach.charts.specs import score_domain
from minhbach.compute.progress import assess, target_progress, when
from minhbach.context import program_catalogue
from minhbach.findings.run import compute_all
from minhbach.load.package import load_package

VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)
OWNED = [
    *sorted((ROOT / "scripts" / "minhbach" / "charts").glob("*.py")),
    ROOT / "scripts" / "minhbach" / "fmt.py",
    ROOT / "scripts" / "minhbach" / "compute" / "progress.py",
]


@pytest.fixture(scope="module")
def shipped():
    pkg = load_package(ROOT)
    return pkg, compute_all(pkg)


def _by_id(charts):
    return {c.chart_id: c for c in charts}


def _texts(node) -> list[str]:
    """Every string of a spec except data values (titles, axis and legend words)."""
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("datasets", "data"):
                out += _texts(v)
    elif isinstance(node, list):
        for v in node:
            out += _texts(v)
    elif isinstance(node, str):
        out.append(node)
    return out


def test_no_vietnamese_letter_in_chart_code():
    bad = [
        f"{p.name}:{i}"
        for p in OWNED
        for i, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if VIETNAMESE.search(line)
    ]
    assert not bad, bad


def test_rank_axis_and_out_of_n_come_from_the_data(shipped):
    pkg, res = shipped
    rank = _by_id(all_charts(pkg, res))["dti-rank-change"]
    s = spec(rank, "en")
    domains = [e["scale"]["domain"] for e in _find(s, "x") if isinstance(e, dict) and "scale" in e]
    assert domains and all(d == [63, 1] for d in domains), domains
    # the same package ranked out of 34 provinces (after the 2025 merger): axis, title and table follow
    scores = res.scores.copy()
    scores.loc[scores["rank_out_of"].notna(), "rank_out_of"] = 34
    changes = res.changes.copy()
    for c in ("rank_from", "rank_to"):
        changes[c] = changes[c].where(changes[c].isna(), changes[c].clip(upper=34))
    res34 = dataclasses.replace(res, scores=scores, changes=changes)
    charts = _by_id(all_charts(pkg, res34))
    s34 = spec(charts["dti-rank-change"], "en")
    domains = [e["scale"]["domain"] for e in _find(s34, "x") if isinstance(e, dict) and "scale" in e]
    assert domains and all(d == [34, 1] for d in domains), domains
    words = " ".join(_texts(s34)) + " " + charts["dti-rank-change"].description["en"]
    assert re.search(r"\b34\b", words) and not re.search(r"\b63\b", words)
    heads = [c.label("en") for c in charts["dti-main-index-scores"].columns]
    assert "Rank (of 34)" in heads and not any("63" in h for h in heads), heads


def _find(node, key):
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                out.append(v)
            out += _find(v, key)
    elif isinstance(node, list):
        for v in node:
            out += _find(v, key)
    return out


def test_score_axis_from_the_values():
    assert score_domain([0.28, 0.4623]) == [0.0, 0.6]  # room for the value label
    assert score_domain([0.61]) == [0.0, 0.7]
    assert score_domain([0.97, 1.0]) == [0.0, 1.0]
    assert score_domain([]) == [0.0, 0.1]


def test_framework_size_and_years_from_the_tables(shipped):
    pkg, res = shipped
    n = len(pkg.t("main_index"))
    charts = _by_id(all_charts(pkg, res))
    assert charts["dti-main-index-scores"].title["en"] == f"Scores of the {n} main indices (0–1 scale)"
    # one main index fewer in the framework: the title says so
    small = dataclasses.replace(pkg, tables={**pkg.tables, "main_index": pkg.t("main_index").iloc[1:]})
    t = _by_id(all_charts(small, res))["dti-main-index-scores"].title
    assert t["en"].startswith(f"Scores of the {n - 1} ") and t["vi"].startswith(f"Điểm {n - 1} ")
    years = sorted({int(y) for y in charts["dti-rank-change"].data["year"]})
    assert charts["dti-rank-change"].title["en"] == f"Rank change, {years[0]} to {years[-1]}"


def test_years_are_labels_never_grouped(shipped):
    pkg, res = shipped
    assert fmt.year(2021) == "2021" and fmt.year(2021.0) == "2021"
    assert (
        fmt.number(2021, "vi", cat=program_catalogue()) == "2.021"
    )  # a plain number is grouped; a year column must not use it
    for c in all_charts(pkg, res):
        for col in c.columns:
            if col.name == "year":
                assert col.kind == "year", (c.chart_id, col)


def test_optional_tables_absent(shipped):
    pkg, res = shipped
    tables = {k: v for k, v in pkg.tables.items() if k not in ("budget_item", "budget_table", "district")}
    charts = all_charts(dataclasses.replace(pkg, tables=tables), res)
    ids = {c.chart_id for c in charts}
    assert not any(i.startswith(("budget-", "district-")) for i in ids) and "dti-rank-change" in ids


@pytest.mark.slow  # costly by design: renders every chart in both widths and languages
def test_wide_and_narrow_svgs_fit_and_keep_text_readable(shipped, tmp_path):
    """Both variants are drawn; the narrow one fits a 390 px phone's 358 px column at 1:1, so its 11-12 px
    text is shown at that size; years in the SVG are never grouped."""
    pkg, res = shipped
    charts = all_charts(pkg, res)
    # the session's render cache (content-addressed, verified on read): the site build has drawn these already
    files = write_charts(charts, tmp_path, cache=Path(os.environ["MINHBACH_CACHE_DIR"]))
    problems = []
    for c in charts:
        for lang in ("vi", "en"):
            f = files[c.chart_id][lang]
            for name, limit in ((f["svg"], WIDE), (f["svg_narrow"], 358)):
                svg = (tmp_path / name).read_text("utf-8")
                w = float(re.search(r'width="([\d.]+)"', svg[:400]).group(1))
                if w > limit + 0.5:
                    problems.append(f"{name}: {w:.0f} px wide (limit {limit})")
                sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
                if sizes and min(sizes) < 11:
                    problems.append(f"{name}: text of {min(sizes)} px")
                if re.search(r">(19|20)\d[.,]\d{3}<", svg):
                    problems.append(f"{name}: a year printed with a separator")
            assert f["narrow_size"][0], f
    assert NARROW <= 358
    assert not problems, "\n".join(problems)


def test_chart_words_come_from_the_catalogue(shipped, tmp_path):
    """A changed string reaches the chart: titles and axis words are read from charts.yml, not code."""
    from minhbach import strings
    from minhbach.charts.model import Words

    src = tmp_path / "site_src"
    (src / "strings").mkdir(parents=True)
    shutil.copy2(ROOT / "site_src" / "languages.yml", src / "languages.yml")
    for lang in ("vi", "en"):
        d = src / "strings" / lang
        d.mkdir()
        for f in (ROOT / "site_src" / "strings" / lang).glob("*.yml"):
            text = f.read_text("utf-8")
            if f.name == "charts.yml":
                text = text.replace('dti_score: "', 'dti_score: "ZZ ')
            (d / f.name).write_text(text, "utf-8")
    pkg, res = shipped
    w = Words(strings.load(src))
    trend = _by_id(all_charts(pkg, res, w))["dti-total-trend"]
    assert any(t.startswith("ZZ ") for t in _texts(spec(trend, "en", words=w)))


# ------------------------------------------------------------------ progress to a target


def test_when_places_a_period_in_time():
    assert when("2022") == 2023.0
    assert abs(when("2022-08") - (2022 + 8 / 12)) < 1e-9


@pytest.mark.parametrize(
    "current, expected_status",
    [(80.0, "achieved"), (60.0, "on_track"), (50.0, "moderate"), (41.0, "limited"), (30.0, "deterioration")],
)
def test_linear_trajectory_status(current, expected_status):
    # baseline 40 at the end of 2020, target 80 by the end of 2025; now the end of 2022: the line is at 56
    p = assess(80.0, "at_least", 2025, current, "2022", 40.0, "2020")
    assert p.status == expected_status, p
    if expected_status != "achieved":
        assert p.expected == pytest.approx(56.0)
        assert p.gap == pytest.approx(80.0 - current)
        if current >= 40.0:
            assert p.share == pytest.approx((current - 40.0) / 40.0 * 100) and not p.moved_away
        else:  # below the baseline: moved away from the target, no share of the way (not "-25 %")
            assert p.share is None and p.moved_away


def test_past_target_year_and_missing_baseline():
    assert assess(80.0, "at_least", 2022, 70.0, "2022", 40.0, "2020").status == "not_met"
    assert assess(80.0, "at_least", 2025, 70.0, "2022").status == "insufficient"
    assert assess(80.0, "at_least", 2025, None, None).status == "insufficient"
    low = assess(5.0, "at_most", 2025, 4.0, "2022", 9.0, "2020")
    assert low.status == "achieved" and low.gap == 0


def test_target_progress_uses_the_earliest_and_latest_observation(shipped):
    pkg, res = shipped
    from minhbach.compute.scores import canonical_observations

    prog = target_progress(res.attainment, canonical_observations(pkg))
    assert len(prog) == len(res.attainment)
    assert set(prog["status"]) <= {
        "achieved",
        "on_track",
        "moderate",
        "limited",
        "deterioration",
        "not_met",
        "insufficient",
    }
    met = prog[prog["status"] == "achieved"]
    assert (met["gap"] == 0).all()
    json.dumps(prog.head(3).to_dict("records"), default=str)


def test_built_site_charts_have_narrow_sources(site):
    site_dir, _ = site
    html = (site_dir / "index.html").read_text("utf-8")
    assert '<source media="(max-width: 719px)"' in html and "-narrow.svg" in html
    assert "mb-js-only" in html and not re.search(r"mb-chart__interactive[^>]*hidden", html)
    assert not re.search(r'data-label="(Năm|Year)">(19|20)\d[.,]\d{3}<', html)
    assert Path(site_dir / "assets" / "charts" / "dti-rank-change-vi-narrow.svg").is_file()


def test_a_chart_whose_number_has_no_origin_fails_by_name_in_the_charts_stage(shipped, monkeypatch):
    """Issue 19: a new chart without origins used to fail only after every chart had rendered (reuse)."""
    from minhbach.charts import registry
    from minhbach.errors import Failed

    pkg, res = shipped
    first = all_charts(pkg, res)[0]
    numeric = [c.name for c in first.columns if c.kind in ("number", "integer", "percent")]
    assert numeric
    stray = dataclasses.replace(first, chart_id="new-chart", origins=[])
    monkeypatch.setattr(registry, "BUILDERS", [*registry.BUILDERS, lambda p, r, w: [stray]])
    with pytest.raises(Failed) as e:
        registry.all_charts(pkg, res)
    assert {i.code for i in e.value.issues} == {"chart-origin-missing"}
    assert all("new-chart" in i.message for i in e.value.issues)
    assert {i.column for i in e.value.issues} == set(numeric)
