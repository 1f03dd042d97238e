"""The built site in a real Chromium: clean pages, charts, language switcher, search, screenshots,
accessibility (axe-core, WCAG 2.1 A/AA) and keyboard use.

One browser for the session and one desktop context reused by every test. Every page of both languages is
loaded once (console, page errors, failed and outside requests, axe) and the results are shared by the
"clean pages" and "axe" tests. Without Chromium or Playwright the tests are skipped, except when CI=true:
then they fail, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CHROMIUM

pytestmark = pytest.mark.browser

LOCAL_HOST = "127.0.0.1"
SKIP_DIRS = {"releases", "latest", "downloads", "assets"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PILLAR = "pillars/digital-government/"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


def unavailable(why: str):
    """Skip, or fail when CI=true (CI must never silently skip the browser tests)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; CI=true, so the browser tests may not be skipped", pytrace=False)
    pytest.skip(why)


# ------------------------------------------------------------------ browser and pages


@pytest.fixture(scope="session", autouse=True)
def _browser_tools():
    """Checked before anything else (before the site build): skip or fail at once without the tools."""
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        try:
            __import__(module)
        except ImportError as e:
            unavailable(f"{module.split('.')[0]} is not installed ({e})")
    if not Path(CHROMIUM).is_file():
        unavailable(f"Chromium is not installed at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser(chromium_browser):
    return chromium_browser


@pytest.fixture(scope="session")
def desktop(browser):
    ctx = browser.new_context(viewport=DESKTOP, device_scale_factor=1)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def site_pages(site_dir: Path) -> list[str]:
    """Every page of both languages, as a path relative to the site root ("" is the home page)."""
    out = []
    for index in sorted(site_dir.rglob("index.html")):
        parts = index.relative_to(site_dir).parts[:-1]
        lang_parts = parts[1:] if parts[:1] == ("en",) else parts
        if lang_parts and lang_parts[0] in SKIP_DIRS:
            continue
        out.append("".join(p + "/" for p in parts))
    return out


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    site_dir, _ = site
    found = site_pages(site_dir)
    vi = [p for p in found if not p.startswith("en/")]
    en = [p for p in found if p.startswith("en/")]
    assert len(vi) > 20 and len(en) > 20, f"{len(vi)} Vietnamese and {len(en)} English pages"
    assert {"en/" + p for p in vi} == set(en), "the two languages do not have the same pages: " + str(
        sorted({"en/" + p for p in vi} ^ set(en))
    )
    return found


def chart_pages(site_dir: Path, pages: list[str]) -> list[str]:
    return [p for p in pages if 'class="mb-chart"' in (site_dir / p / "index.html").read_text(encoding="utf-8")]


@dataclass
class Watch:
    """What one browser page did: console errors and warnings, uncaught errors, requests, HTTP failures."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    inflight: int = 0  # requests sent and not yet finished or failed

    def attach(self, page) -> Watch:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", self._sent)
        page.on("requestfinished", self._done)
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status} for {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", self._failed)
        return self

    def _sent(self, request):
        self.requests.append(request.url)
        self.inflight += 1

    def _done(self, request):
        self.inflight -= 1

    def _failed(self, request):
        self.inflight -= 1
        # ERR_ABORTED: the page navigated away (or the worker stopped) before the response; not a fault
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed ({request.failure}): {request.url}")

    def _console(self, msg):
        loc = msg.location or {}
        text = f"console.{msg.type}: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})"
        if msg.type in ("error", "assert"):
            self.errors.append(text)
        elif msg.type == "warning":
            self.warnings.append(text)

    def clear(self):
        self.errors.clear(), self.warnings.clear(), self.requests.clear()

    def outside(self) -> list[str]:
        """Requests to any host but the local test server (data: and blob: URLs fetch nothing)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).hostname != LOCAL_HOST
        ]


def watched_page(ctx):
    page = ctx.new_page()
    return page, Watch().attach(page)


