"""Views of the index pages: home, pillar, main index, province, methodology."""

from __future__ import annotations

from dataclasses import dataclass, field

from minhbach.escape import esc
from minhbach.fmt import number
from minhbach.site.views.base import Link, Ref, ScoreRow, clean, latest, record, ref, score_rows, text
from minhbach.site.views.headline import TargetHeadline, plan_headlines, target_headline  # noqa: F401 (re-exported)
from minhbach.site.views.tables import KpiRow, TaskRow, kpi_rows, task_rows


@dataclass(frozen=True)
class Card:
    label_key: str
    value: ScoreRow | None = None


@dataclass(frozen=True)
class SubjectScore:
    """A pillar or main index with its latest score."""

    key: str
    subject_id: str
    name: str
    group: str | None
    max_points: float | None
    latest: ScoreRow | None


@dataclass(frozen=True)
class RegionRank:
    rank: int
    out_of: int | None
    ref: Ref | None


@dataclass
class HomeView:
    province: str
    region: str | None
    total: ScoreRow | None
    region_rank: RegionRank | None
    national_mean: ScoreRow | None
    pillars: list[SubjectScore]
    strongest: SubjectScore | None
    weakest: SubjectScore | None
    findings: int
    targets: TargetHeadline | None = None
    plan_targets: list[TargetHeadline] = field(default_factory=list)  # one line per plan with judged targets


@dataclass(frozen=True)
class ComparisonRow:
    key: str | None
    name: str
    score: ScoreRow
    publisher: bool


@dataclass(frozen=True)
class Comparison:
    """The subject's score in one year for every province of the package, best first, and the national mean."""

    year: int
    rows: list[ComparisonRow]
    mean: ScoreRow | None


def comparison(q, level: str, sid: str, lang: str) -> Comparison | None:
    provinces = q.pkg.t("province").sort_values("province_id").to_dict("records")
    if len(provinces) < 2:
        return None
    latest_rows = {}
    for p in provinces:
        s = latest(q, level, sid, "province", p["province_id"])
        if s is not None:
            latest_rows[p["province_id"]] = (p, s)
    if len(latest_rows) < 2:
        return None
    year = max(s.year for _, s in latest_rows.values())
    rows = []
    for pid, (p, _) in latest_rows.items():
        s = next((r for r in score_rows(q, level, sid, "province", pid) if r.year == year), None)
        if s is not None:
            rows.append(
                ComparisonRow(f"provinces/{pid}", text(p, "name", lang) or pid, s, pid == q.province["province_id"])
            )
    rows.sort(key=lambda r: (r.score.rank if r.score.rank is not None else 10**6, -(r.score.value_unit or 0)))
    mean = next((r for r in score_rows(q, level, sid, "national_mean") if r.year == year), None)
    return Comparison(year, rows, mean)


@dataclass
class PillarView:
    pillar_id: str
    name: str
    max_points: float
    scores: list[ScoreRow]
    members: list[SubjectScore]
    kpis: list[KpiRow]
    tasks: list[TaskRow]
    comparison: Comparison | None = None


@dataclass(frozen=True)
class Assessment:
    code: str
    name: str
    status: str | None
    reason: str | None
    responsible: list[str]
    followups: list[tuple[int, str | None, Ref | None]]
    ref: Ref | None


@dataclass(frozen=True)
class CountRow:
    year: int
    count_type: str | None  # None: the rows listed in the package
    value: int
    ref: Ref | None


@dataclass
class MainIndexView:
    main_index_id: str
    name: str
    group: str
    max_points: float
    pillars: list[str]
    scores: list[ScoreRow]
    assessments: list[Assessment]
    counts: list[CountRow]
    kpis: list[KpiRow]
    tasks: list[TaskRow]
    comparison: Comparison | None = None


@dataclass
class ProvinceView:
    province_id: str
    name: str
    region: str | None
    total: list[ScoreRow]
    pillars: list[SubjectScore]
    main_indices: list[SubjectScore]


@dataclass(frozen=True)
class FrameworkRow:
    name: str
    group: str
    max_points: float
    pillars: list[str]


def _subject(q, level: str, row: dict, lang: str, province_id: str | None = None) -> SubjectScore:
    sid = row["pillar_id"] if level == "pillar" else row["main_index_id"]
    key = f"{'pillars' if level == 'pillar' else 'indices'}/{sid}"
    return SubjectScore(
        key,
        sid,
        text(row, "name", lang) or sid,
        clean(row.get("group")),
        clean(row.get("max_points")),
        latest(q, level, sid, "province", province_id),
    )


def home(ctx) -> HomeView:
    q, lang = ctx.q, ctx.lang
    prov = q.province
    tot = latest(q, "total", "dti")
    region_rank = mean = None
    if tot is not None:
        r = q.region_rank(tot.year)
        if r is not None:
            r = record(r)
            region_rank = RegionRank(int(r["value"]), r.get("out_of"), ref(r.get("source_id"), r.get("section")))
        if q.national_mean(tot.year) is not None:
            means = score_rows(q, "total", "dti", "national_mean")
            mean = next((s for s in means if s.year == tot.year), None)
    pillars = [_subject(q, "pillar", p, lang) for p in q.pillars]
    strong, weak = q.strong_weak()
    by_id = {m["main_index_id"]: m for m in q.main_indices}
    strongest = _subject(q, "main_index", by_id[strong["subject_id"]], lang) if strong else None
    weakest = _subject(q, "main_index", by_id[weak["subject_id"]], lang) if weak else None
    return HomeView(
        text(prov, "name", lang) or "",
        text(prov, "region", lang),
        tot,
        region_rank,
        mean,
        pillars,
        strongest,
        weakest,
        len(ctx.res.findings),
        target_headline(ctx.pkg, ctx.res, lang),
        plan_headlines(ctx.pkg, ctx.res, lang),
    )


