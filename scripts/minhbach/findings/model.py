"""Findings: every place where the documents disagree, as structured records (kind + parameters).

A finding is one underlying problem: it lists every affected row (`Fact`), says how serious it is
(`major`/`minor`), which value the site displays and why. No words live here: pages render the
sentence of each kind from `site_src/strings/<lang>/findings.yml`, filled with the parameters.
The checks themselves are in `checks.py`; this module holds the model and the assembly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from minhbach.errors import Failed, Issue
from minhbach.load.package import Package
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


# ------------------------------------------------------------------ assembly


def build(pkg: Package, rec: pd.DataFrame, chg: pd.DataFrame, bud: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All findings (one row each) and their affected facts (one row per fact), ids in page order."""
    from minhbach.findings import checks, sides

    if sides.missing_rules():
        raise Failed(sides.missing_rules())  # a kind without a side rule would publish no side: refuse it by name
    found = checks.run_all(pkg, rec, chg, bud)
    unregistered = sorted({f.kind for f in found} - set(KINDS))
    if unregistered:
        # a kind missing from KINDS would be counted and never shown: refuse it by name instead
        raise Failed(
            [
                Issue(
                    "finding-kind-unregistered",
                    f"finding kind '{k}' is produced but not in findings.KINDS",
                    expected=", ".join(KINDS),
                )
                for k in unregistered
            ]
        )
    sides.judge(pkg, found)
    order = {k: i for i, k in enumerate(KINDS)}
    found.sort(key=lambda f: (order.get(f.kind, 99), f.severity != "major", f.slug()))
    seen: dict[str, int] = {}
    rows, facts = [], []
    for f in found:
        fid = f.slug()
        seen[fid] = seen.get(fid, 0) + 1
        if seen[fid] > 1:
            fid = f"{fid}-{seen[fid]}"
        a = f.facts[0]
        b = f.facts[1] if len(f.facts) > 1 and f.expected is None else None
        rows.append(
            {
                "finding_id": fid,
                "kind": f.kind,
                "severity": f.severity,
                "variant": f.variant,
                "subject_type": f.subject_type,
                "subject_id": f.subject_id,
                "period": f.period,
                "value_a": a.value,
                "as_written_a": a.as_written,
                "source_a": a.source_id,
                "section_a": a.section,
                "value_b": b.value if b else f.expected,
                "as_written_b": b.as_written if b else None,
                "source_b": b.source_id if b else None,
                "section_b": b.section if b else None,
                "difference": f.difference,
                "tolerance": f.tolerance,
                "displayed": f.displayed,
                "supported": f.supported,
                "supported_reason": f.supported_reason,
                "facts": len(f.facts),
                "params": json.dumps(f.params, ensure_ascii=False, sort_keys=True, default=str),
            }
        )
        for x in f.facts:
            facts.append({"finding_id": fid, **x.__dict__})
    df = pd.DataFrame(rows, columns=COLUMNS)
    fx = pd.DataFrame(facts, columns=FACT_COLUMNS)
    return df, fx


def index(facts: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(table, row id) → the findings that row is part of: how pages mark an affected number."""
    out: dict[tuple[str, str], list[str]] = {}
    for r in [] if facts.empty else facts.to_dict("records"):
        if isinstance(r["row_id"], str):
            ids = out.setdefault((r["table"], r["row_id"]), [])
            if r["finding_id"] not in ids:
                ids.append(r["finding_id"])
    return out


def missing_words(cat) -> list[Issue]:
    """Every registered kind needs its heading and its sentence in every language, checked when the build starts
    (a kind without words would otherwise fail, or show a key, only once a document produced it)."""
    from minhbach.findings.sides import missing_words as side_words

    out = side_words(cat)
    for lang in cat.langs:
        for kind in KINDS:
            for key in (f"quality.kinds.{kind}", f"quality.sentence.{kind}"):
                if not cat.has(lang, key):
                    out.append(
                        Issue(
                            "strings",
                            f"finding kind '{kind}' has no words: '{key}' is missing in the {lang} catalogue",
                            column=key,
                        )
                    )
    return out
