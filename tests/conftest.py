"""Shared fixtures: the shipped package built once per session and served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from helpers import CONTACT_EMAIL, bump_version, copy_package, with_contact  # noqa: E402,F401  (tests import them from here too)

ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler(http.server.SimpleHTTPRequestHandler):
    # the media types `minhbach serve` gives (harvesters pick their parser by them)
    from minhbach.cli import site_handler

    extensions_map = dict(site_handler(ROOT).extensions_map)
    del site_handler

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session", autouse=True)
def shared_render_cache(tmp_path_factory):
    """One render cache (SVG, PNG, cards, chart bundle; keyed by content hash) for every build of the session, as
    `MINHBACH_CACHE_DIR` gives staff: rendering the same chart again in each test's output folder only costs time.
    test_site's determinism test builds with a cache of its own, so two independent renderings are compared."""
    old = os.environ.get("MINHBACH_CACHE_DIR")
    os.environ["MINHBACH_CACHE_DIR"] = str(tmp_path_factory.mktemp("render-cache"))
    yield
    if old is None:
        os.environ.pop("MINHBACH_CACHE_DIR", None)
    else:
        os.environ["MINHBACH_CACHE_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def frictionless_once_per_content():
    """frictionless validates the same bytes again and again (each copy of the shipped package, each workbook import
    that writes the CSVs unchanged): its report is a function of the descriptor and the resource files only, so it is
    computed once per content for the in-process calls (~1 s each). A package whose bytes differ is validated
    afresh, and a report that names its folder is never reused."""
    import hashlib

    from minhbach.validate import run

    real, memo = run.frictionless_issues, {}

    def once(descriptor: dict, root: Path) -> list:
        paths = [r.get("path") for r in descriptor.get("resources") or []]
        if not all(isinstance(p, str) for p in paths):
            return real(descriptor, root)
        h = hashlib.sha256(json.dumps(descriptor, ensure_ascii=False).encode("utf-8"))
        for p in paths:
            f = Path(root, p)
            h.update(
                b"\0"
                + p.encode("utf-8")
                + b"\0"
                + (f.read_bytes() if f.is_file() else b"\1folder" if f.is_dir() else b"\1absent")
            )
        key = h.hexdigest()
        if key not in memo:
            issues = real(descriptor, root)
            if any(str(root) in repr(i) for i in issues):
                return issues
            memo[key] = issues
        return list(memo[key])

    run.frictionless_issues = once
    yield
    run.frictionless_issues = real


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(site_dir, base_url): the real build of the shipped data, served while the session lasts."""
    from minhbach.build import build_site

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("build")
    build_site(ROOT, out, ROOT, base_url=base)
    site_dir = out / "site"
    handler = functools.partial(Handler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield site_dir, base
    httpd.shutdown()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# fixtures that build a whole site (or drive Chromium): a test that uses one is `slow` without saying so, so the
# fast loop (`pytest -m "not slow"`) stays fast as tests are added
BUILDING_FIXTURES = {
    "site",
    "chromium_browser",
    "browser",
    "poisoned",
    "poisoned_synthetic",
    "built",
    "shapes",
    "public",
    "served",
    "reader_site",
    "reader_browser",
    "public_site",
    "hostile_site",
    "hostile_search_site",
    "crawl",
    "desktop",
    "chromium",
}


def pytest_collection_modifyitems(config, items):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


# ------------------------------------------------------------------ one Chromium for every browser test

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_unavailable(why: str):
    """Skip, or fail when CI=true (CI must never silently skip the browser tests)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; CI=true, so the browser tests may not be skipped", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="session")
def chromium_browser():
    """The session's one Chromium: Playwright's sync API allows one running instance per thread, so every
    browser test module shares this one."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        browser_unavailable(f"playwright is not installed ({e})")
    if not Path(CHROMIUM).is_file():
        browser_unavailable(f"Chromium is not installed at {CHROMIUM}")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except PlaywrightError as e:
        pw.stop()
        browser_unavailable(f"Chromium could not be launched: {e}")
    yield b
    b.close()
    pw.stop()
