"""Search as a reader uses it: one index per language, fetched only when search is opened, Vietnamese found with
or without diacritics, snippets of the real text; and a first view of the home page ≤ 100 KB gzip.

Index and extraction tests read the built site; the browser tests drive the real Chromium of test_browser.py
(its fixtures and helpers) and watch every request the page makes.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT
from minhbach.site import search_index
from test_browser import CHROMIUM, DESKTOP, MOBILE, run_axe, settle, site_pages, unavailable, watched_page

FIRST_VIEW_LIMIT = 100 * 1024
LANGS = ("vi", "en")
VI_QUERIES = [  # (with diacritics, without, the page that must come first or None)
    ("nhân lực số", "nhan luc so", "indices/human-resources/"),
    ("hạ tầng số", "ha tang so", "indices/infrastructure/"),
    ("chuyển đổi số", "chuyen doi so", None),
    ("dân số", "dan so", None),
]


@pytest.fixture(scope="module")
def chromium(request):
    """A Chromium (as test_browser.py: skipped without Playwright or Chromium, but a failure when CI=true)."""
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        try:
            __import__(module)
        except ImportError as e:
            unavailable(f"{module.split('.')[0]} is not installed ({e})")
    if not Path(CHROMIUM).is_file():
        unavailable(f"Chromium is not installed at {CHROMIUM}")
    yield request.getfixturevalue("chromium_browser")


@pytest.fixture(scope="module")
def ctx(chromium):
    c = chromium.new_context(viewport=DESKTOP, device_scale_factor=1)
    c.set_default_timeout(20_000)
    yield c
    c.close()


browser_test = pytest.mark.browser


# ------------------------------------------------------------------ index, without a browser


def test_sections_split_at_headings_and_drop_what_is_not_text():
    html = (
        '<h1 id="t">Nhân lực số<a class="headerlink" href="#t">&para;</a></h1><p>Mở đầu <b>đậm</b></p>'
        '<script>var x = "mã";</script><h2 id="a">Điểm<a class="headerlink" href="#a">¶</a></h2>'
        "<table><tr><td>Năm</td><td>2021</td></tr></table><svg><text>trục</text></svg>"
        "<button>Xem</button><div data-search-exclude><p>bản sao</p></div>"
        '<h3 id="b">Nguồn</h3><p>Báo cáo<br>năm</p><h4 id="c">Nhỏ</h4><p>vẫn thuộc mục b</p>'
    )
    page = search_index.page_docs("x/", "Nhân lực số", html)
    assert page["docs"] == [
        ["", "Nhân lực số", "Mở đầu đậm"],
        ["a", "Điểm", "Năm 2021"],
        ["b", "Nguồn", "Báo cáo năm Nhỏ vẫn thuộc mục b"],
    ]


def test_one_index_per_language_of_the_real_text(site):
    site_dir, _ = site
    assert not (site_dir / "search" / "search_index.json").exists(), "Material's two-language index is still built"
    idx = {
        lang: json.loads((site_dir / "search" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("vi", "en")
    }
    vi_urls = [u for u, _ in idx["vi"]["pages"]]
    en_urls = [u for u, _ in idx["en"]["pages"]]
    assert vi_urls and all(not u.startswith("en/") for u in vi_urls), vi_urls
    assert en_urls and all(u.startswith("en/") for u in en_urls), en_urls
    assert {"en/" + u for u in vi_urls} == set(en_urls)
    vi_text = " ".join(d[3] for d in idx["vi"]["docs"])
    assert "chuyển đổi số" in vi_text.lower() and "nhân lực số" in vi_text.lower()
    # no accent-folded copy: every word of the index is as the page prints it
    assert "chuyen doi so" not in vi_text.lower() and "nhan luc so" not in vi_text.lower()
    assert "Digital human resources" in " ".join(d[2] + " " + d[3] for d in idx["en"]["docs"])
    for lang, data in idx.items():
        for page, anchor, _, _ in data["docs"]:
            url = data["pages"][page][0]
            if anchor:
                html = (site_dir / url / "index.html").read_text(encoding="utf-8")
                assert f'id="{anchor}"' in html, f"{lang}: {url}#{anchor} is not an anchor of the page"


def test_every_page_has_its_languages_search(site):
    site_dir, _ = site
    for p in site_pages(site_dir):
        if "embed/" in p:  # a chart's own page for an <iframe>: no site header, so no search (test_reuse)
            continue
        html = (site_dir / p / "index.html").read_text(encoding="utf-8")
        lang = "en" if p.startswith("en/") else "vi"
        m = re.search(r'<dialog class="mb-search"[^>]* data-index="([^"]+)"', html)
        assert m, f"/{p}: no search dialog"
        assert m.group(1).endswith(f"/search/{lang}.json"), f"/{p}: search reads {m.group(1)}"
        assert 'name="search"' not in html and "md-search" not in html, f"/{p}: Material's search is still there"


# ------------------------------------------------------------------ in the browser


def open_search(page, query: str):
    page.locator("button.mb-search__open").click()
    page.locator("#mb-search-q").wait_for(state="visible")
    page.keyboard.type(query, delay=20)
    page.wait_for_function(
        "q => document.querySelector('#mb-search-q').value === q && "
        "document.querySelector('.mb-search__status').textContent.includes('\u201c' + q + '\u201d')",
        arg=query,
    )
    return page.evaluate("""() => [...document.querySelectorAll('.mb-search__result')].map(li => ({
        href: li.querySelector('a').href, title: li.querySelector('a').textContent,
        snippet: (li.querySelector('.mb-search__snippet') || {}).textContent || '',
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")


def results_for(site, ctx, lang: str, query: str):
    _, base = site
    page, watch = watched_page(ctx)
    page.goto(base + lang, wait_until="load")
    settle(page)
    before = [u for u in watch.requests if "/search/" in u]
    results = open_search(page, query)
    settle(page)
    index_requests = [u for u in watch.requests if "/search/" in u]
    problems = watch.errors + watch.outside()
    page.close()
    assert not before, f"the search index was fetched before search was opened: {before}"
    assert not problems, problems
    return base, results, index_requests


@browser_test
@pytest.mark.parametrize("accented,folded,first", VI_QUERIES, ids=[q[1].replace(" ", "-") for q in VI_QUERIES])
def test_vietnamese_found_with_and_without_diacritics(site, ctx, accented, folded, first):
    runs = {}
    for q in (accented, folded):
        base, results, requests = results_for(site, ctx, "", q)
        assert requests == [base + "search/vi.json"], f"{q!r}: index requests {requests}"
        assert results, f"nothing found for {q!r}"
        assert all(r["href"].startswith(base) and not r["href"].startswith(base + "en/") for r in results), (
            f"{q!r}: results outside the Vietnamese pages: {[r['href'] for r in results]}"
        )
        if first:
            assert results[0]["href"].split("#")[0] == base + first, (
                f"{q!r}: first result {results[0]['href']}, expected /{first}: {[r['title'] for r in results[:5]]}"
            )
        # the snippet shows the real words, marked, never the folded copy
        top = next(r for r in results if r["marks"])
        assert any(m.lower() == accented for m in top["marks"]), f"{q!r}: marks {top['marks']}"
        assert accented in top["snippet"].lower(), f"{q!r}: snippet {top['snippet']!r}"
        assert folded not in top["snippet"].lower(), f"{q!r}: folded text in the snippet {top['snippet']!r}"
        runs[q] = [r["href"] for r in results]
    assert set(runs[accented]) == set(runs[folded]), (
        f"{accented!r} and {folded!r} find different pages: {set(runs[accented]) ^ set(runs[folded])}"
    )


@browser_test
@pytest.mark.parametrize(
    "query", ["NHÂN LỰC SỐ", unicodedata.normalize("NFD", "nhân lực số"), "Nhân  lực-số"], ids=["upper", "nfd", "punct"]
)
def test_case_spacing_and_decomposed_letters_fold_the_same(site, ctx, query):
    base, results, _ = results_for(site, ctx, "", query)
    assert results and results[0]["href"] == base + "indices/human-resources/", [r["href"] for r in results[:3]]
    assert "Nhân lực số" in results[0]["marks"], results[0]


@browser_test
def test_english_pages_search_the_english_index(site, ctx):
    base, results, requests = results_for(site, ctx, "en/", "digital human resources")
    assert requests == [base + "search/en.json"], requests
    assert results and results[0]["href"].split("#")[0] == base + "en/indices/human-resources/", results[:3]
    assert all(r["href"].startswith(base + "en/") for r in results), [r["href"] for r in results]
    assert any("digital human resources" in m.lower() for m in results[0]["marks"]), results[0]


@browser_test
def test_first_view_of_home_is_small_and_fetches_no_index(site, chromium):
    """Every response of a first visit (empty cache) until the network is idle, gzip computed here."""
    _, base = site
    ctx = chromium.new_context(viewport=DESKTOP)
    page, watch = watched_page(ctx)
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(base, wait_until="load")
    settle(page)
    page.wait_for_timeout(500)
    settle(page)
    sizes = {r.url: len(gzip.compress(r.body(), 9)) for r in responses if r.ok}
    total = sum(sizes.values())
    detail = ", ".join(f"{u[len(base) :] or '/'} {n / 1024:.1f}" for u, n in sorted(sizes.items(), key=lambda x: -x[1]))
    print(f"\nfirst view of /: {total / 1024:.1f} KB gzip in {len(sizes)} responses ({detail})")
    assert not [u for u in sizes if "/search/" in u or "search_index" in u], detail
    assert total <= FIRST_VIEW_LIMIT, f"first view {total / 1024:.1f} KB gzip > 100 KB: {detail}"
    assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    ctx.close()


@browser_test
def test_search_by_keyboard_is_accessible(site, ctx, artifacts):
    """ "/" opens search, typing finds, ArrowDown reaches the results, Enter follows one; Escape closes and gives
    focus back; the open dialog with results has no axe violation (WCAG 2.1 A/AA)."""
    _, base = site
    page, watch = watched_page(ctx)
    page.goto(base + "kpi/", wait_until="load")
    settle(page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "mb-search-q"
    page.keyboard.type("ha tang so", delay=20)
    page.wait_for_function("document.querySelectorAll('.mb-search__result').length > 0")
    from axe_playwright_python.sync_playwright import Axe

    violations = run_axe(page, Axe().axe_script)
    assert not violations, [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in violations]
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("[document.activeElement.href, document.activeElement.matches(':focus-visible')]")
    assert focused[0].startswith(base + "indices/infrastructure/"), focused
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('#mb-search').open") is False
    assert page.evaluate("document.activeElement.matches('button.mb-search__open')"), "focus not given back"
    page.keyboard.press("Enter")  # the focused search button opens it again, the query kept
    page.wait_for_function("document.querySelector('#mb-search').open")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "indices/infrastructure/**")
    settle(page)
    assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    page.close()


@browser_test
@pytest.mark.parametrize("width", [MOBILE["width"], DESKTOP["width"]])
def test_search_results_screenshot(site, chromium, artifacts, width):
    """The results as a reader sees them: the dialog fits the screen, no sideways scrolling, text ≥ 11 px."""
    _, base = site
    ctx = chromium.new_context(viewport=MOBILE if width == MOBILE["width"] else DESKTOP)
    page, watch = watched_page(ctx)
    page.goto(base, wait_until="load")
    open_search(page, "nhan luc so")
    out = artifacts / f"search-results-{width}.png"
    page.screenshot(path=str(out))
    box = page.evaluate("""() => { const d = document.querySelector('#mb-search').getBoundingClientRect();
        const dlg = document.querySelector('#mb-search');
        return {left: d.left, right: d.right, vw: document.documentElement.clientWidth,
                scroll: dlg.scrollWidth - dlg.clientWidth,
                small: [...document.querySelectorAll('#mb-search *')].filter(e => e.childNodes.length &&
                  [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) &&
                  parseFloat(getComputedStyle(e).fontSize) < 11).map(e => e.tagName)}; }""")
    assert box["left"] >= 0 and box["right"] <= box["vw"] and box["scroll"] <= 0, box
    assert not box["small"], f"text under 11 px: {box['small']}"
    assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    ctx.close()


# ------------------------------------------------------------------ hostile text in the index

HOSTILE = "Share <img src=x onerror=alert(2)> <b>of</b> units"


@pytest.fixture(scope="module")
def hostile_search_site(tmp_path_factory):
    """The shipped package with markup in a KPI's English name, built and served."""
    import csv
    import functools
    import http.server
    import threading

    from conftest import Handler, bump_version, copy_package, free_port
    from minhbach.build import build_site

    tmp = tmp_path_factory.mktemp("search-hostile")
    root = copy_package(tmp / "pkg")
    bump_version(root)
    with open(root / "data" / "kpi.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    rows[0]["name_en"] = HOSTILE
    with open(root / "data" / "kpi.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    build_site(root, tmp / "out", ROOT, base_url=base, force=True)
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(tmp / "out" / "site"))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp / "out" / "site", base
    httpd.shutdown()


@browser_test
def test_markup_from_the_data_is_shown_as_text_in_results(hostile_search_site, ctx):
    site_dir, base = hostile_search_site
    index = json.loads((site_dir / "search" / "en.json").read_text(encoding="utf-8"))
    assert any(HOSTILE in d[3] for d in index["docs"]), "the KPI name is not in the index as the page prints it"
    page, watch = watched_page(ctx)
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(base + "en/", wait_until="load")
    results = open_search(page, "share img src onerror")
    assert results and any("<img src=x onerror=alert(2)>" in r["snippet"] for r in results), results[:3]
    injected = page.evaluate("document.querySelectorAll('.mb-search__results img, .mb-search__results b').length")
    settle(page)
    assert not injected and not alerts, (injected, alerts)
    assert not watch.errors and not watch.outside(), watch.errors + watch.outside()
    page.close()
