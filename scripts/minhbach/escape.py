"""Untrusted text to inert HTML: nothing from data may run as HTML, Markdown or Jinja.

Every character that HTML, Python-Markdown or a template engine gives meaning to becomes a numeric
character reference. Browsers show the same text; no parser downstream sees syntax.
"""

from __future__ import annotations

from markupsafe import Markup

_SPECIAL = set("&<>\"'`*_[](){}#+-!|~\\$%^=:")


def esc(value) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup("".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in str(value)))


def attr(value) -> Markup:
    """For attribute values: same rules (quotes included), so the value cannot break out."""
    return esc(value)


def safe_href(url: str) -> str:
    """Only relative links and http(s)/mailto leave the page; `javascript:` and friends become '#'."""
    u = str(url).strip()
    low = "".join(u.split()).lower()
    if low.startswith(("http://", "https://", "mailto:")) or ":" not in low.split("/")[0]:
        return u
    return "#"
