"""Distance to each target and, for target years still ahead, whether the province is on track.

Method (a linear version of Open SDG's progress calculation): the baseline is the earliest province-level
observation of the KPI, the current value the latest one (neither later than the target year). Time is
measured in years, a full-year figure at the end of its year (2022 → 2023.0), a month figure at the end of its
month (2022-08 → 2022.667); the target is due at the end of its target year.

- gap: how far the current value still is from the target, in the KPI's unit (0 when met);
- share: the part of the way from the baseline to the target covered so far, in percent; only while the value
  moves towards the target (up for "at least", down for "at most") from a baseline that did not meet it already.
  A value that moved the other way is `moved_away` (no share: "123 % of the way" of a falling value is no distance);
- status: `achieved` when the current value meets the target; `not_met` when the target year has passed;
  otherwise the current value is compared with the straight line from the baseline to the target:
  ratio = (current − baseline) / (expected now − baseline); ≥ 0.95 `on_track`, ≥ 0.5 `moderate`,
  ≥ 0 `limited`, < 0 `deterioration` (Open SDG's thresholds); `insufficient` without a baseline
  earlier than the current value.
Pure functions over plain values and data frames; words live in the `progress` strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from minhbach.compute.disputes import key

ON_TRACK, MODERATE = 0.95, 0.5


def when(period: str) -> float:
    """The moment a figure refers to, in years: '2022' → 2023.0 (end of year), '2022-08' → 2022.667."""
    parts = str(period).split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return float(y + 1)
    return y + int(parts[1]) / 12


@dataclass(frozen=True)
class Progress:
    gap: float | None
    share: float | None
    expected: float | None  # the value on the straight line at the current value's time
    status: str
    baseline: float | None = None
    baseline_period: str | None = None
    current: float | None = None
    current_period: str | None = None
    moved_away: bool = False  # the value moved from its baseline away from the target: no share is given


def _meets(value: float, target: float, comparator: str | None) -> bool:
    if comparator in ("at_most", "max", "lte"):
        return value <= target
    return value >= target


def assess(
    target: float,
    comparator: str | None,
    target_year: int,
    current: float | None,
    current_period: str | None,
    baseline: float | None = None,
    baseline_period: str | None = None,
) -> Progress:
    """One target against its current value and baseline (see the module docstring for the method)."""
    if current is None or current_period is None or _nan(current) or _nan(target):
        return Progress(None, None, None, "insufficient", baseline, baseline_period, current, current_period)
    down = comparator in ("at_most", "max", "lte")
    gap = max(0.0, (current - target) if down else (target - current))
    b = float(baseline) if baseline is not None and not _nan(baseline) else None
    t0 = when(baseline_period) if b is not None and baseline_period is not None else None
    t = when(current_period)
    base_ok = b is not None and t0 is not None and t0 < t and b != target
    share, away = None, False
    if base_ok and b is not None:
        moved = (b - current) if down else (current - b)  # > 0: towards a target above (below) the baseline
        ahead = (b - target) if down else (target - b)  # > 0: the baseline did not meet the target yet
        if ahead > 0 and moved >= 0:
            share = moved / ahead * 100
        elif moved < 0:
            away = True
    out = Progress(gap, share, None, "", baseline, baseline_period, current, current_period, away)
    if _meets(current, target, comparator):
        return replace(out, gap=0.0, share=None if share is None else max(share, 100.0), status="achieved")
    due = float(target_year + 1)
    if t >= due:
        return replace(out, status="not_met")
    if b is None or t0 is None or not base_ok:
        return replace(out, status="insufficient")
    expected = b + (target - b) * (t - t0) / (due - t0)
    ratio = (current - b) / (expected - b) if expected != b else 0.0
    if ratio >= ON_TRACK:
        status = "on_track"
    elif ratio >= MODERATE:
        status = "moderate"
    else:
        status = "limited" if ratio >= 0 else "deterioration"
    return replace(out, expected=expected, status=status)


def _nan(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def target_progress(
    attainment: pd.DataFrame, observations: pd.DataFrame, disputed: set[tuple] | None = None
) -> pd.DataFrame:
    """Per target (rows of `attainment`): baseline, current value, gap, share, expected value and status.

    `observations` are canonical KPI observations; only province-level values count. A current value in
    `disputed` (figure keys, `disputes.key`) gives the status `disputed` and no gap or share; a restatement
    that is not a target of its plan (`not_in_plan`) has no progress.
    """
    disputed = disputed or set()
    obs = observations[observations["district_id"].isna() & observations["value"].notna()]
    by_kpi = {k: g for k, g in obs.groupby(["kpi_id", "province_id"])}
    rows = []
    for t in attainment.to_dict("records"):
        g = by_kpi.get((t["kpi_id"], t["province_id"]))
        p = Progress(None, None, None, "insufficient")
        printed: dict = {}
        if g is not None and not _nan(t["target_value"]) and t.get("status") != "not_in_plan":
            g = g.assign(_t=g["period"].map(when))
            g = g[g["_t"] <= t["target_year"] + 1].sort_values(["_t", "period"])
            if not g.empty:
                first, last = g.iloc[0], g.iloc[-1]
                p = assess(
                    float(t["target_value"]),
                    t["comparator"] if isinstance(t["comparator"], str) else None,
                    int(t["target_year"]),
                    float(last["value"]),
                    str(last["period"]),
                    float(first["value"]),
                    str(first["period"]),
                )
                if key(last) in disputed:
                    p = replace(p, gap=None, share=None, expected=None, status="disputed")
                ends = (("baseline", first), ("current", last))
                printed = {f"{n}_{c}": _text(r.get(c)) for n, r in ends for c in TEXT}
        rec = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in p.__dict__.items()}
        rows.append({"target_id": t["target_id"], **rec, **printed})
    cols = [
        "target_id",
        "gap",
        "share",
        "expected",
        "status",
        "baseline",
        "baseline_period",
        "current",
        "current_period",
        "moved_away",
    ] + [f"{n}_{c}" for n in ("baseline", "current") for c in TEXT]
    return pd.DataFrame(rows, columns=cols)


# what the document printed of the baseline and the current value: shown beside the numbers ("khoang 20%")
TEXT = ("as_written", "qualifier")


def _text(v) -> str | None:
    return None if _nan(v) or not isinstance(v, str) or not v.strip() else v
