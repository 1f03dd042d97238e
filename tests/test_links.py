"""Every link of the built site resolves, and the site depends on no outside host (no browser needed)."""

from __future__ import annotations

import json
import posixpath
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# The only outside host a page may link to: the licence.
ALLOWED_LINK_HOSTS = {"creativecommons.org"}
# Vocabulary namespaces that may appear as strings in a page (JSON-LD @context, SVG/XML xmlns): identifiers
# nothing fetches. With the licence, the only outside hosts a page may name at all.
# vocabularies, the licence, and the place identifier (ISO 3166-2 in OMG LCC's code list, named in JSON-LD, never fetched)
NAMESPACE_HOSTS = {"schema.org", "www.w3.org", "creativecommons.org", "www.omg.org"}
# Attributes that make the browser fetch something (an outside host here would leak the reader's visit).
FETCHED = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("track", "src"),
}
# Attributes holding an address (checked to resolve when internal, to be ours or the licence otherwise).
URL_ATTRS = {"href", "src", "srcset", "poster", "data", "action", "cite"}
URL_RE = re.compile(r"https?://[^\s\"'<>)\\]+")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str, dict]] = []  # (tag, attribute, value, all attributes)
        self.jsonld: list[str] = []
        self._in_jsonld = False
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        for k, v in a.items():
            if k in URL_ATTRS:
                if k == "srcset":
                    for part in v.split(","):
                        if part.strip():
                            self.refs.append((tag, k, part.strip().split()[0], a))
                else:
                    self.refs.append((tag, k, v.strip(), a))
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld, self._buf = True, []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._in_jsonld:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_jsonld:
            self.jsonld.append("".join(self._buf))
            self._in_jsonld = False


@cache
def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def page_url(base: str, site_dir: Path, path: Path) -> str:
    rel = path.relative_to(site_dir).as_posix()
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base + rel


def target_file(site_dir: Path, base: str, url: str) -> Path | None:
    """The file an internal URL points at (None if nothing there)."""
    path = unquote(urlsplit(url).path)
    base_path = urlsplit(base).path
    assert path.startswith(base_path), url
    rel = posixpath.normpath(path[len(base_path) :]) if path[len(base_path) :] else ""
    if rel.startswith(".."):
        return None
    cand = site_dir / rel if rel not in ("", ".") else site_dir
    if cand.is_dir():
        cand = cand / "index.html"
    return cand if cand.is_file() else None


def same_site(url: str, base: str) -> bool:
    u, b = urlsplit(url), urlsplit(base)
    return u.scheme in ("http", "https") and u.netloc == b.netloc


@pytest.fixture(scope="module")
def pages(site):
    site_dir, base = site
    found = html_pages(site_dir)
    assert len(found) > 50, f"only {len(found)} HTML pages built"
    return found


def test_every_internal_link_resolves(site, pages):
    site_dir, base = site
    broken: list[str] = []
    checked = 0
    for path in pages:
        here = page_url(base, site_dir, path)
        for tag, attr, value, attrs in parse(path).refs:
            if not value or value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            url = urljoin(here, value)
            if not same_site(url, base):
                continue
            checked += 1
            where = f"{path.relative_to(site_dir)}: <{tag} {attr}={value!r}>"
            target = target_file(site_dir, base, url)
            if target is None:
                broken.append(f"{where} -> missing {urlsplit(url).path}")
                continue
            frag = unquote(urlsplit(url).fragment)
            if frag and target.suffix == ".html" and frag not in parse(target).ids:
                broken.append(f"{where} -> no id {frag!r} in {target.relative_to(site_dir)}")
    assert checked > 1000, f"only {checked} internal links found; is the parser right?"
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:200])


