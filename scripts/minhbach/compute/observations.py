"""Which figure is shown when documents repeat it: newer documents first, one value per KPI, place and period."""

from __future__ import annotations

import pandas as pd

from minhbach.load.package import Package


def source_rank(pkg: Package) -> dict[str, int]:
    """Newer documents first: when sources repeat a figure, the latest issued one is shown."""
    src = pkg.t("source").sort_values(["issued", "source_id"], ascending=[False, True])
    return {s: i for i, s in enumerate(src["source_id"])}


def canonical_observations(pkg: Package) -> pd.DataFrame:
    """One value per KPI, place and period: the latest source wins; the others feed disagreements."""
    obs = pkg.t("kpi_observation").copy()
    rank = source_rank(pkg)
    obs["_order"] = [(rank.get(s, 99), i) for i, s in enumerate(obs["source_id"])]
    obs = obs.sort_values("_order", kind="stable")
    return obs.drop_duplicates(["kpi_id", "province_id", "district_id", "period"], keep="first").drop(columns="_order")
