"""Reuse: what a journalist or an official needs to cite, download, embed, share or print a chart or a page.

Per chart and language (beside the SVG, PNG, CSV and .xlsx that the chart stage writes): a zip with the CSV of the
numbers drawn, `metadata.json` (title, unit, period, sources of every number, licence, citation) and a README in
both languages; and a small page of its own to embed (`embed/<chart>/`, `en/embed/<chart>/`). The blocks a page
shows (citations, the reuse block under a chart) are site/cite.py; the social cards are publish/cards.py.

Words come from the `reuse` strings; numbers and sources from the chart's data and its `origins`.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from minhbach import fmt
from minhbach.charts.model import Chart
from minhbach.site.cite import Identity, citation, embed_key, grouped, page_url, sources_text
from minhbach.site.html import chart_table

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
    return fmt.unit_label(code, lang, cat=cat)


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
            {"name": c.name, "title": c.label(lang), "type": c.kind, "unit": _unit(cat, lang, c.unit_code)}
            for c in chart.columns
        ],
        "sources": [
            {
                "source_id": sid,
                "title": ident.sources.get(sid, {}).get(lang, sid),
                "sections": secs,
                "url": page_url(ident, f"sources/{sid}", lang),
            }
            for sid, secs in grouped(pairs)
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
    """README.md of the zip, in every language of the site (the reader's first)."""
    order = [lang] + [x for x in cat.langs if x != lang]
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
        metas = {lang: metadata(chart, ident, cat, lang, page_key) for lang in cat.langs}
        for lang in cat.langs:
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


# ------------------------------------------------------------------ embed pages


def embed_pages(env, charts: dict, used: dict[str, str], ident: Identity, cat) -> dict[str, str]:
    """{site path: HTML} of each shown chart's own page per language (written beside the MkDocs output)."""
    out = {}
    for chart_id, page_key in sorted(used.items()):
        chart, files, size = charts[chart_id]
        for lang in cat.langs:
            f = files[lang]
            path = ("" if lang == cat.langs[0] else f"{lang}/") + f"{embed_key(chart_id)}/index.html"
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
                "table": chart_table(chart, lang, cat, {s: v[lang] for s, v in ident.short_sources.items()}),
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
                        ("table_label", "head.table_label"),
                        ("search_label", "head.search_label"),
                    )
                },
                "locale": json.dumps(fmt.locale(cat, lang), ensure_ascii=False),
            }
            out[path] = env.get_template("embed.html.j2").render(e=view)
    return out
