"""HTML pieces of a page, every value escaped: relative links, data tables (a chart's among them), links and the
schema's enum labels."""

from __future__ import annotations

import posixpath
import re

from markupsafe import Markup

from minhbach import fmt
from minhbach.charts.model import Chart
from minhbach.escape import esc
from minhbach.strings import Catalogue


def url_of(key: str) -> str:
    return "/" if not key else f"/{key}/"


def rel(from_key: str, to: str, lang: str, default_lang: str, shared: bool = False) -> str:
    """Relative URL from a page to another page (same language) or to a shared asset; the default language's
    pages are at the root, each other language's under /<lang>/."""
    prefix = "" if lang == default_lang else f"/{lang}"
    here = prefix + url_of(from_key)
    target = to if shared else prefix + (to if to.startswith("/") else url_of(to))
    r = posixpath.relpath(target, here)
    if target.endswith("/") and not r.endswith("/"):
        r += "/"
    return r


# ------------------------------------------------------------------ HTML pieces (all values escaped)


def chart_table(chart: Chart, lang: str, cat: Catalogue, names: dict | None = None) -> Markup:
    """The data table of a chart: every cell formatted by its column's kind (a year is never grouped); a text cell
    that is a document's id reads its short title (`names`)."""
    names = names or {}
    heads = [col.label(lang) for col in chart.columns]
    rows = []
    for rec, full in zip(chart.table(lang).to_dict("records"), chart.data.to_dict("records"), strict=True):
        row = []
        for col in chart.columns:
            v = rec[col.name]
            if fmt.missing(v):
                row.append("")
            elif col.kind == "year":
                row.append(fmt.year(v))
            elif col.kind in ("number", "integer", "percent"):
                dec = col.decimals if col.decimals is not None else (0 if col.kind == "integer" else None)
                printed = fmt.row_decimals(full, col.unit_code)  # a score keeps the precision it was printed with
                row.append(fmt.number(v, lang, decimals=dec if printed is None else printed, cat=cat))
            else:
                row.append(names.get(v, v) if isinstance(v, str) else v)
        rows.append(row)
    numeric = {i for i, col in enumerate(chart.columns) if col.kind not in ("text", "year")}
    return table(heads, rows, caption=chart.title[lang], numeric=numeric)


def table(headers: list, rows: list[list], caption=None, numeric: set | None = None, cls: str = "") -> Markup:
    """A data table; every cell carries its column header (`data-label`) so that on a phone the CSS can show
    each row as a card of label: value pairs instead of a table wider than the screen."""
    numeric = numeric or set()
    if len(headers) >= 7:
        cls = f"{cls} mb-table--wide".strip()
    num = ' class="mb-num"'
    h = "".join(f'<th scope="col"{num if i in numeric else ""}>{esc(x)}</th>' for i, x in enumerate(headers))
    labels = [esc(re.sub(r"<[^>]+>", "", str(x))) for x in headers]
    # a row header of years or codes needs no room for words to wrap in
    short = bool(rows) and all(len(str(r[0])) <= 8 for r in rows)
    body = []
    for r in rows:
        cells = []
        for i, x in enumerate(r):
            tag = 'th scope="row"' if i == 0 else "td"
            classes = (
                (["mb-num"] if i in numeric else [])
                + (["mb-short"] if i == 0 and short else [])
                + (["mb-text"] if i and i not in numeric and len(re.sub(r"<[^>]+>", "", str(x))) > 30 else [])
            )
            klass = f' class="{" ".join(classes)}"' if classes else ""
            label = f' data-label="{labels[i]}"' if i < len(labels) else ""
            # one box per cell: on a phone the cell is a grid of label and value, and a value of several parts
            # (values, source links, marks) must stay one grid item, not one column per part
            cells.append(f'<{tag}{klass}{label}><div class="mb-cell">{esc(x)}</div></{tag.split()[0]}>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Markup(
        f'<div class="mb-table{(" " + cls) if cls else ""}" role="region" tabindex="0" '
        f'aria-label="{esc(caption or headers[0])}"><table class="mb-data">{cap}<thead><tr>{h}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def link(href: str, text, **attrs) -> Markup:
    extra = "".join(f' {k.rstrip("_")}="{esc(v)}"' for k, v in attrs.items())
    return Markup(f'<a href="{href}"{extra}>{esc(text)}</a>')


def enum_labels(descriptor: dict) -> dict[str, dict[str, str]]:
    """Every enum value's labels declared in the schemas (`x-enum-labels`), so a package can bring its own
    vocabulary (e.g. 'partly achieved', 'not assessed') with no code change."""
    out: dict[str, dict[str, str]] = {}
    for r in descriptor.get("resources", []):
        for f in (r.get("schema") or {}).get("fields", []):
            for value, labels in (f.get("x-enum-labels") or {}).items():
                out.setdefault(str(value), dict(labels))
    return out