def settle(page, watch: Watch | None = None, quiet_ms: int = 150):
    """Wait until the page, its scripts and Material's late fetches (search index, sitemap) are done.

    With the page's Watch: until no request has been in flight for `quiet_ms` (what it counts is every request
    the page sends, so nothing late is missed); without: Playwright's networkidle, a fixed 500 ms of quiet, which
    over the crawl of every page costs more than a minute."""
    page.wait_for_load_state("load")
    if watch is None:
        page.wait_for_load_state("networkidle")
        return
    quiet_since = time.monotonic()
    deadline = quiet_since + 20
    while time.monotonic() < deadline:
        page.wait_for_timeout(25)
        if watch.inflight > 0:
            quiet_since = time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return
    watch.errors.append(f"requests still in flight after 20 s: {watch.inflight}")


# ------------------------------------------------------------------ one pass over every page


def run_axe(page, axe_script: str) -> list[dict]:
    """axe-core with the WCAG 2.0/2.1 A and AA rules; returns the violations.

    color-contrast runs with ignorePseudo: axe otherwise checks every ::before/::after of every text
    node's background stack (Material has many) and is 10x slower. That option never hides a violation:
    a node covered by a pseudo-element is otherwise reported as "incomplete", never as a violation; with
    it the node's contrast is computed and judged.
    """
    page.evaluate(axe_script)
    page.evaluate("axe.configure({checks: [{id: 'color-contrast', options: {ignorePseudo: true}}]})")
    res = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return res["violations"]


@dataclass
class Visit:
    errors: list[str]
    warnings: list[str]
    outside: list[str]
    violations: list[dict]
    seconds: float


@pytest.fixture(scope="session")
def crawl(site, pages, desktop, axe_script) -> dict[str, Visit]:
    """Every page loaded once in the desktop context: what it logged and requested, and axe's verdict."""
    _, base = site
    page, watch = watched_page(desktop)
    out: dict[str, Visit] = {}
    for path in pages:
        watch.clear()
        t0 = time.monotonic()
        resp = page.goto(base + path, wait_until="load")
        if resp is None or resp.status != 200:
            watch.errors.append(f"HTTP {resp.status if resp else '???'} for the page itself")
        violations = run_axe(page, axe_script)
        settle(page, watch)  # after axe: late fetches (search index, sitemap) and their errors are in by now
        out[path] = Visit(list(watch.errors), list(watch.warnings), watch.outside(), violations, time.monotonic() - t0)
    page.close()
    slow = sorted(out.items(), key=lambda kv: -kv[1].seconds)[:3]
    print(
        f"\ncrawled {len(out)} pages in {sum(v.seconds for v in out.values()):.0f} s; slowest: "
        + ", ".join(f"/{p} {v.seconds:.1f} s" for p, v in slow)
    )
    return out


def test_every_page_loads_cleanly(crawl):
    """(a) Both languages: no console error, no uncaught error, no failed request, nothing from another host."""
    problems = []
    for path, v in crawl.items():
        problems += [f"/{path}: {e}" for e in v.errors]
        problems += [f"/{path}: request to another host: {u}" for u in v.outside]
    warnings = sorted({w for v in crawl.values() for w in v.warnings})
    if warnings:
        print("console warnings (not failures):\n  " + "\n  ".join(w[:300] for w in warnings))
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_axe_wcag21_aa_every_page(crawl):
    """(f) axe-core, WCAG 2.1 A and AA rules, every page of both languages: zero violations."""
    lines = []
    for path, v in crawl.items():
        for viol in v.violations:
            for node in viol["nodes"]:
                html = re.sub(r"\s+", " ", node.get("html", ""))[:300]
                lines.append(f"/{path}: {viol['id']} [{viol.get('impact')}] target={node.get('target')} html={html}")
    if lines:
        print("\n".join(lines))
    ids = sorted({viol["id"] for v in crawl.values() for viol in v.violations})
    assert not lines, f"{len(lines)} axe violation(s) ({', '.join(ids)}):\n" + "\n".join(lines[:200])


# ------------------------------------------------------------------ charts


