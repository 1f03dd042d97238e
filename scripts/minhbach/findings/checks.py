"""The checks behind the findings: each returns `Finding`s of one kind (see findings.py for the model).

Every comparison allows the rounding of the printed digits (`tol_of`): a gap that rounding alone
explains is not a finding. One finding per underlying problem, listing every row it touches.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from minhbach.findings import checks_kpi
from minhbach.findings.model import Fact, Finding, d, fact, severity, tol_of
from minhbach.load.package import Package
from minhbach.numbers import parse_vi


def run_all(pkg: Package, rec: pd.DataFrame, chg: pd.DataFrame, bud: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    out += misprints(pkg)
    out += recomputation(rec)
    out += rank_change(pkg, chg)
    out += budget_total(pkg, bud)
    out += sub_indicator_count(pkg)
    out += dti_cross_source(pkg)
    out += checks_kpi.run(pkg)
    out += context(pkg)
    return out


def _subject(row: dict) -> tuple[str, str]:
    if isinstance(row.get("main_index_id"), str):
        return "main_index", row["main_index_id"]
    if isinstance(row.get("pillar_id"), str):
        return "pillar", row["pillar_id"]
    return "total", "dti"


ID_COLUMNS = {
    "budget_item": "budget_item_id",
    "kpi_observation": "observation_id",
    "kpi_change": "change_id",
    "dti_observation": "observation_id",
    "target": "target_id",
    "sub_indicator_count": "count_id",
}


def misprints(pkg: Package) -> list[Finding]:
    """Rows whose printed number does not read as the value the document means (a reading note says why)."""
    out = []
    for res in pkg.descriptor["resources"]:
        df = pkg.tables.get(res["name"])
        if df is None or "reading_note_vi" not in df.columns:
            continue
        id_col = ID_COLUMNS.get(res["name"], df.columns[0])
        val_col = "amount" if "amount" in df.columns else "value"
        for r in df[df["reading_note_vi"].notna()].to_dict("records"):
            strict = parse_vi(str(r["as_written"]))
            f = fact("misprinted", res["name"], r, id_col, val_col)
            out.append(
                Finding(
                    "misprint",
                    res["name"],
                    str(r[id_col]),
                    None,
                    [f],
                    expected=float(strict) if strict is not None else None,
                    severity="minor",
                    displayed="meant",
                    params={"note": {"vi": r["reading_note_vi"], "en": r["reading_note_en"]}},
                )
            )
    return out


def recomputation(rec: pd.DataFrame) -> list[Finding]:
    out = []
    for r in [] if rec.empty else rec.to_dict("records"):
        if r["agrees"]:
            continue
        f = Fact(
            "reported",
            "dti_observation",
            r.get("observation_id"),
            r["reported"],
            r["reported_as_written"],
            r["source_id"],
            r["section"],
            str(r["year"]),
        )
        out.append(
            Finding(
                "recomputation",
                r["level"],
                r["subject_id"],
                str(r["year"]),
                [f],
                expected=r["recomputed"],
                difference=r["difference"],
                tolerance=r["tolerance"],
                severity=severity(r["reported"], r["recomputed"], r["reported_as_written"]),
                variant="national_mean" if r["statistic"] == "national_mean" else "",
                displayed="reported",
            )
        )
    return out


def rank_change(pkg: Package, chg: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    if chg.empty:
        return out
    obs = pkg.t("dti_observation")
    for r in obs[obs["metric"] == "rank_change"].to_dict("records"):
        level, sid = _subject(r)
        c = chg[
            (chg["level"] == level)
            & (chg["subject_id"] == sid)
            & (chg["to_year"] == r["year"])
            & (chg["statistic"] == r["statistic"])
        ]
        if c.empty or pd.isna(c.iloc[0]["rank_change"]):
            continue
        computed = int(c.iloc[0]["rank_change"])
        if computed == int(r["value"]):
            continue
        out.append(
            Finding(
                "rank_change",
                level,
                sid,
                str(r["year"]),
                [fact("reported", "dti_observation", r, "observation_id")],
                expected=float(computed),
                difference=float(r["value"]) - computed,
                tolerance=0.0,
                displayed="recomputed",
                params={"rank_from": int(c.iloc[0]["rank_from"]), "rank_to": int(c.iloc[0]["rank_to"])},
            )
        )
    return out


def budget_total(pkg: Package, bud: pd.DataFrame) -> list[Finding]:
    out = []
    items = pkg.t("budget_item")
    for r in [] if bud.empty else bud.to_dict("records"):
        if r["agrees"] is not False:
            continue
        row = items[items["budget_item_id"] == r["budget_item_id"]].iloc[0].to_dict()
        out.append(
            Finding(
                "budget_total",
                "budget_table",
                r["budget_table_id"],
                None,
                [fact("stated_total", "budget_item", row, "budget_item_id", "amount")],
                expected=r["sum_of_items"],
                difference=r["difference"],
                tolerance=0.0,
                severity="major",
                variant=r["budget_item_id"],
                displayed="both",
                params={"items": int(r["items"])},
            )
        )
    return out


def sub_indicator_count(pkg: Package) -> list[Finding]:
    """Stated counts against the per-index counts and against the rows listed in the tables."""
    out: list[Finding] = []
    counts = pkg.t("sub_indicator_count")
    listed = pkg.t("sub_indicator_assessment").merge(
        pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]], on="sub_indicator_id"
    )
    for (_prov, year, _src), g in counts.groupby(["province_id", "year", "source_id"]):
        per_index = g[g["main_index_id"].notna()]
        overall = g[g["main_index_id"].isna()]
        for ctype in ("total", "no_score", "below_average"):
            parts = per_index[per_index["count_type"] == ctype]
            for o in overall[overall["count_type"] == ctype].to_dict("records"):
                s = int(parts["value"].sum())
                if len(parts) and s != int(o["value"]):
                    out.append(
                        Finding(
                            "sub_indicator_count",
                            "count_type",
                            ctype,
                            str(year),
                            [fact("stated_total", "sub_indicator_count", o, "count_id")]
                            + [fact("part", "sub_indicator_count", p, "count_id") for p in parts.to_dict("records")],
                            expected=float(s),
                            difference=float(o["value"] - s),
                            tolerance=0.0,
                            severity="major",
                            variant="parts",
                            displayed="both",
                            params={"parts": len(parts)},
                        )
                    )
        for m, gm in per_index.groupby("main_index_id"):
            weak = gm[gm["count_type"].isin(["no_score", "below_average"])]
            n_listed = int(
                (
                    (listed["main_index_id"] == m)
                    & (listed["year"] == year)
                    & listed["status"].isin(["no_score", "below_average", "weak"])
                ).sum()
            )
            stated = int(weak["value"].sum())
            if len(weak) and n_listed and stated != n_listed:
                out.append(
                    Finding(
                        "sub_indicator_count",
                        "main_index",
                        str(m),
                        str(year),
                        [fact("stated", "sub_indicator_count", w, "count_id") for w in weak.to_dict("records")],
                        expected=float(n_listed),
                        difference=float(stated - n_listed),
                        tolerance=0.0,
                        severity="major",
                        variant="listed",
                        displayed="both",
                        params={"stated": stated},
                    )
                )
    return out


def dti_cross_source(pkg: Package) -> list[Finding]:
    """The same DTI score or rank given differently by two documents (or two places of one)."""
    out = []
    dti = pkg.t("dti_observation")
    keys = ["province_id", "statistic", "year", "pillar_id", "main_index_id", "metric", "rank_scope"]
    for key, g in dti.groupby(keys, dropna=False):
        if g["value"].nunique() < 2:
            continue
        rows = g.to_dict("records")
        level, sid = _subject(rows[0])
        vals = [float(v) for v in g["value"]]
        out.append(
            Finding(
                "cross_source",
                level,
                sid,
                str(key[2]),
                [fact("stated", "dti_observation", r, "observation_id") for r in rows],
                difference=max(vals) - min(vals),
                tolerance=float(tol_of(*g["as_written"])),
                severity=severity(max(vals), min(vals), None),
                variant=str(key[5]),
                displayed="latest",
            )
        )
    return out


def within(a, b, tol: Decimal) -> bool:
    return abs(d(a) - d(b)) <= tol


def context(pkg: Package) -> list[Finding]:
    """Context figures: a printed growth of the national mean, counts against the rows listed, and totals
    of the same quantity (e.g. 31/36 and 06/63 provinces in one paragraph)."""
    if "context_figure" not in pkg.tables:
        return []
    out: list[Finding] = []
    cf = pkg.t("context_figure")
    dti = pkg.t("dti_observation")
    means = dti[
        (dti["statistic"] == "national_mean")
        & (dti["metric"] == "score")
        & dti["pillar_id"].isna()
        & dti["main_index_id"].isna()
        & (dti["scale"] == "unit_interval")
    ]
    for r in cf[cf["figure"] == "national_mean_growth"].to_dict("records"):
        a, b = means[means["year"] == r["year"] - 1], means[means["year"] == r["year"]]
        if a.empty or b.empty:
            continue
        a, b = a.iloc[0].to_dict(), b.iloc[0].to_dict()
        va, vb = d(a["value"]), d(b["value"])
        growth = (vb / va - 1) * 100
        ha, hb = tol_of(a["as_written"]), tol_of(b["as_written"])
        tol = tol_of(r["as_written"]) + 100 * (hb / va + vb * ha / (va * va))
        if abs(d(r["value"]) - growth) <= tol:
            continue
        out.append(
            Finding(
                "change",
                "context_figure",
                r["figure_id"],
                str(r["year"]),
                [
                    fact("printed_change", "context_figure", r, "figure_id"),
                    fact("from", "dti_observation", {**a, "period": str(a["year"])}, "observation_id"),
                    fact("to", "dti_observation", {**b, "period": str(b["year"])}, "observation_id"),
                ],
                expected=float(round(growth, 4)),
                difference=float(round(d(r["value"]) - growth, 4)),
                tolerance=float(tol),
                variant="growth_printed",
                displayed="values",
                params={"from_period": str(a["year"])},
            )
        )
    listed = {
        "plan_task_groups": lambda plan: int(
            ((pkg.t("task_group")["plan_id"] == plan) & pkg.t("task_group")["parent_id"].isna()).sum()
        ),
        "plan_tasks": lambda plan: int((pkg.t("task")["plan_id"] == plan).sum()),
    }
    for r in cf[cf["figure"].isin(list(listed)) & cf["plan_id"].notna()].to_dict("records"):
        n = listed[r["figure"]](r["plan_id"])
        if n == 0 or n == int(r["value"]):
            continue  # nothing listed to compare with, or it agrees
        out.append(
            Finding(
                "count_listed",
                "context_figure",
                r["figure_id"],
                None if pd.isna(r["year"]) else str(r["year"]),
                [fact("stated", "context_figure", r, "figure_id")],
                expected=float(n),
                difference=float(r["value"]) - n,
                tolerance=0.0,
                displayed="both",
                params={"plan_id": r["plan_id"]},
            )
        )
    totals = cf[cf["out_of"].notna() & cf["out_of_what"].notna()]
    for (what, year, _src), g in totals.groupby(["out_of_what", "year", "source_id"], dropna=False):
        dens = sorted({float(x) for x in g["out_of"]})
        if len(dens) < 2:
            continue
        out.append(
            Finding(
                "denominator",
                "out_of_what",
                str(what),
                None if pd.isna(year) else str(int(year)),
                [fact("stated", "context_figure", r, "figure_id") for r in g.to_dict("records")],
                difference=dens[-1] - dens[0],
                displayed="reported",
                params={"denominators": dens},
            )
        )
    return out
