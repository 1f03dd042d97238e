"""Which side the documents support: one rule per finding kind, decided from the documents' own figures.

Every finding gets `supported` (`a`: the first passage, `b`: the second passage or the recomputation, `both`:
the two agree once explained, `unknown`: nothing in the documents shows which is right) and a reason code, worded
on the page from `quality.side.<reason>`. A rule may also lower the severity by rule (truncation, an explanation
the document gives itself) and choose a sentence (`params["wording"]`: `quality.sentence.<kind>_<wording>`).
Explanations come from data (a KPI's `sum_of` parts, the rows of the same document), never from a province's ids.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from minhbach.findings.model import Finding, d
from minhbach.load.package import Package
from minhbach.numbers import half_ulp, parse_vi

SIDES = ("a", "b", "both", "unknown")
REASONS = (
    "reading_note",
    "total_vs_parts",
    "growth",
    "change_vs_values",
    "scale_slip",
    "truncation",
    "share_vs_counts",
    "outside_parts",
    "typo_one_passage",
    "typo_unknown",
    "no_working",
    "own_text_same_year",
    "both_years_listed",
    "part_under_total_name",
    "total_under_part_name",
    "ratio_printed",
    "met_either",
    "missed_either",
    "plan_states_own",
    "rows_listed",
    "ranks_printed",
    "table_total_agrees",
    "names_unexplained",
    "counts_pooled",
)
Rule = Callable[[Package, Finding], tuple[str, str]]


def _unit_gap(a, b, *printed) -> bool:
    """The gap is within one unit of the last printed digit of the less precise figure (truncation, rounding)."""
    units = [2 * half_ulp(str(t)) for t in printed if isinstance(t, str) and parse_vi(t) is not None]
    return bool(units) and abs(d(a) - d(b)) <= max(units)


def misprint(pkg: Package, f: Finding) -> tuple[str, str]:
    return "a", "reading_note"


def parts(pkg: Package, f: Finding) -> tuple[str, str]:
    return "unknown", "total_vs_parts"


def change(pkg: Package, f: Finding) -> tuple[str, str]:
    return ("both", "growth") if f.variant == "growth" else ("b", "change_vs_values")


def ratio(pkg: Package, f: Finding) -> tuple[str, str]:
    a = f.facts[0]
    if f.variant == "scale":
        return "b", "scale_slip"
    if f.expected is not None and a.value is not None and _unit_gap(a.value, f.expected, a.as_written):
        f.severity, f.params["wording"] = "minor", "truncation"
        return "both", "truncation"
    return "unknown", "share_vs_counts"


def combined(pkg: Package, f: Finding) -> tuple[str, str]:
    return "unknown", "outside_parts"


def denominator(pkg: Package, f: Finding) -> tuple[str, str]:
    """Totals that are the same digits in another order, in one passage of one document: a typo, not a dispute.
    The side supported is the one whose total the package's other rows confirm (the DTI ranks are out of it)."""
    dens = [float(x) for x in f.params.get("denominators") or []]
    passages = {(x.source_id, x.section) for x in f.facts}
    digits = {"".join(sorted(str(int(x)).zfill(2))) for x in dens if x.is_integer()}
    if len(passages) != 1 or len(dens) != 2 or len(digits) != 1:
        return "unknown", "no_working"
    f.severity, f.params["wording"] = "minor", "typo"
    dti = pkg.tables.get("dti_observation")
    known = set() if dti is None else {float(x) for x in dti["out_of"].dropna()}
    right = [x for x in dens if x in known]
    if f.subject_type == "out_of_what" and len(right) == 1:
        f.params["total"], f.params["typo"] = right[0], next(x for x in dens if x != right[0])
        return _side_of(f, lambda x: _den_of(pkg, x) == right[0]), "typo_one_passage"
    f.params["total"], f.params["typo"] = max(dens), min(dens)
    return "unknown", "typo_unknown"


