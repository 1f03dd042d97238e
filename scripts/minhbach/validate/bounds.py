"""Stage 2b, the numbers' own bounds: scores within their scale and consistent with their subject, ranks within
1..N and one base per year and scope, shares within bounds. Called from `domain.domain_issues`."""

from __future__ import annotations

import re

import pandas as pd

from minhbach.errors import Issue
from minhbach.load.package import Package


def rows(df: pd.DataFrame):
    """(line number in the file, row) pairs."""
    for i, row in enumerate(df.itertuples(index=False)):
        yield i + 2, row._asdict()


def check_scores(pkg: Package) -> list[Issue]:
    if "dti_observation" not in pkg.tables:
        return []
    path = pkg.resource("dti_observation")["path"]
    mi = pkg.t("main_index").set_index("main_index_id")["max_points"]
    link = pkg.t("main_index_pillar")
    pillar_max = {p: float(mi[g["main_index_id"]].sum()) for p, g in link.groupby("pillar_id")}
    prov = pkg.t("province").set_index("province_id")
    issues = []
    for line, row in rows(pkg.t("dti_observation")):
        v, metric, scale = row["value"], row["metric"], row["scale"]
        if not pd.isna(row["pillar_id"]) and not pd.isna(row["main_index_id"]):
            issues.append(
                Issue(
                    "subject-ambiguous",
                    "a row is about a pillar or a main index, not both",
                    file=path,
                    row=line,
                    column="main_index_id",
                    value=str(row["main_index_id"]),
                )
            )
            continue
        if (row["statistic"] == "province") == pd.isna(row["province_id"]):
            issues.append(
                Issue(
                    "province-mismatch",
                    "province rows need province_id; national_mean rows must leave it empty",
                    file=path,
                    row=line,
                    column="province_id",
                    value=str(row["province_id"]),
                )
            )
        if metric == "score":
            if scale == "unit_interval":
                hi = 1.0
            elif scale == "points":
                if not pd.isna(row["main_index_id"]):
                    hi = float(mi.get(row["main_index_id"], float("nan")))
                elif not pd.isna(row["pillar_id"]):
                    hi = pillar_max.get(row["pillar_id"], float("nan"))
                else:
                    hi = float(mi.sum())
            else:
                issues.append(
                    Issue(
                        "scale-mismatch",
                        "a score needs scale unit_interval or points",
                        file=path,
                        row=line,
                        column="scale",
                        value=str(scale),
                    )
                )
                continue
            if not (0 <= v <= hi):
                issues.append(
                    Issue(
                        "score-out-of-scale",
                        f"score is outside its scale 0–{hi:g}",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected=f"0 ≤ value ≤ {hi:g} ({scale})",
                    )
                )
        elif metric == "rank":
            n = row["out_of"]
            limit = None
            # a rank printed with its base ("41/63") carries its own number of provinces (63 before the 2025
            # merger, 34 after); province.csv's count bounds only ranks printed without one
            printed = re.fullmatch(r"\s*[\d.,]+\s*/\s*([\d.,]+)\s*", str(row.get("as_written") or ""))
            if not printed and not pd.isna(row["province_id"]) and row["province_id"] in prov.index:
                col = "provinces_in_region" if row["rank_scope"] == "region" else "provinces_in_country"
                limit = int(prov.loc[row["province_id"], col])
            if pd.isna(n) or (limit is not None and n > limit):
                issues.append(
                    Issue(
                        "rank-out-of-range",
                        "out_of must be given and not exceed the number of provinces",
                        file=path,
                        row=line,
                        column="out_of",
                        value=str(n),
                        expected=f"1..{limit}",
                    )
                )
            elif not (1 <= v <= n) or v != int(v):
                issues.append(
                    Issue(
                        "rank-out-of-range",
                        f"rank must be a whole number from 1 to {n}",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected=f"1..{n}",
                    )
                )
    return issues


def check_rank_bases(pkg: Package) -> list[Issue]:
    """One year ranks every subject of one scope out of one set of provinces: a second base in the same year is a
    transcription slip (the framework per year is what lets 63 before 2025 and 34 after both validate)."""
    path, obs = "data/dti_observation.csv", pkg.t("dti_observation")
    ranks = obs[(obs["metric"] == "rank") & obs["out_of"].notna()] if "out_of" in obs.columns else obs.iloc[0:0]
    issues = []
    for (prov, year, scope), g in ranks.groupby(["province_id", "year", "rank_scope"], dropna=False):
        bases = sorted({int(n) for n in g["out_of"]})
        if len(bases) < 2:
            continue
        first = int(g["out_of"].iloc[0])
        odd = next(i for i, n in zip(g.index, g["out_of"], strict=True) if int(n) != first)
        issues.append(
            Issue(
                "rank-base-differs",
                f"ranks of {prov} in {int(year)} ({scope}) are out of different numbers of provinces",
                file=path,
                row=int(obs.index.get_loc(odd)) + 2,
                column="out_of",
                value=str(int(g.loc[odd, "out_of"])),
                expected=f"one number for the year and scope: {', '.join(map(str, bases))} given",
            )
        )
    return issues


def check_shares(pkg: Package) -> list[Issue]:
    issues: list[Issue] = []
    if "kpi" not in pkg.tables:
        return issues
    units = pkg.t("kpi").set_index("kpi_id")["unit"]
    for name in ("kpi_observation", "target"):
        if name not in pkg.tables:
            continue
        path = pkg.resource(name)["path"]
        for line, row in rows(pkg.t(name)):
            unit = units.get(row.get("kpi_id")) if not pd.isna(row.get("kpi_id")) else None
            v = row.get("value")
            if unit == "percent" and not pd.isna(v) and not (0 <= v <= 100):
                issues.append(
                    Issue(
                        "share-out-of-bounds",
                        "a percentage must be between 0 and 100",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected="0 ≤ value ≤ 100",
                    )
                )
            num, den = row.get("numerator"), row.get("denominator")
            if num is not None and den is not None and not pd.isna(num) and not pd.isna(den):
                if den <= 0 or num < 0:
                    issues.append(
                        Issue(
                            "ratio-invalid",
                            "denominator must be positive and numerator not negative",
                            file=path,
                            row=line,
                            column="denominator",
                            value=f"{num:g}/{den:g}",
                        )
                    )
            if not pd.isna(v) and v < 0 and unit not in (None,):
                issues.append(
                    Issue(
                        "negative-value",
                        "a KPI value cannot be negative",
                        file=path,
                        row=line,
                        column="value",
                        value=f"{v:g}",
                        expected="≥ 0",
                    )
                )
    return issues
