"""The view layer: pure functions from the loaded package and the computed results to plain objects.

Each page of the site map may name a view (`view:` in site_src/sitemap.yml); its template then renders `v`,
an object of plain Python values (`None` for missing), never a data frame. Formatting happens in the
templates' macros (site_src/templates/_macros.j2), by the language of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minhbach.site.views import brief, dti, kpi, summary, tables


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
    "budget": brief.budget_page,
    "districts": tables.districts,
    "glossary": tables.glossary,
    "sources": tables.sources,
    "source": tables.source,
}
