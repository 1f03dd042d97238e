"""The money line of the home brief and the one unit of the budget page.

Amounts are kept in the unit their table states (`vnd`, `million_vnd`, `billion_vnd`); a page shows every amount in
one unit chosen from the magnitude of its largest amount, so a reader never compares dong with ty dong.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from minhbach import fmt
from minhbach.escape import esc
from minhbach.site.views.base import Ref, record, ref
from minhbach.site.views.tables import BudgetLine, BudgetTable, budget

SCALE = fmt.MONEY_SCALE


def in_vnd(amount: float | None, unit: str) -> float | None:
    if amount is None or unit not in SCALE:
        return None
    return float(amount) * SCALE[unit]


def display_unit(tables: list[BudgetTable]) -> str:
    """One unit for a page: billions of dong when any amount reaches a billion, else millions, else dong."""
    largest = max(
        (abs(v) for t in tables for i in t.items + t.totals if (v := in_vnd(i.amount, t.unit)) is not None),
        default=0.0,
    )
    return fmt.money_unit(largest)


def convert(amount: float | None, unit: str, to: str) -> float | None:
    v = in_vnd(amount, unit)
    if v is None:
        return None
    return round(v / SCALE[to], 6)


@dataclass(frozen=True)
class MoneyBrief:
    """The largest itemised budget table: its stated total (else the sum of its items) and its three largest items,
    in `unit`."""

    name: str
    year: int | None
    unit: str
    total: float
    total_line: BudgetLine | None  # the stated total line (its source); None when the total is the items' sum
    largest: list[tuple[BudgetLine, float]]
    budget_table_id: str
    decimals: int = 0  # one number of decimals for every amount shown (the most any of them needs, at most 3)


def money(tables: list[BudgetTable]) -> MoneyBrief | None:
    """None when no table has items or none has a known unit (the line is then left out of the brief)."""
    best: tuple[float, BudgetTable, BudgetLine | None] | None = None
    for t in tables:
        if not t.items or t.unit not in SCALE:
            continue
        stated = next((x for x in t.totals if x.amount is not None), None)
        total = stated.amount if stated is not None else t.items_sum
        vnd = in_vnd(total, t.unit) or 0.0
        if best is None or vnd > best[0]:
            best = (vnd, t, stated)
    if best is None:
        return None
    vnd, t, stated = best
    unit = display_unit([t])
    items = sorted((i for i in t.items if i.amount is not None), key=lambda i: (-float(i.amount or 0), i.line_no or 0))
    total = convert(vnd, "vnd", unit) or 0.0
    largest = [(i, convert(i.amount, t.unit, unit) or 0.0) for i in items[:3]]
    return MoneyBrief(
        t.name, t.year, unit, total, stated, largest, t.budget_table_id, decimals([total] + [a for _, a in largest])
    )


def decimals(values: list[float]) -> int:
    """The decimals that show every value exactly, at most 3 (22.638 and 3.0 → 3: 22,638 and 3,000)."""
    need = 0
    for v in values:
        for d in range(4):
            if abs(round(v, d) - v) < 1e-9:
                need = max(need, d)
                break
        else:
            need = 3
    return need


def sentence(h, path: str, /, **kw) -> Markup:
    """A catalogue sentence whose placeholders may hold markup (links, source marks): the sentence's own text is
    escaped, each value is escaped unless it is already Markup (built by the site's escaping helpers)."""
    values = list(kw.values())
    marks = {k: v if _number(v) else f"\x00{i}\x00" for i, (k, v) in enumerate(kw.items())}
    out = str(esc(h.t(path, **marks)))
    for i, v in enumerate(values):
        out = out.replace(f"\x00{i}\x00", str(esc(v)))
    return Markup(out)


def _number(v) -> bool:
    """A plain number stays a number (the catalogue picks a plural form by it); anything else is a placeholder."""
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass(frozen=True)
class RankMove:
    """The overall rank against the previous year ranked out of the same number of provinces, from the rank the
    documents print for that year (a year with a rank but no score has no computed change)."""

    change: int  # positive: up
    from_year: int
    from_rank: int
    from_n: int
    ref: Ref | None


def rank_move(pkg, province_id: str, year: int, rank: int | None, out_of: int | None) -> RankMove | None:
    if rank is None or out_of is None or "dti_observation" not in pkg.tables:
        return None
    obs = pkg.t("dti_observation")
    d = obs[
        (obs["metric"] == "rank")
        & (obs["statistic"] == "province")
        & (obs["rank_scope"] == "national")
        & (obs["province_id"] == province_id)
        & (obs["year"] < year)
        & obs["pillar_id"].isna()
        & obs["main_index_id"].isna()
    ]
    if d.empty:
        return None
    prev = record(d.sort_values(["year", "observation_id"]).iloc[-1].to_dict())
    if prev.get("out_of") is None or int(prev["out_of"]) != int(out_of) or prev.get("value") is None:
        return None
    from_rank = int(prev["value"])
    where = ref(prev.get("source_id"), prev.get("section"))
    return RankMove(from_rank - int(rank), int(prev["year"]), from_rank, int(out_of), where)


# ------------------------------------------------------------------ the budget page


@dataclass(frozen=True)
class BudgetRow:
    line: BudgetLine
    shown: float | None  # the amount in the page's unit
    printed_differs: bool  # the document's text says more than the number (or is read as another): shown beside it


@dataclass(frozen=True)
class BudgetSection:
    table: BudgetTable
    items: list[BudgetRow]
    totals: list[BudgetRow]
    items_sum: float | None  # in the page's unit
    printed: bool  # some row's printed text differs from its reading (the "as written" column is shown)
    decimals: int = 0  # one number of decimals for the table's amounts


@dataclass(frozen=True)
class BudgetPage:
    sections: list[BudgetSection]
    unit: str
    decimals: int
    headline: MoneyBrief | None


def _differs(line: BudgetLine, cat) -> bool:
    """True when the printed text is not simply the number as the document's own format writes it."""
    if not line.as_written:
        return False
    if line.misprinted or line.amount is None:
        return True
    return fmt.number(line.amount, cat.default_lang, as_written=line.as_written, cat=cat) != line.as_written.strip()


def budget_page(ctx) -> BudgetPage:

    tables = budget(ctx)
    unit = display_unit(tables)

    def row(line: BudgetLine, t: BudgetTable) -> BudgetRow:
        return BudgetRow(line, convert(line.amount, t.unit, unit), _differs(line, ctx.cat))

    sections = []
    for t in tables:
        items, totals = [row(i, t) for i in t.items], [row(i, t) for i in t.totals]
        sections.append(
            BudgetSection(
                t,
                items,
                totals,
                convert(t.items_sum, t.unit, unit) if t.items else None,
                any(r.printed_differs for r in items + totals),
                decimals([r.shown for r in items + totals if r.shown is not None]),
            )
        )
    head = money(tables)
    if head is not None and head.unit != unit:
        head = MoneyBrief(
            head.name,
            head.year,
            unit,
            convert(head.total, head.unit, unit) or 0.0,
            head.total_line,
            [(i, convert(a, head.unit, unit) or 0.0) for i, a in head.largest],
            head.budget_table_id,
            head.decimals,
        )
    return BudgetPage(sections, unit, head.decimals if head else 0, head)
