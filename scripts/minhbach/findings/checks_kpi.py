"""Checks on KPI figures: sources that disagree, shares, changes, combined rates, denominators, targets."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from minhbach.compute.scores import source_rank, target_groups
from minhbach.findings.model import Finding, d, fact, severity, tol_of
from minhbach.load.package import Package

PLACE = ["kpi_id", "province_id", "district_id"]
SCALE_SLIPS = (Decimal(10), Decimal(100), Decimal("0.1"), Decimal("0.01"))


def _district(v) -> str:
    return v if isinstance(v, str) else ""


def _shown(pkg: Package, rows: list[dict]) -> dict:
    """The row the site displays: the most recently issued document first (compute.source_rank)."""
    rank = source_rank(pkg)
    return min(enumerate(rows), key=lambda ir: (rank.get(ir[1]["source_id"], 99), ir[0]))[1]


def cross_source(pkg: Package, obs: pd.DataFrame, explained: dict) -> list[Finding]:
    """The same KPI, place and period with different values: one finding listing every passage."""
    out = []
    n = obs.groupby(PLACE + ["period"], dropna=False)["value"].transform("nunique")
    for key, g in obs[n > 1].groupby(PLACE + ["period"], dropna=False):
        vals = sorted({float(v) for v in g["value"]})
        if abs(d(vals[-1]) - d(vals[0])) <= tol_of(*g["as_written"]):
            continue
        if set(vals) <= explained.get((key[0], _district(key[2]), key[3]), set()):
            continue
        rows = g.to_dict("records")
        shown = _shown(pkg, rows)
        rows.sort(key=lambda r: r is not shown)
        out.append(
            Finding(
                "cross_source",
                "kpi",
                key[0],
                key[3],
                [fact("shown" if r is shown else "other", "kpi_observation", r, "observation_id") for r in rows],
                difference=vals[-1] - vals[0],
                tolerance=float(tol_of(*g["as_written"])),
                severity=severity(vals[-1], vals[0], None),
                variant=_district(key[2]),
                displayed="latest",
                params={"district_id": _district(key[2]), "values": len(vals)},
            )
        )
    return out


def period_shift(obs: pd.DataFrame) -> list[Finding]:
    """A value one document gives for a year that another gives for a different year, where that other
    document gives a different value for the first year (a 2021 result reported as 2022's)."""
    out = []
    years = obs[obs["period"].str.fullmatch(r"\d{4}")]
    for key, g in years.groupby(PLACE, dropna=False):
        rows = g.to_dict("records")
        for b in rows:
            v = float(b["value"])
            if v in (0.0, 100.0):
                continue
            for a in rows:
                if a["source_id"] == b["source_id"] or a["period"] == b["period"] or float(a["value"]) != v:
                    continue
                same = [r for r in rows if r["source_id"] == a["source_id"] and r["period"] == b["period"]]
                other = [r for r in same if float(r["value"]) != v]
                if not other or any(float(r["value"]) == v for r in same):
                    continue
                out.append(
                    Finding(
                        "period_shift",
                        "kpi",
                        key[0],
                        b["period"],
                        [
                            fact("shifted", "kpi_observation", b, "observation_id", period_col="period"),
                            fact("same_value", "kpi_observation", a, "observation_id", period_col="period"),
                        ]
                        + [fact("other", "kpi_observation", r, "observation_id", period_col="period") for r in other],
                        difference=float(other[0]["value"]) - v,
                        severity="major",
                        variant=b["source_id"],
                        displayed="latest",
                        params={
                            "district_id": _district(key[2]),
                            "values": sorted({v, *(float(r["value"]) for r in other)}),
                            "other_period": a["period"],
                        },
                    )
                )
                break
    return out + _month_shift(obs)


def _month_shift(obs: pd.DataFrame) -> list[Finding]:
    """A progress report's figure "as of" a month of a year (08/2022) that another document gives for the year
    before (2021), where that document gives a different value for the year itself: last year's figure reported
    as this year's progress."""
    out = []
    full = obs[obs["period"].str.fullmatch(r"\d{4}")]
    months = obs[obs["period"].str.fullmatch(r"\d{4}-\d{2}")]
    for b in months.to_dict("records"):
        v, year = float(b["value"]), str(b["period"])[:4]
        if v in (0.0, 100.0):
            continue
        place = (full["kpi_id"] == b["kpi_id"]) & (full["province_id"] == b["province_id"])
        place &= full["district_id"].isna() if pd.isna(b["district_id"]) else full["district_id"] == b["district_id"]
        cand = full[place & (full["source_id"] != b["source_id"])].sort_values(
            ["source_id", "period", "observation_id"]
        )
        for a in cand.to_dict("records"):
            if float(a["value"]) != v or a["period"] >= year:
                continue
            same = cand[(cand["source_id"] == a["source_id"]) & (cand["period"] == year)].to_dict("records")
            other = [r for r in same if float(r["value"]) != v]
            if not other or len(other) != len(same):
                continue
            out.append(
                Finding(
                    "period_shift",
                    "kpi",
                    b["kpi_id"],
                    b["period"],
                    [
                        fact("shifted", "kpi_observation", b, "observation_id", period_col="period"),
                        fact("same_value", "kpi_observation", a, "observation_id", period_col="period"),
                    ]
                    + [fact("other", "kpi_observation", r, "observation_id", period_col="period") for r in other],
                    difference=float(other[0]["value"]) - v,
                    severity="major",
                    variant=b["source_id"],
                    displayed="latest",
                    params={
                        "district_id": _district(b["district_id"]),
                        "values": sorted({v, *(float(r["value"]) for r in other)}),
                        "other_period": a["period"],
                        "year": year,
                        "wording": "months",
                    },
                )
            )
            break
    return out


def ratio(pkg: Package, obs: pd.DataFrame) -> list[Finding]:
    """A printed share against the numerator and denominator printed with it (also slips by a factor of 10 or 100)."""
    units = pkg.t("kpi").set_index("kpi_id")["unit"]
    percent = set(units[units == "percent"].index)
    cand = obs[obs["kpi_id"].isin(percent) & obs["numerator"].notna() & obs["denominator"].notna()]
    cand = cand[cand["denominator"] != 0]
    groups: dict[tuple, list[dict]] = {}
    for r in cand.to_dict("records"):
        share = d(r["numerator"]) / d(r["denominator"]) * 100
        tol = tol_of(r["as_written"]) or Decimal("0.5")
        if abs(share - d(r["value"])) <= tol:
            continue
        key = (r["kpi_id"], float(r["numerator"]), float(r["denominator"]), float(r["value"]))
        groups.setdefault(key, []).append({**r, "_share": share, "_tol": tol})
    out = []
    for (kpi, num, den, val), rows in groups.items():
        share, tol, period = rows[0]["_share"], rows[0]["_tol"], rows[0]["period"]
        slip = next((k for k in SCALE_SLIPS if abs(share * k - d(val)) <= tol), None)
        out.append(
            Finding(
                "ratio",
                "kpi",
                kpi,
                period,
                [fact("reported", "kpi_observation", r, "observation_id") for r in rows],
                expected=float(round(share, 2)),
                difference=float(round(d(val) - share, 4)),
                tolerance=float(tol),
                severity="major" if slip else severity(val, float(share), rows[0]["as_written"]),
                variant="scale" if slip else "",
                displayed="reported",
                params={
                    "numerator": num,
                    "denominator": den,
                    "factor": float(slip) if slip else None,
                },
            )
        )
    return out


def denominator(obs: pd.DataFrame) -> list[Finding]:
    """The same quantity for the same period given out of different totals (e.g. 2.773 and 3.541 firms).

    Only the same period: a total may change between a mid-year and a year-end report."""
    out = []
    rows = obs[obs["denominator"].notna()]
    for key, g in rows.groupby(PLACE + ["period"], dropna=False):
        dens = sorted({float(x) for x in g["denominator"]})
        if len(dens) < 2:
            continue
        out.append(
            Finding(
                "denominator",
                "kpi",
                key[0],
                key[3],
                [
                    fact("stated", "kpi_observation", r, "observation_id", period_col="period")
                    for r in g.to_dict("records")
                ],
                difference=dens[-1] - dens[0],
                severity=severity(dens[-1], dens[0], None),
                variant=_district(key[2]),
                displayed="reported",
                params={"denominators": dens},
            )
        )
    return out


def district_total(obs: pd.DataFrame) -> list[Finding]:
    """A province's stated total against the sum of its own districts, in the same table of the same document."""
    out = []
    dist = obs[obs["district_id"].notna()]
    keys = ["kpi_id", "province_id", "period", "source_id", "section"]
    totals: dict[tuple, list[dict]] = {}
    for t in obs[obs["district_id"].isna()].to_dict("records"):
        totals.setdefault(tuple(t[k] for k in keys), []).append(t)
    for key, g in dist.groupby(keys):
        kpi, period = key[0], key[2]
        s = sum((d(v) for v in g["value"]), Decimal(0))
        for t in totals.get(tuple(key), []):
            if d(t["value"]) == s:
                continue
            out.append(
                Finding(
                    "district_total",
                    "kpi",
                    kpi,
                    period,
                    [fact("stated_total", "kpi_observation", t, "observation_id")]
                    + [fact("part", "kpi_observation", r, "observation_id") for r in g.to_dict("records")],
                    expected=float(s),
                    difference=float(d(t["value"]) - s),
                    tolerance=0.0,
                    severity="major",
                    displayed="both",
                    params={"parts": len(g)},
                )
            )
    return out


def change(pkg: Package, obs: pd.DataFrame) -> list[Finding]:
    """A printed change ("+0,95%") against the two values of the same table it compares."""
    if "kpi_change" not in pkg.tables:
        return []
    out = []
    for c in pkg.t("kpi_change").to_dict("records"):
        same = obs[
            (obs["kpi_id"] == c["kpi_id"]) & (obs["source_id"] == c["source_id"]) & (obs["section"] == c["section"])
        ]
        a = same[same["period"] == c["from_period"]]
        b = same[same["period"] == c["to_period"]]
        if a.empty or b.empty:
            continue
        a, b = a.iloc[-1].to_dict(), b.iloc[-1].to_dict()
        printed = d(c["value"]) * (-1 if c["direction"] == "decrease" else 1)
        if c["change_type"] == "ratio":
            if not b["value"] or not a["value"]:
                continue
            expected = d(b["value"]) / d(a["value"])
        else:
            expected = d(b["value"]) - d(a["value"])
        tol = tol_of(c["as_written"], a["as_written"], b["as_written"])
        if abs(printed - expected) <= tol:
            continue
        growth = (d(b["value"]) / d(a["value"]) - 1) * 100 if a["value"] else None
        variant = "growth" if growth is not None and abs(printed - growth) <= tol else ""
        out.append(
            Finding(
                "change",
                "kpi",
                c["kpi_id"],
                c["to_period"],
                [
                    fact("printed_change", "kpi_change", {**c, "value": float(printed)}, "change_id"),
                    fact("from", "kpi_observation", a, "observation_id", period_col="period"),
                    fact("to", "kpi_observation", b, "observation_id", period_col="period"),
                ],
                expected=float(round(expected, 4)),
                difference=float(round(printed - expected, 4)),
                tolerance=float(tol),
                severity="minor" if variant else "major",
                variant=variant,
                displayed="values",
                params={"from_period": c["from_period"]},
            )
        )
    return out


def combined_range(pkg: Package, obs: pd.DataFrame) -> list[Finding]:
    """A rate that combines others (kpi.combines) must lie between the smallest and largest of them."""
    kpi = pkg.t("kpi")
    if "combines" not in kpi.columns:
        return []
    out = []
    for k in kpi[kpi["combines"].notna()].to_dict("records"):
        parts = str(k["combines"]).split()
        for r in obs[(obs["kpi_id"] == k["kpi_id"]) & obs["district_id"].isna()].to_dict("records"):
            comp = obs[obs["kpi_id"].isin(parts) & (obs["period"] == r["period"]) & obs["district_id"].isna()]
            own = comp[comp["source_id"] == r["source_id"]]
            comp = own if set(own["kpi_id"]) == set(parts) else comp
            if set(comp["kpi_id"]) != set(parts):
                continue
            lo, hi = comp.loc[comp["value"].idxmin()], comp.loc[comp["value"].idxmax()]
            tol = tol_of(r["as_written"], lo["as_written"], hi["as_written"])
            v = d(r["value"])
            if d(lo["value"]) - tol <= v <= d(hi["value"]) + tol:
                continue
            edge = lo if v < d(lo["value"]) else hi
            out.append(
                Finding(
                    "combined_range",
                    "kpi",
                    k["kpi_id"],
                    r["period"],
                    [fact("combined", "kpi_observation", r, "observation_id")]
                    + [fact("part", "kpi_observation", x, "observation_id") for x in comp.to_dict("records")],
                    expected=float(edge["value"]),
                    difference=float(v - d(edge["value"])),
                    tolerance=float(tol),
                    severity="major",
                    variant=r["source_id"],
                    displayed="reported",
                    params={"low": float(lo["value"]), "high": float(hi["value"])},
                )
            )
    return out


def target_conflict(pkg: Package) -> list[Finding]:
    """One target (plan, KPI, place, year) stated with different values in different documents."""
    out = []
    for key, rows, shown in target_groups(pkg):
        vals = sorted({float(r["value"]) for r in rows if not pd.isna(r["value"])})
        if len(vals) < 2:
            continue
        rows = sorted(rows, key=lambda r: r is not shown)
        out.append(
            Finding(
                "target_conflict",
                "kpi",
                str(key[1]),
                str(key[3]),
                [fact("shown" if r is shown else "other", "target", r, "target_id") for r in rows],
                difference=vals[-1] - vals[0],
                tolerance=0.0,
                severity=severity(vals[-1], vals[0], None),
                variant=str(key[0]),
                displayed="plan",
                params={"plan_id": str(key[0])},
            )
        )
    return out
