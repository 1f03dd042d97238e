"""The data-quality page's view: how many findings of each severity, the recomputed scores and what was checked,
as plain values (the findings themselves are worded by `findings_view`, grouped by the kind registry)."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.load.labels import subject_label
from minhbach.site.views.base import clean


@dataclass(frozen=True)
class Recomputation:
    label: str
    national_mean: bool
    year: int
    reported: float
    reported_as_written: str | None
    reported_scale: str
    reported_points: float | None
    recomputed: float
    difference: float
    tolerance: float
    agrees: bool
    source_id: str
    section: str | None


@dataclass(frozen=True)
class Quality:
    findings: int
    major: int
    minor: int
    recomputations: tuple[Recomputation, ...]
    fact_rows: int  # rows of the tables that cite a source (every one checked against its document)
    tables: int


def quality(c) -> Quality:
    f = c.res.findings
    major = 0 if f.empty else int((f["severity"] == "major").sum())
    r = c.res.recomputed
    recs = tuple(
        Recomputation(
            label=subject_label(c.pkg, x["level"], x["subject_id"], c.lang, c.cat),
            national_mean=x["statistic"] == "national_mean",
            year=int(x["year"]),
            reported=float(x["reported"]),
            reported_as_written=clean(x["reported_as_written"]),
            reported_scale=str(x["reported_scale"]),
            reported_points=clean(x["reported_points"]),
            recomputed=float(x["recomputed"]),
            difference=float(x["difference"]),
            tolerance=float(x["tolerance"]),
            agrees=bool(x["agrees"]),
            source_id=str(x["source_id"]),
            section=clean(x["section"]),
        )
        for x in ([] if r.empty else r.to_dict("records"))
    )
    resources = c.pkg.descriptor["resources"]
    rows = sum(len(c.pkg.tables[x["name"]]) for x in resources if "source_id" in c.pkg.tables[x["name"]].columns)
    return Quality(len(f), major, len(f) - major, recs, rows, len(resources))
