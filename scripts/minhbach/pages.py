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

import jinja2
from markupsafe import Markup

from . import fmt
from .charts import Chart
from .compute import Results, subject_label
from .escape import esc
from .load import Package, licence, publisher_title
from .sitemap import Page, explore

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
    from . import strings

    return strings.load(site_src).by_lang


# ------------------------------------------------------------------ HTML pieces (all values escaped)


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
        self.q = None
        self.page_titles: dict = {}
        self.downloads: dict = {}
        self.site_src: Path = Path(".")
        self.catalogue = None

    # text
    def t(self, path: str, /, **kw) -> str:
        """A string of the page's language; a missing key or placeholder is an Issue naming file and key."""
        if self.catalogue is not None:
            return self.catalogue.get(self.lang, path, **kw)
        node = self.s
        for part in path.split("."):
            node = node[part]
        return node.format(**kw) if kw else node

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
        return link(self.href(to), text)

    def src(self, source_id, section=None) -> Markup:
        if fmt.missing(source_id):
            return Markup("")
        tip = section if section and not fmt.missing(section) else source_id
        sec = f'<br><span class="mb-section">{esc(section)}</span>' if section and not fmt.missing(section) else ""
        return Markup(
            f'<a class="mb-src" href="{self.href("sources/" + source_id)}" title="{esc(tip)}">{esc(source_id)}</a>{sec}'
        )

    def status(self, s) -> Markup:
        if fmt.missing(s):
            return Markup("")
        label = self.t(f"status.{s}")
        return Markup(f'<span class="mb-status mb-status--{s}">{esc(label)}</span>')

    # charts
    def chart(self, chart_id: str) -> Markup:
        """A chart as a figure: the wide SVG, a narrow SVG for phones (`<picture>`), downloads and the data
        table, every cell formatted by its column's kind (a year is never grouped)."""
        c: Chart = self.charts.get(chart_id)
        if c is None:
            return Markup("")
        chart, files, size = c
        lang = self.lang
        f = files[lang]
        first = self._chart_count == 0
        self._chart_count += 1
        svg = self.asset(f"assets/charts/{f['svg']}")
        tbl = chart.table(lang)
        heads = [getattr(col, lang) for col in chart.columns]
        rows = []
        for rec in tbl.to_dict("records"):
            row = []
            for col in chart.columns:
                v = rec[col.name]
                if fmt.missing(v):
                    row.append("")
                elif col.kind == "year":
                    row.append(fmt.year(v))
                elif col.kind in ("number", "integer", "percent"):
                    dec = col.decimals if col.decimals is not None else (0 if col.kind == "integer" else None)
                    row.append(self.n(v, decimals=dec))
                else:
                    row.append(v)
            rows.append(row)
        numeric = {i for i, col in enumerate(chart.columns) if col.kind not in ("text", "year")}
        t = table(heads, rows, caption=chart.title[lang], numeric=numeric)
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
            f'<p class="mb-chart__actions"><button type="button" class="md-button mb-chart__interactive mb-js-only">'
            f"{esc(self.t('chart.interactive'))}</button> "
            f'<a href="{svg}" download>{esc(self.t("chart.download_svg"))}</a> · '
            f'<a href="{self.asset("assets/charts/" + f["csv"])}" download>{esc(self.t("chart.download_csv"))}</a> · '
            f'<a href="{self.asset("assets/charts/" + f["csv"][: -len(".csv")] + ".xlsx")}" download>'
            f'{esc(self.t("chart.download_xlsx"))}</a> · '
            f'<a href="{self.asset("assets/charts/" + f["json"])}">{esc(self.t("chart.download_spec"))}</a></p>'
            f'<details class="mb-chart__data"><summary>{esc(self.t("chart.data_table"))}</summary>{t}</details>'
            f"</figure>"
        )

    def table(self, headers, rows, caption=None, numeric=None) -> Markup:
        return table(headers, rows, caption, numeric)

    # composite pieces
    def obs_sources(self, o: dict) -> Markup:
        """Every source of one value (a value printed in several passages is shown once), then its finding marks."""
        srcs = o.get("sources") or [(o["source_id"], None, o.get("observation_id"))]
        out = Markup(", ").join(self.src(s) for s in dict.fromkeys(x[0] for x in srcs))
        return out + self.finding_mark("kpi_observation", *(x[2] for x in srcs))

    def target_sources(self, t: dict, sections: bool = True) -> Markup:
        """The sources of one distinct target (stated in one or more documents), then its finding marks."""
        ids = [(t["target_source_id"], t["target_section"])]
        if not fmt.missing(t.get("other_source_ids")):
            ids += list(zip(str(t["other_source_ids"]).split(), str(t["other_sections"]).split(" | "), strict=False))
        out = Markup("<br>" if sections else ", ").join(self.src(s, sec if sections else None) for s, sec in ids)
        others = [] if fmt.missing(t.get("other_target_ids")) else str(t["other_target_ids"]).split()
        return out + self.finding_mark("target", t["target_id"], *others)

    def attainment_headline(self) -> list[tuple]:
        a = self.res.attainment
        out = []
        if a.empty:
            return out
        for (plan_id, year), g in a.groupby(["plan_id", "target_year"]):
            judged = g[g["status"].isin(["achieved", "not_achieved"])]
            if len(judged):
                out.append((plan_id, int(year), int((judged["status"] == "achieved").sum()), len(judged)))
        return out[:1]

    def first_target_chart(self) -> str:
        return next((k for k in self.charts if k.startswith("kpi-targets-")), "")

    def charts_with(self, prefix: str) -> list[str]:
        return [k for k in self.charts if k.startswith(prefix)]

    def plan_name(self, plan_id: str) -> str:
        return str(self.pkg.t("plan").set_index("plan_id").loc[plan_id, f"name_{self.lang}"])

    def unit_label(self, unit: str) -> str:
        return fmt.unit_label(unit, self.lang)

    def attainment_summary_tables(self) -> list[dict]:
        """One table per plan (its name as the caption), so a long plan name is not repeated on every row."""
        s = self.res.attainment_summary
        statuses = ["achieved", "not_achieved", "no_data", "not_comparable"]
        headers = [self.t("common.year"), self.t("level.pillar")] + [self.t(f"status.{x}") for x in statuses]
        tables = []
        if s.empty:
            return tables
        pillars = self.pkg.t("pillar").set_index("pillar_id")
        for plan_id, plan_rows in s.groupby("plan_id", sort=True):
            rows = []
            for (year, pillar), g in plan_rows.groupby(["target_year", "pillar_id"], sort=True):
                counts = g.set_index("status")["count"]
                pname = (
                    pillars.loc[pillar, f"name_{self.lang}"] if pillar in pillars.index else self.t("kpi.pillar_none")
                )
                rows.append([int(year), pname] + [int(counts.get(x, 0)) for x in statuses])
            tables.append(
                {"caption": self.plan_name(plan_id), "headers": headers, "rows": rows, "numeric": {0, 2, 3, 4, 5}}
            )
        return tables

    def findings_by_kind(self) -> list[tuple[str, list[dict]]]:
        from . import findings_view

        return findings_view.by_kind(self)

    def finding_mark(self, table: str, *row_ids) -> Markup:
        """A link from an affected number to its finding on the data-quality page (nothing if none)."""
        from . import findings_view

        return findings_view.marks(self, table, row_ids)

    def finding_value(self, f: dict, side: str) -> str:
        v, aw = f[f"value_{side}"], f[f"as_written_{side}"]
        if fmt.missing(v):
            return "–"
        if not fmt.missing(aw) and "/" not in str(aw):
            return self.n(v, as_written=aw)
        text = self.n(v, decimals=None if abs(float(v)) >= 1 else 6)
        return f"{text} ({aw})" if not fmt.missing(aw) else text

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
    ):
        from . import strings

        self.pkg, self.res, self.site_src, self.charts = pkg, res, site_src, charts
        self.q = Q(pkg, res)
        self.pages = pages or []
        self.titles = {p.key: p.title for p in self.pages}
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

    def render(self, page: Page, lang: str, data: dict) -> str:
        h = Ctx(self.pkg, self.res, self.strings[lang], lang, page.key, self.charts)
        h.q, h.page_titles, h.downloads, h.site_src = self.q, self.titles, self.downloads, self.site_src
        h.catalogue = self.catalogue
        tpl = self.env.get_template(page.template)
        v = None
        if page.spec is not None and page.spec.view:
            from .views import VIEWS, ViewContext

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
        # blank lines inside raw HTML would end the HTML block in Python-Markdown
        return re.sub(r"\n{3,}", "\n\n", text)