def _den_of(pkg: Package, x) -> float | None:
    """The total a fact is stated out of (a context figure's `out_of`, an observation's `denominator`)."""
    for name, idc, col in (
        ("context_figure", "figure_id", "out_of"),
        ("kpi_observation", "observation_id", "denominator"),
    ):
        t = pkg.tables.get(name)
        row = None if t is None else t[t[idc] == x.row_id]
        if row is not None and not row.empty and not pd.isna(row.iloc[0][col]):
            return float(row.iloc[0][col])
    return None


def period_shift(pkg: Package, f: Finding) -> tuple[str, str]:
    """The other document's own text gives the figure for (part of) the same year: its table has the years swapped."""
    shifted = f.facts[0]
    other = next((x for x in f.facts if x.role == "same_value"), None)
    if other is None or shifted.value is None or not f.period:
        return "b", "both_years_listed"
    obs = pkg.t("kpi_observation")
    own = obs[
        (obs["kpi_id"] == f.subject_id)
        & (obs["source_id"] == other.source_id)
        & obs["period"].astype(str).str.startswith(f.period + "-")
        & (obs["value"] == shifted.value)
    ]
    if own.empty:
        return "b", "both_years_listed"
    r = own.iloc[0]
    f.params["wording"] = "table_swap_text"
    f.params["text_period"] = str(r["period"])
    if not pd.isna(r["numerator"]) and not pd.isna(r["denominator"]) and r["denominator"]:
        share = d(r["numerator"]) / d(r["denominator"]) * 100
        if abs(share - d(r["value"])) <= (half_ulp(str(r["as_written"])) or Decimal("0.5")):
            f.params["wording"] = "table_swap"  # and the text shows its working: numerator / denominator
            f.params["numerator"], f.params["denominator"] = float(r["numerator"]), float(r["denominator"])
    return "a", "own_text_same_year"


def _sum_of(pkg: Package) -> dict[str, list[str]]:
    k = pkg.t("kpi")
    if "sum_of" not in k.columns:
        return {}
    return {r["kpi_id"]: str(r["sum_of"]).split() for r in k[k["sum_of"].notna()].to_dict("records")}


def _explained(pkg: Package, f: Finding) -> tuple[str, str] | None:
    """A whole printed beside one of its parts under the same name, the parts printed by the documents themselves."""
    obs = pkg.t("kpi_observation")
    vals = sorted({x.value for x in f.facts if x.value is not None})
    if len(vals) != 2 or not f.period:
        return None
    small, big = vals
    period = obs["period"] == f.period
    sums = _sum_of(pkg)

    def value(kpi: str) -> float | None:
        v = obs[(obs["kpi_id"] == kpi) & period & obs["district_id"].isna()]["value"]
        return float(v.iloc[0]) if len(v) else None

    parts = sums.get(f.subject_id, [])
    pv = [value(p) for p in parts]
    if parts and None not in pv and sum(d(v) for v in pv if v is not None) == d(big) and small in pv:
        side, reason = big, "part_under_total_name"  # the smaller figure is one part printed as the whole
        f.params["part_values"] = pv
    else:
        whole = next((w for w, ps in sums.items() if f.subject_id in ps and value(w) == big), None)
        if whole is None:
            return None
        ps = [value(p) for p in sums[whole]]
        if None in ps or sum(d(v) for v in ps if v is not None) != d(big):
            return None
        side, reason = small, "total_under_part_name"  # the larger figure is the whole printed as one part
        f.params["part_values"] = ps
    f.severity, f.params["wording"] = "minor", "explained"
    return _side_of(f, lambda x: x.value == side), reason


def _side_of(f: Finding, ok) -> str:
    """`a` or `b` for the first fact that passes `ok`, moving it to second place if it is further down."""
    i = next(i for i, x in enumerate(f.facts) if ok(x))
    if i > 1:
        f.facts.insert(1, f.facts.pop(i))
    return "a" if i == 0 else "b"


