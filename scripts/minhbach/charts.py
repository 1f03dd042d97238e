"""Stage 4: Altair charts, each written as static SVG (per language), Vega-Lite JSON and the CSV it draws.

The SVG works with JavaScript off; the JSON is the progressive enhancement, drawn by the vendored
vega-embed bundle only when a reader asks for the interactive view.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import pandas as pd

from . import fmt
from .compute import Results, publisher_province, subject_label
from .load import Package

alt.data_transformers.disable_max_rows()
LANGS = ("vi", "en")
# Okabe–Ito: distinguishable with colour-vision deficiency; all ≥ 3:1 against white for graphics.
BLUE, ORANGE, GREEN, GREY, RED, PURPLE = "#0072B2", "#B35900", "#007A5E", "#5F6368", "#C0392B", "#8E4585"


@dataclass
class Column:
    name: str
    vi: str
    en: str
    kind: str = "number"  # text | number | percent | integer
    decimals: int | None = None


@dataclass
class Chart:
    chart_id: str
    title: dict
    description: dict
    data: pd.DataFrame
    columns: list[Column]
    build: Callable[[pd.DataFrame, str], alt.TopLevelMixin]
    sources: list[tuple[str, str]] = field(default_factory=list)
    height_rows: int = 0

    def table(self, lang: str) -> pd.DataFrame:
        cols = {}
        for c in self.columns:
            src = f"{c.name}_{lang}" if f"{c.name}_{lang}" in self.data.columns else c.name
            cols[c.name] = self.data[src]
        return pd.DataFrame(cols)


def wrap(text: str, width: int = 38) -> str:
    """Break a long axis label into lines ('|' separated; the axis splits them). Truncating instead
    would hide words, and makes the SVG renderer measure text many times over."""
    words, lines, cur = str(text).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "|".join(lines)


WRAP_AXIS = {"labelExpr": "split(datum.label, '|')", "labelLimit": 0}


def _label(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _number_format(decimals: int) -> str:
    return f",.{decimals}f"


def _base(chart: alt.TopLevelMixin, c: Chart, lang: str) -> alt.TopLevelMixin:
    return chart.properties(title=c.title[lang], description=c.description[lang], width=520).configure(
        font="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        axis={"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#222", "titleColor": "#222", "labelLimit": 0},
        legend={"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
        title={"fontSize": 15, "anchor": "start", "color": "#111"},
        view={"stroke": None},
        background="#ffffff",
    )


# ------------------------------------------------------------------ chart definitions


def _scores_chart(
    pkg: Package, res: Results, chart_id: str, subjects: list[str], title: dict, desc: dict
) -> Chart | None:
    sc = res.scores
    if sc.empty:
        return None
    d = sc[
        (sc["level"] == "main_index")
        & (sc["statistic"] == "province")
        & sc["subject_id"].isin(subjects)
        & (sc["province_id"] == publisher_province(pkg))
    ].copy()
    if d.empty:
        return None
    order = {s: i for i, s in enumerate(pkg.t("main_index").sort_values("sort_order")["main_index_id"])}
    d["order"] = d["subject_id"].map(order)
    for lang in LANGS:
        d[f"main_index_{lang}"] = [subject_label(pkg, "main_index", s, lang) for s in d["subject_id"]]
    d["year_label"] = d["year"].astype(str)
    d = d.sort_values(["order", "year"]).reset_index(drop=True)
    data = d[
        [
            "main_index_vi",
            "main_index_en",
            "subject_id",
            "year_label",
            "year",
            "value_unit",
            "value_points",
            "max_points",
            "rank",
            "as_written",
            "source_id",
            "order",
        ]
    ].rename(columns={"value_unit": "score", "value_points": "points"})

    def build(df: pd.DataFrame, lang: str):
        lab = f"main_index_{lang}"
        sort = list(df.sort_values("order")[lab].drop_duplicates())
        years = sorted(df["year_label"].unique())
        colors = ([GREEN, ORANGE, GREY, BLUE][-len(years) :]) if len(years) <= 4 else None  # latest year blue
        base = alt.Chart(df)
        bars = base.mark_bar().encode(
            y=alt.Y(f"{lab}:N", sort=sort, title=None, axis=alt.Axis(**WRAP_AXIS)),
            yOffset=alt.YOffset("year_label:N", sort=years),
            x=alt.X(
                "score:Q",
                scale=alt.Scale(domain=[0, 1]),
                title=_label(lang, "Điểm (0–1; 1 = điểm tối đa)", "Score (0–1; 1 = maximum)"),
                axis=alt.Axis(format=".1f"),
            ),
            color=alt.Color(
                "year_label:N",
                title=_label(lang, "Năm", "Year"),
                scale=alt.Scale(domain=years, range=colors) if colors else alt.Undefined,
            ),
            tooltip=[
                alt.Tooltip(f"{lab}:N", title=_label(lang, "Chỉ số", "Index")),
                alt.Tooltip("year_label:N", title=_label(lang, "Năm", "Year")),
                alt.Tooltip("score:Q", title=_label(lang, "Điểm (0–1)", "Score (0–1)"), format=".4f"),
                alt.Tooltip("points:Q", title=_label(lang, "Điểm", "Points"), format=".2f"),
                alt.Tooltip("max_points:Q", title=_label(lang, "Điểm tối đa", "Maximum"), format=".0f"),
                alt.Tooltip("rank:Q", title=_label(lang, "Hạng", "Rank")),
            ],
        )
        text = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
            y=alt.Y(f"{lab}:N", sort=sort),
            yOffset=alt.YOffset("year_label:N", sort=years),
            x="score:Q",
            text=alt.Text("score:Q", format=".4~f"),
        )
        return bars + text

    cols = [
        Column("main_index", "Chỉ số chính", "Main index", "text"),
        Column("year", "Năm", "Year", "integer"),
        Column("score", "Điểm (0–1)", "Score (0–1)", "number", 4),
        Column("points", "Điểm", "Points", "number", 2),
        Column("max_points", "Điểm tối đa", "Maximum points", "integer"),
        Column("rank", "Hạng (/63)", "Rank (of 63)", "integer"),
        Column("source_id", "Nguồn", "Source", "text"),
    ]
    return Chart(chart_id, title, desc, data, cols, build, height_rows=len(data))


def chart_main_indices(pkg: Package, res: Results) -> list[Chart]:
    mids = list(pkg.t("main_index").sort_values("sort_order")["main_index_id"])
    out = [
        _scores_chart(
            pkg,
            res,
            "dti-main-index-scores",
            mids,
            {"vi": "Điểm 8 chỉ số chính (thang 0–1)", "en": "Scores of the 8 main indices (0–1 scale)"},
            {
                "vi": "Biểu đồ thanh: điểm từng chỉ số chính của tỉnh trên thang 0–1, 1 là điểm tối đa.",
                "en": "Bar chart: the province's score on each main index on the 0–1 scale, where 1 is the maximum.",
            },
        )
    ]
    for p in pkg.t("pillar").sort_values("sort_order").to_dict("records"):
        members = list(pkg.t("main_index_pillar").query("pillar_id == @p['pillar_id']")["main_index_id"])
        members = [m for m in mids if m in members]
        out.append(
            _scores_chart(
                pkg,
                res,
                f"pillar-{p['pillar_id']}",
                members,
                {
                    "vi": f"Các chỉ số chính của trụ cột {p['name_vi']}",
                    "en": f"Main indices of the {p['name_en'].lower()} pillar",
                },
                {
                    "vi": f"Biểu đồ thanh: điểm (0–1) của 6 chỉ số chính tạo nên trụ cột {p['name_vi']}.",
                    "en": f"Bar chart: scores (0–1) of the six main indices that make up the "
                    f"{p['name_en'].lower()} pillar.",
                },
            )
        )
    return [c for c in out if c is not None]


def chart_total_trend(pkg: Package, res: Results) -> list[Chart]:
    sc = res.scores
    if sc.empty:
        return []
    d = sc[
        (sc["level"] == "total")
        & ((sc["province_id"] == publisher_province(pkg)) | (sc["statistic"] == "national_mean"))
    ].copy()
    if d.empty:
        return []
    prov = pkg.t("province").set_index("province_id")
    d["who_vi"] = [
        prov.loc[p, "name_vi"] if s == "province" else "Trung bình các tỉnh"
        for p, s in zip(d["province_id"], d["statistic"])
    ]
    d["who_en"] = [
        prov.loc[p, "name_en"] if s == "province" else "Provincial average"
        for p, s in zip(d["province_id"], d["statistic"])
    ]
    d["year_label"] = d["year"].astype(str)
    data = d[["who_vi", "who_en", "statistic", "year_label", "year", "value_unit", "rank", "as_written", "source_id"]]
    data = data.rename(columns={"value_unit": "score"}).sort_values(["statistic", "year"], ascending=[False, True])

    def build(df, lang):
        who = f"who_{lang}"
        order = list(df[who].drop_duplicates())
        base = alt.Chart(df)
        bars = base.mark_bar().encode(
            x=alt.X("year_label:N", title=_label(lang, "Năm", "Year"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{who}:N", sort=order),
            y=alt.Y(
                "score:Q", title=_label(lang, "Điểm DTI (0–1)", "DTI score (0–1)"), scale=alt.Scale(domain=[0, 0.6])
            ),
            color=alt.Color(f"{who}:N", sort=order, title=None, scale=alt.Scale(range=[BLUE, GREY])),
            tooltip=[
                alt.Tooltip(f"{who}:N", title=""),
                alt.Tooltip("year_label:N", title=_label(lang, "Năm", "Year")),
                alt.Tooltip("score:Q", format=".4f", title=_label(lang, "Điểm", "Score")),
            ],
        )
        text = base.mark_text(dy=-6, fontSize=11, color="#222").encode(
            x="year_label:N",
            xOffset=alt.XOffset(f"{who}:N", sort=order),
            y="score:Q",
            text=alt.Text("score:Q", format=".4~f"),
        )
        return bars + text

    cols = [
        Column("who", "Đối tượng", "Who", "text"),
        Column("year", "Năm", "Year", "integer"),
        Column("score", "Điểm DTI (0–1)", "DTI score (0–1)", "number", 4),
        Column("rank", "Hạng", "Rank", "integer"),
        Column("source_id", "Nguồn", "Source", "text"),
    ]
    return [
        Chart(
            "dti-total-trend",
            {
                "vi": "Điểm DTI tổng thể qua các năm, so với trung bình các tỉnh",
                "en": "Overall DTI score by year, against the provincial average",
            },
            {
                "vi": "Biểu đồ cột: điểm DTI của tỉnh và điểm trung bình của các tỉnh theo năm.",
                "en": "Column chart: the province's DTI score and the average of all provinces, by year.",
            },
            data,
            cols,
            build,
        )
    ]


def chart_rank_change(pkg: Package, res: Results) -> list[Chart]:
    ch = res.changes
    if ch.empty:
        return []
    d = ch[
        (ch["statistic"] == "province")
        & ch["rank_from"].notna()
        & ch["rank_to"].notna()
        & (ch["province_id"] == publisher_province(pkg))
    ].copy()
    if d.empty:
        return []
    for lang in LANGS:
        d[f"subject_{lang}"] = [subject_label(pkg, lv, s, lang) for lv, s in zip(d["level"], d["subject_id"])]
    d = d.sort_values(
        ["level", "subject_id"], key=lambda s: s.map({"total": "0", "pillar": "1", "main_index": "2"}).fillna(s)
    )
    rows = []
    for r in d.to_dict("records"):
        for y, rk in ((r["from_year"], r["rank_from"]), (r["to_year"], r["rank_to"])):
            rows.append(
                {
                    "subject_vi": r["subject_vi"],
                    "subject_en": r["subject_en"],
                    "year": int(y),
                    "year_label": str(int(y)),
                    "rank": int(rk),
                    "rank_change": r["rank_change"],
                }
            )
    data = pd.DataFrame(rows)

    def build(df, lang):
        lab = f"subject_{lang}"
        order = list(df[lab].drop_duplicates())
        years = sorted(df["year_label"].unique())
        base = alt.Chart(df)
        rule = base.mark_line(color="#888", strokeWidth=2).encode(
            y=alt.Y(f"{lab}:N", sort=order, title=None, axis=alt.Axis(**WRAP_AXIS)), x="rank:Q", detail=f"{lab}:N"
        )
        pts = base.mark_point(filled=True, size=120, opacity=1).encode(
            y=alt.Y(f"{lab}:N", sort=order),
            x=alt.X(
                "rank:Q",
                scale=alt.Scale(domain=[63, 1]),
                title=_label(
                    lang, "Thứ hạng trên 63 tỉnh (phải = tốt hơn)", "Rank among 63 provinces (right = better)"
                ),
            ),
            color=alt.Color(
                "year_label:N",
                title=_label(lang, "Năm", "Year"),
                scale=alt.Scale(domain=years, range=[GREY, BLUE][-len(years) :]),
            ),
            shape=alt.Shape(
                "year_label:N",
                title=_label(lang, "Năm", "Year"),
                scale=alt.Scale(domain=years, range=["circle", "diamond"][-len(years) :]),
            ),
            tooltip=[
                alt.Tooltip(f"{lab}:N", title=""),
                alt.Tooltip("year_label:N", title=_label(lang, "Năm", "Year")),
                alt.Tooltip("rank:Q", title=_label(lang, "Hạng", "Rank")),
            ],
        )
        txt = base.mark_text(dy=-12, fontSize=11, color="#222").encode(
            y=alt.Y(f"{lab}:N", sort=order), x="rank:Q", text="rank:Q"
        )
        return rule + pts + txt

    cols = [
        Column("subject", "Chỉ số", "Index", "text"),
        Column("year", "Năm", "Year", "integer"),
        Column("rank", "Hạng (/63)", "Rank (of 63)", "integer"),
        Column("rank_change", "Thay đổi (bậc, + là tăng)", "Change (places, + is up)", "integer"),
    ]
    return [
        Chart(
            "dti-rank-change",
            {"vi": "Thay đổi thứ hạng", "en": "Rank change"},
            {
                "vi": "Biểu đồ điểm nối: thứ hạng năm trước và năm sau của DTI tổng thể và từng trụ cột; điểm càng "
                "về bên phải thứ hạng càng cao.",
                "en": "Dumbbell chart: the earlier and later rank of the overall DTI and of each pillar; further "
                "right is a better rank.",
            },
            data,
            cols,
            build,
        )
    ]


def chart_targets(pkg: Package, res: Results) -> list[Chart]:
    att = res.attainment
    if att.empty:
        return []
    kpi = pkg.t("kpi").set_index("kpi_id")
    plans = pkg.t("plan").set_index("plan_id")
    out = []
    d0 = att[att["observed_value"].notna() & att["target_value"].notna()].copy()
    d0 = d0[d0["kpi_id"].map(lambda k: kpi.loc[k, "unit"] == "percent" if k in kpi.index else False)]
    for (plan_id, year), d in d0.groupby(["plan_id", "target_year"]):
        d = d.drop_duplicates("kpi_id").copy()
        d["kpi_vi"] = [kpi.loc[k, "name_vi"] for k in d["kpi_id"]]
        d["kpi_en"] = [kpi.loc[k, "name_en"] for k in d["kpi_id"]]
        d["status_vi"] = d["status"].map({"achieved": "Đạt", "not_achieved": "Chưa đạt"})
        d["status_en"] = d["status"].map({"achieved": "Achieved", "not_achieved": "Not achieved"})
        data = (
            d[
                [
                    "kpi_vi",
                    "kpi_en",
                    "kpi_id",
                    "observed_value",
                    "period",
                    "target_value",
                    "status",
                    "status_vi",
                    "status_en",
                    "observed_source_id",
                    "target_source_id",
                ]
            ]
            .rename(columns={"observed_value": "observed", "target_value": "target"})
            .sort_values("kpi_id")
        )

        def build(df, lang):
            lab, st = f"kpi_{lang}", f"status_{lang}"
            order = list(df[lab])
            base = alt.Chart(df)
            sdom = [_label(lang, "Đạt", "Achieved"), _label(lang, "Chưa đạt", "Not achieved")]
            bars = base.mark_bar(height=14).encode(
                y=alt.Y(f"{lab}:N", sort=order, title=None, axis=alt.Axis(**WRAP_AXIS)),
                x=alt.X(
                    "observed:Q", scale=alt.Scale(domain=[0, 100]), title=_label(lang, "Kết quả (%)", "Result (%)")
                ),
                color=alt.Color(
                    f"{st}:N",
                    title=_label(lang, "Kết quả so với mục tiêu", "Result against target"),
                    scale=alt.Scale(domain=sdom, range=[GREEN, ORANGE]),
                ),
                tooltip=[
                    alt.Tooltip(f"{lab}:N", title=""),
                    alt.Tooltip("observed:Q", title=_label(lang, "Kết quả", "Result"), format=".2~f"),
                    alt.Tooltip("target:Q", title=_label(lang, "Mục tiêu", "Target"), format=".2~f"),
                    alt.Tooltip(f"{st}:N", title=""),
                ],
            )
            tick = base.mark_tick(color="#111", thickness=3, size=26).encode(
                y=alt.Y(f"{lab}:N", sort=order), x="target:Q"
            )
            return bars + tick

        cols = [
            Column("kpi", "Chỉ tiêu", "Indicator", "text"),
            Column("observed", "Kết quả (%)", "Result (%)", "number"),
            Column("period", "Kỳ", "Period", "text"),
            Column("target", "Mục tiêu (%)", "Target (%)", "number"),
            Column("status", "Đánh giá", "Assessment", "text"),
        ]
        pl = plans.loc[plan_id]
        out.append(
            Chart(
                f"kpi-targets-{plan_id}",
                {"vi": f"Chỉ tiêu so với mục tiêu năm {year}", "en": f"Indicators against their {year} targets"},
                {
                    "vi": f"Biểu đồ thanh: kết quả từng chỉ tiêu (%) và vạch đen là mục tiêu năm {year} của "
                    f"{pl['name_vi']}.",
                    "en": f"Bar chart: each indicator's result (%) with a black tick marking its {year} target "
                    f"in {pl['name_en']}.",
                },
                data,
                cols,
                build,
                height_rows=len(data),
            )
        )
    return out


def chart_districts(pkg: Package, res: Results) -> list[Chart]:
    from .compute import canonical_observations

    obs = canonical_observations(pkg)
    obs = obs[obs["district_id"].notna() & obs["value"].notna() & (obs["province_id"] == publisher_province(pkg))]
    dist = pkg.t("district").set_index("district_id")
    kpi = pkg.t("kpi").set_index("kpi_id")
    out = []
    for (kpi_id, period), d in obs.groupby(["kpi_id", "period"]):
        if len(d) < 2:
            continue
        d = d.copy()
        d["district_vi"] = [dist.loc[x, "name_vi"] for x in d["district_id"]]
        d["district_en"] = [dist.loc[x, "name_en"] for x in d["district_id"]]
        d["order"] = [dist.loc[x, "sort_order"] for x in d["district_id"]]
        data = d.sort_values("order")[["district_vi", "district_en", "district_id", "value", "as_written", "source_id"]]
        k = kpi.loc[kpi_id] if kpi_id in kpi.index else None
        name = {"vi": k["name_vi"] if k is not None else kpi_id, "en": k["name_en"] if k is not None else kpi_id}

        def build(df, lang, name=name):
            lab = f"district_{lang}"
            base = alt.Chart(df)
            bars = base.mark_bar(color=BLUE).encode(
                y=alt.Y(f"{lab}:N", sort=list(df[lab]), title=None, axis=alt.Axis(**WRAP_AXIS)),
                x=alt.X("value:Q", title=name[lang]),
                tooltip=[alt.Tooltip(f"{lab}:N", title=""), alt.Tooltip("value:Q", title=name[lang], format=",")],
            )
            text = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
                y=alt.Y(f"{lab}:N", sort=list(df[lab])), x="value:Q", text=alt.Text("value:Q", format=",")
            )
            return bars + text

        cols = [
            Column("district", "Huyện, thành phố", "District", "text"),
            Column("value", name["vi"], name["en"], "number"),
            Column("source_id", "Nguồn", "Source", "text"),
        ]
        out.append(
            Chart(
                f"district-{kpi_id}-{period}",
                {
                    "vi": f"{name['vi']} theo huyện ({fmt.period(period, 'vi')})",
                    "en": f"{name['en']} by district ({fmt.period(period, 'en')})",
                },
                {
                    "vi": f"Biểu đồ thanh: {name['vi'].lower()} ở từng huyện, thành phố.",
                    "en": f"Bar chart: {name['en'][0].lower() + name['en'][1:]} in each district.",
                },
                data,
                cols,
                build,
                height_rows=len(data),
            )
        )
    return out


def chart_budget(pkg: Package, res: Results) -> list[Chart]:
    items = pkg.t("budget_item")
    tables = pkg.t("budget_table").set_index("budget_table_id")
    out = []
    for tid, d in items[items["row_type"] == "item"].groupby("budget_table_id"):
        if len(d) < 2:
            continue
        t = tables.loc[tid]
        data = d.sort_values("line_no")[["line_no", "name_vi", "name_en", "amount", "as_written", "source_id"]].copy()
        data["amount_million"] = data["amount"] / 1_000_000 if t["unit"] == "vnd" else data["amount"]
        unit = (
            {"vi": "triệu đồng", "en": "million VND"}
            if t["unit"] in ("vnd", "million_vnd")
            else {"vi": "tỷ đồng", "en": "billion VND"}
        )

        def build(df, lang, unit=unit):
            lab = f"name_{lang}"
            base = alt.Chart(df)
            bars = base.mark_bar(color=PURPLE).encode(
                y=alt.Y(f"{lab}:N", sort=list(df[lab]), title=None, axis=alt.Axis(**WRAP_AXIS)),
                x=alt.X("amount_million:Q", title=unit[lang]),
                tooltip=[alt.Tooltip(f"{lab}:N", title=""), alt.Tooltip("amount:Q", format=",", title=unit[lang])],
            )
            return bars

        cols = [
            Column("line_no", "STT", "No.", "integer"),
            Column("name", "Hạng mục", "Item", "text"),
            Column(
                "amount",
                "Kinh phí (đồng)" if t["unit"] == "vnd" else f"Kinh phí ({unit['vi']})",
                "Amount (VND)" if t["unit"] == "vnd" else f"Amount ({unit['en']})",
                "number",
            ),
            Column("source_id", "Nguồn", "Source", "text"),
        ]
        out.append(
            Chart(
                f"budget-{tid}",
                {"vi": f"Kinh phí theo hạng mục: {t['name_vi']}", "en": f"Budget by item: {t['name_en']}"},
                {
                    "vi": f"Biểu đồ thanh: kinh phí từng hạng mục ({unit['vi']}).",
                    "en": f"Bar chart: the amount of each item ({unit['en']}).",
                },
                data,
                cols,
                build,
                height_rows=len(data),
            )
        )
    return out


STATUS_LABELS = {
    "no_score": ("Không có điểm", "No score"),
    "below_average": ("Dưới trung bình", "Below average"),
    "weak": ("Điểm thấp (không nói rõ)", "Weak (unspecified)"),
    "achieved": ("Đã đạt", "Achieved"),
    "not_achieved": ("Chưa đạt", "Not achieved"),
    "in_progress": ("Đang thực hiện", "In progress"),
}
STATUS_COLORS = {
    "no_score": RED,
    "below_average": ORANGE,
    "weak": GREY,
    "achieved": GREEN,
    "not_achieved": PURPLE,
    "in_progress": BLUE,
}


def chart_status(pkg: Package, res: Results) -> list[Chart]:
    sc = res.status_counts
    if sc.empty:
        return []
    d = sc.copy()
    mi = pkg.t("main_index").set_index("main_index_id")
    d["main_index_vi"] = [mi.loc[m, "name_vi"] for m in d["main_index_id"]]
    d["main_index_en"] = [mi.loc[m, "name_en"] for m in d["main_index_id"]]
    d["order"] = [mi.loc[m, "sort_order"] for m in d["main_index_id"]]
    d["status_vi"] = d["status"].map(lambda s: STATUS_LABELS[s][0])
    d["status_en"] = d["status"].map(lambda s: STATUS_LABELS[s][1])
    d["year_label"] = d["year"].astype(str)
    data = d.sort_values(["order", "year", "status"])[
        ["main_index_vi", "main_index_en", "year", "year_label", "status", "status_vi", "status_en", "count", "order"]
    ]

    def build(df, lang):
        lab, st = f"main_index_{lang}", f"status_{lang}"
        present = [s for s in STATUS_LABELS if s in set(df["status"])]
        dom = [STATUS_LABELS[s][0 if lang == "vi" else 1] for s in present]
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
                x=alt.X("sum(count):Q", title=_label(lang, "Số chỉ số thành phần", "Number of sub-indicators")),
                color=alt.Color(
                    f"{st}:N",
                    title=_label(lang, "Tình trạng", "Status"),
                    scale=alt.Scale(domain=dom, range=[STATUS_COLORS[s] for s in present]),
                ),
                yOffset=alt.YOffset("year_label:N"),
                tooltip=[
                    alt.Tooltip(f"{lab}:N", title=""),
                    alt.Tooltip("year_label:N", title=_label(lang, "Năm", "Year")),
                    alt.Tooltip(f"{st}:N", title=""),
                    alt.Tooltip("sum(count):Q", title=_label(lang, "Số", "Count")),
                ],
            )
        )

    cols = [
        Column("main_index", "Chỉ số chính", "Main index", "text"),
        Column("year", "Năm", "Year", "integer"),
        Column("status", "Tình trạng", "Status", "text"),
        Column("count", "Số chỉ số thành phần", "Sub-indicators", "integer"),
    ]
    return [
        Chart(
            "sub-indicator-status",
            {"vi": "Chỉ số thành phần điểm thấp theo chỉ số chính", "en": "Weak sub-indicators by main index"},
            {
                "vi": "Biểu đồ thanh chồng: số chỉ số thành phần bị đánh giá thấp năm 2021 và số đã đạt trong "
                "năm sau, theo chỉ số chính.",
                "en": "Stacked bar chart: the number of sub-indicators assessed as weak in 2021 and the number "
                "achieved the following year, by main index.",
            },
            data,
            cols,
            build,
        )
    ]


BUILDERS = [
    chart_total_trend,
    chart_main_indices,
    chart_rank_change,
    chart_targets,
    chart_districts,
    chart_budget,
    chart_status,
]


def all_charts(pkg: Package, res: Results) -> list[Chart]:
    charts = []
    for b in BUILDERS:
        charts += b(pkg, res)
    return charts


# ------------------------------------------------------------------ output


def _wrapped(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The drawing copy of the data: long labels of this language get '|' line breaks."""
    d = df.copy()
    for col in list(d.columns):
        if col.endswith(f"_{lang}") and d[col].map(lambda v: isinstance(v, str)).any():
            d[f"{col}_full"] = d[col]
            d[col] = d[col].map(lambda v: wrap(v) if isinstance(v, str) else v)
    return d


