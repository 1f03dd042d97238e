"""View of the one-page printable summary: the home page's headline and pillars, the KPI page's attainment counts
for the headline plan and year with the targets missed, the count of data-quality findings by severity, and the
source documents behind every figure shown. Nothing is computed here that another view or query already gives."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.site.views.base import Ref, clean, record, ref, text
from minhbach.site.views.dti import HomeView, TargetHeadline, home
from minhbach.site.views.kpi import SUMMARY_STATUSES, kpi
from minhbach.site.views.tables import Target, target


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


@dataclass(frozen=True)
class MissedTarget:
    """A target of the headline plan and year that was not achieved: the indicator, its result and the target."""

    name: str
    target: Target
    observed: float | None
    observed_as_written: str | None
    period: str | None
    observed_ref: Ref | None
    observation_id: str | None
    observed_qualifier: str | None = None


@dataclass(frozen=True)
class SourceLine:
    source_id: str
    title: str


@dataclass
class SummaryView:
    home: HomeView
    targets: TargetHeadline | None
    counts: list[StatusCount]  # the headline plan and year, per status of the KPI page's summary
    missed: list[MissedTarget]
    pillar_ranks: bool  # some pillar's latest score has a rank
    findings: int
    major: int
    sources: list[SourceLine]
    version: str | None
    created: str | None


def _counts(ctx, t: TargetHeadline | None) -> list[StatusCount]:
    if t is None or t.year is None:
        return []
    totals = [0] * len(SUMMARY_STATUSES)
    for table in kpi(ctx).summaries:
        if table.plan_id != t.plan_id:
            continue
        for row in table.rows:
            if row.year == t.year:
                totals = [a + b for a, b in zip(totals, row.counts, strict=True)]
    # a restatement that its plan does not set is no target of the plan: the KPI page lists it, the summary does not
    return [StatusCount(s, n) for s, n in zip(SUMMARY_STATUSES, totals, strict=True) if s != "not_in_plan"]


def _missed(ctx, t: TargetHeadline | None) -> list[MissedTarget]:
    if t is None or t.year is None:
        return []
    kpis = {k["kpi_id"]: record(k) for k in ctx.pkg.t("kpi").to_dict("records")}
    out = []
    for a in ctx.q.attainment():
        a = record(a)
        if a["plan_id"] != t.plan_id or a.get("target_year") != t.year or a.get("status") != "not_achieved":
            continue
        k = kpis.get(a.get("kpi_id") or "", {})
        unit = str(k.get("unit") or "")
        tgt = target(a, unit, ctx.lang)
        out.append(
            MissedTarget(
                text(k, "name", ctx.lang) or tgt.text or str(a["target_id"]),
                tgt,
                a.get("observed_value"),
                a.get("observed_as_written"),
                a.get("period"),
                ref(a.get("observed_source_id"), a.get("observed_section")),
                a.get("observation_id"),
                a.get("observed_qualifier"),
            )
        )
    return out


def _sources(ctx, h: HomeView, missed: list[MissedTarget]) -> list[SourceLine]:
    """The documents cited by the figures of the summary, in the order of the package's source table."""
    refs: list[Ref | None] = []
    if h.total is not None:
        refs += [h.total.ref, h.total.rank_ref]
    if h.region_rank is not None:
        refs.append(h.region_rank.ref)
    for p in h.pillars:
        if p.latest is not None:
            refs += [p.latest.ref, p.latest.rank_ref]
    for m in missed:
        refs += [m.observed_ref, m.target.ref]
    used = {r.source_id for r in refs if r is not None}
    return [
        SourceLine(str(s["source_id"]), text(s, "title", ctx.lang) or str(s["source_id"]))
        for s in ctx.pkg.t("source").to_dict("records")
        if s["source_id"] in used
    ]


def summary(ctx) -> SummaryView:
    h = home(ctx)
    t = h.targets
    missed = _missed(ctx, t)
    f = ctx.res.findings
    desc = ctx.pkg.descriptor
    created = clean(desc.get("created"))
    return SummaryView(
        home=h,
        targets=t,
        counts=_counts(ctx, t),
        missed=missed,
        pillar_ranks=any(p.latest is not None and p.latest.rank is not None for p in h.pillars),
        findings=len(f),
        major=int((f["severity"] == "major").sum()) if len(f) else 0,
        sources=_sources(ctx, h, missed),
        version=clean(desc.get("version")),
        created=str(created)[:10] if created else None,
    )
