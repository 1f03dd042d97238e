"""Altair specs: one function per kind of chart, `(df, lang, words, width, **params) -> layered chart`.

Axis ranges come from the data and the scale (never a fixed 0–0,6); years are labels (ordinal), never numbers.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from minhbach.charts.model import BLUE, GREEN, GREY, ORANGE, PURPLE, RED, STATUS_COLORS, Words

WRAP_AXIS: dict[str, Any] = {"labelExpr": "split(datum.label, '|')", "labelLimit": 0}


def _year_colors(years: list[str]) -> list[str] | None:
    return [GREEN, ORANGE, GREY, BLUE][-len(years) :] if len(years) <= 4 else None  # latest year blue


def score_domain(values) -> list[float]:
    """0 to the next tenth above the largest value (never beyond the scale's 1)."""
    top = max([0.0] + [float(v) for v in values if not pd.isna(v)])
    return [0.0, min(1.0, max(0.1, math.ceil(top * 10 + 0.5) / 10))]


def scores(df: pd.DataFrame, lang: str, w: Words, width: int):
    lab = f"main_index_{lang}"
    sort = list(df.sort_values("order")[lab].drop_duplicates())
    years = sorted(df["year_label"].unique())
    colors = _year_colors(years)
    base = alt.Chart(df)
    y = alt.Y(f"{lab}:N", sort=sort, title=None, axis=alt.Axis(**WRAP_AXIS))
    bars = base.mark_bar().encode(
        y=y,
        yOffset=alt.YOffset("year_label:N", sort=years),
        x=alt.X(
            "score:Q",
            scale=alt.Scale(domain=score_domain(df["score"])),
            title=w.get(lang, "axis.score"),
            axis=alt.Axis(format=".1f", tickCount=max(2, width // 90)),
        ),
        color=alt.Color(
            "year_label:N",
            title=w.get(lang, "legend.year"),
            scale=alt.Scale(domain=years, range=colors) if colors else alt.Undefined,
        ),
        tooltip=[
            alt.Tooltip(f"{lab}:N", title=w.get(lang, "col.index")),
            alt.Tooltip("year_label:N", title=w.get(lang, "col.year")),
            alt.Tooltip("score:Q", title=w.get(lang, "col.score"), format=".4f"),
            alt.Tooltip("points:Q", title=w.get(lang, "col.points"), format=".2f"),
            alt.Tooltip("max_points:Q", title=w.get(lang, "col.max_points"), format=".0f"),
            alt.Tooltip("rank:Q", title=w.get(lang, "col.rank")),
        ],
    )
    text = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
        y=alt.Y(f"{lab}:N", sort=sort),
        yOffset=alt.YOffset("year_label:N", sort=years),
        x="score:Q",
        text=alt.Text("score:Q", format=".4f"),
    )
    return bars + text


def trend(df: pd.DataFrame, lang: str, w: Words, width: int):
    who = f"who_{lang}"
    order = list(df[who].drop_duplicates())
    base = alt.Chart(df)
    years = sorted(df["year_label"].unique())
    bars = base.mark_bar().encode(
        x=alt.X("year_label:O", sort=years, title=w.get(lang, "legend.year"), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset(f"{who}:N", sort=order),
        y=alt.Y("score:Q", title=w.get(lang, "axis.dti_score"), scale=alt.Scale(domain=score_domain(df["score"]))),
        color=alt.Color(f"{who}:N", sort=order, title=None, scale=alt.Scale(range=[BLUE, GREY])),
        tooltip=[
            alt.Tooltip(f"{who}:N", title=""),
            alt.Tooltip("year_label:N", title=w.get(lang, "col.year")),
            alt.Tooltip("score:Q", format=".4f", title=w.get(lang, "col.score")),
        ],
    )
    text = base.mark_text(dy=-6, fontSize=11, color="#222").encode(
        x=alt.X("year_label:O", sort=years),
        xOffset=alt.XOffset(f"{who}:N", sort=order),
        y="score:Q",
        text=alt.Text("score:Q", format=".4f"),
    )
    return (bars + text).properties(width=min(width - 100, 150 * len(years)))


def rank(df: pd.DataFrame, lang: str, w: Words, width: int, n: int, title: str):
    """Dumbbell on a rank axis from N (left) to 1 (right): further right is better."""
    lab = f"subject_{lang}"
    order = list(df[lab].drop_duplicates())
    years = sorted(df["year_label"].unique())
    x_scale = alt.Scale(domain=[n, 1], nice=False, zero=False)
    base = alt.Chart(df)
    y = alt.Y(f"{lab}:N", sort=order, title=None, axis=alt.Axis(**WRAP_AXIS))
    rule = base.mark_line(color="#888", strokeWidth=2).encode(
        y=y, x=alt.X("rank:Q", scale=x_scale, title=title), detail=f"{lab}:N"
    )
    pts = base.mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("rank:Q", scale=x_scale),
        color=alt.Color(
            "year_label:N",
            title=w.get(lang, "legend.year"),
            scale=alt.Scale(domain=years, range=[GREY, BLUE][-len(years) :] if len(years) <= 2 else alt.Undefined),
        ),
        shape=alt.Shape(
            "year_label:N",
            title=w.get(lang, "legend.year"),
            scale=alt.Scale(
                domain=years, range=["circle", "diamond"][-len(years) :] if len(years) <= 2 else alt.Undefined
            ),
        ),
        tooltip=[
            alt.Tooltip(f"{lab}:N", title=""),
            alt.Tooltip("year_label:N", title=w.get(lang, "col.year")),
            alt.Tooltip("rank:Q", title=w.get(lang, "col.rank")),
        ],
    )
    txt = base.mark_text(dy=-12, fontSize=11, color="#222").encode(y=y, x=alt.X("rank:Q", scale=x_scale), text="rank:Q")
    return rule + pts + txt


def targets(df: pd.DataFrame, lang: str, w: Words, width: int):
    lab, st = f"kpi_{lang}", f"status_{lang}"
    order = list(df[lab])
    base = alt.Chart(df)
    # statuses present, in a fixed order, each with its colour (achieved green, short of the target orange)
    present = list(dict.fromkeys(df.sort_values("status", key=lambda c: c.map(_STATUS_ORDER).fillna(99))["status"]))
    sdom = [df.loc[df["status"] == s, st].iloc[0] for s in present]
    srange = [TARGET_COLORS.get(s, GREY) for s in present]
    y = alt.Y(f"{lab}:N", sort=order, title=None, axis=alt.Axis(**WRAP_AXIS))
    top = max([100.0] + [float(v) for v in list(df["observed"]) + list(df["target"]) if not pd.isna(v)])
    x_scale = alt.Scale(domain=[0, top])
    bars = base.mark_bar(height=14).encode(
        y=y,
        x=alt.X("observed:Q", scale=x_scale, title=w.get(lang, "axis.result_pct")),
        color=alt.Color(
            f"{st}:N", title=w.get(lang, "legend.against_target"), scale=alt.Scale(domain=sdom, range=srange)
        ),
        tooltip=[
            alt.Tooltip(f"{lab}:N", title=""),
            alt.Tooltip("observed:Q", title=w.get(lang, "col.result_pct"), format=".2~f"),
            alt.Tooltip("target:Q", title=w.get(lang, "col.target_pct"), format=".2~f"),
            alt.Tooltip(f"{st}:N", title=""),
        ],
    )
    layers = [bars, base.mark_tick(color="#111", thickness=3, size=26).encode(y=y, x=alt.X("target:Q", scale=x_scale))]
    if "expected" in df.columns and df["expected"].notna().any():
        # where a straight line from the baseline to a later target stands today (progress.py)
        layers.append(
            base.transform_filter("isValid(datum.expected)")
            .mark_tick(thickness=3, size=26, strokeDash=[4, 2], color=PURPLE)
            .encode(y=y, x=alt.X("expected:Q", scale=x_scale))
        )
    return alt.layer(*layers)


TARGET_COLORS = {
    "achieved": GREEN,
    "on_track": BLUE,
    "moderate": PURPLE,
    "not_achieved": ORANGE,
    "not_met": ORANGE,
    "limited": RED,
    "deterioration": RED,
    "insufficient": GREY,
    "disputed": GREY,
}
_STATUS_ORDER = {s: i for i, s in enumerate(TARGET_COLORS)}


GROUPED = ",~f"  # grouped, fixed-point, no trailing zeros: 1.622 / 1,622 (d3's "," alone prints 1000 as "1e+3")


def hbars(df: pd.DataFrame, lang: str, w: Words, width: int, field: str, title: str, color: str, labels: bool):
    """Horizontal bars of one value per labelled row (districts, budget items)."""
    lab = next(c for c in df.columns if c.endswith(f"_{lang}") and not c.endswith("_full"))
    y = alt.Y(f"{lab}:N", sort=list(df[lab]), title=None, axis=alt.Axis(**WRAP_AXIS))
    base = alt.Chart(df)
    top = max([0.0] + [float(v) for v in df[field] if not pd.isna(v)])
    x = alt.X(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(domain=[0, top * (1.18 if labels else 1.0) or 1]),
        axis=alt.Axis(tickCount=max(2, width // 140), format=GROUPED),
    )
    bars = base.mark_bar(color=color).encode(
        y=y, x=x, tooltip=[alt.Tooltip(f"{lab}:N", title=""), alt.Tooltip(f"{field}:Q", title=title, format=GROUPED)]
    )
    if not labels:
        return bars
    text = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
        y=y, x=f"{field}:Q", text=alt.Text(f"{field}:Q", format=GROUPED)
    )
    return bars + text


def status(df: pd.DataFrame, lang: str, w: Words, width: int):
    lab, st = f"main_index_{lang}", f"status_{lang}"
    present = [s for s in STATUS_COLORS if s in set(df["status"])]
    dom = [w.status(lang, s) for s in present]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{lab}:N",
                sort=list(df.sort_values("order")[lab].drop_duplicates()),
                title=None,
                axis=alt.Axis(**WRAP_AXIS),
            ),
            x=alt.X("sum(count):Q", title=w.get(lang, "axis.sub_indicators"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                f"{st}:N",
                title=w.get(lang, "legend.status"),
                scale=alt.Scale(domain=dom, range=[STATUS_COLORS[s] for s in present]),
            ),
            yOffset=alt.YOffset("year_label:O"),
            tooltip=[
                alt.Tooltip(f"{lab}:N", title=""),
                alt.Tooltip("year_label:N", title=w.get(lang, "col.year")),
                alt.Tooltip(f"{st}:N", title=""),
                alt.Tooltip("sum(count):Q", title=w.get(lang, "col.count")),
            ],
        )
    )