def _full_tooltips(node, fields: set):
    """Tooltips show the unwrapped label."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "tooltip" and isinstance(v, list):
                for t in v:
                    if isinstance(t, dict) and t.get("field") in fields:
                        t["field"] = t["field"] + "_full"
            else:
                _full_tooltips(v, fields)
    elif isinstance(node, list):
        for x in node:
            _full_tooltips(x, fields)


def spec(c: Chart, lang: str) -> dict:
    drawn = _wrapped(c.data, lang)
    ch = _base(c.build(drawn, lang), c, lang)
    if c.height_rows:
        # a row must hold its longest wrapped label (12 px text, ~15 px a line) or labels overlap
        wrapped = [col[:-5] for col in drawn.columns if col.endswith("_full")]
        lines = max([1] + [str(v).count("|") + 1 for col in wrapped for v in drawn[col] if isinstance(v, str)])
        ch = ch.properties(height=max(120, max(26, 15 * lines + 8) * c.height_rows))
    d = ch.to_dict()
    _full_tooltips(d, {col[:-5] for col in drawn.columns if col.endswith("_full")})
    d.pop("$schema", None)
    d["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    return d


def render_svg(spec_dict: dict, lang: str, cache: Path | None) -> str:
    """SVG for a spec, cached by the hash of spec + locale + renderer version (rendering is the slow part)."""
    import hashlib

    import vl_convert as vlc

    text = json.dumps(spec_dict, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"{vlc.get_vega_version()}|{lang}|{text}".encode()).hexdigest()
    hit = cache / f"{key}.svg" if cache else None
    if hit is not None and hit.is_file():
        return hit.read_text(encoding="utf-8")
    svg = vlc.vegalite_to_svg(spec_dict, format_locale=fmt.D3_LOCALE[lang])
    if hit is not None:
        hit.parent.mkdir(parents=True, exist_ok=True)
        tmp = hit.with_suffix(".tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(hit)
    return svg


def write_charts(charts: list[Chart], out_dir: Path, cache: Path | None = None, workers: int = 2) -> dict:
    """Write SVG, Vega-Lite JSON and CSV per chart and language; SVGs rendered in parallel."""
    from concurrent.futures import ThreadPoolExecutor

    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = []
    files: dict[str, dict] = {}
    for c in charts:
        files[c.chart_id] = {}
        for lang in LANGS:
            s = spec(c, lang)
            stem = f"{c.chart_id}-{lang}"
            (out_dir / f"{stem}.vegalite.json").write_text(
                json.dumps(s, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8"
            )
            c.table(lang).to_csv(out_dir / f"{stem}.csv", index=False, lineterminator="\n")
            files[c.chart_id][lang] = {"svg": f"{stem}.svg", "json": f"{stem}.vegalite.json", "csv": f"{stem}.csv"}
            jobs.append((s, lang, out_dir / f"{stem}.svg"))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        svgs = list(ex.map(lambda j: render_svg(j[0], j[1], cache), jobs))
    for (_, _, path), svg in zip(jobs, svgs):
        path.write_text(svg, encoding="utf-8")
    return files
