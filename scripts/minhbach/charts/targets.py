"""The target charts: each percent KPI's result against its plan target; for a target year after the latest
figure, the latest result with the tick of the linear trajectory (progress.py)."""

from __future__ import annotations

import pandas as pd

from minhbach.charts import specs
from minhbach.charts.model import Chart, Origin, Words
from minhbach.compute.progress import target_progress
from minhbach.compute.scores import Results, canonical_observations
from minhbach.load.package import Package


def chart_targets(pkg: Package, res: Results, w: Words) -> list[Chart]:
    """Per plan and target year: each percent KPI's result against its target. For a target year still ahead
    the result is the latest figure, with a tick where the straight line from the baseline stands today."""
    att = res.attainment
    if att.empty:
        return []
    kpi = pkg.t("kpi").set_index("kpi_id")
    plans = pkg.t("plan").set_index("plan_id")
    prog = res.extra.get("target_progress")
    if prog is None or prog.empty:
        prog = target_progress(att, canonical_observations(pkg))
    prog = prog.set_index("target_id")
    d0 = att[att["target_value"].notna() & (att["status"] != "not_in_plan")].copy()
    # the data have figures up to `last_year`; a target of a later year is shown with the latest figure
    d0 = d0[d0["kpi_id"].map(lambda k: kpi.loc[k, "unit"] == "percent" if k in kpi.index else False)]
    obs = canonical_observations(pkg)
    last_year = max([int(str(p)[:4]) for p in obs["period"].dropna()] or [0])
    later = (
        d0["observed_value"].isna()
        & (d0["target_year"] > last_year)
        & d0["target_id"].map(lambda t: t in prog.index and not pd.isna(prog.loc[t, "current"]))
    )
    # a target without a figure for its year: the latest figure and the trajectory stand in
    for c_to, c_from in (("observed_value", "current"), ("period", "current_period")):
        d0.loc[later, c_to] = [prog.loc[t, c_from] for t in d0.loc[later, "target_id"]]
    # ... and the latest figure's own source
    province_obs = obs[obs["district_id"].isna() & obs["value"].notna()]
    where = {
        (r["kpi_id"], r["province_id"], str(r["period"])): (r["source_id"], r["section"])
        for r in province_obs.to_dict("records")
    }
    for col, i in (("observed_source_id", 0), ("observed_section", 1)):
        d0.loc[later, col] = [
            where.get((k, p, str(per)), ("", ""))[i]
            for k, p, per in zip(
                d0.loc[later, "kpi_id"], d0.loc[later, "province_id"], d0.loc[later, "period"], strict=True
            )
        ]
    d0.loc[later, "status"] = [prog.loc[t, "status"] for t in d0.loc[later, "target_id"]]
    d0["progress_shown"] = later
    d0 = d0[d0["observed_value"].notna()]
    years_per_plan = d0.groupby("plan_id")["target_year"].nunique().to_dict()
    out = []
    for (plan_id, year), d in d0.groupby(["plan_id", "target_year"]):
        d = d.drop_duplicates("kpi_id").copy()
        for lang in w.langs:
            d[f"kpi_{lang}"] = [kpi.loc[k, f"name_{lang}"] for k in d["kpi_id"]]
            d[f"status_{lang}"] = [
                _progress_label(w, lang, s) if shown else w.status(lang, s)
                for s, shown in zip(d["status"], d["progress_shown"], strict=True)
            ]
        d["expected"] = [prog.loc[t, "expected"] if t in prog.index else None for t in d["target_id"]]
        keep = [f"kpi_{lang}" for lang in w.langs]
        keep += ["kpi_id", "observed_value", "period", "target_value", "expected", "status"]
        keep += [f"status_{lang}" for lang in w.langs] + ["observed_source_id", "observed_section", "target_source_id"]
        keep += ["target_section"]
        data = d[keep].rename(columns={"observed_value": "observed", "target_value": "target"}).sort_values("kpi_id")
        data["expected"] = pd.to_numeric(data["expected"], errors="coerce")
        data["observed"] = pd.to_numeric(data["observed"], errors="coerce")
        cols = [
            w.col("kpi", "indicator", "text"),
            w.col("observed", "result_pct", "number", unit_code="percent"),
            w.col("period", "period", "text"),
            w.col("target", "target_pct", "number", unit_code="percent"),
            w.col("status", "assessment", "text"),
        ]
        trajectory = bool(data["expected"].notna().any())
        if trajectory:
            cols.insert(4, w.col("expected", "trajectory_pct", "number", 1, unit_code="percent"))
        plan = {lang: plans.loc[plan_id, f"name_{lang}"] for lang in w.langs}
        desc = w.both("targets.desc", year=int(year), plan=plan)
        if trajectory:
            extra = w.both("targets.desc_trajectory")
            desc = {lang: f"{desc[lang]} {extra[lang]}" for lang in w.langs}
        cid = f"kpi-targets-{plan_id}" if years_per_plan.get(plan_id, 1) == 1 else f"kpi-targets-{plan_id}-{int(year)}"
        out.append(
            Chart(
                cid,
                w.both("targets.title", year=int(year)),
                desc,
                data,
                cols,
                specs.targets,
                height_rows=len(data),
                origins=[
                    Origin("observed", source="observed_source_id", section="observed_section"),
                    Origin("target", source="target_source_id", section="target_section"),
                    Origin("expected", computed="trajectory", inputs=("target",)),
                ],
            )
        )
    return out


def _progress_label(w: Words, lang: str, status: str) -> str:
    return w.cat.get(lang, f"progress.status.{status}")
