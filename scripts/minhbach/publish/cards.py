"""Social cards: a 1200×630 PNG per page and language (its headline chart, or its lead) and the page meta the
MkDocs hook puts into the head (og:/twitter: tags)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from minhbach.cache import of
from minhbach.charts.model import LANGS
from minhbach.charts.render import FONT, svg_to_png, wrap
from minhbach.site.cite import Identity, page_url

# ------------------------------------------------------------------ social cards

CARD_W, CARD_H = 1200, 630  # the Open Graph size: shown whole by Facebook, LinkedIn, Zalo and X's large card


def _xml(text: str) -> str:
    return html.escape(str(text), quote=True)


def _lines(text: str, width: int, most: int) -> list[str]:
    lines = wrap(text, width).split("|")
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return lines


def card_svg(site: str, title: str, chart_svg: str | None, lead: str, footer: str) -> tuple[str, bool]:
    """A 1200×630 card: the site, the page title, then the page's headline chart (scaled to fit) or its lead.
    Returns the SVG and whether the chart is on it."""
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
