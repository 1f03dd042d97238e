"""`Ctx`: the per-page, per-language helpers a template calls as `h` (text, numbers, links, sources, charts,
findings, open-data fields)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from minhbach import fmt
from minhbach.charts.model import Chart
from minhbach.compute.scores import Results, subject_label
from minhbach.escape import esc
from minhbach.load.package import Package, licence, publisher_title
from minhbach.site import findings_view, source_names
from minhbach.site.cite import chart_reuse
from minhbach.site.html import chart_table, enum_labels, link, rel, table
from minhbach.site.queries import Q
from minhbach.strings import Catalogue


class Ctx:
    """Per-page, per-language helpers handed to templates as `h`."""

    def __init__(self, pkg: Package, res: Results, strings: dict, lang: str, key: str, charts: dict):
        self.pkg, self.res, self.s, self.lang, self.key, self.charts = pkg, res, strings, lang, key, charts
        self._chart_count = 0
        self.charts_shown: list[str] = []
        self.cited: list[tuple[str, str]] = []  # (source id, section) of every source named on the page
        self.identity = None  # cite.Identity: citations, embeds and cards (None: no reuse block)
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
            f"{chart_reuse(self, chart, files, self.identity)}"
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
        return findings_view.by_kind(self)

    def main_findings(self, n: int) -> list[tuple[str, dict]]:
        return findings_view.main(self, n)

    def finding_mark(self, table: str, *row_ids) -> Markup:
        """A link from an affected number to its finding on the data-quality page (nothing if none)."""
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