def pillar(ctx) -> PillarView:
    q, lang, p = ctx.q, ctx.lang, ctx.row
    pid = p["pillar_id"]
    return PillarView(
        pid,
        text(p, "name", lang) or pid,
        q.pillar_max(pid),
        score_rows(q, "pillar", pid),
        [_subject(q, "main_index", m, lang) for m in q.members(pid)],
        kpi_rows(q, lang, q.kpis_for(pillar_id=pid)),
        task_rows(q, lang, q.tasks_for(pillar_id=pid)),
        comparison(q, "pillar", pid, lang),
    )


def main_index(ctx) -> MainIndexView:
    q, lang, m = ctx.q, ctx.lang, ctx.row
    mid = m["main_index_id"]
    items = []
    for it in q.assessments(mid):
        f = record(it["first"]) if it["first"] else None
        sub = record(it["sub"])
        items.append(
            Assessment(
                code=sub["sub_indicator_id"],
                name=text(sub, "name", lang) or "",
                status=f.get("status") if f else None,
                reason=text(f, "reason", lang) if f else None,
                responsible=[q.org_names([o], lang) for o in it["orgs"]],
                followups=[(int(r["year"]), clean(r["status"]), ref(r["source_id"])) for r in it["later"]],
                ref=ref(f["source_id"], f["section"]) if f else ref(sub.get("source_id"), sub.get("section")),
            )
        )
    counts: list[CountRow] = []
    raw = [record(c) for c in q.counts(mid)]
    for year in sorted({int(c["year"]) for c in raw}):
        for c in raw:
            if int(c["year"]) == year:
                counts.append(CountRow(year, c["count_type"], int(c["value"]), ref(c["source_id"], c["section"])))
        counts.append(CountRow(year, None, q.listed(mid, year), None))
    return MainIndexView(
        mid,
        text(m, "name", lang) or mid,
        str(m["group"]),
        float(m["max_points"]),
        [text(p, "name", lang) or p["pillar_id"] for p in q.pillars_of(mid)],
        score_rows(q, "main_index", mid),
        items,
        counts,
        kpi_rows(q, lang, q.kpis_for(main_index_id=mid)),
        task_rows(q, lang, q.tasks_for(main_index_id=mid)),
        comparison(q, "main_index", mid, lang),
    )


def province(ctx) -> ProvinceView:
    q, lang, pr = ctx.q, ctx.lang, ctx.row
    pid = pr["province_id"]
    pillars = [s for s in (_subject(q, "pillar", p, lang, pid) for p in q.pillars) if s.latest]
    mids = [s for s in (_subject(q, "main_index", m, lang, pid) for m in q.main_indices) if s.latest]
    return ProvinceView(
        pid,
        text(pr, "name", lang) or pid,
        text(pr, "region", lang),
        score_rows(q, "total", "dti", "province", pid),
        pillars,
        mids,
    )


def methodology(ctx) -> list[FrameworkRow]:
    q, lang = ctx.q, ctx.lang
    return [
        FrameworkRow(
            text(m, "name", lang) or m["main_index_id"],
            str(m["group"]),
            float(m["max_points"]),
            [text(p, "name", lang) or p["pillar_id"] for p in q.pillars_of(m["main_index_id"])],
        )
        for m in q.main_indices
    ]


def methodology_facts(pkg, lang: str, cat) -> dict[str, str]:
    """Figures the hand-written methodology prose quotes, from the package, escaped (the prose is Markdown)."""
    mis = pkg.t("main_index").sort_values("sort_order").to_dict("records")

    def names(group: str) -> str:
        parts = [
            cat.get(
                lang,
                "methodology.index_points",
                name=text(m, "name", lang) or m["main_index_id"],
                points=number(m["max_points"], lang),
            )
            for m in mis
            if m["group"] == group
        ]
        return "; ".join(parts)

    score = pkg.t("dti_observation")
    score = score[score["metric"] == "score"]["as_written"].dropna()
    pillars = pkg.t("pillar").sort_values("sort_order").to_dict("records")
    facts = {
        "source_count": len(pkg.t("source")),
        "source_documents": cat.get(lang, "methodology.source_documents", n=len(pkg.t("source"))),
        "example_as_written": score.iloc[0] if len(score) else "",
        "main_index_count": len(mis),
        "foundation_count": sum(1 for m in mis if m["group"] == "foundation"),
        "activity_count": sum(1 for m in mis if m["group"] == "activity"),
        "foundation": names("foundation"),
        "activity": names("activity"),
        "total_max": number(sum(float(m["max_points"]) for m in mis), lang),
        "pillar_count": len(pillars),
        "pillars": ", ".join(text(p, "name", lang) or p["pillar_id"] for p in pillars),
    }
    return {k: str(esc(v)) for k, v in facts.items()}


__all__ = ["Link", "home", "pillar", "main_index", "province", "methodology", "methodology_facts"]
