"""Views of the tabular pages: KPI rows, tasks, plan, budget, districts, glossary and sources."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.compute.scores import canonical_observations
from minhbach.site.views.base import Ref, clean, record, ref, text


@dataclass(frozen=True)
class Observation:
    period: str
    value: float | None
    unit: str
    as_written: str | None
    numerator: float | None
    denominator: float | None
    qualifier: str | None
    ref: Ref | None
    refs: tuple[Ref, ...] = ()  # every passage that prints this value (shown once)
    ids: tuple[str, ...] = ()  # their observation ids, for finding marks
    no_basis: bool = False  # the document itself says the figure is no basis for assessment


@dataclass(frozen=True)
class Target:
    target_year: int | None
    comparator: str | None
    value: float | None
    as_written: str | None
    unit: str
    text: str | None
    status: str | None
    interim: bool
    ref: Ref | None
    refs: tuple[Ref, ...] = ()  # every document stating this one target
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class KpiRow:
    kpi_id: str
    name: str
    unit: str
    observations: list[Observation]
    targets: list[Target]


@dataclass(frozen=True)
class TaskRow:
    number: int | None
    name: str
    lead: str
    partners: str
    status: str | None
    timeline_as_written: str | None
    start_year: int | None
    end_year: int | None
    recurring: bool
    funding: str | None
    ref: Ref | None


def _distinct(refs) -> tuple[Ref, ...]:
    """One reference per document (the first section cited in it)."""
    seen: dict[str, Ref] = {}
    for r in refs:
        if r is not None and r.source_id not in seen:
            seen[r.source_id] = r
    return tuple(seen.values())


def observation(o: dict, unit: str) -> Observation:
    """One value; printed in several passages, it is one observation with every source (its ids for marks)."""
    sources = o.get("sources") or [(o.get("source_id"), o.get("section"), o.get("observation_id"))]
    o = record({k: v for k, v in o.items() if k != "sources"})
    refs = _distinct(ref(s, sec) for s, sec, _ in sources)
    ids = tuple(str(i) for _, _, i in sources if clean(i))
    return Observation(
        str(o["period"]),
        o.get("value"),
        unit,
        o.get("as_written"),
        o.get("numerator"),
        o.get("denominator"),
        o.get("qualifier"),
        ref(o.get("source_id"), o.get("section")),
        refs,
        ids,
        o.get("no_basis") in (True,),
    )


def target(t: dict, unit: str, lang: str) -> Target:
    """One distinct target, with every document that states it."""
    t = record(t)
    pairs = [(t.get("target_source_id"), t.get("target_section"))]
    if t.get("other_source_ids"):
        others = zip(str(t["other_source_ids"]).split(), str(t.get("other_sections") or "").split(" | "), strict=False)
        pairs += list(others)
    ids = [str(t["target_id"])] + (str(t["other_target_ids"]).split() if t.get("other_target_ids") else [])
    return Target(
        t.get("target_year"),
        t.get("comparator"),
        t.get("target_value"),
        t.get("target_as_written"),
        unit,
        text(t, "text", lang),
        t.get("status"),
        bool(t.get("interim")),
        ref(t.get("target_source_id"), t.get("target_section")),
        _distinct(ref(a, b) for a, b in pairs),
        tuple(ids),
    )


def kpi_rows(q, lang: str, kpis: list[dict]) -> list[KpiRow]:
    """KPIs with at least one value or target (a KPI with neither has nothing to show)."""
    out = []
    for k in kpis:
        if not k["observations"] and not k["targets"]:
            continue
        unit = str(k["unit"])
        out.append(
            KpiRow(
                k["kpi_id"],
                text(k, "name", lang) or k["kpi_id"],
                unit,
                [observation(o, unit) for o in k["observations"]],
                [target(t, unit, lang) for t in k["targets"]],
            )
        )
    return out


def task_rows(q, lang: str, tasks: list[dict]) -> list[TaskRow]:
    out = []
    for t in tasks:
        t = record(t)
        out.append(
            TaskRow(
                number=t.get("number"),
                name=text(t, "name", lang) or "",
                lead=q.org_names(q.task_orgs(t["task_id"], "lead"), lang),
                partners=q.org_names(q.task_orgs(t["task_id"], "partner"), lang),
                status=t.get("status"),
                timeline_as_written=t.get("timeline_as_written"),
                start_year=t.get("start_year"),
                end_year=t.get("end_year"),
                recurring=str(t.get("recurring")).lower() == "true",
                funding=text(t, "funding", lang),
                ref=ref(t.get("source_id"), t.get("section")),
            )
        )
    return out


# ------------------------------------------------------------------ plan


@dataclass(frozen=True)
class TaskGroup:
    code: str | None
    name: str
    top_level: bool
    has_children: bool
    tasks: list[TaskRow]
    ref: Ref | None


@dataclass(frozen=True)
class PlanView:
    plan_id: str
    name: str
    ref: Ref | None
    groups: list[TaskGroup]


def plan(ctx) -> list[PlanView]:
    q, lang, pkg = ctx.q, ctx.lang, ctx.pkg
    if not {"task_group", "task", "plan"} <= set(pkg.tables):
        return []
    tg = pkg.t("task_group").sort_values("sort_order")
    tasks = pkg.t("task").sort_values("number")
    out = []
    for p in pkg.t("plan").to_dict("records"):
        g = tg[tg["plan_id"] == p["plan_id"]]
        groups = []
        for r in g.to_dict("records"):
            r = record(r)
            rows = tasks[tasks["task_group_id"] == r["task_group_id"]].to_dict("records")
            groups.append(
                TaskGroup(
                    r.get("code_as_written"),
                    text(r, "name", lang) or "",
                    not r.get("parent_id"),
                    bool((g["parent_id"] == r["task_group_id"]).any()),
                    task_rows(q, lang, rows),
                    ref(r.get("source_id"), r.get("section")),
                )
            )
        if groups:
            out.append(
                PlanView(
                    p["plan_id"],
                    text(p, "name", lang) or p["plan_id"],
                    ref(p.get("source_id"), p.get("section")),
                    groups,
                )
            )
    return out


# ------------------------------------------------------------------ budget


@dataclass(frozen=True)
class BudgetLine:
    budget_item_id: str
    line_no: int | None
    name: str
    organisation: str | None
    category: str | None
    amount: float | None
    as_written: str | None
    ref: Ref | None
    misprinted: bool = False  # the value is the document's meaning, with a reading note (not its digits)


@dataclass(frozen=True)
class BudgetTable:
    budget_table_id: str
    name: str
    unit: str
    items: list[BudgetLine]
    totals: list[BudgetLine]
    items_sum: float


def budget(ctx) -> list[BudgetTable]:
    q, lang, pkg = ctx.q, ctx.lang, ctx.pkg
    if "budget_table" not in pkg.tables or "budget_item" not in pkg.tables:
        return []
    items = pkg.t("budget_item")
    out = []
    for t in pkg.t("budget_table").to_dict("records"):
        g = items[items["budget_table_id"] == t["budget_table_id"]]

        def line(i: dict) -> BudgetLine:
            i = record(i)
            org = i.get("organisation_id")
            return BudgetLine(
                str(i["budget_item_id"]),
                i.get("line_no"),
                text(i, "name", lang) or "",
                q.org_names([org], lang) if org else None,
                i.get("category"),
                i.get("amount"),
                i.get("as_written"),
                ref(i.get("source_id"), i.get("section")),
                bool(i.get("reading_note_vi") or i.get("reading_note_en")),
            )

        lines = [line(i) for i in g[g["row_type"] == "item"].sort_values("line_no").to_dict("records")]
        totals = [line(i) for i in g[g["row_type"] == "stated_total"].to_dict("records")]
        out.append(
            BudgetTable(
                t["budget_table_id"],
                text(t, "name", lang) or t["budget_table_id"],
                str(t["unit"]),
                lines,
                totals,
                float(sum(x.amount or 0 for x in lines)),
            )
        )
    return out


# ------------------------------------------------------------------ reference pages


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    expansion_vi: str | None
    expansion_en: str | None
    abbreviation_en: str | None


def glossary(ctx) -> list[GlossaryTerm]:
    rows = ctx.pkg.t("glossary").sort_values("term").to_dict("records")
    return [
        GlossaryTerm(
            str(g["term"]), clean(g.get("expansion_vi")), clean(g.get("expansion_en")), clean(g.get("abbreviation_en"))
        )
        for g in rows
    ]


@dataclass(frozen=True)
class SourceView:
    source_id: str
    title: str
    issuer: str | None
    issued: str | None
    document_type: str | None
    note: str | None
    usage: list[tuple[str, int]]  # (resource name, rows citing it)


def _source(q, lang: str, s: dict, usage: bool) -> SourceView:
    s = record(s)
    used = [(name, n) for name, _res, n in q.source_usage(s["source_id"])] if usage else []
    return SourceView(
        s["source_id"],
        text(s, "title", lang) or s["source_id"],
        text(s, "issuer", lang),
        s.get("issued"),
        s.get("document_type"),
        text(s, "note", lang),
        used,
    )


def sources(ctx) -> list[SourceView]:
    return [_source(ctx.q, ctx.lang, s, False) for s in ctx.pkg.t("source").to_dict("records")]


def source(ctx) -> SourceView:
    return _source(ctx.q, ctx.lang, ctx.row, True)


# ------------------------------------------------------------------ districts


@dataclass(frozen=True)
class DistrictCell:
    value: float | None
    as_written: str | None


@dataclass(frozen=True)
class DistrictMatrix:
    """The publisher's districts × (KPI, period), with the sum of the districts and the stated total."""

    count: int
    columns: list[tuple[str, str]]  # (KPI name, period)
    rows: list[tuple[str, list[DistrictCell | None]]]
    sums: list[float | None]
    stated: list[float | None]


