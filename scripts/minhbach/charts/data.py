"""Chart data frames from the package and the computed results: one builder per chart family.

Nothing here is specific to one dataset: counts, years, ranks "out of N" and the framework's size come from
the tables; every word from the `charts` strings.
"""

from __future__ import annotations

import functools

import pandas as pd

from minhbach import fmt
from minhbach.charts import specs
from minhbach.charts.model import BLUE, PURPLE, Chart, Column, Origin, Words, out_of
from minhbach.charts.targets import chart_targets
from minhbach.compute.scores import Results, canonical_observations, publisher_province
from minhbach.load.labels import subject_label
from minhbach.load.package import Package


def _table(pkg: Package, name: str) -> pd.DataFrame:
    """An optional table: empty when the package has none."""
    t = pkg.tables.get(name)
    return t if t is not None else pd.DataFrame()


def _rank_col(w: Words, ns) -> Column:
    n = out_of(ns)
    return (
        w.col("rank", "rank_of", "integer", unit_code="rank", n=n)
        if n
        else w.col("rank", "rank", "integer", unit_code="rank")
    )


def _score_origins(points: bool = True) -> list[Origin]:
    """A score as printed on its own scale, the other scale computed; the rank as printed; maximum points from
    the framework (main_index)."""
    out = [
        Origin("score", computed_if=("scale", "points"), computed="scale_from_points"),
        Origin("rank", source="rank_source_id", section="rank_section"),
    ]
    if points:
        out += [
            Origin("points", computed_if=("scale", "unit_interval"), computed="points_from_scale"),
            Origin("max_points", table="main_index"),
        ]
    return out


def _scores_chart(pkg: Package, res: Results, w: Words, chart_id: str, subjects: list[str], title, desc):
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
    d = d[d["subject_id"].isin(order)].copy()
    if d.empty:
        return None
    d["order"] = d["subject_id"].map(order)
    for lang in w.langs:
        d[f"main_index_{lang}"] = [subject_label(pkg, "main_index", s, lang, w.cat) for s in d["subject_id"]]
    d["year_label"] = d["year"].astype(int).astype(str)
    d = d.sort_values(["order", "year"]).reset_index(drop=True)
    keep = [f"main_index_{lang}" for lang in w.langs]
    keep += ["subject_id", "year_label", "year", "value_unit", "value_points"]
    keep += ["max_points", "rank", "rank_out_of", "as_written", "scale", "source_id", "section"]
    keep += ["rank_source_id", "rank_section", "order"]
    data = d[keep].rename(columns={"value_unit": "score", "value_points": "points"})
    cols = [
        w.col("main_index", "main_index", "text"),
        w.col("year", "year", "year"),
        w.col("score", "score", "number", 4, unit_code="unit_interval"),
        w.col("points", "points", "number", 2, unit_code="points"),
        w.col("max_points", "max_points", "integer", unit_code="points"),
        _rank_col(w, data["rank_out_of"]),
        w.col("source_id", "source", "text"),
    ]
    return Chart(chart_id, title, desc, data, cols, specs.scores, height_rows=len(data), origins=_score_origins())


def chart_main_indices(pkg: Package, res: Results, w: Words) -> list[Chart]:
    mids = list(pkg.t("main_index").sort_values("sort_order")["main_index_id"])
    out = [
        _scores_chart(
            pkg,
            res,
            w,
            "dti-main-index-scores",
            mids,
            w.both("main_indices.title", n=len(mids)),
            w.both("main_indices.desc"),
        )
    ]
    links = pkg.t("main_index_pillar")
    for p in pkg.t("pillar").sort_values("sort_order").to_dict("records"):
        members = set(links[links["pillar_id"] == p["pillar_id"]]["main_index_id"])
        members_sorted = [m for m in mids if m in members]
        name = {lang: w.cased(lang, "pillar", p[f"name_{lang}"]) for lang in w.langs}
        out.append(
            _scores_chart(
                pkg,
                res,
                w,
                f"pillar-{p['pillar_id']}",
                members_sorted,
                w.both("pillar.title", pillar=name),
                w.both("pillar.desc", pillar=name, n=len(members_sorted)),
            )
        )
    return [c for c in out if c is not None]


def chart_total_trend(pkg: Package, res: Results, w: Words) -> list[Chart]:
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
    avg = w.both("average")
    for lang in w.langs:
        d[f"who_{lang}"] = [
            prov.loc[p, f"name_{lang}"] if s == "province" else avg[lang]
            for p, s in zip(d["province_id"], d["statistic"], strict=True)
        ]
    d["year_label"] = d["year"].astype(int).astype(str)
    keep = [f"who_{lang}" for lang in w.langs]
    keep += ["statistic", "year_label", "year", "value_unit", "rank", "rank_out_of"]
    keep += ["as_written", "scale", "source_id", "section", "rank_source_id", "rank_section"]
    data = d[keep].rename(columns={"value_unit": "score"})
    data = data.sort_values(["statistic", "year"], ascending=[False, True])
    cols = [
        w.col("who", "who", "text"),
        w.col("year", "year", "year"),
        w.col("score", "score", "number", 4, unit_code="unit_interval"),
        _rank_col(w, data["rank_out_of"]),
        w.col("source_id", "source", "text"),
    ]
    return [
        Chart(
            "dti-total-trend",
            w.both("trend.title"),
            w.both("trend.desc"),
            data,
            cols,
            specs.trend,
            fit=False,
            origins=_score_origins(points=False),
        )
    ]


