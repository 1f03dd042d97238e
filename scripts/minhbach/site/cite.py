"""What a page shows for reuse: who publishes it (`Identity`), citations, the reuse block under a chart and the
citation block of every page, and a page's lead (for its description and card).

The files behind them (each chart's zip, its embed page, the social cards) are written by publish/reuse.py and
publish/cards.py; words come from the `reuse` strings.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from minhbach.charts.model import Chart
from minhbach.compute.scores import publisher_province
from minhbach.escape import esc
from minhbach.load.package import Package, licence, publisher_title
from minhbach.site.source_names import label as source_label
from minhbach.site.source_names import tip as source_tip


@dataclass(frozen=True)
class Identity:
    """Who publishes what, once per build: the same words in every citation, README and card."""

    base_url: str
    version: str
    created: str
    licence: tuple[str, str]
    publisher: dict[str, str]
    site_name: dict[str, str]
    tagline: dict[str, str]
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    preview: bool = False  # no public address: the embed pages, like every other page, are marked noindex
    short_sources: dict[str, dict[str, str]] = field(default_factory=dict)  # short titles, for table cells
    langs: tuple[str, ...] = ("vi", "en")  # the site's languages, the default first (the catalogue's)

    @property
    def year(self) -> str:
        return self.created[:4]


def identity(pkg: Package, cat, base_url: str, preview: bool = False) -> Identity:
    prov = pkg.t("province").set_index("province_id").loc[publisher_province(pkg)]
    lic = licence(pkg.descriptor)
    publisher, site, tagline = {}, {}, {}
    for lang in cat.langs:
        publisher[lang] = publisher_title(pkg.descriptor, lang) or str(prov[f"name_{lang}"])
        kw = {"province": str(prov[f"name_{lang}"]), "publisher": publisher[lang], "licence": lic[0]}
        site[lang] = cat.get(lang, "site.name", **kw)
        tagline[lang] = cat.get(lang, "site.tagline", **kw)
    # a document in a citation: its title, issuer and date (the internal id is no name a reader knows)
    sids = [str(s) for s in pkg.t("source")["source_id"]]
    sources = {sid: {lang: source_tip(pkg, lang, sid, cat) for lang in cat.langs} for sid in sids}
    short = {sid: {lang: source_label(pkg, lang, sid, cat) for lang in cat.langs} for sid in sources}
    return Identity(
        base_url=base_url,
        version=str(pkg.descriptor.get("version") or ""),
        created=str(pkg.descriptor.get("created") or "")[:10],
        licence=lic,
        publisher=publisher,
        site_name=site,
        tagline=tagline,
        sources=sources,
        preview=preview,
        short_sources=short,
        langs=cat.langs,
    )


def page_url(ident: Identity, key: str, lang: str) -> str:
    """The public address of a page (the default language at the root, the others under /<lang>/)."""
    prefix = "" if lang == ident.langs[0] else f"{lang}/"
    return f"{ident.base_url}{prefix}{key + '/' if key else ''}"


def embed_key(chart_id: str) -> str:
    return f"embed/{chart_id}"


# ------------------------------------------------------------------ citations


def sources_text(ident: Identity, pairs: list[tuple[str, str]], lang: str, sections: bool = True) -> str:
    """'Title (issuer, date): section; section · Title (issuer, date)' in order of first use."""
    parts = []
    for sid, secs in grouped(pairs):
        title = ident.sources.get(sid, {}).get(lang, sid)
        parts.append(title + (f": {'; '.join(secs)}" if sections and secs else ""))
    return " · ".join(parts)


def compose(publisher: str, year: str, title: str, *parts: str) -> str:
    """The one citation builder: every citation (a page's, a chart's, a dataset's, a release README's) has this shape,
    `Publisher (year). Title. Part. …`; empty parts are left out, each part is followed by a full stop. The words of
    each part come from the catalogues or the descriptor."""
    return f"{publisher} ({year}). " + " ".join(f"{p}." for p in (title, *parts) if p)


def citation(ident: Identity, cat, lang: str, title: str, url: str, pairs: list[tuple[str, str]]) -> str:
    """A ready citation: publisher (year). Title. Site, release version. URL (accessed [date]). Sources."""
    release = cat.get(lang, "reuse.cite_release", site=ident.site_name[lang], version=ident.version)
    accessed = cat.get(lang, "reuse.cite_accessed", url=url)
    sources = cat.get(lang, "reuse.citation_sources", sources=sources_text(ident, pairs, lang)) if pairs else ""
    return compose(ident.publisher[lang], str(ident.year), title, release, accessed, sources)


def chart_reuse(h, chart: Chart, files: dict, ident: Identity | None) -> Markup:
    """Downloads (PNG at its size, SVG, Excel, CSV, zip), the embed page, the sources and licence in a line, and
    the citation and iframe code to copy."""
    lang, f = h.lang, files[h.lang]
    charts = "assets/charts/"
    links = []
    if f.get("png"):
        w, hgt = f["png_size"]
        links.append((h.asset(charts + f["png"]), h.t("reuse.png", w=w, h=hgt), True))
    links += [
        (h.asset(charts + f["svg"]), h.t("reuse.svg"), True),
        (h.asset(charts + f["csv"][: -len(".csv")] + ".xlsx"), h.t("reuse.xlsx"), True),
        (h.asset(charts + f["csv"]), h.t("reuse.csv"), True),
    ]
    if ident is not None:
        links.append((h.asset(f"{charts}{chart.chart_id}-{lang}.zip"), h.t("reuse.zip"), True))
        links.append((h.href(embed_key(chart.chart_id)), h.t("reuse.embed_page"), False))
    links.append((h.asset(charts + f["json"]), h.t("reuse.spec"), False))
    items = "".join(
        f'<li><a href="{html.escape(href)}"{" download" if dl else ""}>{esc(text)}</a></li>' for href, text, dl in links
    )
    out = [
        f'<div class="mb-reuse"><p class="mb-chart__actions"><button type="button" '
        f'class="md-button mb-chart__interactive mb-js-only">{esc(h.t("chart.interactive"))}</button></p>',
        f'<ul class="mb-reuse__downloads" aria-label="{esc(h.t("reuse.downloads"))}">{items}</ul>',
    ]
    if ident is not None:
        pairs = chart.cited()
        lic_label, lic_url = ident.licence
        lic = f'<a href="{esc(lic_url)}" rel="license">{esc(lic_label)}</a>' if lic_url else esc(lic_label)
        srcs = "; ".join(
            f"{h.src(sid)}"
            + (f' <span class="mb-section">{Markup(", ").join(h.section(x) for x in secs)}</span>' if secs else "")
            for sid, secs in grouped(pairs)
        )
        out.append(
            f'<p class="mb-reuse__credit">{esc(h.t("reuse.sources"))}: {srcs or "–"} · '
            f"{esc(h.t('reuse.licence'))}: {lic}</p>"
        )
        url = page_url(ident, h.key, lang) + f"#chart-{chart.chart_id}"
        cite = citation(ident, h.catalogue, lang, chart.title[lang], url, pairs)
        height = int(files[lang].get("png_size", (0, 0))[1] / 2) + 140  # the chart, its caption and the links
        iframe = (
            f'<iframe src="{html.escape(page_url(ident, embed_key(chart.chart_id), lang))}" '
            f'title="{html.escape(chart.title[lang])}" '
            f'width="100%" height="{height}" style="border:0" loading="lazy"></iframe>'
        )
        out.append(
            f'<details class="mb-reuse__more"><summary>{esc(h.t("reuse.cite_embed"))}</summary>'
            f"{_copyable(h, 'cite', chart.chart_id, h.t('reuse.citation'), cite)}"
            f"{_copyable(h, 'embed', chart.chart_id, h.t('reuse.embed_code'), iframe)}</details>"
        )
    out.append("</div>")
    return Markup("".join(out))


def grouped(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """[(source id, its sections)] in order of first use, each section once."""
    by: dict[str, list[str]] = {}
    for sid, sec in pairs:
        by.setdefault(sid, [])
        if sec and sec not in by[sid]:
            by[sid].append(sec)
    return list(by.items())


def _copyable(h, kind: str, ident_: str, label: str, text: str) -> str:
    """A labelled read-only text box with a copy button (the button only with JavaScript)."""
    box = f"mb-{kind}-{h.ident(ident_)}"
    rows = max(2, min(8, len(text) // 60 + 2))
    return (
        f'<p class="mb-copy"><label for="{box}">{esc(label)}</label>'
        f'<textarea id="{box}" class="mb-copy__text" readonly rows="{rows}">{esc(text)}</textarea>'
        f'<button type="button" class="md-button mb-js-only mb-copy__button" data-copy="{box}" '
        f'data-done="{esc(h.t("reuse.copied"))}">{esc(h.t("reuse.copy"))}</button></p>'
    )


# ------------------------------------------------------------------ the citation block of every page


def page_reuse(h, title: str, ident: Identity, pairs: list[tuple[str, str]]) -> str:
    """Cite this page: the citation (documents, not every section), licence, print; a print-only line with the
    citation so that paper carries its address."""
    lang = h.lang
    url = page_url(ident, h.key, lang)
    docs = [(sid, "") for sid in dict.fromkeys(s for s, _ in pairs)]
    cite = citation(ident, h.catalogue, lang, title, url, docs)
    lic_label, lic_url = ident.licence
    lic = f'<a href="{esc(lic_url)}" rel="license">{esc(lic_label)}</a>' if lic_url else esc(lic_label)
    return (
        f'\n\n<section class="mb-cite" aria-labelledby="mb-cite-h">'
        f'<h2 id="mb-cite-h">{esc(h.t("reuse.cite_page"))}</h2>'
        f"{_copyable(h, 'cite', 'page', h.t('reuse.citation'), cite)}"
        f'<p class="mb-cite__licence">{esc(h.t("reuse.licence"))}: {lic} · '
        f'<button type="button" class="md-button mb-js-only mb-print">{esc(h.t("reuse.print"))}</button></p>'
        f'<p class="mb-print-only mb-cite__print" data-search-exclude>{esc(cite)}</p></section>\n'
    )


def lead_text(markdown: str) -> str:
    """The plain text of a page's lead paragraph (its first `mb-lead`), for its description and card."""
    m = re.search(r'<p class="mb-lead">(.*?)</p>', markdown, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
