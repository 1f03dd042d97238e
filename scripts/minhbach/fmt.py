"""Numbers, dates and labels per language: vi `0,3509` `50,65%` `1.177.370`; en `0.3509` `50.65%` `1,177,370`."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .numbers import decimals_printed

SEPARATORS = {"vi": (",", "."), "en": (".", ",")}
D3_LOCALE = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " VND"]},
}
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def missing(v) -> bool:
    return (
        v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or (not isinstance(v, str) and pd.isna(v))
    )


def number(v, lang: str, decimals: int | None = None, as_written: str | None = None, sign: bool = False) -> str:
    """Format v; with as_written, keep exactly the digits the source printed."""
    if missing(v):
        return "–"
    if decimals is None:
        decimals = decimals_printed(as_written) if as_written else _natural_decimals(v)
    q = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = q < 0
    whole, _, frac = f"{abs(q):f}".partition(".")
    dec, thou = SEPARATORS[lang]
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thou.join(groups) + (dec + frac if frac else "")
    if neg:
        return "−" + text
    return ("+" + text) if sign and q > 0 else text


def _natural_decimals(v) -> int:
    f = float(v)
    if f == int(f):
        return 0
    s = repr(f).split(".")[1]
    return min(len(s), 4)


def percent(v, lang: str, decimals: int | None = None, as_written: str | None = None) -> str:
    return "–" if missing(v) else number(v, lang, decimals, as_written) + "%"


def period(p: str, lang: str) -> str:
    """`2022-08` → `tháng 8/2022` / `August 2022`; `2021-12-15` → `15/12/2021` / `15 December 2021`."""
    parts = str(p).split("-")
    if len(parts) == 1:
        return parts[0]
    y, m = parts[0], int(parts[1])
    if len(parts) == 2:
        return f"tháng {m}/{y}" if lang == "vi" else f"{MONTHS_EN[m - 1]} {y}"
    d = int(parts[2])
    return f"{d:02d}/{m:02d}/{y}" if lang == "vi" else f"{d} {MONTHS_EN[m - 1]} {y}"


UNIT_LABELS = {
    "percent": ("%", "%"),
    "count": ("", ""),
    "per_100_people": ("/100 dân", "per 100 people"),
    "vnd": ("đồng", "VND"),
    "million_vnd": ("triệu đồng", "million VND"),
    "billion_vnd": ("tỷ đồng", "billion VND"),
    "members": ("thành viên", "members"),
    "followers": ("người theo dõi", "followers"),
    "people": ("người", "people"),
    "units": ("đơn vị", "units"),
    "households": ("hộ", "households"),
    "subscriptions": ("thuê bao", "subscriptions"),
    "points": ("điểm", "points"),
    "ratio": ("", ""),
    "minutes": ("phút", "minutes"),
    "per_month": ("/tháng", "per month"),
    "per_week": ("/tuần", "per week"),
    "mbps": ("Mbps", "Mbps"),
    "times": ("lần", "times"),
    "percentage_points": ("điểm phần trăm", "percentage points"),
}


def with_unit(v, unit: str, lang: str, as_written: str | None = None) -> str:
    if missing(v):
        return "–"
    if unit == "percent":
        return percent(v, lang, as_written=as_written)
    label = UNIT_LABELS.get(unit, ("", ""))[0 if lang == "vi" else 1]
    return f"{number(v, lang, as_written=as_written)} {label}".strip()
