"""Stage 5: stage every page (both languages) as Markdown + inert HTML into the MkDocs docs folder.

Templates live in site_src/templates (structure) and site_src/strings/<lang>.yml (all UI text);
hand-written prose pages per language in site_src/pages/<lang>/. Values from data reach the page
only through escape.esc (the Jinja finalize hook), so cells are shown, never executed.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from minhbach.charts import Chart
from minhbach.compute.scores import Results, subject_label
from minhbach.escape import esc
from minhbach.load.package import Package, licence, publisher_title
from minhbach.site import fmt, source_names
from minhbach.site.queries import Q
from minhbach.site.sitemap import Page, explore
from minhbach.site.strings import Catalogue

LANGS = ("vi", "en")


def url_of(key: str) -> str:
    return "/" if not key else f"/{key}/"


def rel(from_key: str, to: str, lang: str, shared: bool = False) -> str:
    """Relative URL from a page to another page (same language) or to a shared asset."""
    here = ("/en" if lang == "en" else "") + url_of(from_key)
    target = to if shared else ("/en" if lang == "en" else "") + (to if to.startswith("/") else url_of(to))
    r = posixpath.relpath(target, here)
    if target.endswith("/") and not r.endswith("/"):
        r += "/"
    return r


def load_strings(site_src: Path) -> dict:
    from minhbach.site import strings

    return strings.load(site_src).by_lang


# ------------------------------------------------------------------ HTML pieces (all values escaped)


def chart_table(chart: Chart, lang: str, names: dict | None = None) -> Markup:
    """The data table of a chart: every cell formatted by its column's kind (a year is never grouped); a text cell
    that is a document's id reads its short title (`names`)."""
    names = names or {}
    heads = [getattr(col, lang) for col in chart.columns]
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
                row.append(fmt.number(v, lang, decimals=dec if printed is None else printed))
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
            cells.append(f"<{tag}{klass}{label}>{esc(x)}</{tag.split()[0]}>")
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