def test_interactive_charts_draw(site, pages, desktop):
    """(b) On every page with charts, each "interactive chart" button draws its chart (vendored Vega, no CDN)."""
    site_dir, base = site
    with_charts = chart_pages(site_dir, pages)
    assert len(with_charts) >= 4 and any(p.startswith("en/") for p in with_charts), with_charts
    page, watch = watched_page(desktop)
    problems, drawn = [], 0
    for path in with_charts:
        watch.clear()
        page.goto(base + path, wait_until="load")
        figs = page.locator("figure.mb-chart")
        ids = figs.evaluate_all("els => els.map(e => e.id)")
        assert ids and all(ids), f"/{path}: charts without an id: {ids}"
        for fid in ids:
            fig = page.locator(f"figure#{fid}")
            img = fig.locator(".mb-chart__view img")
            alt = (img.first.get_attribute("alt") or "").strip() if img.count() == 1 else ""
            if not alt:
                problems.append(f"/{path}#{fid}: the static chart image is missing or has no alt text")
            if fig.locator("details.mb-chart__data table tbody tr").count() == 0:
                problems.append(f"/{path}#{fid}: the chart has no data table")
            button = fig.locator("button.mb-chart__interactive")
            if not button.is_visible():
                problems.append(f"/{path}#{fid}: the interactive button is not shown")
                continue
            button.scroll_into_view_if_needed()
            button.click()
            try:
                page.locator(f"figure#{fid}[data-drawn='true'] .mb-chart__view svg").first.wait_for(timeout=20_000)
            except Exception as e:  # noqa: BLE001 - report every chart, not just the first
                status = fig.locator("[role=status]").all_inner_texts()
                problems.append(f"/{path}#{fid}: not drawn ({type(e).__name__}; status {status})")
                continue
            svg = fig.locator(".mb-chart__view svg").first  # the drawn chart replaced the static image
            label = svg.get_attribute("aria-label")
            if svg.get_attribute("role") != "img" or not (label or "").strip():
                problems.append(f"/{path}#{fid}: the drawn SVG has no role=img / aria-label")
            if (
                fig.locator(
                    ".mb-chart__view svg .mark-rect, .mb-chart__view svg .mark-line, "
                    ".mb-chart__view svg .mark-symbol, .mb-chart__view svg path"
                ).count()
                == 0
            ):
                problems.append(f"/{path}#{fid}: the drawn SVG has no marks")
            if alt and label != alt:
                problems.append(f"/{path}#{fid}: SVG label {label!r} differs from the image alt {alt!r}")
            drawn += 1
        settle(page, watch)
        problems += [f"/{path}: {e}" for e in watch.errors]
        problems += [f"/{path}: request to another host: {u}" for u in watch.outside()]
        if not any(u.endswith("assets/vendor/vega-bundle.js") for u in watch.requests):
            problems.append(f"/{path}: the vendored Vega bundle was not loaded")
    page.close()
    assert drawn > 0
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ language switcher


def switch(page, lang: str):
    page.hover(".md-header__option .md-select")
    link = page.locator(f".md-select__link[hreflang={lang}]")
    link.wait_for(state="visible")
    with page.expect_navigation(wait_until="domcontentloaded"):
        link.click()


def test_language_switcher_keeps_the_page(site, pages, desktop):
    """(c) The header language switcher goes to the same page in English, and back to Vietnamese."""
    _, base = site
    vi = [p for p in pages if not p.startswith("en/")]
    sample, seen = [], set()
    for p in vi:  # one page of every section
        section = p.split("/")[0]
        # embed/<chart>/ pages sit in another site's <iframe>: no site header, so no switcher (test_reuse)
        if section not in seen and section != "embed":
            seen.add(section)
            sample.append(p)
    page, watch = watched_page(desktop)
    problems = []
    for path in sample:
        page.goto(base + path, wait_until="load")
        switch(page, "en")
        if page.url != base + "en/" + path or page.evaluate("document.documentElement.lang") != "en":
            problems.append(
                f"/{path} -> English landed on {page.url} (lang {page.evaluate('document.documentElement.lang')})"
            )
            continue
        switch(page, "vi")
        if page.url != base + path or page.evaluate("document.documentElement.lang") != "vi":
            problems.append(f"/en/{path} -> Vietnamese landed on {page.url}")
    settle(page)
    problems += watch.errors + [f"request to another host: {u}" for u in watch.outside()]
    page.close()
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ search: tests/test_search.py


