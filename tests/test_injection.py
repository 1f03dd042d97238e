"""Issue 13.1/13.2: data cannot execute, and the build cannot write outside its output folder.

One build of a package in which every label cell of every table and every title and description of the
descriptor start with PAYLOAD (`</title><script>`, `<img onerror>`, `{{ 7*7 }}`, a `javascript:` Markdown
link, `**b**`). While it builds, every file opened for writing is recorded. Then the built HTML, the search
index, the JSON-LD, the SVGs and the Vega specs are read, and Chromium opens the pages.
"""

from __future__ import annotations

import builtins
import functools
import html
import http.server
import io
import json
import os
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import helpers
from conftest import ROOT, Handler, bump_version, copy_package, free_port
from helpers import PAYLOAD, PAYLOADS, poison_every_label
from minhbach.build import build_site
from output_scan import count_files, scan_bytes, scan_tree


def record_writes(monkeypatch) -> list[str]:
    """Every path opened for writing (builtins.open, io.open, os.open) while the patch holds."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def opened(file, mode="r", *a, **kw):
        if isinstance(file, (str, bytes, os.PathLike)) and any(m in mode for m in "wax+"):
            seen.append(os.path.abspath(os.fsdecode(file)))
        return real_open(file, mode, *a, **kw)

    def os_opened(path, flags, *a, **kw):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            seen.append(os.path.abspath(os.fsdecode(path)) if not isinstance(path, int) else f"fd:{path}")
        return real_os_open(path, flags, *a, **kw)

    monkeypatch.setattr(builtins, "open", opened)
    monkeypatch.setattr(io, "open", opened)
    monkeypatch.setattr(os, "open", os_opened)
    return seen


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injection")
    root = copy_package(tmp / "pkg")
    bump_version(root)
    tables = poison_every_label(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp / "out"
    mp = pytest.MonkeyPatch()
    mp.delenv("MINHBACH_CACHE_DIR", raising=False)  # the build's own cache, under the output folder like the rest
    writes = record_writes(mp)
    try:
        build_site(root, out, ROOT, base_url=base, force=True)
    finally:
        mp.undo()
    site = out / "site"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"root": root, "out": out, "site": site, "base": base, "writes": writes, "tables": tables}
    httpd.shutdown()


def test_every_label_column_was_poisoned(poisoned):
    """The corpus is what it claims: every table with free text, every such column."""
    assert len(poisoned["tables"]) >= 15
    assert {"pillar", "main_index", "source", "province", "kpi", "task", "glossary"} <= set(poisoned["tables"])


def test_every_file_the_build_writes_is_under_the_output_folder(poisoned):
    out = str(poisoned["out"].resolve()) + os.sep
    writes = [w for w in poisoned["writes"] if not w.startswith("fd:")]
    assert len(writes) > 200  # the recorder saw the build (pages, charts, open data)
    outside = sorted({w for w in writes if not os.path.realpath(w).startswith(out)} - {os.devnull})
    assert not outside, outside[:20]


class Page(HTMLParser):
    """<title>, <h1>, nav link texts, script bodies and every tag's attributes, as a browser would decode them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.title = self.h1 = ""
        self.nav: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.attrs: list[tuple[str, dict]] = []
        self._nav_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.attrs.append((tag, a))
        if tag == "nav":
            self._nav_depth += 1
        if tag == "script":
            self.scripts.append((a, ""))
        if tag == "a" and self._nav_depth:
            self.nav.append("")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav_depth -= 1
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if "title" in self.stack[-1:]:
            self.title += data
        if "h1" in self.stack:
            self.h1 += data
        if "script" in self.stack[-1:]:
            a, body = self.scripts[-1]
            self.scripts[-1] = (a, body + data)
        if self._nav_depth and "a" in self.stack and self.nav:
            self.nav[-1] += data


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def squash(text: str) -> str:
    return " ".join(text.split())


def data_pages(site: Path) -> list[Path]:
    keep = ("pillars/", "indices/", "sources/", "provinces/")
    return [p for p in sorted(site.rglob("index.html")) if any(k in str(p.relative_to(site)) for k in keep)]