class Ctx:
    """Per-page, per-language helpers handed to templates as `h`."""

    def __init__(self, pkg: Package, res: Results, strings: dict, lang: str, key: str, charts: dict):
        self.pkg, self.res, self.s, self.lang, self.key, self.charts = pkg, res, strings, lang, key, charts
        self._chart_count = 0
        self.charts_shown: list[str] = []
        self.cited: list[tuple[str, str]] = []  # (source id, section) of every source named on the page
        self.identity = None  # reuse.Identity: citations, embeds and cards (None: no reuse block)
        self.q: Q | None = None
        self.downloads: dict = {}
        self.site_src: Path = Path(".")
        self.catalogue: Catalogue | None = None
        self.page_keys: frozenset[str] | None = None  # the pages built; a link to any other is plain text

    # text
    def t(self, path: str, /, **kw) -> str:
        """A string of the page's language; a missing key or placeholder is an Issue naming file and key."""
        if self.catalogue is not None:
            return self.catalogue.get(self.lang, path, **kw)
        node: Any = self.s
        for part in path.split("."):
            node = node[part]
        return str(node.format(**kw) if kw else node)

    def n(self, v, as_written=None, decimals=None, sign=False) -> str:
        return fmt.number(v, self.lang, decimals=decimals, as_written=as_written, sign=sign)

    def unit(self, v, unit, as_written=None) -> str:
        return fmt.with_unit(v, unit, self.lang, as_written)

    def period(self, p) -> str:
        return fmt.period(p, self.lang)

    # links
    def href(self, to: str) -> Markup:
        """A relative link to a page; page keys are checked safe paths (sitemap.SAFE_KEY), so the URL is markup."""
        return Markup(rel(self.key, to, self.lang))

    def ident(self, code) -> Markup:
        """A code (enum value, id) for a class or id attribute; anything but a plain identifier gives ''."""
        text = "" if code is None else str(code)
        return Markup(text) if re.fullmatch(r"[A-Za-z0-9_-]+", text) else Markup("")

    def status_label(self, code) -> str:
        """A status value's label: from the schema (`x-enum-labels` of the field), else the strings catalogue."""
        labels = enum_labels(self.pkg.descriptor)
        if code in labels and labels[code].get(self.lang):
            return str(labels[code][self.lang])
        return self.t(f"status.{code}")

    def br(self) -> Markup:
        return Markup("<br>")

    def asset(self, path: str) -> str:
        return rel(self.key, "/" + path.lstrip("/"), self.lang, shared=True)

    def a(self, to: str, text) -> Markup:
        """A link to a page, or its text alone when that page is not built (absence is silence: no dead link)."""
        target = to.split("#", 1)[0].strip("/")
        if self.page_keys is not None and not to.startswith("/") and target not in self.page_keys:
            return Markup(esc(text))
        return link(self.href(to), text)

    def src(self, source_id, section=None) -> Markup:
        if fmt.missing(source_id):
            return Markup("")
        self.cited.append((str(source_id), str(section) if section and not fmt.missing(section) else ""))
        sec = f'<br><span class="mb-section">{esc(section)}</span>' if section and not fmt.missing(section) else ""
        tip, name = self.source_tip(source_id, section), self.source_label(source_id)
        return Markup(
            f'<a class="mb-src" href="{self.href("sources/" + source_id)}" title="{esc(tip)}">{esc(name)}</a>{sec}'
        )

    def source_label(self, source_id) -> str:
        return source_names.label(self.pkg, self.lang, source_id)

    def source_tip(self, source_id, section=None) -> str:
        return source_names.tip(self.pkg, self.lang, source_id, None if fmt.missing(section) else section)

    def status(self, s) -> Markup:
        if fmt.missing(s):
            return Markup("")
        label = self.t(f"status.{s}")
        return Markup(f'<span class="mb-status mb-status--{s}">{esc(label)}</span>')

    # charts
    def chart(self, chart_id: str) -> Markup:
        """A chart as a figure: the wide SVG, a narrow SVG for phones (`<picture>`), the reuse block (downloads,
        sources, licence, citation, embed code) and the data table."""
        c: tuple[Chart, dict, dict] | None = self.charts.get(chart_id)
        if c is None:
            return Markup("")
        from minhbach.publish import reuse

        chart, files, size = c
        lang = self.lang
        f = files[lang]
        first = self._chart_count == 0
        self._chart_count += 1
        self.charts_shown.append(chart_id)
        self.cited.extend(chart.cited())
        svg = self.asset(f"assets/charts/{f['svg']}")
        t = chart_table(chart, lang, {s: self.source_label(s) for s in self.pkg.t("source")["source_id"]})
        w, hgt = size[lang]
        lazy = ' loading="lazy"'
        narrow = ""
        if f.get("svg_narrow") and f.get("narrow_size"):
            nw, nh = f["narrow_size"]
            narrow = (
                f'<source media="(max-width: 719px)" srcset="{self.asset("assets/charts/" + f["svg_narrow"])}" '
                f'width="{nw}" height="{nh}">'
            )
        return Markup(
            f'<figure class="mb-chart" id="chart-{chart.chart_id}" '
            f'data-spec="{self.asset("assets/charts/" + f["json"])}" data-lang="{lang}" '
            f'data-loading="{esc(self.t("chart.loading"))}" data-failed="{esc(self.t("chart.failed"))}">'
            f'<figcaption><strong class="mb-sr-only">{esc(chart.title[lang])}</strong>'
            f'<span class="mb-chart__desc">{esc(chart.description[lang])}</span></figcaption>'
            f'<div class="mb-chart__view"><picture>{narrow}<img src="{svg}" alt="{esc(chart.description[lang])}" '
            f'width="{w}" height="{hgt}"{"" if first else lazy} decoding="async"></picture></div>'
            f"{reuse.chart_reuse(self, chart, files, self.identity)}"
            f'<details class="mb-chart__data"><summary>{esc(self.t("chart.data_table"))}</summary>{t}</details>'
            f"</figure>"
        )

    def table(self, headers, rows, caption=None, numeric=None) -> Markup:
        return table(headers, rows, caption, numeric)

    # composite pieces
    def first_target_chart(self) -> str:
        return next((k for k in self.charts if k.startswith("kpi-targets-")), "")

    def charts_with(self, prefix: str) -> list[str]:
        return [k for k in self.charts if k.startswith(prefix)]

    def unit_label(self, unit: str) -> str:
        return fmt.unit_label(unit, self.lang)

    def findings_by_kind(self) -> list[tuple[str, list[dict]]]:
        from minhbach.site import findings_view

        return findings_view.by_kind(self)

    def main_findings(self, n: int) -> list[tuple[str, dict]]:
        from minhbach.site import findings_view

        return findings_view.main(self, n)

    def finding_mark(self, table: str, *row_ids) -> Markup:
        """A link from an affected number to its finding on the data-quality page (nothing if none)."""
        from minhbach.site import findings_view

        return findings_view.marks(self, table, row_ids)

    def recomputations(self) -> list[dict]:
        r = self.res.recomputed
        out = []
        for x in [] if r.empty else r.to_dict("records"):
            label = subject_label(self.pkg, x["level"], x["subject_id"], self.lang)
            if x["statistic"] == "national_mean":
                label += f" ({self.t('common.national_mean')})"
            x["label"] = label
            out.append(x)
        return out

    def fact_rows(self) -> str:
        n = sum(
            len(self.pkg.tables[r["name"]])
            for r in self.pkg.descriptor["resources"]
            if "source_id" in self.pkg.tables[r["name"]].columns
        )
        return self.n(n)

    def table_count(self) -> int:
        return len(self.pkg.descriptor["resources"])

    def dataset_link(self, name: str) -> Markup:
        res = self.pkg.resource(name)
        title = res.get("title") if self.lang == "vi" else res.get("x-i18n", {}).get("en", {}).get("title", name)
        return link(self.href(f"open-data/{name}"), title)

    def source_text(self, source_id: str) -> Markup:
        text = self.pkg.source_texts.get(source_id, "")
        lines = text.split("\n")
        body = "\n".join(f'<span id="L{i}" class="mb-line">{esc(line)}</span>' for i, line in enumerate(lines, 1))
        # the English page shows the same Vietnamese text: index it once, from the Vietnamese page
        skip = " data-search-exclude" if self.lang != "vi" else ""
        return Markup(f'<pre class="mb-source" lang="vi" tabindex="0"{skip}>{body}</pre>')

    def prose(self, name: str) -> Markup:
        """Hand-written, trusted Markdown for this language (site_src/pages/<lang>/<name>.md)."""
        return Markup(self.site_src.joinpath("pages", self.lang, f"{name}.md").read_text(encoding="utf-8"))

    # open data
    def slug(self, text) -> Markup:
        return Markup(re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-"))

    def file_link(self, path: str, text) -> Markup:
        return link(self.asset(path), text)

    def res_title(self, r: dict) -> str:
        return r["title"] if self.lang == "vi" else r.get("x-i18n", {}).get("en", {}).get("title", r["name"])

    def res_description(self, r: dict) -> str:
        return (
            r.get("description", "") if self.lang == "vi" else r.get("x-i18n", {}).get("en", {}).get("description", "")
        )

    def field_en(self, f: dict) -> str:
        return f.get("x-i18n", {}).get("en", {}).get("title", "")

    def constraints(self, f: dict) -> str:
        c = f.get("constraints", {})
        parts = []
        if c.get("required"):
            parts.append(self.t("open.required"))
        if "enum" in c:
            parts.append(" | ".join(c["enum"]))
        if "minimum" in c:
            parts.append(f"≥ {c['minimum']}")
        if "maximum" in c:
            parts.append(f"≤ {c['maximum']}")
        return "; ".join(parts)

    def citation(self, r: dict, version: str) -> str:
        pub = publisher_title(self.pkg.descriptor, self.lang)
        return (
            f"{pub} ({self.period(self.pkg.descriptor.get('created', '')[:4])}). {self.res_title(r)}. "
            f"{self.t('open.version')} {version}. {self.licence()[0]}."
        )

    def licence(self) -> tuple[str, str]:
        return licence(self.pkg.descriptor)

    def licence_link(self) -> Markup:
        label, url = self.licence()
        return link(html.escape(url, quote=True), label) if url else Markup(esc(label))

    def page_downloads(self) -> Markup:
        files = self.downloads.get(self.key, [])
        if not files:
            return Markup("")
        items = "".join(f'<li><a href="{self.asset("downloads/" + f)}" download>{esc(f)}</a></li>' for f in files)
        return Markup(f'<ul class="mb-downloads">{items}</ul>')


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
        from minhbach.site import strings

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
        self.env.filters["printed"] = fmt.printed  # printed text, its numbers in the page's language

    def render(self, page: Page, lang: str, data: dict) -> str:
        h = Ctx(self.pkg, self.res, self.strings[lang], lang, page.key, self.charts)
        h.q, h.downloads, h.site_src = self.q, self.downloads, self.site_src
        h.catalogue = self.catalogue
        h.identity = self.identity
        h.page_keys = frozenset(p.key for p in self.pages) if self.pages else None
        tpl = self.env.get_template(page.template)
        v = None
        if page.spec is not None and page.spec.view:
            from minhbach.site.views import VIEWS, ViewContext

            row = next(iter(page.context.values()), None) if page.context else None
            v = VIEWS[page.spec.view](ViewContext(self.pkg, self.res, self.q, lang, row))
        text = tpl.render(
            h=h,
            v=v,
            q=self.q,
            res=self.res,
            lang=lang,
            page=page,
            title=page.title[lang],
            explore=explore(self.pages, self.catalogue, lang),
            **data,
            **page.context,
        )
        from minhbach.publish import reuse

        for cid in h.charts_shown:
            self.used.setdefault(cid, page.key)
        self.facts[(page.key, lang)] = {
            "chart": h.charts_shown[0] if h.charts_shown else None,
            "lead": reuse.lead_text(text),
            "title": page.title[lang],
        }
        if self.identity is not None:
            text = text.rstrip("\n") + reuse.page_reuse(h, page.title[lang], self.identity, h.cited)
        # blank lines inside raw HTML would end the HTML block in Python-Markdown
        return re.sub(r"\n{3,}", "\n\n", text)


def stage_file(docs: Path, key: str, lang: str) -> Path:
    base = "index" if not key else key
    return docs / (f"{base}.md" if lang == "vi" else f"{base}.en.md")