# ------------------------------------------------------------------ screenshots


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def load_all_images(page):
    """Lazy images below the fold would be blank in a full-page screenshot: load them all first."""
    page.evaluate("""async () => {
        document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; });
        await Promise.all([...document.images].map(img => img.complete ? null :
            new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
    }""")


@pytest.mark.parametrize("width", [MOBILE["width"], DESKTOP["width"]])
def test_screenshots(site, browser, artifacts, width):
    """(e) Full-page screenshots of the home page and a pillar page, 390 px and 1280 px wide."""
    _, base = site
    viewport = MOBILE if width == MOBILE["width"] else DESKTOP
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
    page, watch = watched_page(ctx)
    try:
        for path, name in (("", "home"), (PILLAR, "pillar-digital-government")):
            page.goto(base + path, wait_until="load")
            load_all_images(page)
            broken = page.evaluate("[...document.images].filter(i => !i.naturalWidth).map(i => i.src)")
            assert not broken, f"/{path}: images that did not load: {broken}"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"/{path} at {width} px: the page scrolls sideways by {overflow} px"
            out = artifacts / f"{name}-{width}.png"
            out.unlink(missing_ok=True)
            page.screenshot(path=str(out), full_page=True)
            w, h = png_size(out)
            assert w == width and h >= viewport["height"], (out, w, h)
            assert out.stat().st_size > 10_000, f"{out} looks blank ({out.stat().st_size} bytes)"
        settle(page)
        assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    finally:
        ctx.close()


# ------------------------------------------------------------------ keyboard


FOCUSED = r"""() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const cs = getComputedStyle(e), r = e.getBoundingClientRect();
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([R, G, B]) => [R, G, B].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bgEl = e.parentElement, bg = [255, 255, 255];   // what the ring is drawn on: the nearest opaque background
  for (; bgEl; bgEl = bgEl.parentElement) {
    const c = rgb(getComputedStyle(bgEl).backgroundColor);
    if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) { bg = c.slice(0, 3); break; }
  }
  const ringColor = rgb(cs.outlineColor).slice(0, 3);
  const contrast = ringColor.length === 3 ? (Math.max(lum(ringColor), lum(bg)) + 0.05) / (Math.min(lum(ringColor), lum(bg)) + 0.05) : 0;
  // a visible focus indicator: a solid outline of 2 px or more with 3:1 against its background (WCAG 1.4.11)
  const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 && contrast >= 3;
  const fig = e.closest('figure.mb-chart');
  return {tag: e.tagName.toLowerCase(), cls: String(e.className || ''), text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 60),
          html: e.outerHTML.slice(0, 160), main: !!e.closest('article.md-content__inner'),
          chartButton: e.matches('button.mb-chart__interactive'), figure: fig ? fig.id : null,
          searchInput: e.matches('input.md-search__input'),
          link: e.tagName === 'A' && e.hasAttribute('href'), focusVisible: e.matches(':focus-visible'), ring,
          outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + ' on rgb(' + bg + '), ' + contrast.toFixed(2) + ':1',
          sized: r.width > 0 && r.height > 0 && cs.visibility !== 'hidden'};
}"""