def cross_source(pkg: Package, f: Finding) -> tuple[str, str]:
    if f.subject_type == "kpi":
        got = _explained(pkg, f)
        if got:
            return got
        obs = pkg.t("kpi_observation").set_index("observation_id")
        good = []
        for x in f.facts:
            r = obs.loc[x.row_id] if x.row_id in obs.index else None
            if r is None or pd.isna(r["numerator"]) or pd.isna(r["denominator"]) or not r["denominator"]:
                continue
            share = d(r["numerator"]) / d(r["denominator"]) * 100
            good.append((x, abs(share - d(r["value"])) <= (half_ulp(str(r["as_written"])) or Decimal("0.5"))))
        right = {x.value for x, ok in good if ok}
        if len(right) == 1 and any(not ok for _, ok in good) or (len(right) == 1 and len(good) < len(f.facts)):
            v = next(iter(right))
            return _side_of(f, lambda x: x.value == v), "ratio_printed"
    vals = [x.value for x in f.facts if x.value is not None]
    if len(set(vals)) == 2 and _unit_gap(min(vals), max(vals), *(x.as_written for x in f.facts)):
        f.severity, f.params["wording"] = "minor", "truncation"
        return "both", "truncation"
    return "unknown", "no_working"


def target(pkg: Package, f: Finding) -> tuple[str, str]:
    """A result that meets (or misses) every stated version of a target: the disagreement decides nothing."""
    t = pkg.t("target").set_index("target_id")
    rows = [t.loc[x.row_id] for x in f.facts if x.row_id in t.index]
    comps = {str(r["comparator"]) for r in rows}
    vals = [float(x.value) for x in f.facts if x.value is not None]
    obs = pkg.t("kpi_observation")
    res = obs[(obs["kpi_id"] == f.subject_id) & (obs["period"] == f.period) & obs["district_id"].isna()]
    results = sorted({float(v) for v in res["value"].dropna()})
    if len(results) == 1 and comps in ({"at_least"}, {"at_most"}) and vals:
        v = results[0]
        meets = [(v >= x) if comps == {"at_least"} else (v <= x) for x in vals]
        if all(meets) or not any(meets):
            reason = "met_either" if all(meets) else "missed_either"
            f.severity, f.params["wording"] = "minor", reason
            f.params["result"] = v
            f.params["result_as_written"] = str(res["as_written"].iloc[0])
            return "both", reason
    return "a", "plan_states_own"


def listed(pkg: Package, f: Finding) -> tuple[str, str]:
    return "b", "rows_listed"


def rank(pkg: Package, f: Finding) -> tuple[str, str]:
    return "b", "ranks_printed"


def budget(pkg: Package, f: Finding) -> tuple[str, str]:
    """A total stated elsewhere that the table's own total row and items both contradict: the odd one is that one."""
    items = pkg.t("budget_item")
    own = items[
        (items["budget_table_id"] == f.subject_id)
        & (items["row_type"] == "stated_total")
        & (items["budget_item_id"] != f.variant)
    ]
    if f.expected is not None and (own["amount"] == f.expected).any():
        f.params["wording"] = "narrative"
        if f.facts[0].value is not None and abs(d(f.facts[0].value) - d(f.expected)) <= abs(d(f.expected)) / 100:
            f.severity = "minor"  # under 1 % of the total: the rule of every other kind
        return "b", "table_total_agrees"
    return "unknown", "total_vs_parts"


def sub_count(pkg: Package, f: Finding) -> tuple[str, str]:
    return ("b", "rows_listed") if f.variant == "listed" else ("unknown", "total_vs_parts")


def several_names(pkg: Package, f: Finding) -> tuple[str, str]:
    return "unknown", "names_unexplained"


def plain_mean(pkg: Package, f: Finding) -> tuple[str, str]:
    return "b", "counts_pooled"


def judge(pkg: Package, found: list[Finding], rules: dict[str, Rule]) -> None:
    """Set `supported` and its reason on every finding (and the severity or wording its rule decides)."""
    for f in found:
        f.supported, f.supported_reason = rules[f.kind](pkg, f)


def reason_keys() -> list[str]:
    """The words every reason needs (`quality.side.<reason>`)."""
    return [f"quality.side.{r}" for r in REASONS]