def _out_of_by_year(res: Results, province: str) -> dict[int, int]:
    sc = res.scores
    sc = sc[(sc["province_id"] == province) & sc["rank_out_of"].notna()]
    return {int(y): int(n) for y, n in zip(sc["year"], sc["rank_out_of"], strict=True)}


def chart_rank_change(pkg: Package, res: Results, w: Words) -> list[Chart]:
    ch = res.changes
    if ch.empty:
        return []
    prov = publisher_province(pkg)
    # ranks out of the same set of provinces only (no change is computed across the 2025 merger's 63 → 34), and
    # one pair of years: the latest comparable one (two pairs would draw a year twice on one line)
    d = ch[(ch["statistic"] == "province") & ch["rank_change"].notna() & (ch["province_id"] == prov)]
    if d.empty:
        return []
    d = d[d["to_year"] == d["to_year"].max()].copy()
    for lang in w.langs:
        d[f"subject_{lang}"] = [
            subject_label(pkg, lv, s, lang, w.cat) for lv, s in zip(d["level"], d["subject_id"], strict=True)
        ]
    level_order = {"total": 0, "pillar": 1, "main_index": 2}
    d["_lv"] = d["level"].map(level_order).fillna(3)
    d = d.sort_values(["_lv", "subject_id"])
    ns = _out_of_by_year(res, prov)
    sc = res.scores
    ranked = sc[(sc["province_id"] == prov) & sc["rank"].notna()]
    rank_src = {
        (r["level"], r["subject_id"], int(r["year"])): (r["rank_source_id"], r["rank_section"])
        for r in ranked.to_dict("records")
    }
    rows = []
    for r in d.to_dict("records"):
        for y, rk in ((r["from_year"], r["rank_from"]), (r["to_year"], r["rank_to"])):
            rows.append(
                {
                    **{f"subject_{lang}": r[f"subject_{lang}"] for lang in w.langs},
                    "year": int(y),
                    "year_label": str(int(y)),
                    "rank": int(rk),
                    "rank_out_of": ns.get(int(y)),
                    "rank_change": int(r["rank_change"]),
                    "rank_source_id": rank_src.get((r["level"], r["subject_id"], int(y)), ("", ""))[0],
                    "rank_section": rank_src.get((r["level"], r["subject_id"], int(y)), ("", ""))[1],
                }
            )
    data = pd.DataFrame(rows)
    data["rank_out_of"] = data["rank_out_of"].astype("Int64")
    # the axis spans the most provinces ranked in any year shown (and never less than the worst rank drawn)
    n = max([int(data["rank"].max())] + [int(v) for v in data["rank_out_of"].dropna()])
    from_year, to_year = int(data["year"].min()), int(data["year"].max())
    one_n = out_of(data["rank_out_of"]) or n
    axis = w.both("axis.rank", n=one_n)
    build = {lang: functools.partial(specs.rank, n=n, title=axis[lang]) for lang in w.langs}
    cols = [
        w.col("subject", "index", "text"),
        w.col("year", "year", "year"),
        _rank_col(w, data["rank_out_of"]),
        w.col("rank_change", "change", "integer", unit_code="places"),
    ]
    return [
        Chart(
            "dti-rank-change",
            w.both("rank_change.title", from_year=from_year, to_year=to_year),
            w.both("rank_change.desc", from_year=from_year, to_year=to_year, n=one_n),
            data,
            cols,
            lambda df, lang, words, width: build[lang](df, lang, words, width),
            height_rows=len(d),
            origins=[
                Origin("rank", source="rank_source_id", section="rank_section"),
                Origin("rank_change", computed="rank_change", inputs=("rank",)),
            ],
        )
    ]


