"""What a reader sees, checked as rendered in a real Chromium: every page of both languages at a phone width
(390 px) and a desktop width (1280 px), every chart SVG as its own document, and print to A4 PDF.

The checks measure the page rather than trusting the HTML: no horizontal page scroll; each chart image fits its
column and its text is at least 11 px as shown; every text box of every chart SVG lies inside the SVG; no chart
whose marks fall outside its plot (an "empty axis"); no year printed with a group separator ("2.021"); the
"interactive chart" button is hidden without JavaScript; printed pages fit A4.

`MINHBACH_READER_SITE=/path/to/site` runs the checks on an already built site (e.g. the baseline) instead of
building the shipped package. One browser, one context per width, reused by every test.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import Handler, free_port

pytestmark = pytest.mark.browser

SKIP_DIRS = {"releases", "latest", "downloads", "assets"}
WIDTHS = (390, 1280)
MIN_TEXT_PX = 11
# a year printed as a grouped number: "2.021" (vi) or "2,021" (en)
GROUPED_YEAR = re.compile(r"^(19|20)\d[.,]\d{3}$")
YEAR_HEADERS = {"năm", "year"}
A4_CSS_WIDTH = 794  # 210 mm at 96 px per inch


def _unavailable(why: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; CI=true, so the browser tests may not be skipped", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="module")
def reader_site(request):
    """(site_dir, base_url): MINHBACH_READER_SITE served on a free port, or the session's build."""
    given = os.environ.get("MINHBACH_READER_SITE")
    if not given:
        yield request.getfixturevalue("site")
        return
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(Path(given).resolve()))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Path(given).resolve(), f"http://127.0.0.1:{port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def reader_browser(chromium_browser):
    return chromium_browser


def reader_pages(site_dir: Path) -> list[str]:
    out = []
    for index in sorted(site_dir.rglob("index.html")):
        parts = index.relative_to(site_dir).parts[:-1]
        lang_parts = parts[1:] if parts[:1] == ("en",) else parts
        if lang_parts and lang_parts[0] in SKIP_DIRS:
            continue
        out.append("".join(p + "/" for p in parts))
    return out


# what one page shows at one width, measured in the page
MEASURE = """() => {
  const doc = document.documentElement;
  const out = {scroll: doc.scrollWidth - window.innerWidth, charts: [], years: [], wide: []};
  document.querySelectorAll('figure.mb-chart').forEach(fig => {
    const img = fig.querySelector('.mb-chart__view img');
    if (!img) return;
    const col = fig.closest('.md-content__inner') || fig.parentElement;
    const r = img.getBoundingClientRect(), c = col.getBoundingClientRect();
    out.charts.push({id: fig.id, src: img.currentSrc, shown: r.width, natural: img.naturalWidth,
                     right: r.right, left: r.left, colLeft: c.left, colRight: c.right,
                     viewScroll: fig.querySelector('.mb-chart__view').scrollWidth -
                                 fig.querySelector('.mb-chart__view').clientWidth});
  });
  document.querySelectorAll('table').forEach(t => {
    const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim().toLowerCase());
    heads.forEach((h, i) => {
      if (!YEARS.includes(h)) return;
      t.querySelectorAll('tbody tr').forEach(tr => {
        const cell = tr.children[i];
        if (cell) out.years.push(cell.textContent.trim());
      });
    });
  });
  document.querySelectorAll('.md-content table, .md-content figure, .md-content img').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > window.innerWidth + 1) out.wide.push(el.tagName + (el.id ? '#' + el.id : '') +
       ' ' + Math.round(r.right) + ' px');
  });
  return out;
}""".replace("YEARS", repr(sorted(YEAR_HEADERS)))

