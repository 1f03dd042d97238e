"""The site map: the page specs of site_src/sitemap.yml, expanded over the data package.

One registry decides which pages exist, their titles in every language, the nav and its section labels, the
home page's links and each page's downloads, so adding a page is an entry, a template and its strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from minhbach.errors import Failed, Issue
from minhbach.strings import LANGS, Catalogue

SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_SPEC_KEYS = {
    "key",
    "template",
    "title",
    "title_from",
    "max_length",
    "section",
    "over",
    "as",
    "sort",
    "requires",
    "min_rows",
    "needs",
    "by",
    "requires_values",
    "explore",
    "downloads",
    "view",
}


@dataclass(frozen=True)
class PageSpec:
    key: str
    template: str
    title: str | None = None
    title_from: str | None = None
    max_length: int | None = None
    section: str | None = None
    over: str | None = None
    as_: str | None = None
    sort: str | None = None
    requires: tuple[str, ...] = ()
    min_rows: tuple[tuple[str, int], ...] = ()
    needs: tuple[str, ...] = ()  # per row: tables that must name the row (by `by`), else no page for that row
    by: str | None = None
    requires_values: tuple[tuple[str, str], ...] = ()  # {table: field}: a row of the table with the field filled
    explore: bool | str = False
    downloads: tuple[str, ...] = ()
    view: str | None = None


@dataclass
class Page:
    """One page of the site, language-neutral: its key (URL path), template, titles and template context."""

    key: str
    template: str
    title: dict[str, str]
    context: dict[str, Any] = field(default_factory=dict)
    nav_section: str | None = None
    spec: PageSpec | None = None

    @property
    def path(self) -> str:
        return "/" if not self.key else f"/{self.key}/"


def read_specs(site_src: Path) -> list[PageSpec]:
    path = Path(site_src) / "sitemap.yml"
    where = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise Failed([Issue("sitemap", f"the site map cannot be read: {e}", file=where)]) from e
    entries = doc.get("pages") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise Failed([Issue("sitemap", "the site map needs a non-empty list `pages:`", file=where)])
    specs, issues = [], []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "key" not in entry or "template" not in entry:
            issues.append(Issue("sitemap", "an entry needs `key` and `template`", file=where, row=i))
            continue
        unknown = sorted(set(entry) - _SPEC_KEYS)
        if unknown:
            issues.append(
                Issue(
                    "sitemap",
                    f"unknown field(s) {', '.join(unknown)}",
                    file=where,
                    row=i,
                    expected=", ".join(sorted(_SPEC_KEYS)),
                )
            )
        if not entry.get("title") and not entry.get("title_from"):
            issues.append(Issue("sitemap", "an entry needs `title` (a string key) or `title_from`", file=where, row=i))
        specs.append(
            PageSpec(
                key=str(entry["key"]),
                template=str(entry["template"]),
                title=entry.get("title"),
                title_from=entry.get("title_from"),
                max_length=entry.get("max_length"),
                section=entry.get("section"),
                over=entry.get("over"),
                as_=entry.get("as"),
                sort=entry.get("sort"),
                requires=tuple(entry.get("requires") or ()),
                min_rows=tuple(sorted((entry.get("min_rows") or {}).items())),
                needs=tuple(entry.get("needs") or ()),
                by=entry.get("by"),
                requires_values=tuple(sorted((entry.get("requires_values") or {}).items())),
                explore=entry.get("explore") or False,
                downloads=tuple(entry.get("downloads") or ()),
                view=entry.get("view"),
            )
        )
    if issues:
        raise Failed(issues)
    return specs


def _rows(pkg, spec: PageSpec) -> list[dict]:
    if spec.over == "resources":
        return [dict(r) for r in pkg.descriptor.get("resources", [])]
    df = pkg.tables.get(spec.over)
    if df is None or df.empty:
        return []
    if spec.sort and spec.sort in df.columns:
        df = df.sort_values(spec.sort, kind="stable")
    return df.to_dict("records")


def _named(pkg, spec: PageSpec, row: dict) -> bool:
    """Absence is silence: a row's page is built only when something is said about it. For the descriptor's
    resources (`needs: [rows]`) that is a table with at least one row; otherwise one of the `needs` tables names
    the row's `by` value."""
    if spec.over == "resources":
        return _count(pkg, str(row.get("name"))) > 0
    value = row.get(spec.by or "")
    for t in spec.needs:
        df = pkg.tables.get(t)
        if df is not None and spec.by in df.columns and (df[spec.by] == value).any():
            return True
    return False