def test_keyboard_reading_of_a_pillar_page(site, desktop, artifacts):
    """(g) Tab alone reaches the content links and every chart button, each with a visible focus ring;
    every chart has alt text on its image and a data table."""
    _, base = site
    page, watch = watched_page(desktop)
    page.goto(base + PILLAR, wait_until="load")
    charts = page.evaluate("""() => [...document.querySelectorAll('figure.mb-chart')].map(f => ({
        id: f.id, alt: (f.querySelector('.mb-chart__view img') || {}).alt || '',
        rows: f.querySelectorAll('details.mb-chart__data table tbody tr').length,
        headers: f.querySelectorAll('details.mb-chart__data table thead th').length,
        caption: ((f.querySelector('details.mb-chart__data table caption') || {}).textContent || '').trim(),
        summary: ((f.querySelector('details.mb-chart__data > summary') || {}).textContent || '').trim()}))""")
    assert charts, f"/{PILLAR} has no chart"
    for c in charts:
        assert c["alt"].strip(), f"chart {c['id']}: the image has no alt text"
        assert c["rows"] > 0 and c["headers"] > 0 and c["caption"] and c["summary"], (
            f"chart {c['id']}: no data table: {c}"
        )
    want_buttons = {c["id"] for c in charts}
    reached_buttons, content_links, no_ring, invisible = set(), 0, [], []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    first = None
    for i in range(1500):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED)
        if f is None:
            continue
        key = f["html"]
        if first is None:
            first = key
        elif key == first:
            break  # wrapped around
        if not f["sized"]:
            invisible.append(f["html"])
        elif not (f["focusVisible"] and f["ring"]) and not f["searchInput"]:
            # (the search field shows its focus by opening the search box instead of a ring)
            no_ring.append(f"{f['html']} ({f['outline']})")
        if f["chartButton"]:
            reached_buttons.add(f["figure"])
            if len(reached_buttons) == 1:
                page.screenshot(path=str(artifacts / "keyboard-focus-chart-button.png"))
        if f["main"] and f["link"]:
            content_links += 1
    print(
        f"/{PILLAR}: {i + 1} Tab presses reached {content_links} content links and {len(reached_buttons)} chart button(s)"
    )
    assert reached_buttons == want_buttons, (
        f"Tab never reached the chart buttons of {sorted(want_buttons - reached_buttons)}"
    )
    assert content_links >= 20, f"Tab reached only {content_links} links of the main content"
    assert not no_ring, "focused without a visible focus indicator:\n" + "\n".join(no_ring[:30])
    assert not invisible, "Tab stops on invisible elements:\n" + "\n".join(invisible[:30])
    # Enter on a focused chart button draws the chart: the whole reading works without a mouse
    button = page.locator(f"figure#{charts[0]['id']} button.mb-chart__interactive")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(f"figure#{charts[0]['id']}[data-drawn='true'] svg").first.wait_for(timeout=20_000)
    settle(page)
    assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    page.close()


# ------------------------------------------------------------------ phones: the brief first, detail on demand


@pytest.fixture(scope="session")
def phone(browser):
    from phone_helpers import PHONE

    ctx = browser.new_context(viewport=PHONE, device_scale_factor=1)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def test_home_brief_in_the_first_two_phone_screens(site, phone):
    """At 390 x 844, both languages: the score, the rank and its change, the targets met per plan and the budget
    total are each in a sentence of the brief that ends within the first two screens."""
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package
    from phone_helpers import check_home, expected

    _, base = site
    pkg = load_package(Path(__file__).resolve().parents[1])
    exp = expected(pkg, compute_all(pkg))
    assert exp["score"] and exp["rank"] and exp["from"] and exp["plans"] and exp["money"], exp
    page = phone.new_page()
    problems = check_home(page, base, "vi", exp, {}) + check_home(page, base + "en/", "en", exp, {})
    page.close()
    assert not problems, "\n".join(problems)


def test_no_phone_page_longer_than_15_screens(site, pages, phone):
    """Every page of both languages, at 390 x 844 before the reader opens anything, is at most 15 screens long
    (long tables and lists are folded under a summary with their count)."""
    from phone_helpers import PHONE, SCREENS, heights

    _, base = site
    paths = [p for p in pages if p.removeprefix("en/").split("/")[0] != "embed"]
    page = phone.new_page()
    h = heights(page, base, paths)
    page.close()
    long = {p: round(v / PHONE["height"], 1) for p, v in h.items() if v > SCREENS * PHONE["height"]}
    assert len(h) > 40 and not long, f"screens per page over {SCREENS}: {long}"


def test_folded_detail_opens_without_script(site, browser):
    """The folds are native <details>: with JavaScript off, a summary opens its table from the keyboard."""
    from phone_helpers import PHONE

    _, base = site
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + "kpi/", wait_until="load")
    folds = page.locator("details.mb-fold")
    assert folds.count() >= 1
    first = folds.first
    assert first.evaluate("d => !d.open") and re.search(r"\d", first.locator(":scope > summary").inner_text())
    hidden = first.locator("table").first
    assert not hidden.is_visible()
    first.locator(":scope > summary").focus()
    page.keyboard.press("Enter")
    assert first.evaluate("d => d.open") and hidden.is_visible()
    ctx.close()
