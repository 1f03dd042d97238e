"""Every chart of a package: each builder of `data.BUILDERS` run, and each number drawn checked for its origin."""

from __future__ import annotations

from minhbach.charts.data import BUILDERS
from minhbach.charts.model import Chart, Words
from minhbach.compute.scores import Results
from minhbach.errors import Failed, Issue
from minhbach.load.package import Package


def all_charts(pkg: Package, res: Results, words: Words | None = None) -> list[Chart]:
    w = words or Words()
    charts: list[Chart] = []
    for b in BUILDERS:
        charts += b(pkg, res, w)
    issues = origin_issues(charts)
    if issues:
        raise Failed(issues)
    return charts


def origin_issues(charts: list[Chart]) -> list[Issue]:
    """Every number a chart draws must say where it comes from (a source column, a table or a computation):
    checked as the charts are made, by name, not when the reuse files are written after every chart rendered."""
    out = []
    for chart in charts:
        for c in chart.columns:
            if c.kind in ("number", "integer", "percent") and chart.origin(c.name) is None:
                out.append(
                    Issue(
                        "chart-origin-missing",
                        f"chart '{chart.chart_id}': column '{c.name}' has no origin",
                        column=c.name,
                        expected="an Origin in the chart's origins (charts/model.py): source, table or computed",
                    )
                )
    return out
