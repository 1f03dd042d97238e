"""Each view by the name a site-map entry gives it (`view:` in site_src/sitemap.yml), and what a view is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minhbach.site.views import dti, kpi, summary, tables


@dataclass(frozen=True)
class ViewContext:
    pkg: Any
    res: Any
    q: Any
    lang: str
    row: dict | None = None


VIEWS: dict[str, Callable[[ViewContext], Any]] = {
    "home": dti.home,
    "pillar": dti.pillar,
    "main_index": dti.main_index,
    "province": dti.province,
    "methodology": dti.methodology,
    "kpi": kpi.kpi,
    "summary": summary.summary,
    "plan": tables.plan,
    "budget": tables.budget,
    "districts": tables.districts,
    "glossary": tables.glossary,
    "sources": tables.sources,
    "source": tables.source,
}
