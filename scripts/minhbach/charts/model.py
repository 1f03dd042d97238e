"""What a chart is: its data frame, its columns (with the kind that decides how each is formatted) and the
Altair builder that draws it at a given width. Words come from the `charts` strings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from minhbach import strings

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
    title: dict  # the column's heading per language
    kind: str = "number"  # text | number | percent | integer | year
    decimals: int | None = None
    unit_code: str = ""  # a unit code (the fmt.units strings), named in the reuse metadata

    def label(self, lang: str) -> str:
        return str(self.title[lang])


@dataclass
class Origin:
    """Where the numbers of one column come from, row by row: the source document and section named in columns of
    the chart's data (`source`, `section`); or a table of the package (reference data such as a framework's maximum
    points); or a computation (`computed`: a `charts.computed` string key) from other columns of the same row."""

    column: str
    source: str = "source_id"
    section: str = "section"
    table: str = ""
    computed: str = ""
    inputs: tuple[str, ...] = ()
    computed_if: tuple[str, str] | None = None  # (column, value): computed only in the rows where column == value

    def is_computed(self, rec: dict) -> bool:
        if self.computed_if is not None:
            return rec.get(self.computed_if[0]) == self.computed_if[1]
        return bool(self.computed)


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
    origins: list[Origin] = field(default_factory=list)

    def origin(self, column: str) -> Origin | None:
        return next((o for o in self.origins if o.column == column), None)

    def cited(self) -> list[tuple[str, str]]:
        """The (source id, section) pairs behind the numbers drawn, in order of first use."""
        seen: dict[tuple[str, str], None] = {}
        for rec in self.data.to_dict("records"):
            for o in self.origins:
                if o.table or o.is_computed(rec):
                    continue
                sid, sec = rec.get(o.source), rec.get(o.section)
                if isinstance(sid, str) and sid:
                    seen.setdefault((sid, sec if isinstance(sec, str) else ""), None)
        return list(seen)

    def table(self, lang: str) -> pd.DataFrame:
        cols = {}
        for c in self.columns:
            src = f"{c.name}_{lang}" if f"{c.name}_{lang}" in self.data.columns else c.name
            cols[c.name] = self.data[src]
        return pd.DataFrame(cols)


class Words:
    """The chart strings of the catalogue's languages (the default first)."""

    def __init__(self, cat: strings.Catalogue):
        self.cat = cat
        self.langs = cat.langs
        self.default_lang = cat.langs[0]

    def get(self, lang: str, key: str, **kw) -> str:
        return self.cat.get(lang, f"charts.{key}", **kw)

    def status(self, lang: str, code: str) -> str:
        """A status label: the one catalogue of status words (`status.<code>`, shared with the pages), or the code
        itself when the catalogue has none."""
        return self.cat.get(lang, f"status.{code}") if self.cat.has(lang, f"status.{code}") else str(code)

    def cased(self, lang: str, key: str, text: str) -> str:
        """A name as it reads inside a sentence of `lang`, by the language's rule `charts.case.<key>`: `lower`
        (all of it), `first_lower` (its first letter) or `as_written`."""
        rule, s = self.get(lang, f"case.{key}"), str(text)
        if rule == "lower":
            return s.lower()
        return s[:1].lower() + s[1:] if rule == "first_lower" else s

    def both(self, key: str, **kw) -> dict:
        return {
            lang: self.get(lang, key, **{k: (v[lang] if isinstance(v, dict) else v) for k, v in kw.items()})
            for lang in self.langs
        }

    def col(
        self, name: str, key: str, kind: str = "number", decimals: int | None = None, unit_code: str = "", **kw
    ) -> Column:
        return Column(name, self.both(f"col.{key}", **kw), kind, decimals, unit_code)


def out_of(ns) -> int | None:
    """The one number of ranked provinces of the rows shown, or None when it differs between years."""
    vals = sorted({int(n) for n in ns if not pd.isna(n)})
    return vals[0] if len(vals) == 1 else None
