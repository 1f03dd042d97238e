"""One Excel cell to CSV text, with the problem in the staff's words when the value cannot be taken as is."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from minhbach.workbook.common import MAX_CELL_CHARS, both, control_character, format_number, say

_INT_TEXT = re.compile(r"^[+-]?\d+$")
# Excel writes a control character it cannot put in XML as "_x000B_"; openpyxl leaves that escape as text
_ESCAPED_CONTROL = re.compile(r"_x00(0[0-8BCEF]|1[0-9A-F]|7F)_", re.IGNORECASE)


def blank(cell) -> bool:
    return cell is None or cell.value is None or cell.value == ""


def same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _kind(typ: str, lang: str) -> str:
    return say(lang, "kind.integer" if typ == "integer" else "kind.number")


def _text_problem(text: str) -> tuple | None:
    """Text no table can hold: longer than an Excel cell, or with a control character."""
    if len(text) > MAX_CELL_CHARS:
        return (
            "cell-too-long",
            both("issue.cell_too_long", length=len(text), limit=MAX_CELL_CHARS),
            text[:40] + "...",
            both("issue.cell_too_long_expected", limit=MAX_CELL_CHARS),
        )
    bad = control_character(text)
    if bad is None and (m := _ESCAPED_CONTROL.search(text)):
        bad = f"U+{int(m.group(1), 16):04X}"
    if bad is not None:
        return (
            "control-character",
            both("issue.control_character", char=bad),
            text[:80],
            both("issue.control_expected"),
        )
    return None


def cell_text(cell, f: dict) -> tuple[str, tuple | None]:
    """(CSV text, None) or (CSV text, (code, message, value, expected)) for one cell of field f."""
    typ = f.get("type", "string")
    v = None if cell is None else cell.value
    if v is None:
        return "", None
    if isinstance(v, str) and v == "":
        return "", None
    if isinstance(v, str) and (problem := _text_problem(v)) is not None:
        return v, problem
    if typ in ("integer", "number"):
        kind = f"{_kind(typ, 'vi')} / {_kind(typ, 'en')}"
        if isinstance(v, bool):
            msg = f"{say('vi', 'issue.bool_in_number', kind=_kind(typ, 'vi'))} / " + say(
                "en", "issue.bool_in_number", kind=_kind(typ, "en")
            )
            return str(v).lower(), ("not-a-number", msg, str(v), kind)
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                return str(v), ("not-a-number", both("issue.not_finite"), str(v), kind)
            fmt = getattr(cell, "number_format", "") or ""
            if "%" in fmt.replace('"%"', "").replace("\\%", ""):
                return format_number(v), (
                    "percent-format",
                    both("issue.percent_format"),
                    format_number(v),
                    both("issue.percent_expected"),
                )
            if typ == "integer" and isinstance(v, float) and not v.is_integer():
                return format_number(v), ("not-an-integer", both("issue.not_integer"), format_number(v), kind)
            return format_number(v), None
        if isinstance(v, (dt.datetime, dt.date, dt.time)):
            return v.isoformat(), ("not-a-number", both("issue.date_in_number"), v.isoformat(), kind)
        text = unicodedata.normalize("NFC", str(v))
        if _INT_TEXT.match(text):
            return str(int(text)), None
        msg = f"{say('vi', 'issue.text_in_number', text=repr(text), kind=_kind(typ, 'vi'))} / " + say(
            "en", "issue.text_in_number", text=repr(text), kind=_kind(typ, "en")
        )
        return text, ("not-a-number", msg, text[:80], kind)
    if typ == "boolean":
        if isinstance(v, bool):
            return ("true" if v else "false"), None
        text = unicodedata.normalize("NFC", str(v))
        if text.lower() in ("true", "false"):
            return text.lower(), None
        return text, ("not-a-boolean", both("issue.not_boolean"), text[:80], both("issue.boolean_expected"))
    # text (and any other type): the cell as text
    if isinstance(v, bool):
        return ("true" if v else "false"), None
    if isinstance(v, (int, float)):
        return format_number(v), None
    if isinstance(v, dt.datetime):
        text = v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
        return text, ("date-in-text-column", both("issue.date_in_text"), text, both("issue.text_expected"))
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat(), (
            "date-in-text-column",
            both("issue.time_in_text"),
            v.isoformat(),
            both("issue.text_expected"),
        )
    return unicodedata.normalize("NFC", str(v)), None
