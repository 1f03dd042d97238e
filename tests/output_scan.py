"""Scan EVERY file a build wrote for something from data that would run: one walker, every format.

A new output (a page, a feed, a zip member, a workbook) is covered the day it is written, without a test of its
own: files are dispatched by extension, and an extension the scanner does not know is itself a problem, so a
new kind of file fails here until someone decides how it is read.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

MARK = "__x"  # every script in the payload set assigns window.__x…
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
FORMULA = ("=", "+", "@")
TEXT = {".md", ".txt", ".cff", ".ttl", ".css", ".js", ".map", ".license", ""}
BINARY = {".png", ".woff", ".woff2", ".ttf", ".ico", ".gz"}
# what a document head may hold: any other tag there (a `<b>` from a label) ends the head early in a browser, and
# the meta tags after it fall into the body
HEAD_TAGS = {"meta", "link", "title", "script", "style", "base", "noscript", "template", "head", "html"}


class _Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict | None = None
        self._body = ""
        self._where = "before"  # before | head | body

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "head":
            self._where = "head"
        elif tag == "body":
            self._where = "body"
        elif self._where == "head" and tag not in HEAD_TAGS and self._script is None:
            self.problems.append(f"<{tag}> inside <head>: the head ends there and what follows falls into the body")
        elif self._where == "body" and tag in ("meta", "title", "base"):
            self.problems.append(f"<{tag}> in the body: the head was broken before it")
        for k, v in a.items():
            if k.startswith("on"):
                self.problems.append(f"<{tag}> has an event attribute {k}={v[:60]!r}")
            if k in URL_ATTRS and "".join(v.split()).lower().startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {k}> is a script URL: {v[:60]!r}")
        if tag == "img" and a.get("src") == "x":
            self.problems.append("<img src=x> from data")
        if tag == "script":
            self._script, self._body = a, ""

    def handle_endtag(self, tag):
        if tag == "head":
            self._where = "after-head"
        if tag == "script" and self._script is not None:
            if MARK in self._body:
                kind = self._script.get("type", "")
                if kind != "application/ld+json" or "<" in self._body:
                    self.problems.append(f"a script body holds data: {self._body[:80]!r}")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._body += data


def _html(text: str) -> list[str]:
    p = _Html()
    p.feed(text)
    p.close()
    return p.problems


def _xml(data: bytes) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [f"not well-formed XML: {e}"]
    out = []
    for el in root.iter():
        name = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        if name in ("script", "foreignobject", "iframe", "embed", "object"):
            out.append(f"<{name}> element")
        for k, v in el.attrib.items():
            local = k.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                out.append(f"event attribute {local}")
            if local in ("href", "src") and "".join(v.split()).lower().startswith(BAD_SCHEMES):
                out.append(f"script URL in {local}")
    return out


def _csv(text: str) -> list[str]:
    out = []
    for i, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        for cell in row:
            if cell.startswith(FORMULA) and not _number(cell):
                out.append(f"row {i}: cell starts like a formula: {cell[:40]!r}")
    return out


def _number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
        return True
    except ValueError:
        return False


def _xlsx(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    out = []
    wb = load_workbook(io.BytesIO(data), read_only=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    out.append(f"{ws.title}!{c.coordinate}: formula {str(c.value)[:40]!r}")
    return out


def scan_bytes(name: str, data: bytes) -> list[str]:
    """Problems of one file, by its name's extension; zips are opened and their members scanned."""
    low = name.lower()
    ext = Path(low).suffix
    if ext in BINARY:
        return []
    if ext == ".zip":
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for m in sorted(z.namelist()):
                if not m.endswith("/"):
                    out += [f"{m}: {p}" for p in scan_bytes(m, z.read(m))]
        return out
    if ext == ".xlsx":
        return _xlsx(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["not UTF-8"]
    if ext == ".html":
        return _html(text)
    if ext in (".svg", ".xml", ".rdf", ".atom"):
        return _xml(data)
    if ext in (".json", ".jsonld", ".webmanifest"):
        try:
            json.loads(text)
        except ValueError as e:
            return [f"not JSON: {e}"]
        return []
    if ext == ".csv":
        return _csv(text)
    if ext in TEXT:
        return []
    return [f"no scanner for {ext!r} files: decide how it is read (tests/output_scan.py)"]


def scan_tree(root: Path) -> dict[str, list[str]]:
    """{relative path: problems} for every file under root (symlinks followed), empty when all is inert."""
    bad: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        problems = scan_bytes(path.name, path.read_bytes())
        if problems:
            bad[str(path.relative_to(root))] = problems[:5]
    return bad


def count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())
