"""The finding kinds: each declared once, here, with everything the build needs to know about it.

A `Kind` names the kind, the checks that produce it, the rule saying which side the documents support (sides.py)
and the sentences of its own (a variant's or a rule's wording). Its place in `REGISTRY` is its place on the
data-quality page. Everything else derives from this list: the page order (`KINDS`), the side rules (`RULES`), the
words every kind needs (`Kind.words`, checked when the build starts), the data-quality page's groups and the tests.
A check is a function of the build's `Inputs` returning `Finding`s; one check may produce several kinds and runs
once. Adding a kind: a check, one `Kind(...)` below, and its words in both `site_src/strings/*/findings.yml`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from minhbach.findings import checks, checks_kpi, checks_names, sides
from minhbach.findings.model import Finding
from minhbach.load.package import Package


@dataclass
class Inputs:
    """What the checks read: the package and the computed tables, with the intermediate results checks share."""

    pkg: Package
    rec: pd.DataFrame
    chg: pd.DataFrame
    bud: pd.DataFrame

    @cached_property
    def obs(self) -> pd.DataFrame:
        obs = self.pkg.t("kpi_observation")
        return obs[obs["value"].notna()]

    @cached_property
    def shifts(self) -> list[Finding]:
        return checks_kpi.period_shift(self.obs)


Check = Callable[[Inputs], list[Finding]]


@dataclass(frozen=True)
class Kind:
    """One finding kind. `variants`: the variants with a sentence of their own (`quality.sentence.<name>_<variant>`);
    `wordings`: the sentences its side rule may choose instead (`params["wording"]`, same key shape)."""

    name: str
    checks: tuple[Check, ...]
    side: sides.Rule | None
    variants: tuple[str, ...] = ()
    wordings: tuple[str, ...] = ()

    def words(self) -> list[str]:
        """The catalogue keys this kind needs in every language."""
        own = [f"quality.kinds.{self.name}", f"quality.sentence.{self.name}"]
        return own + [f"quality.sentence.{self.name}_{x}" for x in (*self.variants, *self.wordings)]


# ------------------------------------------------------------------ the checks, as functions of the inputs


def misprints(i: Inputs) -> list[Finding]:
    return checks.misprints(i.pkg)


def recomputation(i: Inputs) -> list[Finding]:
    return checks.recomputation(i.rec)


def rank_change(i: Inputs) -> list[Finding]:
    return checks.rank_change(i.pkg, i.chg)


def budget_total(i: Inputs) -> list[Finding]:
    return checks.budget_total(i.pkg, i.bud)


def sub_indicator_count(i: Inputs) -> list[Finding]:
    return checks.sub_indicator_count(i.pkg)


def dti_cross_source(i: Inputs) -> list[Finding]:
    return checks.dti_cross_source(i.pkg)


def context(i: Inputs) -> list[Finding]:
    return checks.context(i.pkg)


def period_shift(i: Inputs) -> list[Finding]:
    return i.shifts


def kpi_cross_source(i: Inputs) -> list[Finding]:
    explained = {(f.subject_id, f.params["district_id"], f.period): set(f.params["values"]) for f in i.shifts}
    return checks_kpi.cross_source(i.pkg, i.obs, explained)


def ratio(i: Inputs) -> list[Finding]:
    return checks_kpi.ratio(i.pkg, i.obs)


def denominator(i: Inputs) -> list[Finding]:
    return checks_kpi.denominator(i.obs)


def district_total(i: Inputs) -> list[Finding]:
    return checks_kpi.district_total(i.obs)


def change(i: Inputs) -> list[Finding]:
    return checks_kpi.change(i.pkg, i.obs)


def combined_range(i: Inputs) -> list[Finding]:
    return checks_kpi.combined_range(i.pkg, i.obs)


def target_conflict(i: Inputs) -> list[Finding]:
    return checks_kpi.target_conflict(i.pkg)


def several_names(i: Inputs) -> list[Finding]:
    return checks_names.several_names(i.pkg, i.obs)


def plain_mean(i: Inputs) -> list[Finding]:
    return checks_names.plain_mean(i.pkg, i.obs)


# ------------------------------------------------------------------ the registry, in page order

REGISTRY: list[Kind] = [
    Kind("misprint", (misprints,), sides.misprint),
    Kind("recomputation", (recomputation,), sides.parts, variants=("national_mean",)),
    Kind("change", (change, context), sides.change, variants=("growth", "growth_printed")),
    Kind("ratio", (ratio,), sides.ratio, variants=("scale",), wordings=("truncation",)),
    Kind("combined_range", (combined_range,), sides.combined),
    Kind("denominator", (denominator, context), sides.denominator, wordings=("typo",)),
    Kind("period_shift", (period_shift,), sides.period_shift, wordings=("table_swap", "table_swap_text", "months")),
    Kind(
        "cross_source",
        (dti_cross_source, kpi_cross_source),
        sides.cross_source,
        wordings=("explained", "truncation"),
    ),
    Kind("target_conflict", (target_conflict,), sides.target, wordings=("met_either", "missed_either")),
    Kind("count_listed", (context,), sides.listed),
    Kind("rank_change", (rank_change,), sides.rank),
    Kind("budget_total", (budget_total,), sides.budget, wordings=("narrative",)),
    Kind("district_total", (district_total,), sides.parts),
    Kind("sub_indicator_count", (sub_indicator_count,), sides.sub_count, variants=("listed",)),
    Kind("several_names", (several_names,), sides.several_names),
    Kind("plain_mean", (plain_mean,), sides.plain_mean),
]


def names() -> list[str]:
    """The kinds in page order."""
    return [k.name for k in REGISTRY]


def by_name() -> dict[str, Kind]:
    return {k.name: k for k in REGISTRY}


def rules() -> dict[str, sides.Rule]:
    """kind → its side rule (the kinds without one are refused by `run.build`)."""
    return {k.name: k.side for k in REGISTRY if k.side is not None}


def all_checks() -> list[Check]:
    """Every registered check once, in the order of the first kind that names it."""
    out: list[Check] = []
    for k in REGISTRY:
        out += [c for c in k.checks if c not in out]
    return out
