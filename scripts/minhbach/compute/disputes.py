"""Disputed figures: a value that a finding shows impossible, misprinted or contradicted.

The state belongs to the value, not to one row: the same figure (KPI, place, period, value) printed in another
table or document is disputed too, and every place it appears carries the finding's mark. A target judged on a
disputed figure is `disputed`, never `achieved` (targets.attainment). Minor findings (rounding, truncation) do
not dispute a value; a misprint always does. The side the documents support (sides.py) is not disputed: a
period shift whose other document confirms the shifted figure in its own text disputes that document's table.
"""

from __future__ import annotations

import pandas as pd

# (kind → the fact roles whose value the finding disputes)
DISPUTING = {
    "misprint": {"misprinted"},
    "ratio": {"reported"},
    "combined_range": {"combined"},
    "period_shift": {"shifted"},
    "cross_source": {"shown", "other"},
}
ALWAYS = {"misprint"}


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def key(row) -> tuple:
    """The identity of a figure: KPI, province, district, period and value."""
    get = row.get if hasattr(row, "get") else row.__getitem__
    d = get("district_id")
    v = get("value")
    return (
        str(get("kpi_id")),
        str(get("province_id")),
        "" if _missing(d) else str(d),
        str(get("period")),
        None if _missing(v) else round(float(v), 9),
    )


def disputing_facts(findings: pd.DataFrame, facts: pd.DataFrame | None) -> dict[str, list[str]]:
    """kpi_observation row id → the findings that dispute its value."""
    if findings is None or findings.empty or facts is None or facts.empty:
        return {}
    kind = dict(zip(findings["finding_id"], findings["kind"], strict=True))
    severity = dict(zip(findings["finding_id"], findings["severity"], strict=True))
    side = dict(zip(findings["finding_id"], findings.get("supported", pd.Series(dtype=str)), strict=False))
    out: dict[str, list[str]] = {}
    position: dict[str, int] = {}
    for f in facts.to_dict("records"):
        fid = f["finding_id"]
        position[fid] = i = position.get(fid, -1) + 1
        k = kind.get(fid)
        if f["table"] != "kpi_observation" or not isinstance(f["row_id"], str) or k not in DISPUTING:
            continue
        roles = DISPUTING[k]
        if k == "period_shift" and side.get(fid) == "a":
            roles = {"other"}  # the other document's own text confirms the shifted figure: its table is wrong
        elif k == "cross_source" and side.get(fid) in ("a", "b") and i == ("a", "b").index(str(side[fid])):
            continue  # the passage the documents support (sides.py) is not disputed
        if f["role"] in roles and (k in ALWAYS or severity.get(fid) == "major"):
            ids = out.setdefault(f["row_id"], [])
            if f["finding_id"] not in ids:
                ids.append(f["finding_id"])
    return out


def disputed(pkg, findings: pd.DataFrame, facts: pd.DataFrame | None) -> dict[tuple, list[str]]:
    """Figure key → the findings that dispute it."""
    rows = disputing_facts(findings, facts)
    if not rows:
        return {}
    out: dict[tuple, list[str]] = {}
    for r in pkg.t("kpi_observation").to_dict("records"):
        for fid in rows.get(r["observation_id"], []):
            ids = out.setdefault(key(r), [])
            if fid not in ids:
                ids.append(fid)
    return out


def sibling_marks(pkg, findings: pd.DataFrame, facts: pd.DataFrame | None) -> dict[tuple[str, str], list[str]]:
    """(table, row id) → disputing findings, for every observation row that prints a disputed figure."""
    by_key = disputed(pkg, findings, facts)
    out: dict[tuple[str, str], list[str]] = {}
    if not by_key:
        return out
    for r in pkg.t("kpi_observation").to_dict("records"):
        ids = by_key.get(key(r))
        if ids:
            out[("kpi_observation", str(r["observation_id"]))] = list(ids)
    return out
