"""Issue 15, on the built site as a reader's tools meet it: every chart's downloads and embed page answer over HTTP
and are valid files (the PNG at its stated size), the zip's metadata names the source of every number of its CSV,
and every page carries Open Graph and Twitter cards whose image resolves."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import urllib.parse
import urllib.request
import zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree

import openpyxl
import pytest

pytestmark = pytest.mark.slow


class _Doc(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.figures: list[dict] = []
        self._fig: dict | None = None
        self._a: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content", "")
        if tag == "figure" and "mb-chart" in (a.get("class") or ""):
            self._fig = {"id": a.get("id"), "links": []}
            self.figures.append(self._fig)
        if tag == "a" and self._fig is not None:
            self._a = a.get("href")
            self._fig["links"].append([a.get("href"), ""])

    def handle_data(self, data):
        if self._a is not None and self._fig is not None:
            self._fig["links"][-1][1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._a = None
        if tag == "figure":
            self._fig = None


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200, url
        return r.read()


def _pages(site_dir):
    return sorted(
        p
        for p in site_dir.rglob("index.html")
        if "embed" not in p.relative_to(site_dir).parts and p.parent != site_dir / "search"
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def chart_problems(site_dir, base, fetch=None) -> tuple[int, list[str]]:
    """(charts seen, problems) over every chart of every page of a built site; `fetch(url) -> bytes` reads a URL
    (HTTP by default; tests of other packages pass one that reads the built files)."""
    fetch = fetch or _get
    charts_seen, problems = 0, []
    for page in _pages(site_dir):
        url = base + page.relative_to(site_dir).parent.as_posix() + "/"
        url = url.replace("/./", "/")
        doc = _Doc()
        doc.feed(page.read_text(encoding="utf-8"))
        for fig in doc.figures:
            charts_seen += 1
            hrefs = {urllib.parse.urljoin(url, h): text for h, text in fig["links"] if h}
            by_ext = {}
            for u, text in hrefs.items():
                ext = "embed" if "/embed/" in u else u.rsplit(".", 1)[-1]
                by_ext[ext] = (u, text)
            missing = {"png", "svg", "xlsx", "csv", "zip", "embed"} - set(by_ext)
            if missing:
                problems.append(f"{url}{fig['id']}: no {sorted(missing)} link")
                continue
            png = fetch(by_ext["png"][0])
            m = re.search(r"(\d+) × (\d+) px", by_ext["png"][1])
            if not m:
                problems.append(f"the PNG link does not state its size: {by_ext['png'][1]}")
            elif _png_size(png) != (int(m.group(1)), int(m.group(2))):
                problems.append(f"{by_ext['png'][0]}: {_png_size(png)} != stated {m.groups()}")
            ElementTree.fromstring(fetch(by_ext["svg"][0]))
            openpyxl.load_workbook(io.BytesIO(fetch(by_ext["xlsx"][0])))
            rows = list(csv.DictReader(io.StringIO(fetch(by_ext["csv"][0]).decode("utf-8"))))
            z = zipfile.ZipFile(io.BytesIO(fetch(by_ext["zip"][0])))
            names = z.namelist()
            if "metadata.json" not in names or "README.md" not in names:
                problems.append(f"{by_ext['zip'][0]}: holds {names}")
                continue
            csv_name = next(n for n in names if n.endswith(".csv"))
            zipped = list(csv.DictReader(io.StringIO(z.read(csv_name).decode("utf-8"))))
            if zipped != rows:
                problems.append(f"{by_ext['zip'][0]}: its CSV differs from the chart's CSV")
            meta = json.loads(z.read("metadata.json"))
            for key in ("title", "unit", "period", "sources", "licence", "citation"):
                if meta.get(key) in (None, ""):
                    problems.append(f"{by_ext['zip'][0]}: metadata has no {key}")
            readme = z.read("README.md").decode("utf-8")
            for lang, heading in _readme_headings().items():
                if heading not in readme:
                    problems.append(f"{by_ext['zip'][0]}: README has no {lang} part")
            listed = {s["source_id"] for s in meta["sources"]}
            numeric = {c["name"] for c in meta["columns"] if c["type"] in ("number", "integer", "percent")}
            prov = {p["row"]: p["values"] for p in meta["provenance"]}
            for i, row in enumerate(zipped, start=1):
                for col in numeric:
                    if row.get(col, "") == "":
                        continue
                    origin = prov.get(i, {}).get(col)
                    if not origin:
                        problems.append(f"{csv_name} row {i} {col}={row[col]}: no provenance")
                    elif "source_id" in origin and origin["source_id"] not in listed:
                        problems.append(f"{csv_name} row {i} {col}: source {origin['source_id']!r} not in sources")
                    elif not ({"source_id", "computed", "table"} & set(origin)):
                        problems.append(f"{csv_name} row {i} {col}: provenance names nothing")
            embed = fetch(by_ext["embed"][0]).decode("utf-8")
            if not ("<img" in embed and "<table" in embed and "<title>" in embed):
                problems.append(f"{by_ext['embed'][0]}: no image, table or title")
            # what the embed page makes the browser fetch (its canonical link and anchors are only addresses)
            calls = re.findall(r'\ssrc="([^"]+)"', embed) + [
                h
                for tag in re.findall(r"<link\b[^>]*>", embed)
                if 'rel="canonical"' not in tag
                for h in re.findall(r'href="([^"]+)"', tag)
            ]
            outside = [c for c in calls if re.match(r"(?:https?:)?//", c) and not c.startswith(base)]
            if outside:
                problems.append(f"{by_ext['embed'][0]}: calls another host: {outside}")
            if f'src="{by_ext["embed"][0]}"' not in html_unescape(page.read_text(encoding="utf-8")):
                problems.append(f"{url}{fig['id']}: no iframe code for {by_ext['embed'][0]}")
    return charts_seen, problems


def _readme_headings() -> dict[str, str]:
    """The heading that opens each language's part of a chart's README (from the catalogue, not copied here)."""
    from minhbach.strings import load

    cat = load(None)
    blank = dict.fromkeys(("title", "description", "csv", "columns", "sources", "licence", "citation", "url"), "")
    return {lang: cat.get(lang, "reuse.readme", version="", **blank).split("\n")[2].strip() for lang in ("vi", "en")}


def test_every_chart_download_and_embed_works(site):
    site_dir, base = site
    charts_seen, problems = chart_problems(site_dir, base)
    assert charts_seen >= 10
    assert not problems, "\n".join(problems[:20])


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def card_problems(site_dir, fetch=None) -> tuple[int, list[str]]:
    """(pages seen, problems): every page's Open Graph and Twitter card, its image at its declared size."""
    fetch = fetch or _get
    problems = []
    pages = _pages(site_dir)
    for page in pages:
        doc = _Doc()
        doc.feed(page.read_text(encoding="utf-8"))
        m = doc.meta
        for key in ("og:title", "og:description", "og:image", "og:url", "twitter:card", "twitter:image"):
            if not m.get(key):
                problems.append(f"{page.relative_to(site_dir)}: no {key}")
        if m.get("og:image"):
            png = fetch(m["og:image"])
            if _png_size(png) != (int(m["og:image:width"]), int(m["og:image:height"])):
                problems.append(f"{m['og:image']}: size differs from og:image:width/height")
        if m.get("og:url"):
            fetch(m["og:url"])
        lang = "en" if page.relative_to(site_dir).parts[0] == "en" else "vi"
        if m.get("og:locale", "")[:2] != lang:
            problems.append(f"{page.relative_to(site_dir)}: og:locale {m.get('og:locale')} on a {lang} page")
    return len(pages), problems


def test_every_page_has_a_social_card(site):
    site_dir, _ = site
    seen, problems = card_problems(site_dir)
    assert seen >= 20
    assert not problems, "\n".join(problems[:20])