def test_no_links_to_outside_hosts(site, pages):
    """No link, script, style, font or image from another host; the licence is the only outside link."""
    site_dir, base = site
    bad: list[str] = []
    for path in pages:
        here = page_url(base, site_dir, path)
        for tag, attr, value, attrs in parse(path).refs:
            url = urljoin(here, value)
            u = urlsplit(url)
            if u.scheme not in ("http", "https") and not value.startswith("//"):
                continue
            if same_site(url, base):
                continue
            where = f"{path.relative_to(site_dir)}: <{tag} {attr}={value!r}>"
            if (tag, attr) in FETCHED:
                bad.append(f"{where}: loads a resource from {u.netloc}")
            elif u.hostname not in ALLOWED_LINK_HOSTS:
                bad.append(f"{where}: links to outside host {u.netloc}")
    assert not bad, f"{len(bad)} outside reference(s):\n" + "\n".join(bad[:200])


def test_no_outside_resources_in_css_and_inline(site, pages):
    """Stylesheets and inline styles pull no fonts or images from another host (@import, url(...))."""
    site_dir, base = site
    host = urlsplit(base).netloc
    bad = []
    files = [p for p in site_dir.rglob("*.css")] + pages
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)", text):
            netloc = urlsplit(m.group(1) if not m.group(1).startswith("//") else "http:" + m.group(1)).netloc
            if netloc != host:
                bad.append(f"{path.relative_to(site_dir)}: {m.group(1)}")
    assert not bad, "outside resources in CSS:\n" + "\n".join(bad)


def _strings(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)
    elif isinstance(obj, str):
        yield obj


def test_jsonld_and_text_urls_are_ours_or_namespaces(site, pages):
    """Any other absolute URL written in a page (JSON-LD, SVG xmlns, text) is ours, the licence or a
    vocabulary namespace; same-site URLs in JSON-LD that name a file (not an @id) point at a real file."""
    site_dir, base = site
    host = urlsplit(base).netloc
    bad = []
    for path in pages:
        page = parse(path)
        for block in page.jsonld:
            try:
                data = json.loads(block)
            except json.JSONDecodeError as e:
                bad.append(f"{path.relative_to(site_dir)}: invalid JSON-LD ({e})")
                continue
            for s in _strings(data):
                if not s.startswith(("http://", "https://")):
                    continue
                u = urlsplit(s)
                if u.netloc == host:
                    if target_file(site_dir, base, s) is None:
                        bad.append(f"{path.relative_to(site_dir)}: JSON-LD URL {s} does not resolve")
                elif u.hostname not in NAMESPACE_HOSTS:
                    bad.append(f"{path.relative_to(site_dir)}: JSON-LD names outside host {s}")
        for m in URL_RE.finditer(path.read_text(encoding="utf-8")):
            u = urlsplit(m.group(0))
            if u.netloc != host and u.hostname not in NAMESPACE_HOSTS:
                bad.append(f"{path.relative_to(site_dir)}: outside URL {m.group(0)}")
    assert not bad, f"{len(bad)} problem(s):\n" + "\n".join(sorted(set(bad))[:200])


def test_sitemap_lists_every_page_and_only_real_ones(site, pages):
    """sitemap.xml names every page of both languages (with its hreflang alternates), all of them real."""
    import xml.etree.ElementTree as ET

    site_dir, base = site
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    alts = [a.get("href") for a in root.iter(f"{{{ns['x']}}}link")]
    bad = [u for u in locs + alts if not u.startswith(base) or target_file(site_dir, base, u) is None]
    assert not bad, "sitemap URLs that are not pages of this site:\n" + "\n".join(bad)
    listed = {target_file(site_dir, base, u) for u in locs}
    skip = {"releases", "latest", "downloads", "assets", "embed"}  # embed pages point to their full page (canonical)
    missing = []
    for path in pages:
        rel = path.relative_to(site_dir).parts
        lang_rel = rel[1:] if rel[:1] == ("en",) else rel
        if path.name != "index.html" or (lang_rel and lang_rel[0] in skip):
            continue
        if path not in listed:
            missing.append(str(path.relative_to(site_dir)))
    assert not missing, "pages missing from sitemap.xml:\n" + "\n".join(missing)
