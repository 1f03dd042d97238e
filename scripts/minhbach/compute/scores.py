"""Stage 3: every computed figure, as pure functions of the loaded package.

Reported values are never changed. Where a reported figure and its recomputation (or two sources)
differ by more than the rounding the printed digits allow, the pair becomes a *finding* that the
site publishes on its data-quality page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from math import nan

import pandas as pd

from minhbach import strings
from minhbach.compute.observations import canonical_observations, source_rank  # noqa: F401 (re-exported)
from minhbach.compute.targets import attainment_summary, target_groups  # noqa: F401 (re-exported)
from minhbach.load.package import Package
from minhbach.numbers import half_ulp

LANGS = ("vi", "en")


@dataclass
class Results:
    scores: pd.DataFrame
    recomputed: pd.DataFrame
    changes: pd.DataFrame
    attainment: pd.DataFrame
    attainment_summary: pd.DataFrame
    status_counts: pd.DataFrame
    budget: pd.DataFrame
    findings: pd.DataFrame
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ helpers


def publisher_province(pkg: Package) -> str:
    """The province whose report this is (`x-province` in datapackage.json), else the first province."""
    ids = list(pkg.t("province")["province_id"])
    pid = pkg.descriptor.get("x-province")
    return str(pid) if pid in ids else str(ids[0])


def subject_of(row) -> tuple[str, str]:
    if isinstance(row.get("main_index_id"), str):
        return "main_index", row["main_index_id"]
    if isinstance(row.get("pillar_id"), str):
        return "pillar", row["pillar_id"]
    return "total", "dti"


def subject_label(pkg: Package, level: str, sid: str, lang: str) -> str:
    if level == "main_index":
        return str(pkg.t("main_index").set_index("main_index_id").loc[sid, f"name_{lang}"])
    if level == "pillar":
        return str(pkg.t("pillar").set_index("pillar_id").loc[sid, f"name_{lang}"])
    return strings.load(None).get(lang, "level.total")


def max_points(pkg: Package) -> dict[tuple[str, str], float]:
    """Maximum points of every subject: main indices as given, pillars and the total as sums."""
    mi = pkg.t("main_index").set_index("main_index_id")["max_points"].astype(float)
    out = {("main_index", k): v for k, v in mi.items()}
    for p, g in pkg.t("main_index_pillar").groupby("pillar_id"):
        out[("pillar", p)] = float(mi[list(g["main_index_id"])].sum())
    out[("total", "dti")] = float(mi.sum())
    return out


def framework_first_year(pkg: Package) -> dict[tuple[str, str], int]:
    """The first assessment year each maximum applies to (`main_index.first_year`; a pillar: its latest member's).
    An earlier year was scored under another framework (2020, before the Ministry's Decision 922 of 2022): its
    maxima are not these, so its scores are not converted between points and 0-1."""
    mi = pkg.t("main_index")
    if "first_year" not in mi.columns:
        return {}
    first = {str(k): int(v) for k, v in zip(mi["main_index_id"], mi["first_year"], strict=True) if not pd.isna(v)}
    out: dict[tuple[str, str], int] = {("main_index", k): v for k, v in first.items()}
    for p, g in pkg.t("main_index_pillar").groupby("pillar_id"):
        years = [first[m] for m in g["main_index_id"] if m in first]
        if years:
            out[("pillar", str(p))] = max(years)
    return out


def _d(x) -> Decimal:
    return Decimal(repr(float(x)))


# ------------------------------------------------------------------ scores


def scores(pkg: Package) -> pd.DataFrame:
    """Reported scores on both scales, one canonical row per subject, year and statistic."""
    obs = pkg.t("dti_observation")
    maxp = max_points(pkg)
    first = framework_first_year(pkg)
    rank = source_rank(pkg)
    rows = []
    for i, r in enumerate(obs.to_dict("records")):
        if r["metric"] != "score":
            continue
        level, sid = subject_of(r)
        m = maxp[(level, sid)]
        if not m:
            continue  # an index with no maximum yet has no scale to put a score on
        unit = r["value"] if r["scale"] == "unit_interval" else r["value"] / m
        pts = r["value"] * m if r["scale"] == "unit_interval" else r["value"]
        if int(r["year"]) < first.get((level, sid), 0):  # another framework's year: the printed scale only
            unit, pts, m = (r["value"], nan, nan) if r["scale"] == "unit_interval" else (nan, r["value"], nan)
        rows.append(
            {
                "province_id": r["province_id"],
                "statistic": r["statistic"],
                "year": int(r["year"]),
                "level": level,
                "subject_id": sid,
                "value_unit": float(unit),
                "value_points": float(pts),
                "max_points": m,
                "scale": r["scale"],
                "as_written": r["as_written"],
                "source_id": r["source_id"],
                "section": r["section"],
                "observation_id": r["observation_id"],
                "_order": (rank.get(r["source_id"], 99), i),
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df = df.sort_values("_order", kind="stable").drop_duplicates(
        ["province_id", "statistic", "year", "level", "subject_id"], keep="first"
    )
    ranks = ranks_table(pkg)
    df = df.merge(ranks, how="left", on=["province_id", "statistic", "year", "level", "subject_id"])
    for col in ("rank", "rank_out_of"):
        df[col] = df[col].astype("Int64")
    return (
        df.drop(columns="_order")
        .sort_values(["province_id", "statistic", "level", "subject_id", "year"], na_position="first")
        .reset_index(drop=True)
    )


def ranks_table(pkg: Package) -> pd.DataFrame:
    obs = pkg.t("dti_observation")
    rank = source_rank(pkg)
    rows = []
    for i, r in enumerate(obs.to_dict("records")):
        if r["metric"] != "rank" or r["rank_scope"] != "national":
            continue
        level, sid = subject_of(r)
        rows.append(
            {
                "province_id": r["province_id"],
                "statistic": r["statistic"],
                "year": int(r["year"]),
                "level": level,
                "subject_id": sid,
                "rank": int(r["value"]),
                "rank_out_of": int(r["out_of"]),
                "rank_as_written": r["as_written"],
                "rank_source_id": r["source_id"],
                "rank_section": r["section"],
                "_order": (rank.get(r["source_id"], 99), i),
            }
        )
    cols = [
        "province_id",
        "statistic",
        "year",
        "level",
        "subject_id",
        "rank",
        "rank_out_of",
        "rank_as_written",
        "rank_source_id",
        "rank_section",
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows).sort_values("_order", kind="stable")
    return df.drop_duplicates(cols[:5], keep="first")[cols]


def recompute(pkg: Package, sc: pd.DataFrame) -> pd.DataFrame:
    """Total and pillars recomputed from main indices (points summed, divided by the summed maxima).

    Tolerance: half a unit of the last printed digit of the reported value, plus the same for each
    input weighted by its share of the maximum, so printed rounding alone never raises a finding.
    """
    if sc.empty:
        return pd.DataFrame()
    maxp = max_points(pkg)
    # a main index with no maximum yet (a later framework's new index, 0 points) adds nothing to any sum
    scored = {m for m in pkg.t("main_index")["main_index_id"] if maxp[("main_index", m)] > 0}
    members = {("total", "dti"): [m for m in pkg.t("main_index")["main_index_id"] if m in scored]}
    for p, g in pkg.t("main_index_pillar").groupby("pillar_id"):
        members[("pillar", p)] = [m for m in g["main_index_id"] if m in scored]
    rows = []
    for (prov, stat, year), g in sc.groupby(["province_id", "statistic", "year"], dropna=False):
        mi = g[g["level"] == "main_index"].set_index("subject_id")
        for _, rep in g[g["level"] != "main_index"].iterrows():
            key = (rep["level"], rep["subject_id"])
            need = members[key]
            if not set(need) <= set(mi.index):
                continue
            if pd.isna(rep["value_unit"]) or any(pd.isna(mi.loc[m, "value_points"]) for m in need):
                continue  # another framework's year (main_index.first_year): no maxima to recompute with
            total_max = Decimal(repr(maxp[key]))
            pts = sum(_d(mi.loc[m, "value_points"]) for m in need)
            recomputed = pts / total_max
            tol = sum(
                half_ulp(mi.loc[m, "as_written"])
                * (_d(mi.loc[m, "max_points"]) / total_max if mi.loc[m, "scale"] == "unit_interval" else 1 / total_max)
                for m in need
            )
            tol += half_ulp(rep["as_written"]) / (1 if rep["scale"] == "unit_interval" else total_max)
            reported = _d(rep["value_unit"])
            rows.append(
                {
                    "province_id": prov,
                    "statistic": stat,
                    "year": year,
                    "level": rep["level"],
                    "subject_id": rep["subject_id"],
                    "reported": float(reported),
                    "reported_as_written": rep["as_written"],
                    "reported_scale": rep["scale"],
                    "reported_points": float(rep["value_points"]),
                    "source_id": rep["source_id"],
                    "section": rep["section"],
                    "observation_id": rep["observation_id"],
                    "recomputed": float(round(recomputed, 6)),
                    "difference": float(round(reported - recomputed, 6)),
                    "tolerance": float(round(tol, 6)),
                    "agrees": bool(abs(reported - recomputed) <= tol),
                }
            )
    return pd.DataFrame(rows)


def changes(pkg: Package, sc: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of every score and rank (rank change: positive = moved up)."""
    rows = []
    if sc.empty:
        return pd.DataFrame()
    for key, g in sc.groupby(["province_id", "statistic", "level", "subject_id"], dropna=False):
        g = g.sort_values("year")
        prev = None
        for _, cur in g.iterrows():
            if prev is not None:
                rc = pd.NA
                base_changed = False
                if not pd.isna(prev.get("rank")) and not pd.isna(cur.get("rank")):
                    # ranks out of different sets (63 provinces before the 2025 merger, 34 after) are not comparable
                    n0, n1 = prev.get("rank_out_of"), cur.get("rank_out_of")
                    if pd.isna(n0) or pd.isna(n1) or int(n0) == int(n1):
                        rc = int(prev["rank"]) - int(cur["rank"])
                    else:
                        base_changed = True
                rows.append(
                    {
                        "province_id": key[0],
                        "statistic": key[1],
                        "level": key[2],
                        "subject_id": key[3],
                        "from_year": int(prev["year"]),
                        "to_year": int(cur["year"]),
                        "score_from": prev["value_unit"],
                        "score_to": cur["value_unit"],
                        "score_change": round(cur["value_unit"] - prev["value_unit"], 6),
                        "score_change_pct": round((cur["value_unit"] / prev["value_unit"] - 1) * 100, 2)
                        if prev["value_unit"]
                        else None,
                        "rank_from": prev.get("rank"),
                        "rank_to": cur.get("rank"),
                        "rank_change": rc,
                        "rank_from_out_of": prev.get("rank_out_of"),
                        "rank_to_out_of": cur.get("rank_out_of"),
                        "rank_base_changed": base_changed,
                    }
                )
            prev = cur
    out = pd.DataFrame(rows)
    for col in ("rank_from", "rank_to", "rank_change", "rank_from_out_of", "rank_to_out_of"):
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    return out


# ------------------------------------------------------------------ KPIs and targets


# ------------------------------------------------------------------ sub-indicators and budget


def status_counts(pkg: Package) -> pd.DataFrame:
    a = pkg.t("sub_indicator_assessment").merge(
        pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]], on="sub_indicator_id", how="left"
    )
    if a.empty:
        return pd.DataFrame(columns=["main_index_id", "year", "status", "count"])
    out = a.groupby(["main_index_id", "year", "status"]).size().rename("count").reset_index()
    return out.sort_values(["main_index_id", "year", "status"]).reset_index(drop=True)


def budget(pkg: Package) -> pd.DataFrame:
    """Sum of the items of each budget table against every total stated for it."""
    items = pkg.t("budget_item")
    tables = pkg.t("budget_table").set_index("budget_table_id")
    rows = []
    for tid, g in items.groupby("budget_table_id"):
        it = g[g["row_type"] == "item"]
        s = sum((_d(x) for x in it["amount"]), Decimal(0))
        for _, tot in g[g["row_type"] == "stated_total"].iterrows():
            rows.append(
                {
                    "budget_table_id": tid,
                    "unit": tables.loc[tid, "unit"],
                    "items": len(it),
                    "sum_of_items": float(s) if len(it) else None,
                    "stated_total": float(tot["amount"]),
                    "stated_as_written": tot["as_written"],
                    "budget_item_id": tot["budget_item_id"],
                    "source_id": tot["source_id"],
                    "section": tot["section"],
                    "difference": float(_d(tot["amount"]) - s) if len(it) else None,
                    "agrees": bool(_d(tot["amount"]) == s) if len(it) else None,
                }
            )
    return pd.DataFrame(rows)
