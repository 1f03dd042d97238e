"""What a chart is: its data frame, its columns (with the kind that decides how each is formatted) and the
Altair builder that draws it at a given width. Words come from the `charts` strings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from .. import strings

LANGS = ("vi", "en")
# Okabe–Ito: distinguishable with colour-vision deficiency; all ≥ 3:1 against white for graphics.
BLUE, ORANGE, GREEN, GREY, RED, PURPLE = "#0072B2", "#B35900", "#007A5E", "#5F6368", "#C0392B", "#8E4585"
# sub-indicator statuses in drawing order, with their colours
STATUS_COLORS = {
    "no_score": RED,
    "below_average": ORANGE,
    "weak": GREY,
    "not_assessed": "#9E9E9E",
    "partly_achieved": "#56B4E9",
    "achieved": GREEN,
    "not_achieved": PURPLE,
    "in_progress": BLUE,
    "no_data": "#BDBDBD",
}
STATUS_LABELS = tuple(STATUS_COLORS)


@dataclass
class Column:
    name: str
    vi: str
    en: str
    kind: str = "number"  # text | number | percent | integer | year
    decimals: int | None = None


@dataclass
class Chart:
    chart_id: str
    title: dict
    description: dict
    data: pd.DataFrame
    columns: list[Column]
    build: Callable[..., alt.TopLevelMixin]  # build(df, lang, words, width) -> chart
    sources: list[tuple[str, str]] = field(default_factory=list)
    height_rows: int = 0
    fit: bool = True  # a continuous x axis: the chart is fitted to its width, labels included

    def table(self, lang: str) -> pd.DataFrame:
        cols = {}
        for c in self.columns:
            src = f"{c.name}_{lang}" if f"{c.name}_{lang}" in self.data.columns else c.name
            cols[c.name] = self.data[src]
        return pd.DataFrame(cols)


class Words:
    """The chart strings of both languages."""

    def __init__(self, cat: strings.Catalogue | None = None):
        self.cat = cat or strings.load(None)

    def get(self, lang: str, key: str, **kw) -> str:
        return self.cat.get(lang, f"charts.{key}", **kw)

    def both(self, key: str, **kw) -> dict:
        return {
            lang: self.get(lang, key, **{k: (v[lang] if isinstance(v, dict) else v) for k, v in kw.items()})
            for lang in LANGS
        }

    def col(self, name: str, key: str, kind: str = "number", decimals: int | None = None, **kw) -> Column:
        b = self.both(f"col.{key}", **kw)
        return Column(name, b["vi"], b["en"], kind, decimals)


def out_of(ns) -> int | None:
    """The one number of ranked provinces of the rows shown, or None when it differs between years."""
    vals = sorted({int(n) for n in ns if not pd.isna(n)})
    return vals[0] if len(vals) == 1 else None
