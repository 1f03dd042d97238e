"""Plain view objects shared by the page views: no pandas object reaches a template, `None` marks what is missing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from minhbach import fmt


def clean(v: Any) -> Any:
    """pandas/numpy scalars to plain Python; NA and NaN to None."""
    if v is None:
        return None
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def record(d: dict) -> dict:
    return {k: clean(v) for k, v in d.items()}


def text(d: dict, base: str, lang: str) -> str | None:
    v = clean(d.get(f"{base}_{lang}"))
    return None if v is None or v == "" else str(v)


@dataclass(frozen=True)
class Ref:
    """Where a value was printed: the source document and its section."""

    source_id: str
    section: str | None = None


def ref(source_id: Any, section: Any = None) -> Ref | None:
    sid = clean(source_id)
    return Ref(str(sid), clean(section)) if sid else None


@dataclass(frozen=True)
class Link:
    key: str
    text: str


@dataclass(frozen=True)
class ScoreRow:
    """One reported score of a subject in a year, on both scales, with its rank and change."""

    year: int
    value_unit: float | None
    value_points: float | None
    max_points: float | None
    scale: str
    as_written: str | None
    rank: int | None
    rank_out_of: int | None
    rank_change: int | None
    score_change: float | None
    from_year: int | None
    ref: Ref | None
    rank_ref: Ref | None
    observation_id: str | None = None
    # the previous year's rank when it was out of another set of provinces (no change is computed then)
    rank_from: int | None = None
    rank_from_out_of: int | None = None
    rank_base_changed: bool = False
    # the change of rank the document itself prints ("tang 13 bac"), which may differ from the computed one
    printed_rank_change: int | None = None
    printed_rank_change_ref: Ref | None = None
    printed_rank_change_id: str | None = None

    @property
    def printed_differs(self) -> bool:
        """The printed change of rank is not the one computed from the two printed ranks."""
        return (
            self.printed_rank_change is not None
            and self.rank_change is not None
            and self.printed_rank_change != self.rank_change
        )

    @property
    def unit_decimals(self) -> int | None:
        """Decimals of the 0-1 value: as printed, or carried over from the printed points (never more exact)."""
        return fmt.scale_decimals(self.as_written, self.scale, "unit_interval", self.max_points)

    @property
    def points_decimals(self) -> int | None:
        """Decimals of the points: as printed, or carried over from the printed 0-1 value (0,6 of 100 is 60)."""
        return fmt.scale_decimals(self.as_written, self.scale, "points", self.max_points)

    @property
    def unit_as_written(self) -> str | None:
        """The printed text of the 0-1 value, only when the document printed it on that scale."""
        return self.as_written if self.scale == "unit_interval" else None

    @property
    def points_as_written(self) -> str | None:
        return self.as_written if self.scale == "points" else None


def _score_row(r: dict, change: dict | None, printed: dict | None = None) -> ScoreRow:
    change = record(change) if change else {}
    printed = record(printed) if printed else {}
    pv = printed.get("value")
    return ScoreRow(
        year=int(r["year"]),
        value_unit=r.get("value_unit"),
        value_points=r.get("value_points"),
        max_points=r.get("max_points"),
        scale=str(r.get("scale") or "unit_interval"),
        as_written=r.get("as_written"),
        rank=r.get("rank"),
        rank_out_of=r.get("rank_out_of"),
        rank_change=change.get("rank_change"),
        score_change=change.get("score_change"),
        from_year=change.get("from_year"),
        ref=ref(r.get("source_id"), r.get("section")),
        rank_ref=ref(r.get("rank_source_id"), r.get("rank_section")),
        observation_id=r.get("observation_id"),
        rank_from=change.get("rank_from"),
        rank_from_out_of=change.get("rank_from_out_of"),
        rank_base_changed=bool(change.get("rank_base_changed") or False),
        printed_rank_change=None if pv is None else int(pv),
        printed_rank_change_ref=ref(printed.get("source_id"), printed.get("section")),
        printed_rank_change_id=printed.get("observation_id"),
    )


def score_rows(q, level: str, sid: str, statistic: str = "province", province_id: str | None = None) -> list[ScoreRow]:
    return [
        _score_row(
            record({k: v for k, v in r.items() if k not in ("change", "printed_change")}),
            r.get("change"),
            r.get("printed_change"),
        )
        for r in q.score_rows(level, sid, statistic, province_id)
    ]


def latest(q, level: str, sid: str, statistic: str = "province", province_id: str | None = None) -> ScoreRow | None:
    rows = score_rows(q, level, sid, statistic, province_id)
    return rows[-1] if rows else None
