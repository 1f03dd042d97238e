"""Checks across KPIs that the data says are related: one quantity printed under several names
(`kpi.same_quantity_as`), and a combined rate printed as the plain average of its parts (`kpi.combines`) when
the parts' own counts, pooled, give another rate.

Both compare only figures the documents print: the names, the values and the counts of the rows transcribed.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pandas as pd

from minhbach.findings.model import Finding, d, fact, tol_of
from minhbach.load.package import Package


def _year(period) -> str:
    return str(period)[:4]


def _groups(kpi: pd.DataFrame) -> list[list[str]]:
    """KPIs joined by `same_quantity_as` (either way), each group in table order."""
    if "same_quantity_as" not in kpi.columns:
        return []
    ids = list(kpi["kpi_id"])
    parent = {k: k for k in ids}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for r in kpi[kpi["same_quantity_as"].notna()].to_dict("records"):
        for other in str(r["same_quantity_as"]).split():
            if other in parent:
                parent[root(other)] = root(r["kpi_id"])
    groups: dict[str, list[str]] = {}
    for k in ids:
        groups.setdefault(root(k), []).append(k)
    return [g for g in groups.values() if len(g) > 1]


def several_names(pkg: Package, obs: pd.DataFrame) -> list[Finding]:
    """The documents print one quantity under several names (a bank account, a payment account; the population,
    the adults): in one year, the values of the names differ by more than their printed digits explain."""
    out = []
    prov = obs[obs["district_id"].isna()].assign(_year=lambda x: x["period"].map(_year))
    for group in _groups(pkg.t("kpi")):
        rows = prov[prov["kpi_id"].isin(group)]
        for (province, year), g in rows.groupby(["province_id", "_year"]):
            g = g.sort_values(["kpi_id", "period", "observation_id"])
            if g["kpi_id"].nunique() < 2:
                continue
            lo, hi = g.loc[g["value"].idxmin()], g.loc[g["value"].idxmax()]
            tol = tol_of(lo["as_written"], hi["as_written"])
            if d(hi["value"]) - d(lo["value"]) <= tol:
                continue
            recs = g.to_dict("records")
            out.append(
                Finding(
                    "several_names",
                    "kpi",
                    group[0],
                    year,
                    [fact("stated", "kpi_observation", r, "observation_id") for r in recs],
                    expected=float(lo["value"]),
                    difference=float(d(hi["value"]) - d(lo["value"])),
                    tolerance=float(tol),
                    severity="major",
                    displayed="reported",
                    params={"names": g["kpi_id"].nunique(), "values": len(recs), "province_id": province},
                )
            )
    return out


def plain_mean(pkg: Package, obs: pd.DataFrame) -> list[Finding]:
    """A combined rate printed as the plain average of its parts' rates, while the parts' printed counts pooled
    (all numerators over all denominators) give a rate its printed digits do not allow: a small group weighed
    as much as a large one (3 of 9 hospitals and 238 of 386 schools averaged to 47,5 %)."""
    kpi = pkg.t("kpi")
    if "combines" not in kpi.columns:
        return []
    out = []
    prov = obs[obs["district_id"].isna()]
    counted = pkg.t("kpi_observation")
    counted = counted[counted["district_id"].isna() & counted["numerator"].notna() & counted["denominator"].notna()]
    for k in kpi[kpi["combines"].notna()].to_dict("records"):
        parts = str(k["combines"]).split()
        for r in prov[prov["kpi_id"] == k["kpi_id"]].to_dict("records"):
            same = prov[prov["kpi_id"].isin(parts) & (prov["period"] == r["period"])]
            counts = counted[counted["kpi_id"].isin(parts) & (counted["period"] == r["period"])]
            if set(same["kpi_id"]) != set(parts) or set(counts["kpi_id"]) != set(parts):
                continue
            first = {p: counts[counts["kpi_id"] == p].iloc[0] for p in parts}
            num = sum(d(first[p]["numerator"]) for p in parts)
            den = sum(d(first[p]["denominator"]) for p in parts)
            if not den:
                continue
            pooled = num / den * 100
            v, tol = d(r["value"]), tol_of(r["as_written"])
            if abs(v - pooled) <= tol + tol_of(*(first[p]["as_written"] for p in parts)):
                continue
            choice = _mean_of(same, parts, v, tol)
            if choice is None:
                continue
            out.append(
                Finding(
                    "plain_mean",
                    "kpi",
                    k["kpi_id"],
                    r["period"],
                    [fact("combined", "kpi_observation", r, "observation_id")]
                    + [fact("part", "kpi_observation", x, "observation_id") for x in choice],
                    expected=float(round(pooled, 4)),
                    difference=float(round(v - pooled, 4)),
                    tolerance=float(tol),
                    severity="major",
                    displayed="reported",
                    params={
                        "part_values": [float(x["value"]) for x in choice],
                        "numerator": float(num),
                        "denominator": float(den),
                    },
                )
            )
    return out


def _mean_of(same: pd.DataFrame, parts: list[str], v: Decimal, tol: Decimal) -> list[dict] | None:
    """The printed rows of the parts (one per part) whose plain average is the combined value, or None."""
    options = [
        list(same[same["kpi_id"] == p].sort_values(["source_id", "observation_id"]).to_dict("records")) for p in parts
    ]
    for combo in product(*options):
        mean = sum((d(x["value"]) for x in combo), Decimal(0)) / len(combo)
        if abs(mean - v) <= tol + tol_of(*(x["as_written"] for x in combo)) / len(combo):
            return list(combo)
    return None
