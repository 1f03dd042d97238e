"""Vietnamese number text <-> values, exactly (Decimal), as the sources print them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_VI_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^[+-]?\d+(?:,\d+)?$")


def parse_vi(text: str) -> Decimal | None:
    """Parse `1.177.370`, `0,3509`, `50,65%`, `+14`, `2.500.000,000`; None if it is not a number."""
    t = text.strip().replace("\u00a0", " ").rstrip("%").strip()
    if not _VI_NUMBER.match(t):
        return None
    try:
        return Decimal(t.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def decimals_printed(text: str) -> int:
    """Digits after the decimal comma in the printed value: the basis of rounding tolerances."""
    t = text.strip().rstrip("%").strip()
    return len(t.split(",", 1)[1]) if "," in t else 0


def half_ulp(text: str) -> Decimal:
    """Half a unit in the last printed place: how far the true value may be from what is printed."""
    return Decimal(5) / (Decimal(10) ** (decimals_printed(text) + 1))
