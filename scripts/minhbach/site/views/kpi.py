"""View of the KPI page: attainment summary per plan, every target with its result, distance to each target."""

from __future__ import annotations

from dataclasses import dataclass, field

from minhbach.site.views.base import Link, Ref, clean, record, ref, text
from minhbach.site.views.headline import plan_headlines
from minhbach.site.views.tables import Target, target

SUMMARY_STATUSES = ("achieved", "not_achieved", "disputed", "no_data", "not_comparable", "not_in_plan")


@dataclass(frozen=True)
class SummaryRow:
    year: int
    pillar: str | None  # None: targets of no pillar
    counts: tuple[int, ...]  # per SUMMARY_STATUSES


@dataclass(frozen=True)
class SummaryTable:
    plan: str
    rows: list[SummaryRow]
    plan_id: str = ""


@dataclass(frozen=True)
class TargetRow:
    target: Target
    plan: str
    observed: float | None
    observed_as_written: str | None
    period: str | None
    observed_ref: Ref | None
    observation_id: str | None
    has_unit: bool
    observed_qualifier: str | None = None  # "khoang", "duoi": printed beside the number


@dataclass(frozen=True)
class ProgressRow:
    text: str | None
    target_year: int | None
    unit: str
    baseline: float | None
    baseline_period: str | None
    current: float | None
    current_period: str | None
    gap: float | None
    share: float | None
    status: str
    moved_away: bool = False
    # the observations as printed: shown beside the numbers with their qualifier ("khoang 20%", not 20%)
    baseline_obs: dict | None = None
    current_obs: dict | None = None


@dataclass
class KpiView:
    statuses: tuple[str, ...]
    summaries: list[SummaryTable]
    targets: list[TargetRow]
    progress: list[ProgressRow]
    main_indices: list[Link]
    headlines: list = field(default_factory=list)  # views.headline.TargetHeadline, one per plan


def kpi(ctx) -> KpiView:
    pkg, res, q, lang = ctx.pkg, ctx.res, ctx.q, ctx.lang
    plans = {p["plan_id"]: text(p, "name", lang) or p["plan_id"] for p in pkg.t("plan").to_dict("records")}
    pillars = {p["pillar_id"]: text(p, "name", lang) for p in q.pillars}
    summaries = []
    s = res.attainment_summary
    if s is not None and not s.empty:
        for plan_id, plan_rows in s.groupby("plan_id", sort=True):
            rows = []
            for (year, pillar), g in plan_rows.groupby(["target_year", "pillar_id"], sort=True, dropna=False):
                counts = g.set_index("status")["count"]
                rows.append(
                    SummaryRow(
                        int(year), pillars.get(clean(pillar)), tuple(int(counts.get(x, 0)) for x in SUMMARY_STATUSES)
                    )
                )
            summaries.append(SummaryTable(plans.get(plan_id, plan_id), rows, str(plan_id)))
    units = {k: str(u) for k, u in zip(pkg.t("kpi")["kpi_id"], pkg.t("kpi")["unit"], strict=True)}
    targets, by_id = [], {}
    for a in q.attainment():
        a = record(a)
        unit = units.get(a.get("kpi_id") or "", "")
        by_id[a["target_id"]] = (a, unit)
        targets.append(
            TargetRow(
                target(a, unit, lang),
                plans.get(a["plan_id"], a["plan_id"]),
                a.get("observed_value"),
                a.get("observed_as_written"),
                a.get("period"),
                ref(a.get("observed_source_id"), a.get("observed_section")),
                a.get("observation_id"),
                bool(unit),
                a.get("observed_qualifier"),
            )
        )
    progress = []
    prog = (res.extra or {}).get("target_progress")
    if prog is not None and not prog.empty:
        prog_by_id = {r["target_id"]: record(r) for r in prog.to_dict("records")}
        for target_id, (a, unit) in by_id.items():  # in the order of the targets table
            p = prog_by_id.get(target_id)
            if p is None or not unit:
                continue
            if (a.get("target_value") is not None and p.get("status") != "insufficient") or p.get(
                "current"
            ) is not None:
                progress.append(
                    ProgressRow(
                        text(a, "text", lang),
                        a.get("target_year"),
                        unit,
                        p.get("baseline"),
                        p.get("baseline_period"),
                        p.get("current"),
                        p.get("current_period"),
                        p.get("gap"),
                        p.get("share"),
                        str(p.get("status")),
                        bool(p.get("moved_away") or False),
                        _printed(p, "baseline", unit),
                        _printed(p, "current", unit),
                    )
                )
    mids = [Link(f"indices/{m['main_index_id']}", text(m, "name", lang) or m["main_index_id"]) for m in q.main_indices]
    return KpiView(SUMMARY_STATUSES, summaries, targets, progress, mids, plan_headlines(pkg, res, lang))


def _printed(p: dict, which: str, unit: str) -> dict | None:
    """A baseline or current value as the `observation` macro shows it: qualifier, value, printed digits."""
    if p.get(which) is None:
        return None
    return {
        "value": p.get(which),
        "unit": unit,
        "as_written": p.get(f"{which}_as_written"),
        "qualifier": p.get(f"{which}_qualifier"),
        "numerator": None,
        "denominator": None,
        "no_basis": False,
    }
