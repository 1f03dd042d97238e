"""Where the published files a page links to live: a module of its own, so that the page head (mkdocs_hooks), the
catalogue and schema.org name the same files the publish stage writes without importing that stage."""

from __future__ import annotations


def excel_path(csv_path: str) -> str:
    """data/x.csv -> excel/x.xlsx: where the typed workbook of a table lives in a release."""
    p = csv_path.replace("data/", "excel/", 1)
    return p[:-4] + ".xlsx" if p.endswith(".csv") else p + ".xlsx"


def feed_name(lang: str) -> str:
    return "feed.xml" if lang == "vi" else f"feed-{lang}.xml"
