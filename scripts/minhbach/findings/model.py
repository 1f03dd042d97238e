"""Findings: every place where the documents disagree, as structured records (kind + parameters).

A finding is one underlying problem: it lists every affected row (`Fact`), says how serious it is
(`major`/`minor`), which value the site displays and why. No words live here: pages render the
sentence of each kind from `site_src/strings/<lang>/findings.yml`, filled with the parameters.
The checks themselves are in `checks.py`; this module holds the model, run.py the assembly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from minhbach.numbers import half_ulp, parse_vi

# Page order of the kinds (the data-quality page groups findings by kind in this order).
KINDS = [
    "misprint",
    "recomputation",
    "change",
    "ratio",
    "combined_range",
    "denominator",
    "period_shift",
    "cross_source",
    "target_conflict",
    "count_listed",
    "rank_change",
    "budget_total",
    "district_total",
    "sub_indicator_count",
    "several_names",
    "plain_mean",
]

COLUMNS = [
    "finding_id",
    "kind",
    "severity",
    "variant",
    "subject_type",
    "subject_id",
    "period",
    "value_a",
    "as_written_a",
    "source_a",
    "section_a",
    "value_b",
    "as_written_b",
    "source_b",
    "section_b",
    "difference",
    "tolerance",
    "displayed",
    "supported",
    "supported_reason",
    "facts",
    "params",
]

FACT_COLUMNS = ["finding_id", "role", "table", "row_id", "period", "value", "as_written", "source_id", "section"]


@dataclass
class Fact:
    """One affected row: which table and id, its value and printed text, where it is printed."""

    role: str
    table: str
    row_id: str | None
    value: float | None
    as_written: str | None = None
    source_id: str | None = None
    section: str | None = None
    period: str | None = None


@dataclass
class Finding:
    kind: str
    subject_type: str
    subject_id: str
    period: str | None
    facts: list[Fact]
    expected: float | None = None
    difference: float | None = None
    tolerance: float | None = None
    severity: str = "major"
    variant: str = ""
    displayed: str = "reported"
    params: dict = field(default_factory=dict)
    supported: str = "unknown"  # which side the documents support (sides.py): a, b, both or unknown
    supported_reason: str = ""

    def slug(self) -> str:
        """A stable anchor: kind, subject, period (and variant), so links survive unrelated data changes."""
        text = "-".join(x for x in (self.kind, self.subject_id, self.period or "", self.variant) if x)
        return "f-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def fact(role: str, table: str, row: dict, id_col: str, value_col: str = "value", period_col: str | None = None):
    v = row.get(value_col)
    return Fact(
        role=role,
        table=table,
        row_id=None if _na(row.get(id_col)) else str(row[id_col]),
        value=None if v is None or _na(v) else float(v),
        as_written=None if _na(row.get("as_written")) else str(row["as_written"]),
        source_id=None if _na(row.get("source_id")) else str(row["source_id"]),
        section=None if _na(row.get("section")) else str(row["section"]),
        period=None if _na(row.get(period_col or "period")) else str(row[period_col or "period"]),
    )


def _na(v) -> bool:
    return v is None or (not isinstance(v, (str, list, dict)) and pd.isna(v))


def d(x) -> Decimal:
    return Decimal(repr(float(x)))


def tol_of(*texts) -> Decimal:
    """Half a unit of the last printed digit of every printed input: what rounding alone can explain."""
    return sum((half_ulp(str(t)) for t in texts if isinstance(t, str) and parse_vi(t) is not None), Decimal(0))


def severity(reported: float, expected: float, printed: str | None) -> str:
    """Minor when the gap is within one unit of the last printed digit (truncated instead of rounded)
    or under 1 % of the expected value; major otherwise."""
    gap = abs(d(reported) - d(expected))
    unit = 2 * half_ulp(printed) if printed and parse_vi(printed) is not None else Decimal(0)
    if gap <= unit or (expected and gap / abs(d(expected)) <= Decimal("0.01")):
        return "minor"
    return "major"


def index(facts: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(table, row id) → the findings that row is part of: how pages mark an affected number."""
    out: dict[tuple[str, str], list[str]] = {}
    for r in [] if facts.empty else facts.to_dict("records"):
        if isinstance(r["row_id"], str):
            ids = out.setdefault((r["table"], r["row_id"]), [])
            if r["finding_id"] not in ids:
                ids.append(r["finding_id"])
    return out