def _filled(pkg, table: str, field: str) -> bool:
    df = pkg.tables.get(table)
    return df is not None and field in df.columns and bool(df[field].notna().any())


def _count(pkg, table: str) -> int:
    df = pkg.tables.get(table)
    return 0 if df is None else len(df)


def _title(spec: PageSpec, row: dict | None, cat: Catalogue) -> dict[str, str]:
    if spec.title:
        return cat.both(f"pages.{spec.title.removeprefix('pages.')}")
    base = spec.title_from or "name"
    out = {}
    for lang in LANGS:
        if row is None:
            text = ""
        elif f"{base}_{lang}" in row:
            text = row[f"{base}_{lang}"]
        elif lang == LANGS[0]:
            text = row.get(base, "")
        else:  # a descriptor resource: other languages under x-i18n
            text = ((row.get("x-i18n") or {}).get(lang) or {}).get(base) or row.get("name", "")
        text = "" if text is None else str(text)
        out[lang] = text[: spec.max_length] if spec.max_length else text
    return out


def expand(pkg, site_src: Path, cat: Catalogue) -> list[Page]:
    """Every page of the site, in nav order, for this package."""
    pages: list[Page] = []
    issues: list[Issue] = []
    for spec in read_specs(site_src):
        if any(_count(pkg, t) == 0 for t in spec.requires):
            continue
        if any(_count(pkg, t) < n for t, n in spec.min_rows):
            continue
        if any(not _filled(pkg, t, f) for t, f in spec.requires_values):
            continue
        rows: list[dict | None] = [None] if spec.over is None else list(_rows(pkg, spec))
        for row in rows:
            try:
                key = spec.key.format(**row) if row is not None else spec.key
            except (KeyError, IndexError, ValueError) as e:
                issues.append(
                    Issue(
                        "sitemap",
                        f"page key {spec.key!r} cannot be filled from {spec.over}: {e}",
                        file="site_src/sitemap.yml",
                    )
                )
                break
            if key and not SAFE_KEY.match(key):
                issues.append(
                    Issue(
                        "unsafe-page-key",
                        "a page path made from data is not a safe path",
                        file=spec.over,
                        value=key,
                        expected="letters, digits, . _ - and /",
                    )
                )
                continue
            if spec.needs and (row is None or not _named(pkg, spec, row)):
                continue  # checked after the key: an unsafe path from data is refused even when it has no page
            context = {spec.as_: row} if spec.as_ and row is not None else {}
            pages.append(Page(key, spec.template, _title(spec, row, cat), context, spec.section, spec))
    seen: set[str] = set()
    for p in pages:
        if p.key in seen:
            issues.append(Issue("sitemap", "two pages have the same path", file="site_src/sitemap.yml", value=p.key))
        seen.add(p.key)
    if issues:
        raise Failed(issues)
    return pages


def source_file(key: str) -> str:
    """The staged Markdown file of a page (the default language's; others add `.<lang>` before `.md`)."""
    return "index.md" if not key else f"{key}.md"


def nav(pages: list[Page], cat: Catalogue, lang: str) -> list:
    """The nav of one language: titles from the registry (HTML-escaped: MkDocs inserts them as they are), grouped
    by section in order of first appearance (nested, since one flat list makes MkDocs quadratic)."""
    import html

    out: list = []
    grouped: dict[str, list] = {}
    for p in pages:
        item = {html.escape(p.title[lang] or p.key, quote=False): source_file(p.key)}
        if p.nav_section:
            if p.nav_section not in grouped:
                grouped[p.nav_section] = []
                out.append(
                    {html.escape(cat.get(lang, f"nav_sections.{p.nav_section}"), quote=False): grouped[p.nav_section]}
                )
            grouped[p.nav_section].append(item)
        else:
            out.append(item)
    return out


def explore(pages: list[Page], cat: Catalogue, lang: str) -> list[tuple[str, str]]:
    """(page key, link text) of the pages the home page invites the reader to explore."""
    out = []
    for p in pages:
        ex = p.spec.explore if p.spec is not None else False
        if ex:
            out.append((p.key, cat.get(lang, ex) if isinstance(ex, str) else p.title[lang]))
    return out