def test_payloads_are_shown_literally_in_title_h1_and_nav(poisoned):
    site = poisoned["site"]
    pages = data_pages(site)
    assert len(pages) >= 20
    for path in pages:
        where = str(path.relative_to(site))
        page = parse(path)
        if where.rstrip("/").endswith(("sources/index.html",)) and where.count("/") <= 2:
            continue  # the list of sources, not a source
        assert PAYLOAD in squash(page.h1), (where, page.h1[:200])
        assert PAYLOADS[0] in page.title, (where, page.title[:200])  # source titles are cut at 80 characters
        assert any(PAYLOADS[0] in t for t in page.nav), where


def test_nothing_from_data_becomes_markup_anywhere(poisoned):
    site = poisoned["site"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        where = str(path.relative_to(site))
        page = parse(path)
        for tag, attrs in page.attrs:
            assert not any(k.startswith("on") for k in attrs), (where, tag, attrs)
            for k in ("href", "src", "action", "formaction"):
                v = "".join((attrs.get(k) or "").split()).lower()
                assert not v.startswith(("javascript:", "vbscript:", "data:text/html")), (where, tag, attrs)
            assert tag != "img" or attrs.get("src") != "x", where
        for attrs, body in page.scripts:
            assert "window.__x" not in body or attrs.get("type") == "application/ld+json", where
        text = html.unescape(path.read_text(encoding="utf-8"))
        assert PAYLOAD.replace("{{ 7*7 }}", "49") not in text, where  # no template engine ran the payload


def test_json_ld_holds_payload_as_a_string_and_cannot_close_its_script(poisoned):
    site = poisoned["site"]
    found = 0
    for path in sorted(site.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        for body in re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, flags=re.S):
            assert "<" not in body, path  # not even "</title>": the payload is \u003c-escaped or entity-free
            data = json.loads(body)
            found += PAYLOADS[0] in json.dumps(data, ensure_ascii=False)
    assert found >= 1


def test_search_index_svg_and_vega_specs_hold_payload_as_text(poisoned):
    site = poisoned["site"]
    # the search index holds the real text (the payload literally, never entity soup); search.js shows it with
    # textContent only, so it cannot become markup
    for lang in ("vi", "en"):
        index = json.loads((site / "search" / f"{lang}.json").read_text(encoding="utf-8"))
        texts = [t for *_, t in index["docs"]] + [title for _, title in index["pages"]]
        assert any(PAYLOADS[0] in t for t in texts), lang
        assert not any("&lt;script" in t or "&#60;" in t for t in texts), lang
    js = (site / "assets" / "js" / "search.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", js)
    svgs = sorted(site.rglob("*.svg"))
    assert svgs
    shown = 0
    for svg in svgs:
        tree = ET.parse(svg)  # well-formed: no markup broke out of a <text>
        assert not [e for e in tree.iter() if e.tag.endswith("script") or e.tag.endswith("foreignObject")], svg
        shown += any(PAYLOADS[0] in (e.text or "") for e in tree.iter())
    assert shown >= 1, "no chart drew a poisoned label"
    for spec in sorted(site.rglob("*.vegalite.json")):
        json.loads(spec.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def browser(chromium_browser):
    return chromium_browser


def test_in_chromium_nothing_executes_and_payloads_are_literal(poisoned, browser):
    site, base = poisoned["site"], poisoned["base"]
    rel = [str(p.parent.relative_to(site)) + "/" for p in data_pages(site)]
    pillar = next(r for r in rel if r.startswith("pillars/"))
    index = next(r for r in rel if r.startswith("indices/"))
    source = next(r for r in rel if r.startswith("sources/") and r != "sources/")
    urls = ["", pillar, index, source, "glossary/", "kpi/", "budget/", "plan/", "summary/", "en/", f"en/{pillar}"]
    urls += [f"en/{source}", "en/summary/"]
    ctx = browser.new_context()
    page = ctx.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for u in urls:
        page.goto(base + u, wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__x") == "undefined", u
        if u in (pillar, index, f"en/{pillar}"):
            assert PAYLOADS[0] in page.title(), (u, page.title())
            assert PAYLOAD in squash(page.inner_text("article h1")), u
            nav = page.eval_on_selector_all("nav.md-nav a", "els => els.map(e => e.textContent)")
            assert any(PAYLOAD in squash(t) for t in nav), u
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0, u
    # the search dialog shows index entries: type a payload word and look at the results
    page.goto(base + pillar, wait_until="load")
    page.locator("button.mb-search__open").click()
    page.locator("#mb-search-q").wait_for(state="visible")
    page.keyboard.type("window", delay=20)
    page.wait_for_function("document.querySelectorAll('.mb-search__result').length > 0", timeout=10_000)
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.evaluate("document.querySelectorAll('.mb-search__results img, .mb-search__results script').length") == 0
    assert any("window.__x" in t for t in page.locator(".mb-search__result").all_inner_texts())
    ctx.close()
    assert not dialogs, dialogs
    assert not errors, errors


# ------------------------------------------------------------------ every output file, every shape


def test_the_scanner_finds_each_kind_of_breakout():
    """The walker below is only worth something if it sees a payload that got out, in every format it reads."""
    bad = {
        "a.html": b'<meta name="description" content=""><script>window.__x=3</script>">',
        "b.html": b"<p><img src=x onerror=window.__x=2></p>",
        "c.html": b'<a href="javascript:alert(1)">x</a>',
        "d.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__x=1</script></svg>',
        "e.xml": b"<feed><title>a</title></feed",
        "f.csv": b"id,label\n1,=HYPERLINK(1)\n",
        "g.json": b"{not json",
        "h.newext": b"x",
        # a label with `<b>` printed raw into the head ends it: the meta tags after it fall into the body
        "i.html": b'<html><head><meta name="description" content="a"><b>&amp;</b><meta property="og:title" '
        b'content="t"></head><body></body></html>',
    }
    for name, data in bad.items():
        assert scan_bytes(name, data), name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/page.html", bad["a.html"])
    assert scan_bytes("x.zip", buf.getvalue())
    assert not scan_bytes("ok.html", b'<p title="&quot;&gt;&lt;script&gt;">x</p><script>var a=1</script>')
    assert not scan_bytes(
        "ok-head.html",
        b'<html><head><meta charset="utf-8"><title>&lt;b&gt;</title><link rel="icon" href="x.png">'
        b"<script>var a=1</script></head><body><p>x</p></body></html>",
    )
    assert not scan_bytes("ok.csv", b"id,value\n1,-0.5\n2,+3\n")


def test_every_output_file_of_the_poisoned_build_is_inert(poisoned):
    site = poisoned["site"]
    assert count_files(site) > 500
    assert scan_tree(site) == {}


@pytest.fixture(scope="module", params=list(helpers.SHAPES))
def poisoned_synthetic(request, tmp_path_factory):
    """One build per synthetic shape (points or 0-1 scale, with and without the optional tables, a ninth index,
    three provinces), every label poisoned."""
    name = request.param
    tmp = tmp_path_factory.mktemp(f"injection-{name}")
    root = helpers.make(tmp / "pkg", helpers.SHAPES[name])
    tables = poison_every_label(root)
    out = tmp / "out"
    build_site(root, out, ROOT, base_url=f"https://dti.example.org/{name}/", force=True)
    return {"name": name, "site": out / "site", "tables": tables}


def test_every_output_file_of_every_poisoned_synthetic_shape_is_inert(poisoned_synthetic):
    site = poisoned_synthetic["site"]
    assert len(poisoned_synthetic["tables"]) >= 8, poisoned_synthetic["tables"]
    assert count_files(site) > 200
    assert scan_tree(site) == {}
    # the payload reached the pages as text (the scan is not vacuous on this shape)
    shown = sum(PAYLOADS[5] in html.unescape(p.read_text(encoding="utf-8")) for p in site.rglob("*.html"))
    assert shown > 20
