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


def test_every_chart_download_and_embed_works(site):
    site_dir, base = site
    charts_seen, problems = 0, []
    for page in _pages(site_dir):
        url = base + page.relative_to(site_dir).parent.as_posix() + "/"
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
            png = _get(by_ext["png"][0])
            m = re.search(r"(\d+) × (\d+) px", by_ext["png"][1])
            assert m, f"the PNG link does not state its size: {by_ext['png'][1]}"
            if _png_size(png) != (int(m.group(1)), int(m.group(2))):
                problems.append(f"{by_ext['png'][0]}: {_png_size(png)} != stated {m.groups()}")
            ElementTree.fromstring(_get(by_ext["svg"][0]))
            openpyxl.load_workbook(io.BytesIO(_get(by_ext["xlsx"][0])))
            rows = list(csv.DictReader(io.StringIO(_get(by_ext["csv"][0]).decode("utf-8"))))
            z = zipfile.ZipFile(io.BytesIO(_get(by_ext["zip"][0])))
            names = z.namelist()
            assert "metadata.json" in names and "README.md" in names, names
            csv_name = next(n for n in names if n.endswith(".csv"))
            zipped = list(csv.DictReader(io.StringIO(z.read(csv_name).decode("utf-8"))))
            assert zipped == rows, f"{by_ext['zip'][0]}: its CSV differs from the chart's CSV"
            meta = json.loads(z.read("metadata.json"))
            for key in ("title", "unit", "period", "sources", "licence", "citation"):
                assert meta.get(key) not in (None, ""), f"{by_ext['zip'][0]}: metadata has no {key}"
            readme = z.read("README.md").decode("utf-8")
            from minhbach.strings import load

            cat = load(None)
            for lang in ("vi", "en"):
                heading = (
                    cat.get(
                        lang,
                        "reuse.readme",
                        title="",
                        description="",
                        csv="",
                        columns="",
                        sources="",
                        licence="",
                        citation="",
                        url="",
                        version="",
                    )
                    .split("\n")[2]
                    .strip()
                )
                assert heading in readme, f"README has no {lang} part"
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
            embed = _get(by_ext["embed"][0]).decode("utf-8")
            assert "<img" in embed and "<table" in embed and "<title>" in embed, by_ext["embed"][0]
            assert not re.search(r'(?:src|href)="https?://(?!127\.0\.0\.1)', embed), "the embed page calls another host"
            assert f'src="{by_ext["embed"][0]}"' in html_unescape(page.read_text(encoding="utf-8")), "no iframe code"
    assert charts_seen >= 10
    assert not problems, "\n".join(problems[:20])


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_every_page_has_a_social_card(site):
    site_dir, base = site
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
            png = _get(m["og:image"])
            if _png_size(png) != (int(m["og:image:width"]), int(m["og:image:height"])):
                problems.append(f"{m['og:image']}: size differs from og:image:width/height")
        if m.get("og:url"):
            _get(m["og:url"])
        lang = "en" if page.relative_to(site_dir).parts[0] == "en" else "vi"
        if m.get("og:locale", "")[:2] != lang:
            problems.append(f"{page.relative_to(site_dir)}: og:locale {m.get('og:locale')} on a {lang} page")
    assert len(pages) >= 20
    assert not problems, "\n".join(problems[:20])