def stage_file(docs: Path, key: str, lang: str) -> Path:
    base = "index" if not key else key
    return docs / (f"{base}.md" if lang == "vi" else f"{base}.en.md")


# ------------------------------------------------------------------ queries used by templates


class Q:
    """Language-neutral lookups over the package and the results, for templates."""

    def __init__(self, pkg: Package, res: Results):
        self.pkg, self.res = pkg, res
        from .compute import publisher_province

        pid = publisher_province(pkg)
        self.province = pkg.t("province").set_index("province_id").loc[pid].to_dict() | {"province_id": pid}
        self.org = pkg.t("organisation").set_index("organisation_id")
        self.kpi = pkg.t("kpi").set_index("kpi_id")
        self.mi = pkg.t("main_index").set_index("main_index_id")
        self.pillars = pkg.t("pillar").sort_values("sort_order").to_dict("records")
        self.main_indices = pkg.t("main_index").sort_values("sort_order").to_dict("records")

    def score_rows(
        self, level: str, sid: str, statistic: str = "province", province_id: str | None = None
    ) -> list[dict]:
        sc = self.res.scores
        if sc.empty:
            return []
        province_id = province_id or (self.province["province_id"] if statistic == "province" else None)
        if not hasattr(self, "_scores"):
            self._scores, self._changes = {}, {}
            for r in sc.sort_values("year", kind="stable").to_dict("records"):
                key = (
                    r["level"],
                    r["subject_id"],
                    r["statistic"],
                    r["province_id"] if not fmt.missing(r["province_id"]) else None,
                )
                self._scores.setdefault(key, []).append(r)
            ch = self.res.changes
            for c in [] if ch.empty else ch.to_dict("records"):
                key = (
                    c["level"],
                    c["subject_id"],
                    c["statistic"],
                    c["province_id"] if not fmt.missing(c["province_id"]) else None,
                    c["to_year"],
                )
                self._changes[key] = c
        out = []
        for r in self._scores.get((level, sid, statistic, province_id), []):
            out.append({**r, "change": self._changes.get((level, sid, statistic, province_id, r["year"]))})
        return out

    def latest(self, level: str, sid: str, statistic: str = "province", province_id: str | None = None):
        rows = self.score_rows(level, sid, statistic, province_id)
        return rows[-1] if rows else None

    def region_rank(self, year: int):
        obs = self.pkg.t("dti_observation")
        d = obs[
            (obs["metric"] == "rank")
            & (obs["rank_scope"] == "region")
            & (obs["year"] == year)
            & obs["pillar_id"].isna()
            & obs["main_index_id"].isna()
        ]
        return d.iloc[0].to_dict() if not d.empty else None

    def national_mean(self, year: int):
        sc = self.res.scores
        if sc.empty:
            return None
        d = sc[(sc["statistic"] == "national_mean") & (sc["level"] == "total") & (sc["year"] == year)]
        return d.iloc[0].to_dict() if not d.empty else None

    def strong_weak(self):
        sc = self.res.scores
        if sc.empty:
            return None, None
        d = sc[
            (sc["level"] == "main_index")
            & (sc["statistic"] == "province")
            & (sc["province_id"] == self.province["province_id"])
        ]
        d = d[d["year"] == d["year"].max()].sort_values("value_unit")
        return d.iloc[-1].to_dict(), d.iloc[0].to_dict()

    def pillars_of(self, main_index_id: str) -> list[dict]:
        link = self.pkg.t("main_index_pillar")
        ids = set(link[link["main_index_id"] == main_index_id]["pillar_id"])
        return [p for p in self.pillars if p["pillar_id"] in ids]

    def members(self, pillar_id: str) -> list[dict]:
        link = self.pkg.t("main_index_pillar")
        ids = set(link[link["pillar_id"] == pillar_id]["main_index_id"])
        return [m for m in self.main_indices if m["main_index_id"] in ids]

    def pillar_max(self, pillar_id: str) -> float:
        return float(sum(m["max_points"] for m in self.members(pillar_id)))

    def org_names(self, ids: list[str], lang: str) -> str:
        return "; ".join(str(self.org.loc[i, f"name_{lang}"]) if i in self.org.index else i for i in ids)

    def assessments(self, main_index_id: str) -> list[dict]:
        sub = self.pkg.t("sub_indicator")
        sub = sub[sub["main_index_id"] == main_index_id]
        a = self.pkg.t("sub_indicator_assessment")
        a = a[a["province_id"] == self.province["province_id"]]
        ao = self.pkg.t("assessment_organisation")
        key = lambda s: tuple(int(x) for x in s.split("."))
        out = []
        for s in sorted(sub.to_dict("records"), key=lambda r: key(r["sub_indicator_id"])):
            rows = a[a["sub_indicator_id"] == s["sub_indicator_id"]].sort_values("year")
            first = rows.iloc[0].to_dict() if not rows.empty else None
            later = rows.iloc[1:].to_dict("records") if len(rows) > 1 else []
            orgs = list(ao[ao["assessment_id"] == first["assessment_id"]]["organisation_id"]) if first else []
            out.append({"sub": s, "first": first, "later": later, "orgs": orgs})
        return out

    def counts(self, main_index_id: str) -> list[dict]:
        c = self.pkg.t("sub_indicator_count")
        return c[(c["main_index_id"] == main_index_id) & (c["province_id"] == self.province["province_id"])].to_dict(
            "records"
        )

    def listed(self, main_index_id: str, year: int) -> int:
        a = self.pkg.t("sub_indicator_assessment").merge(
            self.pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]]
        )
        return int(
            (
                (a["main_index_id"] == main_index_id)
                & (a["year"] == year)
                & (a["province_id"] == self.province["province_id"])
            ).sum()
        )

    def kpis_for(self, main_index_id: str | None = None, pillar_id: str | None = None) -> list[dict]:
        k = self.pkg.t("kpi")
        if main_index_id:
            k = k[k["main_index_id"] == main_index_id]
        if pillar_id:
            mids = [m["main_index_id"] for m in self.members(pillar_id)]
            k = k[
                (k["pillar_id"] == pillar_id)
                | (
                    k["main_index_id"].isin(mids)
                    & k["pillar_id"].isna()
                    & (k["main_index_id"] == self.pillar_activity(pillar_id))
                )
            ]
        out = []
        for r in k.sort_values("kpi_id").to_dict("records"):
            r["observations"] = self.observations(r["kpi_id"])
            r["targets"] = self.targets(r["kpi_id"])
            out.append(r)
        return out

    def pillar_activity(self, pillar_id: str) -> str:
        return next(p["activity_main_index_id"] for p in self.pillars if p["pillar_id"] == pillar_id)

    def observations(self, kpi_id: str, with_districts: bool = False) -> list[dict]:
        """Values as facts: the same value for a KPI, place and period is one row with all its sources."""
        if not hasattr(self, "_obs"):
            o = self.pkg.t("kpi_observation")
            o = o[o["province_id"] == self.province["province_id"]].sort_values(["period", "source_id"], kind="stable")
            self._obs, self._obs_d = {}, {}
            merged: dict[tuple, dict] = {}
            for r in o.to_dict("records"):
                v = r["value"] if not fmt.missing(r["value"]) else r["as_written"]
                same = (r["kpi_id"], r["district_id"], r["period"], v)
                if same in merged:
                    merged[same]["sources"].append((r["source_id"], r["section"], r["observation_id"]))
                    continue
                r["sources"] = [(r["source_id"], r["section"], r["observation_id"])]
                merged[same] = r
                self._obs_d.setdefault(r["kpi_id"], []).append(r)
                if fmt.missing(r["district_id"]):
                    self._obs.setdefault(r["kpi_id"], []).append(r)
        return (self._obs_d if with_districts else self._obs).get(kpi_id, [])

    def targets(self, kpi_id: str) -> list[dict]:
        if not hasattr(self, "_targets"):
            self._targets = {}
            att = self.res.attainment
            if not att.empty:
                for r in att.sort_values(["target_year", "plan_id"], kind="stable").to_dict("records"):
                    self._targets.setdefault(r["kpi_id"], []).append(r)
        return self._targets.get(kpi_id, [])

    def tasks_for(self, pillar_id: str | None = None, main_index_id: str | None = None) -> list[dict]:
        """Tasks whose group minhbach classified under this pillar or main index (task_group_topic)."""
        if "task_group_topic" not in self.pkg.tables:
            return []
        topic = self.pkg.t("task_group_topic")
        col, val = ("pillar_id", pillar_id) if pillar_id else ("main_index_id", main_index_id)
        groups = set(topic[topic[col] == val]["task_group_id"])
        tg = self.pkg.t("task_group")
        groups |= set(tg[tg["parent_id"].isin(groups)]["task_group_id"])
        t = self.pkg.t("task")
        return t[t["task_group_id"].isin(groups)].sort_values("number").to_dict("records")

    def district_count(self) -> int:
        d = self.pkg.t("district")
        return int((d["province_id"] == self.province["province_id"]).sum())

    def task_orgs(self, task_id: str, role: str) -> list[str]:
        if not hasattr(self, "_task_orgs"):
            self._task_orgs = {}
            for r in self.pkg.t("task_organisation").to_dict("records"):
                self._task_orgs.setdefault((r["task_id"], r["role"]), []).append(r["organisation_id"])
        return list(self._task_orgs.get((task_id, role), []))

    def attainment(self) -> list[dict]:
        a = self.res.attainment
        return [] if a.empty else a.sort_values(["plan_id", "target_year", "target_id"]).to_dict("records")

    def source_usage(self, source_id: str) -> list[tuple[str, str, int]]:
        out = []
        for res in self.pkg.descriptor["resources"]:
            df = self.pkg.tables[res["name"]]
            if "source_id" in df.columns and res["name"] != "source":
                n = int((df["source_id"] == source_id).sum())
                if n:
                    out.append((res["name"], res, n))
        return out
