"""Reuse: what a journalist or an official needs to cite, download, embed, share or print a chart or a page.

Per chart and language (beside the SVG, PNG, CSV and .xlsx that the chart stage writes): a zip with the CSV of the
numbers drawn, `metadata.json` (title, unit, period, sources of every number, licence, citation) and a README in
both languages; and a small page of its own to embed (`embed/<chart>/`, `en/embed/<chart>/`). Per page: the
citation block and the social card (og:/twitter: meta, a PNG of the page's headline chart or figure).

Words come from the `reuse` strings; numbers and sources from the chart's data and its `origins`.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from minhbach.charts.model import LANGS, Chart
from minhbach.escape import esc
from minhbach.load.package import Package, licence, publisher_title
from minhbach.site import fmt


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

    @property
    def year(self) -> str:
        return self.created[:4]


def identity(pkg: Package, cat, base_url: str, preview: bool = False) -> Identity:
    from minhbach.compute.scores import publisher_province

    prov = pkg.t("province").set_index("province_id").loc[publisher_province(pkg)]
    lic = licence(pkg.descriptor)
    publisher, site, tagline = {}, {}, {}
    for lang in LANGS:
        publisher[lang] = publisher_title(pkg.descriptor, lang) or str(prov[f"name_{lang}"])
        kw = {"province": str(prov[f"name_{lang}"]), "publisher": publisher[lang], "licence": lic[0]}
        site[lang] = cat.get(lang, "site.name", **kw)
        tagline[lang] = cat.get(lang, "site.tagline", **kw)
    from minhbach.site.source_names import label, tip

    # a document in a citation: its title, issuer and date (the internal id is no name a reader knows)
    sources = {str(sid): {lang: tip(pkg, lang, str(sid)) for lang in LANGS} for sid in pkg.t("source")["source_id"]}

    short = {sid: {lang: label(pkg, lang, sid) for lang in LANGS} for sid in sources}
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
    )


def page_url(ident: Identity, key: str, lang: str) -> str:
    """The public address of a page (the default language at the root, the others under /<lang>/)."""
    prefix = "" if lang == LANGS[0] else f"{lang}/"
    return f"{ident.base_url}{prefix}{key + '/' if key else ''}"


def embed_key(chart_id: str) -> str:
    return f"embed/{chart_id}"


# ------------------------------------------------------------------ citations


def sources_text(ident: Identity, pairs: list[tuple[str, str]], lang: str, sections: bool = True) -> str:
    """'Title (issuer, date): section; section · Title (issuer, date)' in order of first use."""
    parts = []
    for sid, secs in _group(pairs):
        title = ident.sources.get(sid, {}).get(lang, sid)
        parts.append(title + (f": {'; '.join(secs)}" if sections and secs else ""))
    return " · ".join(parts)


def citation(ident: Identity, cat, lang: str, title: str, url: str, pairs: list[tuple[str, str]]) -> str:
    """A ready citation: publisher (year). Title. Site, release version. URL (accessed [date]). Sources."""
    text = cat.get(
        lang,
        "reuse.cite_text",
        publisher=ident.publisher[lang],
        year=ident.year,
        title=title,
        site=ident.site_name[lang],
        version=ident.version,
        url=url,
    )
    if pairs:
        text += " " + cat.get(lang, "reuse.citation_sources", sources=sources_text(ident, pairs, lang))
    return text


# ------------------------------------------------------------------ the chart's data, with provenance


def _number_columns(chart: Chart) -> list[str]:
    return [c.name for c in chart.columns if c.kind in ("number", "integer", "percent")]


def provenance(chart: Chart, ident: Identity, cat, lang: str) -> list[dict]:
    """Row by row (1 = the CSV's first data row), where each number of the CSV comes from."""
    table = chart.table(lang)
    numeric = _number_columns(chart)
    out = []
    for i, (rec, shown) in enumerate(
        zip(chart.data.to_dict("records"), table.to_dict("records"), strict=True), start=1
    ):
        values: dict[str, dict] = {}
        for col in numeric:
            if fmt.missing(shown.get(col)):
                continue
            o = chart.origin(col)
            if o is None:
                raise ValueError(f"chart {chart.chart_id}: column {col!r} has no origin")
            if o.is_computed(rec):
                entry: dict = {"computed": cat.get(lang, f"reuse.computed.{o.computed}")}
                if o.inputs:
                    entry["from_columns"] = list(o.inputs)
                if o.table:
                    entry["table"] = o.table
            elif o.table:
                entry = {"table": o.table}
            else:
                entry = {"source_id": str(rec.get(o.source) or ""), "section": str(rec.get(o.section) or "")}
            values[col] = entry
        out.append({"row": i, "values": values})
    return out


def _unit(cat, lang: str, code: str) -> str:
    if not code:
        return ""
    own = cat.raw(lang, "reuse.units")
    if isinstance(own, dict) and code in own:
        return str(own[code])
    return fmt.unit_label(code, lang)


def _period(chart: Chart, lang: str) -> list[str]:
    table = chart.table(lang)
    vals: set[str] = set()
    for c in chart.columns:
        if c.kind == "year" or c.name == "period":
            vals |= {fmt.year(v) if c.kind == "year" else str(v) for v in table[c.name] if not fmt.missing(v)}
    return sorted(vals)


def metadata(chart: Chart, ident: Identity, cat, lang: str, page_key: str) -> dict:
    pairs = chart.cited()
    url = page_url(ident, page_key, lang) + f"#chart-{chart.chart_id}"
    label, lic_url = ident.licence
    return {
        "id": chart.chart_id,
        "language": lang,
        "title": chart.title[lang],
        "description": chart.description[lang],
        "period": _period(chart, lang),
        "unit": {c.name: _unit(cat, lang, c.unit_code) for c in chart.columns if c.name in _number_columns(chart)},
        "columns": [
            {"name": c.name, "title": getattr(c, lang), "type": c.kind, "unit": _unit(cat, lang, c.unit_code)}
            for c in chart.columns
        ],
        "sources": [
            {
                "source_id": sid,
                "title": ident.sources.get(sid, {}).get(lang, sid),
                "sections": secs,
                "url": page_url(ident, f"sources/{sid}", lang),
            }
            for sid, secs in _group(pairs)
        ],
        "provenance": provenance(chart, ident, cat, lang),
        "publisher": ident.publisher[lang],
        "licence": {"name": label, "url": lic_url},
        "version": ident.version,
        "published": ident.created,
        "url": url,
        "embed_url": page_url(ident, embed_key(chart.chart_id), lang),
        "citation": citation(ident, cat, lang, chart.title[lang], url, pairs),
    }


def readme(chart: Chart, ident: Identity, cat, metas: dict[str, dict], lang: str) -> str:
    """README.md of the zip, in both languages (the reader's first)."""
    order = [lang] + [x for x in LANGS if x != lang]
    parts = []
    for x in order:
        m = metas[x]
        cols = "\n".join(
            f"- `{c['name']}`: {c['title']}" + (f" ({c['unit']})" if c["unit"] else "") for c in m["columns"]
        )
        srcs = "\n".join(
            f"- {s['title']}" + (f": {'; '.join(s['sections'])}" if s["sections"] else "") for s in m["sources"]
        )
        parts.append(
            cat.get(
                x,
                "reuse.readme",
                title=m["title"],
                description=m["description"],
                csv=f"{chart.chart_id}-{lang}.csv",
                columns=cols,
                sources=srcs or "-",
                licence=" ".join(p for p in (m["licence"]["name"], m["licence"]["url"]) if p),
                citation=m["citation"],
                url=m["url"],
                version=ident.version,
            ).strip()
        )
    return "\n\n---\n\n".join(parts) + "\n"


def _zip_bytes(entries: list[tuple[str, bytes]], created: str) -> bytes:
    """A zip whose bytes depend only on its entries and the release date (no clock, no file system metadata)."""
    try:
        y, mo, d = (int(x) for x in created.split("-"))
        stamp = (max(1980, y), mo, d, 0, 0, 0)
    except ValueError:
        stamp = (1980, 1, 1, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def write_chart_bundles(charts: dict, used: dict[str, str], out: Path, ident: Identity, cat) -> dict[str, list[str]]:
    """Per chart shown on a page and language: `<chart>-<lang>.zip` next to the chart's other files."""
    written: dict[str, list[str]] = {}
    for chart_id, page_key in sorted(used.items()):
        chart, files, _ = charts[chart_id]
        metas = {lang: metadata(chart, ident, cat, lang, page_key) for lang in LANGS}
        for lang in LANGS:
            csv = (out / files[lang]["csv"]).read_bytes()
            entries = [
                (files[lang]["csv"], csv),
                ("metadata.json", (json.dumps(metas[lang], ensure_ascii=False, indent=2) + "\n").encode("utf-8")),
                ("README.md", readme(chart, ident, cat, metas, lang).encode("utf-8")),
            ]
            name = f"{chart_id}-{lang}.zip"
            (out / name).write_bytes(_zip_bytes(entries, ident.created))
            written.setdefault(chart_id, []).append(name)
    return written


# ------------------------------------------------------------------ the reuse block under a chart


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
            f"{h.src(sid)}" + (f' <span class="mb-section">{esc(", ".join(secs))}</span>' if secs else "")
            for sid, secs in _group(pairs)
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


def _group(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
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


# ------------------------------------------------------------------ embed pages


def embed_pages(env, charts: dict, used: dict[str, str], ident: Identity, cat) -> dict[str, str]:
    """{site path: HTML} of each shown chart's own page per language (written beside the MkDocs output)."""
    from minhbach.site.pages import chart_table

    out = {}
    for chart_id, page_key in sorted(used.items()):
        chart, files, size = charts[chart_id]
        for lang in LANGS:
            f = files[lang]
            path = ("" if lang == LANGS[0] else f"{lang}/") + f"{embed_key(chart_id)}/index.html"
            up = "../" * path.count("/")
            pairs = chart.cited()
            view = {
                "lang": lang,
                "chart_id": chart_id,
                "title": chart.title[lang],
                "description": chart.description[lang],
                "site_name": ident.site_name[lang],
                "publisher": ident.publisher[lang],
                "page_url": page_url(ident, page_key, lang) + f"#chart-{chart_id}",
                "noindex": ident.preview,
                "spec": f"{up}assets/charts/{f['json']}",
                "svg": f"{up}assets/charts/{f['svg']}",
                "svg_narrow": f"{up}assets/charts/{f['svg_narrow']}" if f.get("narrow_size") else "",
                "narrow_size": f.get("narrow_size") or ("", ""),
                "size": size[lang],
                "script": f"{up}assets/js/minhbach.js",
                "table": chart_table(chart, lang, {s: v[lang] for s, v in ident.short_sources.items()}),
                "sources": sources_text(ident, pairs, lang),
                "licence": ident.licence[0],
                "licence_url": ident.licence[1],
                **{
                    k: cat.get(lang, key)
                    for k, key in (
                        ("loading", "chart.loading"),
                        ("failed", "chart.failed"),
                        ("interactive", "chart.interactive"),
                        ("data_table_label", "reuse.embed.data_table"),
                        ("sources_label", "reuse.sources"),
                        ("licence_label", "reuse.licence"),
                        ("full_page", "reuse.embed.full_page"),
                    )
                },
            }
            out[path] = env.get_template("embed.html.j2").render(e=view)
    return out


# ------------------------------------------------------------------ social cards

CARD_W, CARD_H = 1200, 630  # the Open Graph size: shown whole by Facebook, LinkedIn, Zalo and X's large card


def _xml(text: str) -> str:
    return html.escape(str(text), quote=True)


def _lines(text: str, width: int, most: int) -> list[str]:
    from minhbach.charts.render import wrap

    lines = wrap(text, width).split("|")
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return lines


def card_svg(site: str, title: str, chart_svg: str | None, lead: str, footer: str) -> tuple[str, bool]:
    """A 1200×630 card: the site, the page title, then the page's headline chart (scaled to fit) or its lead.
    Returns the SVG and whether the chart is on it."""
    from minhbach.charts.render import FONT

    font = _xml(FONT)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_W}" height="{CARD_H}" viewBox="0 0 {CARD_W} {CARD_H}">',
        f'<rect width="{CARD_W}" height="{CARD_H}" fill="#ffffff"/><rect width="14" height="{CARD_H}" fill="#3f51b5"/>',
        f'<text x="60" y="62" font-family="{font}" font-size="26" fill="#3f51b5">{_xml(site)}</text>',
    ]
    y = 118
    for line in _lines(title, 44, 3):
        parts.append(
            f'<text x="60" y="{y}" font-family="{font}" font-size="44" font-weight="bold" fill="#111">'
            f"{_xml(line)}</text>"
        )
        y += 52
    top, bottom = y - 10, CARD_H - 60
    m = re.search(r'viewBox="([\d.\s-]+)"', (chart_svg or "")[:600])
    vw, vh = (float(v) for v in m.group(1).split()[2:4]) if m else (1.0, 1e9)
    # a chart drawn smaller than 4/5 of its size has unreadable labels on a card: the page's lead stands in
    drawn = bool(chart_svg) and min((CARD_W - 120) / vw, (bottom - top) / vh) >= 0.8
    if chart_svg and drawn:
        inner = chart_svg.split(">", 1)[1].rsplit("</svg>", 1)[0]
        parts.append(
            f'<svg x="60" y="{top}" width="{CARD_W - 120}" height="{bottom - top}" viewBox="0 0 {vw:g} {vh:g}" '
            f'preserveAspectRatio="xMinYMid meet">{inner}</svg>'
        )
    elif lead:
        y = top + 56
        for line in _lines(lead, 56, 6):
            parts.append(f'<text x="60" y="{y}" font-family="{font}" font-size="34" fill="#222">{_xml(line)}</text>')
            y += 46
    parts.append(
        f'<text x="60" y="{CARD_H - 26}" font-family="{font}" font-size="22" fill="#444">{_xml(footer)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts), drawn


def social_cards(
    facts: dict[tuple[str, str], dict],
    charts: dict,
    chart_dir: Path,
    docs: Path,
    ident: Identity,
    cat,
    cache,
    stage_file,
) -> dict[str, dict]:
    """A PNG card per page and language in assets/social/, and the page meta the MkDocs hook puts into the head
    (keyed by the staged file's path)."""
    from concurrent.futures import ThreadPoolExecutor

    from minhbach.cache import of
    from minhbach.charts.render import svg_to_png

    cache = of(cache)  # one Cache for every card: one warning at most
    out_dir = docs / "assets" / "social"
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs, meta = [], {}
    for (key, lang), f in sorted(facts.items()):
        chart_svg, chart_alt = None, ""
        if f["chart"] and f["chart"] in charts:
            chart, files, _ = charts[f["chart"]]
            chart_svg = (chart_dir / files[lang]["svg"]).read_text(encoding="utf-8")
            chart_alt = chart.description[lang]
        footer = " · ".join(x for x in (ident.publisher[lang], ident.licence[0]) if x)
        # a page without a chart or a lead of its own shows the site's headline figure (the home page's lead)
        body = f["lead"] or facts.get(("", lang), {}).get("lead", "") or ident.tagline[lang]
        svg, drawn = card_svg(ident.site_name[lang], f["title"], chart_svg, body, footer)
        alt = f"{f['title']}. {chart_alt if drawn else body}"
        name = f"{(key or 'home').replace('/', '-')}-{lang}.png"
        jobs.append((out_dir / name, svg))
        meta[stage_file(Path(""), key, lang).as_posix()] = {
            "title": f["title"],
            "site_name": ident.site_name[lang],
            "description": f["lead"] or ident.tagline[lang],
            "url": page_url(ident, key, lang),
            "image": f"{ident.base_url}assets/social/{name}",
            "image_alt": alt,
            "width": CARD_W,
            "height": CARD_H,
            "locale": cat.get(lang, "reuse.og_locale"),
            "locale_alternate": [cat.get(x, "reuse.og_locale") for x in LANGS if x != lang],
        }
    with ThreadPoolExecutor(max_workers=2) as ex:
        pngs = list(ex.map(lambda j: svg_to_png(j[1], cache, scale=1, kind="card"), jobs))
    for (path, _), png in zip(jobs, pngs, strict=True):
        path.write_bytes(png)
    return meta
