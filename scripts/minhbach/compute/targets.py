"""Targets as facts and their attainment: one row per distinct target, judged against its year's figure.

A target belongs to its plan (`plan_id`). A row from another document than the plan's own (`plan.source_id`)
restates a target: it is linked to the plan's target of the same KPI, place and year (a different value is a
`target_conflict` finding) and never counted as a target of its own; a restatement with no target in the plan's
own document to link to is `not_in_plan`. A figure that a finding disputes makes its target `disputed`, never
`achieved`; a figure the document itself says is no basis for assessment (`no_basis`) is no figure.
"""

from __future__ import annotations

import pandas as pd

from minhbach.compute.disputes import key as obs_key
from minhbach.compute.observations import canonical_observations, source_rank
from minhbach.load.package import Package


def target_groups(pkg: Package) -> list[tuple[tuple, list[dict], dict]]:
    """Targets as facts: the rows of one plan, KPI, place and year are one target stated in several places.

    Returns (key, rows, shown row); the shown row is the plan's own document when it states the target,
    else the most recently issued one. A target without a KPI stands alone.
    """
    plans = pkg.t("plan").set_index("plan_id")
    rank = source_rank(pkg)
    groups: dict[tuple, list[dict]] = {}
    for r in pkg.t("target").to_dict("records"):
        kpi = r["kpi_id"] if isinstance(r["kpi_id"], str) else None
        key = (r["plan_id"], kpi, r["province_id"], int(r["target_year"]), None if kpi else r["target_id"])
        groups.setdefault(key, []).append(r)
    out = []
    for key, rows in groups.items():
        home = plans.loc[key[0], "source_id"] if key[0] in plans.index and "source_id" in plans.columns else None
        order = sorted(
            range(len(rows)), key=lambda i: (rows[i]["source_id"] != home, rank.get(rows[i]["source_id"], 99), i)
        )
        out.append((key, rows, rows[order[0]]))
    return out


def usable_observations(pkg: Package) -> pd.DataFrame:
    """Canonical province and district observations with a value, without the figures their own document says
    are no basis for assessment (`no_basis`)."""
    obs = canonical_observations(pkg)
    if "no_basis" in obs.columns:
        obs = obs[~obs["no_basis"].fillna(False).astype(bool)]
    return obs[obs["value"].notna()]


def attainment(pkg: Package, disputed: set[tuple] | None = None) -> pd.DataFrame:
    """Each distinct target against the observation for its year: achieved / not_achieved / disputed /
    no_data / not_comparable / not_in_plan. A target stated in several documents is one row (`stated_in`,
    `other_*`). `disputed`: the keys (`disputes.key`) of the observations some finding disputes.

    A full-year observation is preferred; a part-year one (e.g. 2022-08) is used only when no
    full-year figure exists and is flagged `interim`.
    """
    obs = usable_observations(pkg)
    obs = obs[obs["district_id"].isna()]
    disputed = disputed or set()
    plans = pkg.t("plan").set_index("plan_id")
    by_kpi = {k: g for k, g in obs.groupby(["kpi_id", "province_id"])}
    empty = obs.iloc[0:0]
    kpi = pkg.t("kpi").set_index("kpi_id")
    rows = []
    for key, group, t in target_groups(pkg):
        others = [r for r in group if r is not t]
        home = plans.loc[key[0], "source_id"] if key[0] in plans.index else None
        in_plan = (
            not isinstance(home, str)
            or home not in set(pkg.t("source")["source_id"])
            or any(r["source_id"] == home for r in group)
        )
        base = {
            "target_id": t["target_id"],
            "plan_id": t["plan_id"],
            "kpi_id": t["kpi_id"],
            "province_id": t["province_id"],
            "target_year": int(t["target_year"]),
            "comparator": t["comparator"],
            "target_value": t["value"],
            "target_as_written": t["as_written"],
            "target_source_id": t["source_id"],
            "target_section": t["section"],
            "text_vi": t["text_vi"],
            "text_en": t["text_en"],
            "stated_in": len(group),
            "in_plan": bool(in_plan),
            "other_target_ids": " ".join(r["target_id"] for r in others) or None,
            "other_source_ids": " ".join(r["source_id"] for r in others) or None,
            "other_sections": " | ".join(r["section"] for r in others) or None,
            "observed_value": None,
            "observed_as_written": None,
            "observed_qualifier": None,
            "period": None,
            "observation_id": None,
            "observed_source_id": None,
            "observed_section": None,
            "interim": False,
            "disputed": False,
            "progress": None,
            "pillar_id": None,
            "main_index_id": None,
        }
        if not in_plan:
            rows.append({**base, "status": "not_in_plan"})
            continue
        if pd.isna(t["kpi_id"]) or pd.isna(t["value"]) or pd.isna(t["comparator"]) or t["kpi_id"] not in kpi.index:
            rows.append({**base, "status": "not_comparable"})
            continue
        k = kpi.loc[t["kpi_id"]]
        base["pillar_id"] = k["pillar_id"] if not pd.isna(k["pillar_id"]) else None
        base["main_index_id"] = k["main_index_id"] if not pd.isna(k["main_index_id"]) else None
        cand = by_kpi.get((t["kpi_id"], t["province_id"]), empty)
        cand = cand[cand["period"].str.startswith(str(int(t["target_year"])))]
        if cand.empty:
            rows.append({**base, "status": "no_data"})
            continue
        full = cand[cand["period"] == str(int(t["target_year"]))]
        o = (full if not full.empty else cand.sort_values("period")).iloc[-1]
        v, tv = float(o["value"]), float(t["value"])
        if t["comparator"] == "at_least" or (t["comparator"] == "equal" and k["direction"] != "lower_is_better"):
            ok = v >= tv
        elif t["comparator"] == "at_most":
            ok = v <= tv
        else:
            ok = v <= tv
        progress = round(v / tv * 100, 1) if tv and t["comparator"] != "at_most" else None
        rows.append(
            {
                **base,
                "observed_value": v,
                "observed_as_written": o["as_written"],
                "observed_qualifier": o.get("qualifier"),
                "period": o["period"],
                "observation_id": o["observation_id"],
                "observed_source_id": o["source_id"],
                "observed_section": o["section"],
                "interim": bool(full.empty),
                "progress": progress,
                "disputed": obs_key(o) in disputed,
                "status": "disputed" if obs_key(o) in disputed else ("achieved" if ok else "not_achieved"),
            }
        )
    return pd.DataFrame(rows)


def attainment_summary(att: pd.DataFrame, pkg: Package) -> pd.DataFrame:
    if att.empty:
        return pd.DataFrame()
    a = att.copy()
    a["pillar_id"] = a["pillar_id"].fillna("none")
    out = a.groupby(["plan_id", "target_year", "pillar_id", "status"]).size().rename("count").reset_index()
    return out.sort_values(["plan_id", "target_year", "pillar_id", "status"]).reset_index(drop=True)
