"""Each view by the name a site-map entry gives it (`view:` in site_src/sitemap.yml), and what a view is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from minhbach.site.views import brief, dti, kpi, open_data, quality, summary, tables


@dataclass(frozen=True)
class ViewContext:
    pkg: Any
    res: Any
    q: Any
    lang: str
    row: dict | None = None
    published: dict = field(default_factory=dict)  # what the publish stage wrote (releases, latest, files)
    cat: Any = None  # the build's catalogue (words of the page's language)


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
    "quality": quality.quality,
    "open_data": open_data.open_data,
    "dataset": open_data.dataset,
    "whats_new": open_data.whats_new,
    "source": tables.source,
}