def chart_districts(pkg: Package, res: Results, w: Words) -> list[Chart]:
    obs = canonical_observations(pkg)
    obs = obs[obs["district_id"].notna() & obs["value"].notna() & (obs["province_id"] == publisher_province(pkg))]
    dist = _table(pkg, "district")
    if obs.empty or dist.empty:
        return []
    dist = dist.set_index("district_id")
    kpi = pkg.t("kpi").set_index("kpi_id")
    out = []
    for (kpi_id, period), d in obs.groupby(["kpi_id", "period"]):
        if len(d) < 2:
            continue
        d = d.copy()
        for lang in w.langs:
            d[f"district_{lang}"] = [dist.loc[x, f"name_{lang}"] for x in d["district_id"]]
        d["order"] = [dist.loc[x, "sort_order"] for x in d["district_id"]]
        keep = [f"district_{lang}" for lang in w.langs] + ["district_id", "value", "as_written", "source_id", "section"]
        data = d.sort_values("order")[keep]
        name = {lang: kpi.loc[kpi_id, f"name_{lang}"] if kpi_id in kpi.index else kpi_id for lang in w.langs}
        lower = {lang: w.cased(lang, "name_lower", name[lang]) for lang in w.langs}
        per = {lang: fmt.period(period, lang, cat=w.cat) for lang in w.langs}

        def build(df, lang, words, width, name=name):
            return specs.hbars(df, lang, words, width, "value", name[lang], BLUE, True)

        cols = [
            w.col("district", "district", "text"),
            Column(
                "value",
                dict(name),
                "number",
                unit_code=str(kpi.loc[kpi_id, "unit"]) if kpi_id in kpi.index else "",
            ),
            w.col("source_id", "source", "text"),
        ]
        out.append(
            Chart(
                f"district-{kpi_id}-{period}",
                w.both("district.title", name=name, period=per),
                w.both("district.desc", name_lower=lower),
                data,
                cols,
                build,
                height_rows=len(data),
                origins=[Origin("value")],
            )
        )
    return out


def chart_budget(pkg: Package, res: Results, w: Words) -> list[Chart]:
    items, tables = _table(pkg, "budget_item"), _table(pkg, "budget_table")
    if items.empty or tables.empty:
        return []
    tables = tables.set_index("budget_table_id")
    out = []
    for tid, d in items[items["row_type"] == "item"].groupby("budget_table_id"):
        if len(d) < 2:
            continue
        t = tables.loc[tid]
        keep = ["line_no"] + [f"name_{lang}" for lang in w.langs] + ["amount", "as_written", "source_id", "section"]
        # largest first, one unit from the magnitude (ty dong for amounts in the billions), each bar labelled
        data = d.sort_values(["amount", "line_no"], ascending=[False, True])[keep].copy()
        scale = fmt.MONEY_SCALE.get(str(t["unit"]), 1.0)
        shown_unit = fmt.money_unit(float(data["amount"].abs().max() or 0) * scale)
        data["amount_shown"] = data["amount"] * scale / fmt.MONEY_SCALE[shown_unit]
        unit = {lang: fmt.unit_label(shown_unit, lang, cat=w.cat) for lang in w.langs}
        stored = {lang: fmt.unit_label(str(t["unit"]), lang, cat=w.cat) for lang in w.langs}

        def build(df, lang, words, width, unit=unit):
            return specs.hbars(df, lang, words, width, "amount_shown", unit[lang], PURPLE, True)

        cols = [
            w.col("line_no", "line_no", "integer"),
            w.col("name", "item", "text"),
            w.col("amount", "amount", "number", unit_code=str(t["unit"]), unit=stored),
            w.col("source_id", "source", "text"),
        ]
        name = {lang: t[f"name_{lang}"] for lang in w.langs}
        out.append(
            Chart(
                f"budget-{tid}",
                w.both("budget.title", name=name),
                w.both("budget.desc", unit=unit),
                data,
                cols,
                build,
                height_rows=len(data),
                origins=[Origin("line_no"), Origin("amount")],
            )
        )
    return out


def chart_status(pkg: Package, res: Results, w: Words) -> list[Chart]:
    sc = res.status_counts
    if sc.empty:
        return []
    mi = pkg.t("main_index").set_index("main_index_id")
    d = sc[sc["main_index_id"].isin(mi.index)].copy()
    if d.empty:
        return []
    for lang in w.langs:
        d[f"main_index_{lang}"] = [mi.loc[m, f"name_{lang}"] for m in d["main_index_id"]]
        d[f"status_{lang}"] = [w.status(lang, s) for s in d["status"]]
    d["order"] = [mi.loc[m, "sort_order"] for m in d["main_index_id"]]
    d["year_label"] = d["year"].astype(int).astype(str)
    keep = [f"main_index_{lang}" for lang in w.langs] + ["year", "year_label", "status"]
    keep += [f"status_{lang}" for lang in w.langs] + ["count", "order"]
    data = d.sort_values(["order", "year", "status"])[keep]
    years = ", ".join(sorted(data["year_label"].unique()))
    cols = [
        w.col("main_index", "main_index", "text"),
        w.col("year", "year", "year"),
        w.col("status", "status", "text"),
        w.col("count", "sub_indicators", "integer", unit_code="count"),
    ]
    return [
        Chart(
            "sub-indicator-status",
            w.both("status.title"),
            w.both("status.desc", years=years),
            data,
            cols,
            specs.status,
            height_rows=len(data[[f"main_index_{w.default_lang}", "year"]].drop_duplicates()),
            origins=[Origin("count", table="sub_indicator_assessment", computed="count_assessments")],
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
