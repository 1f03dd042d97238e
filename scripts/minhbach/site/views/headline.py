"""The target headline of the home page and summary: per plan, how many of its own targets for a year were met.

Counted (the methodology page states the same rule): the distinct targets that the plan's own document sets for
the year and that have a figure for it. A restatement in another document is the plan's target, never a new one
(`not_in_plan` rows are left out); a target judged on a disputed figure is counted in the total but never as met;
targets without a figure (`no_data`) or without a number to compare (`not_comparable`) are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.site.views.base import text

JUDGED = ("achieved", "not_achieved", "disputed")


@dataclass(frozen=True)
class TargetHeadline:
    """The plan and target year the home page reports: the latest year with judged targets, of the most recently
    issued plan; else the plan whose targets all lie in later years."""

    plan: str
    year: int | None
    achieved: int
    judged: int
    later_years: list[int]
    plan_id: str = ""
    disputed: int = 0
    short: str = ""  # the plan's short name (`short_name_*`), else its name


def _names(pkg, lang: str) -> tuple[dict, dict, dict]:
    plans = {p["plan_id"]: p for p in pkg.t("plan").to_dict("records")}
    issued = {pid: str(p.get("issued") or "") for pid, p in plans.items()}
    names = {
        pid: (text(p, "name", lang) or pid, text(p, "short_name", lang) or text(p, "name", lang) or pid)
        for pid, p in plans.items()
    }
    return plans, issued, names


def _judged(a) -> dict[tuple[str, int], tuple[int, int, int]]:
    """(plan, year) → (achieved, judged, disputed), over the years with judged targets."""
    out = {}
    for (plan_id, year), g in a.groupby(["plan_id", "target_year"]):
        judged = g[g["status"].isin(JUDGED)]
        if len(judged):
            out[(str(plan_id), int(year))] = (
                int((judged["status"] == "achieved").sum()),
                len(judged),
                int((judged["status"] == "disputed").sum()),
            )
    return out


def plan_headlines(pkg, res, lang: str) -> list[TargetHeadline]:
    """One headline per plan that has judged targets: its latest such year, plans in the order they were issued."""
    a = res.attainment
    if a is None or a.empty:
        return []
    _, issued, names = _names(pkg, lang)
    latest: dict[str, int] = {}
    counts = _judged(a)
    for plan_id, year in counts:
        latest[plan_id] = max(year, latest.get(plan_id, year))
    out = []
    for plan_id in sorted(latest, key=lambda p: (issued.get(p, ""), p)):
        year = latest[plan_id]
        achieved, judged, disputed = counts[(plan_id, year)]
        name, short = names.get(plan_id, (plan_id, plan_id))
        out.append(TargetHeadline(name, year, achieved, judged, [], plan_id, disputed, short))
    return out


def target_headline(pkg, res, lang: str) -> TargetHeadline | None:
    a = res.attainment
    if a is None or a.empty:
        return None
    _, issued, names = _names(pkg, lang)
    counts = _judged(a)
    if counts:
        plan_id, year = max(counts, key=lambda k: (k[1], issued.get(k[0], ""), k[0]))
        achieved, judged, disputed = counts[(plan_id, year)]
        name, short = names.get(plan_id, (plan_id, plan_id))
        return TargetHeadline(name, year, achieved, judged, [], plan_id, disputed, short)
    plan_id = max(a["plan_id"].unique(), key=lambda p: (issued.get(p, ""), p))
    years = sorted({int(y) for y in a[a["plan_id"] == plan_id]["target_year"]})
    name, short = names.get(plan_id, (plan_id, plan_id))
    return TargetHeadline(name, None, 0, 0, years, str(plan_id), 0, short)
