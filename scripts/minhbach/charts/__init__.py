"""Stage 4: charts. `data` builds each chart's data frame and columns from the package, `specs` draws it with
Altair, `render` writes the static SVGs (wide and narrow), the Vega-Lite JSON and the CSV of what is drawn."""

from __future__ import annotations

from ..compute import Results
from ..load import Package
from .data import BUILDERS
from .model import LANGS, STATUS_LABELS, Chart, Column, Words
from .render import spec, write_charts

__all__ = ["BUILDERS", "LANGS", "STATUS_LABELS", "Chart", "Column", "Words", "all_charts", "spec", "write_charts"]


def all_charts(pkg: Package, res: Results, words: Words | None = None) -> list[Chart]:
    w = words or Words()
    charts: list[Chart] = []
    for b in BUILDERS:
        charts += b(pkg, res, w)
    return charts
