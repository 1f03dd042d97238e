"""Stage 5: stage every page (both languages) as Markdown + inert HTML into the MkDocs docs folder.

Templates live in site_src/templates (structure) and site_src/strings/<lang>.yml (all UI text);
hand-written prose pages per language in site_src/pages/<lang>/. Values from data reach the page
only through escape.esc (the Jinja finalize hook), so cells are shown, never executed.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from minhbach import fmt, strings
from minhbach.compute.scores import Results
from minhbach.escape import esc
from minhbach.load.package import Package
from minhbach.site import cite
from minhbach.site.ctx import Ctx
from minhbach.site.queries import Q
from minhbach.site.sitemap import Page, explore
from minhbach.site.views.registry import VIEWS, ViewContext

__all__ = ["Ctx", "Page", "Renderer", "load_strings", "stage_file"]


def load_strings(site_src: Path) -> dict:
    return strings.load(site_src).by_lang


# ------------------------------------------------------------------ page contexts


class Renderer:
    def __init__(
        self,
        pkg: Package,
        res: Results,
        site_src: Path,
        charts: dict,
        pages: list[Page] | None = None,
        downloads: dict | None = None,
        extra_globals: dict | None = None,
        catalogue=None,
        identity=None,
    ):
        self.pkg, self.res, self.site_src, self.charts = pkg, res, site_src, charts
        self.q = Q(pkg, res)
        self.identity = identity
        self.used: dict[str, str] = {}  # chart id -> the first page that shows it
        self.facts: dict[tuple[str, str], dict] = {}  # (page key, lang) -> headline chart, lead, title
        self.pages = pages or []
        self.downloads = downloads or {}
        self.catalogue = catalogue or strings.load(site_src)
        self.strings = self.catalogue.by_lang
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(site_src / "templates")),
            autoescape=True,
            finalize=esc,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(extra_globals or {})
        self.env.filters["e"] = esc
        self.env.globals["fmt_missing"] = fmt.missing
        cat = self.catalogue
        self.env.filters["printed"] = lambda text, lang: fmt.printed(
            text, lang, cat=cat
        )  # numbers in the page's language

    def render(self, page: Page, lang: str, data: dict) -> str:
        h = Ctx(self.pkg, self.res, self.strings[lang], lang, page.key, self.charts)
        h.q, h.downloads, h.site_src = self.q, self.downloads, self.site_src
        h.catalogue = self.catalogue
        h.identity = self.identity
        h.page_keys = frozenset(p.key for p in self.pages) if self.pages else None
        tpl = self.env.get_template(page.template)
        v = None
        if page.spec is not None and page.spec.view:
            row = next(iter(page.context.values()), None) if page.context else None
            v = VIEWS[page.spec.view](
                ViewContext(self.pkg, self.res, self.q, lang, row, {**data, **page.context}, self.catalogue)
            )
        text = tpl.render(
            h=h,
            v=v,
            lang=lang,
            default_lang=self.catalogue.default_lang,  # the data's own language (as written), at the site root
            page=page,
            title=page.title[lang],
            explore=explore(self.pages, self.catalogue, lang),
            **data,
            **page.context,
        )
        for cid in h.charts_shown:
            self.used.setdefault(cid, page.key)
        self.facts[(page.key, lang)] = {
            "chart": h.charts_shown[0] if h.charts_shown else None,
            "lead": cite.lead_text(text),
            "title": page.title[lang],
        }
        if self.identity is not None:
            text = text.rstrip("\n") + cite.page_reuse(h, page.title[lang], self.identity, h.cited)
        # blank lines inside raw HTML would end the HTML block in Python-Markdown
        return re.sub(r"\n{3,}", "\n\n", text)


def stage_file(docs: Path, key: str, lang: str, default_lang: str) -> Path:
    """The staged Markdown of a page (mkdocs-static-i18n's suffix layout: `page.md`, `page.en.md`)."""
    base = "index" if not key else key
    return docs / (f"{base}.md" if lang == default_lang else f"{base}.{lang}.md")