# every text and mark of a chart SVG, opened as its own document
SVG_MEASURE = """() => {
  const svg = document.documentElement;
  const W = +svg.getAttribute('width'), H = +svg.getAttribute('height');
  const out = {W, H, outside: [], texts: [], minFont: 99, marks: 0, marksOut: []};
  document.querySelectorAll('text').forEach(t => {
    const s = (t.textContent || '').trim();
    if (!s) return;
    const r = t.getBoundingClientRect();
    out.texts.push(s);
    out.minFont = Math.min(out.minFont, parseFloat(getComputedStyle(t).fontSize));
    if (r.left < -1 || r.top < -1 || r.right > W + 1 || r.bottom > H + 1)
      out.outside.push(s.slice(0, 40) + ' [' + [r.left, r.top, r.right, r.bottom].map(Math.round) + ']');
  });
  const frame = document.querySelector('.role-frame.root > g > path.background');
  const f = frame ? frame.getBoundingClientRect() : {left: 0, top: 0, right: W, bottom: H};
  document.querySelectorAll('.role-mark:not(.mark-text) > *').forEach(m => {
    const r = m.getBoundingClientRect();
    out.marks += 1;
    const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    if (cx < f.left - 2 || cx > f.right + 2 || cy < f.top - 2 || cy > f.bottom + 2)
      out.marksOut.push(m.tagName + ' at ' + Math.round(cx) + ',' + Math.round(cy));
  });
  return out;
}"""


@dataclass
class Seen:
    by_width: dict = field(default_factory=dict)  # width -> {path: MEASURE result}
    svgs: dict = field(default_factory=dict)  # svg url -> SVG_MEASURE result


@pytest.fixture(scope="module")
def seen(reader_site, reader_browser) -> Seen:
    site_dir, base = reader_site
    paths = reader_pages(site_dir)
    assert len(paths) > 20, paths
    out = Seen()
    for width in WIDTHS:
        ctx = reader_browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
        ctx.route(re.compile(r".*search_index\.json$"), lambda route: route.abort())
        page = ctx.new_page()
        got = {}
        for p in paths:
            page.goto(base + p, wait_until="load")
            got[p] = page.evaluate(MEASURE)
        out.by_width[width] = got
        page.close()
        ctx.close()
    ctx = reader_browser.new_context(viewport={"width": 800, "height": 600})
    page = ctx.new_page()
    for svg in sorted((site_dir / "assets" / "charts").glob("*.svg")):
        url = base + svg.relative_to(site_dir).as_posix()
        page.goto(url, wait_until="load")
        out.svgs[url] = page.evaluate(SVG_MEASURE)
    ctx.close()
    return out