def districts(ctx) -> DistrictMatrix:
    pkg, q, lang = ctx.pkg, ctx.q, ctx.lang
    pid = q.province["province_id"]
    dist = pkg.t("district")
    dist = dist[dist["province_id"] == pid].sort_values("sort_order")
    if "kpi_observation" not in pkg.tables:
        return DistrictMatrix(
            len(dist), [], [(text(r, "name", lang) or "", []) for r in dist.to_dict("records")], [], []
        )
    obs = canonical_observations(pkg)
    obs = obs[obs["province_id"] == pid]
    d = obs[obs["district_id"].notna()]
    keys = sorted({(k, p) for k, p in zip(d["kpi_id"], d["period"], strict=True)})
    cell: dict = {}
    for r in d.to_dict("records"):
        cell.setdefault((r["district_id"], r["kpi_id"], r["period"]), record(r))
    stated: dict = {}
    for r in obs[obs["district_id"].isna()].to_dict("records"):
        stated.setdefault((r["kpi_id"], r["period"]), record(r))
    kpi = q.kpi
    columns = [(str(kpi.loc[k, f"name_{lang}"]) if k in kpi.index else k, str(p)) for k, p in keys]
    rows = []
    for r in dist.to_dict("records"):
        cells: list[DistrictCell | None] = []
        for k, p in keys:
            m = cell.get((r["district_id"], k, p))
            cells.append(None if m is None else DistrictCell(m.get("value"), m.get("as_written")))
        rows.append((text(r, "name", lang) or r["district_id"], cells))
    sums = d.dropna(subset=["value"]).groupby(["kpi_id", "period"])["value"].sum()
    return DistrictMatrix(
        len(dist),
        columns,
        rows,
        [float(sums[(k, p)]) if (k, p) in sums.index else None for k, p in keys],
        [(stated[(k, p)].get("value") if (k, p) in stated else None) for k, p in keys],
    )
