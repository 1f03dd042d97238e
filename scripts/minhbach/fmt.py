"""Numbers, dates and labels per language: vi `0,3509` `50,65%` `1.177.370`; en `0.3509` `50.65%` `1,177,370`.

Format by what a field means: a year is a label (`year`), a score on 0–1 has four decimals, a printed value
keeps the digits it was printed with. Words (months, units) and separators come from the `fmt` strings of the
build's catalogue, passed as `cat`."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from minhbach.numbers import decimals_printed


def missing(v) -> bool:
    return (
        v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or (not isinstance(v, str) and pd.isna(v))
    )


def locale(cat, lang: str) -> dict:
    """The number format of a language, as d3-format takes it (`fmt.locale` of the catalogue): decimal mark,
    thousands separator, grouping, currency. Also given to vl-convert and, on the page, to the interactive chart."""
    return dict(cat.raw(lang, "fmt.locale"))


def number(v, lang: str, decimals: int | None = None, as_written: str | None = None, sign: bool = False, *, cat) -> str:
    """Format v; with as_written, keep exactly the digits the source printed; separators from `cat`."""
    if missing(v):
        return "–"
    if decimals is None:
        decimals = decimals_printed(as_written) if as_written else _natural_decimals(v)
    q = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = q < 0
    whole, _, frac = f"{abs(q):f}".partition(".")
    loc = cat.raw(lang, "fmt.locale")
    dec, thou = loc["decimal"], loc["thousands"]
    groups: list[str] = []
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


def scale_decimals(as_written, printed: str | None, wanted: str, max_points) -> int | None:
    """How many decimals a score on scale `wanted` may show when the document printed `as_written` on `printed`.

    The printed scale keeps its printed digits; the other scale is converted with the precision it came with, never
    more: 0,6 on 0-1 of an index of 100 points is 60 points (not 60,00); 61,5 points of 150 is 0,4100 on 0-1.
    None when nothing was printed (the caller's default then applies)."""
    if missing(as_written) or not str(as_written).strip():
        return None
    d = decimals_printed(str(as_written))
    if printed == wanted:
        return d
    if missing(max_points) or float(max_points) <= 0:
        return None
    digits = math.log10(float(max_points))
    if wanted == "points":
        return max(0, d - math.floor(digits))
    return d + math.ceil(digits)


def row_decimals(rec: dict, unit_code: str) -> int | None:
    """`scale_decimals` for a row of chart data that carries `as_written`, `scale` and `max_points`."""
    if unit_code not in ("unit_interval", "points") or "as_written" not in rec:
        return None
    return scale_decimals(rec.get("as_written"), rec.get("scale"), unit_code, rec.get("max_points"))


# a number as Vietnamese documents print it: thousands grouped by `.`, or a decimal comma
_VI_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.,]*\d)|(?<![\d.,])\d+,\d+(?![\d.,]*\d)")


def printed(text: str, lang: str, *, cat) -> str:
    """Printed text (`as_written`) in the page's language: on an English page each number in it takes English
    separators (`63.936` → `63,936`, `0,6` → `0.6`, `06/10` stays); the words and digits are kept as printed."""
    if lang == cat.default_lang or missing(text):
        return "" if missing(text) else str(text)
    loc = locale(cat, lang)
    dec, thou = loc["decimal"], loc["thousands"]

    def swap(m: re.Match) -> str:
        return m.group(0).replace(".", "\0").replace(",", dec).replace("\0", thou)

    return _VI_TOKEN.sub(swap, str(text))


def percent(v, lang: str, decimals: int | None = None, as_written: str | None = None, *, cat) -> str:
    return "–" if missing(v) else number(v, lang, decimals, as_written, cat=cat) + "%"


def period(p: str, lang: str, *, cat) -> str:
    """`2022-08` → 'August 2022' (words from the `fmt` strings); `2021-12-15` → a day, month and year."""
    parts = str(p).split("-")
    if len(parts) == 1:
        return parts[0]
    y, m = parts[0], int(parts[1])
    month = cat.raw(lang, "fmt.months")[m - 1]
    if len(parts) == 2:
        return cat.get(lang, "fmt.month_year", month=month, year=y)
    d = int(parts[2])
    return cat.get(lang, "fmt.day_month_year", day=d, dd=f"{d:02d}", mm=f"{m:02d}", month=month, year=y)


def year(v) -> str:
    """A year is a label, never a grouped number: 2021 → '2021' in every language."""
    if missing(v):
        return "–"
    return str(int(float(v))) if not isinstance(v, str) else v


def unit_label(unit: str, lang: str, *, cat) -> str:
    """The label of a unit in a language; an unknown unit shows its code."""
    units = cat.raw(lang, "fmt.units")
    return units.get(unit, unit) if isinstance(units, dict) else unit


# how many dong one unit of money is, and the units a page may show money in, largest first
MONEY_SCALE = {"vnd": 1.0, "thousand_vnd": 1e3, "million_vnd": 1e6, "billion_vnd": 1e9}
MONEY_DISPLAY = ("billion_vnd", "million_vnd", "vnd")


def money_unit(largest_vnd: float) -> str:
    """One unit for every amount of a page, from the magnitude of the largest: ty dong from a billion dong on."""
    return next((u for u in MONEY_DISPLAY if abs(largest_vnd) >= MONEY_SCALE[u]), "vnd")


def with_unit(v, unit: str, lang: str, as_written: str | None = None, *, cat) -> str:
    if missing(v):
        return "–"
    if unit == "percent":
        return percent(v, lang, as_written=as_written, cat=cat)
    label = unit_label(unit, lang, cat=cat) if unit in cat.raw(lang, "fmt.units") else ""
    return f"{number(v, lang, as_written=as_written, cat=cat)} {label}".strip()