def _report(problems: list[str], what: str):
    assert not problems, f"{len(problems)} {what}:\n" + "\n".join(problems[:80])


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_page_scroll(seen, width):
    _report(
        [
            f"/{p}: page scrolls sideways by {m['scroll']} px"
            for p, m in seen.by_width[width].items()
            if m["scroll"] > 1
        ],
        "pages scroll",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_content_fits_the_viewport(seen, width):
    _report(
        [f"/{p}: {w}" for p, m in seen.by_width[width].items() for w in m["wide"]], "elements wider than the screen"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_fits_its_column_with_readable_text(seen, width):
    problems = []
    for p, m in seen.by_width[width].items():
        for c in m["charts"]:
            if c["right"] > c["colRight"] + 1 or c["left"] < c["colLeft"] - 1 or c["viewScroll"] > 1:
                problems.append(f"/{p}#{c['id']}: chart {c['shown']:.0f} px does not fit its column")
            svg = seen.svgs.get(c["src"].split("#")[0])
            if svg and c["natural"]:
                shown = svg["minFont"] * c["shown"] / c["natural"]
                if shown < MIN_TEXT_PX - 0.01:
                    problems.append(
                        f"/{p}#{c['id']}: smallest text {shown:.1f} px as shown ({c['src'].rsplit('/', 1)[-1]})"
                    )
    _report(problems, "charts do not fit or are unreadable")


def test_every_svg_text_lies_inside_the_svg(seen):
    problems = [f"{u.rsplit('/', 1)[-1]}: {t}" for u, s in seen.svgs.items() for t in s["outside"]]
    _report(problems, "text boxes outside their SVG")


def test_no_chart_with_an_empty_axis(seen):
    """Every chart draws marks, and every mark lies inside its plot (a mark drawn off the axis leaves it empty)."""
    problems = []
    for u, s in seen.svgs.items():
        name = u.rsplit("/", 1)[-1]
        if not s["marks"]:
            problems.append(f"{name}: no marks")
        problems += [f"{name}: mark outside the plot: {m}" for m in s["marksOut"][:3]]
        if s["W"] > 4000:
            problems.append(f"{name}: {s['W']:.0f} px wide")
    _report(problems, "charts with an empty axis")


def test_no_year_printed_with_a_separator(seen):
    problems = [
        f"{u.rsplit('/', 1)[-1]}: {t!r}" for u, s in seen.svgs.items() for t in s["texts"] if GROUPED_YEAR.match(t)
    ]
    for width in WIDTHS[:1]:
        for p, m in seen.by_width[width].items():
            problems += [
                f"/{p}: year cell {y!r}" for y in m["years"] if GROUPED_YEAR.match(y) or re.search(r"\d[.,]\d{3}", y)
            ]
    _report(sorted(set(problems)), "years printed with a separator")


def test_interactive_button_hidden_without_javascript(reader_site, reader_browser):
    site_dir, base = reader_site
    with_charts = [
        p for p in reader_pages(site_dir) if 'class="mb-chart"' in (site_dir / p / "index.html").read_text("utf-8")
    ]
    assert with_charts
    ctx = reader_browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = ctx.new_page()
    problems = []
    for p in with_charts[:2] + [x for x in with_charts if x.startswith("en/")][:1]:
        page.goto(base + p, wait_until="load")
        shown = page.locator("button.mb-chart__interactive").evaluate_all(
            "bs => bs.filter(b => b.offsetParent !== null).length"
        )
        if shown:
            problems.append(f"/{p}: {shown} interactive button(s) shown with JavaScript off")
    ctx.close()
    _report(problems, "buttons that do nothing")


PRINT_PAGES = ("", "pillars/digital-government/", "kpi/", "summary/")

# The printable width of the page as Chromium lays it out for page.pdf: A4 less the margins of the @page rule that
# applies (Material's `@page {margin: 25mm}`, or a named page such as the summary's), read from the page's own CSS.
PRINTABLE_WIDTH = """() => {
  const px = v => { const m = /^([\\d.]+)(mm|cm|in|px|pt)?$/.exec((v || '').trim()); if (!m) return null;
    return +m[1] * ({mm: 96 / 25.4, cm: 96 / 2.54, in: 96, pt: 96 / 72, px: 1}[m[2] || 'px']); };
  const name = getComputedStyle(document.body).page;
  let base = null, named = null;
  const walk = rules => { for (const r of rules) {
    if (r instanceof CSSPageRule) { if (!r.selectorText) base = r.style; else if (r.selectorText === name) named = r.style; }
    else if (r.cssRules && (!r.media || window.matchMedia(r.media.mediaText).matches)) walk(r.cssRules); } };
  for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) {} }
  const side = k => { for (const st of [named, base]) { const v = st && px(st.getPropertyValue(k)); if (v !== null && v !== undefined) return v; } return null; };
  const l = side('margin-left'), r = side('margin-right');
  return l === null || r === null ? null : Math.floor(A4 - l - r);
}""".replace("A4", str(A4_CSS_WIDTH))


def _print(page, url: str, pdf: Path) -> int:
    """Print one page to an A4 PDF as a reader's browser does; returns the printable width in CSS px."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    # without an @page rule, Chromium's default 0.4 in margins
    return page.evaluate(PRINTABLE_WIDTH) or A4_CSS_WIDTH - 77


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF: pypdf if installed, else poppler's pdfinfo, else the page objects Chromium writes."""
    try:
        import pypdf

        return len(pypdf.PdfReader(str(pdf)).pages)
    except ImportError:
        pass
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def _a4_window(browser, tmp_path):
    """(folder for the PDFs, context, page): a window as wide as an A4 sheet, where the printed PDFs are kept."""
    art = Path(os.environ.get("MINHBACH_READER_ARTIFACTS", tmp_path))
    art.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": A4_CSS_WIDTH, "height": 1123})
    return art, ctx, ctx.new_page()


def test_print_to_a4_loses_nothing(reader_site, reader_browser, tmp_path):
    """Home, a pillar page, the KPI page and the one-page summary printed to A4: nothing wider than the page, so
    no column is cut."""
    site_dir, base = reader_site
    art, ctx, page = _a4_window(reader_browser, tmp_path)
    problems = []
    for p in PRINT_PAGES:
        for lang in ("", "en/"):
            if not (site_dir / lang / p / "index.html").is_file():
                continue
            pdf = art / f"print-{(lang + p).strip('/').replace('/', '-') or 'home'}.pdf"
            width = _print(page, base + lang + p, pdf)
            # page.pdf lays out at the printable width: measure the page at that width
            page.set_viewport_size({"width": width, "height": 1123})
            wide = page.evaluate(
                """() => { const W = document.documentElement.clientWidth; const out = [];
                  document.querySelectorAll('table, figure, img, svg, pre').forEach(el => {
                    const r = el.getBoundingClientRect();
                    if (r.width > 0 && (r.right > W + 1 || el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'svg'))
                      out.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.right) + '/' + W); });
                  document.querySelectorAll('.mb-table, .md-typeset__scrollwrap').forEach(el => {
                    if (el.scrollWidth > el.clientWidth + 1)
                      out.push('scrolling table ' + el.scrollWidth + '/' + el.clientWidth); });
                  const sw = document.documentElement.scrollWidth;
                  if (sw > W + 1) out.push('page ' + sw + '/' + W);
                  return out; }"""
            )
            problems += [f"/{lang}{p}: {w}" for w in wide]
            page.emulate_media(media="screen")
            page.set_viewport_size({"width": A4_CSS_WIDTH, "height": 1123})
    ctx.close()
    _report(problems, "elements wider than an A4 page")


def test_summary_prints_on_one_a4_page_with_its_address(reader_site, reader_browser, tmp_path):
    """The one-page summary is one A4 sheet in each language, and the sheet prints the page's own address (paper
    has no address bar); on screen that line is hidden."""
    site_dir, base = reader_site
    art, ctx, page = _a4_window(reader_browser, tmp_path)
    problems = []
    for lang in ("", "en/"):
        assert (site_dir / lang / "summary" / "index.html").is_file(), f"no /{lang}summary/ page"
        url = base + lang + "summary/"
        page.goto(url, wait_until="load")
        if page.locator(".mb-summary__url").is_visible():
            problems.append(f"/{lang}summary/: the print-only address line shows on screen")
        pdf = art / f"summary-{lang.strip('/') or 'vi'}.pdf"
        _print(page, url, pdf)
        shown = page.locator(".mb-summary__url")
        # the address the site was built for (the session's build: this server's)
        printed = re.search(r"https?://\S+", shown.inner_text()) if shown.is_visible() else None
        if not printed or not printed.group(0).endswith(f"/{lang}summary/"):
            problems.append(f"/{lang}summary/: the printed page does not show its absolute address")
        elif not os.environ.get("MINHBACH_READER_SITE") and printed.group(0) != url:
            problems.append(f"/{lang}summary/: prints {printed.group(0)}, not {url}")
        n = pdf_pages(pdf)
        if n != 1:
            problems.append(f"/{lang}summary/: {n} A4 pages ({pdf.stat().st_size} bytes)")
        page.emulate_media(media="screen")
    ctx.close()
    _report(problems, "problems with the printed summary")
