"""Small synthetic packages for the finding checks: the shipped schema and dimensions, tiny fact tables."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd

from minhbach.findings.run import compute_all
from minhbach.load.package import Package, load_package
from minhbach.numbers import parse_vi

ROOT = Path(__file__).resolve().parents[1]
FACTS = [
    "kpi_observation",
    "kpi_change",
    "context_figure",
    "target",
    "budget_item",
    "budget_table",
    "dti_observation",
    "sub_indicator_count",
    "sub_indicator_assessment",
]
_BASE: list[Package] = []


def base() -> Package:
    if not _BASE:
        _BASE.append(load_package(ROOT))
    return _BASE[0]


def empty_like(pkg: Package, name: str) -> pd.DataFrame:
    return pkg.t(name).iloc[0:0].copy()


def frame(pkg: Package, name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows with the table's own columns and dtypes (missing cells empty)."""
    e = empty_like(pkg, name)
    if not rows:
        return e
    df = pd.DataFrame([{c: r.get(c, pd.NA) for c in e.columns} for r in rows])
    for c in e.columns:
        try:
            df[c] = df[c].astype(e[c].dtype)
        except (TypeError, ValueError):
            pass
    return df


KPIS = [
    ("k-pct", "percent", None),
    ("k-cnt", "count", None),
    ("k-a", "percent", None),
    ("k-b", "percent", None),
    ("k-comb", "percent", "k-a k-b"),
]


def mini(**tables: list[dict]) -> Package:
    """The shipped package with every fact table emptied, a few synthetic KPIs, and the given rows."""
    src = base()
    p = copy.copy(src)
    p.tables = dict(src.tables)
    for name in FACTS:
        p.tables[name] = empty_like(src, name)
    kpi = [
        {
            "kpi_id": k,
            "name_vi": f"Chỉ tiêu {k}",
            "name_en": f"Indicator {k}",
            "unit": unit,
            "main_index_id": "awareness",
            "direction": "higher_is_better",
            "combines": comb,
        }
        for k, unit, comb in KPIS
    ]
    p.tables["kpi"] = frame(src, "kpi", kpi)
    for name, rows in tables.items():
        p.tables[name] = frame(src, name, rows)
    return p


_N = [0]


def obs(kpi, period, aw, src="dn-2022-results", sec="S", num=None, den=None, district=None, **kw) -> dict:
    """A KPI observation whose value is its printed text read strictly (ratios as numerator/denominator)."""
    _N[0] += 1
    row = {
        "observation_id": f"o{_N[0]}",
        "kpi_id": kpi,
        "province_id": "dak-nong",
        "district_id": district,
        "period": period,
        "value": float(parse_vi(aw)),
        "qualifier": "exact",
        "source_id": src,
        "section": sec,
        "as_written": aw,
    }
    if num is not None:
        row.update(
            numerator=float(parse_vi(num)),
            denominator=float(parse_vi(den)),
            numerator_as_written=num,
            denominator_as_written=den,
        )
    return {**row, **kw}


def change(kpi, aw, direction="increase", src="dn-2022-results", sec="S", change_type="difference") -> dict:
    _N[0] += 1
    return {
        "change_id": f"c{_N[0]}",
        "kpi_id": kpi,
        "province_id": "dak-nong",
        "from_period": "2021",
        "to_period": "2022",
        "change_type": change_type,
        "direction": direction,
        "value": float(parse_vi(aw)),
        "source_id": src,
        "section": sec,
        "as_written": aw,
    }


def findings_of(pkg: Package, kind: str | None = None) -> pd.DataFrame:
    f = compute_all(pkg).findings
    return f if kind is None else f[f["kind"] == kind]
