"""The site's search index: one small JSON file per language, read by site_src/assets/js/search.js.

Why not Material's search: it fetches one index holding both languages (185 KB gzip) on every first visit and
matches Vietnamese typed without diacritics only through an accent-folded copy of the text that then shows up
in the snippets. Here each language gets its own file of the real text, split into the page's sections; the
browser folds the text itself (character by character, so positions in the folded copy are positions in the
real text and snippets and highlights come from the real words), and loads the file only when the reader
opens search.

Format (compact, deterministic): {"lang": "vi", "pages": [[url, title], ...], "docs": [[page, anchor, heading,
text], ...]}; urls are relative to the site root, anchor is "" for the top of a page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

SECTION_TAGS = {"h1", "h2", "h3"}
# elements whose text is not reading text: permalink marks, scripts, inline icons, chart buttons
SKIP_TAGS = {"textarea", "script", "style", "svg", "button", "noscript", "template"}
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "caption", "thead", "tbody", "br", "section",
    "figure", "figcaption", "details", "summary", "blockquote", "dd", "dt", "dl", "h1", "h2", "h3", "h4", "h5",
    "h6", "pre", "span",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


class _Sections(HTMLParser):
    """Text of a page's content, split at every h1-h3 that has an id."""

    VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "source", "area", "col", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", "", ""]]  # tag, anchor, heading, text
        self._stack: list[str] = []
        self._skip_at: int | None = None  # stack depth of the element being skipped
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.VOID:
            if tag == "br" and self._skip_at is None:
                self._text(" ")
            return
        self._stack.append(tag)
        if self._skip_at is not None:
            return
        if (
            tag in SKIP_TAGS
            or "data-search-exclude"
            in a  # pages.py marks copies kept out of an index (the English pages' source texts)
            or (tag == "a" and "headerlink" in (a.get("class") or "").split())
        ):
            self._skip_at = len(self._stack)
        elif tag in SECTION_TAGS and a.get("id"):
            self.sections.append([tag, a["id"] or "", "", ""])
            self._heading = []
        elif tag in BLOCK_TAGS:
            self._text(" ")

    def handle_endtag(self, tag):
        if tag not in self._stack:
            return
        while self._stack:
            depth = len(self._stack)
            if self._skip_at is not None and depth <= self._skip_at:
                self._skip_at = None
            if self._stack.pop() == tag:
                break
        if self._skip_at is not None:
            return
        if tag in SECTION_TAGS and self._heading is not None:
            self.sections[-1][2] = _SPACES.sub(" ", "".join(self._heading)).strip()
            self._heading = None
        elif tag in BLOCK_TAGS:
            self._text(" ")

    def handle_data(self, data):
        if self._skip_at is None:
            self._text(data)

    def _text(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1][3] += data


def sections(content_html: str) -> list[tuple[str, str, str, str]]:
    """(tag, anchor, heading, text) for each section of a page's content; the text before the first heading
    comes first, with tag and anchor ""."""
    p = _Sections()
    p.feed(content_html)
    p.close()
    return [(tag, anchor, heading, _SPACES.sub(" ", text).strip()) for tag, anchor, heading, text in p.sections]


def page_docs(url: str, title: str, content_html: str) -> dict:
    """One page's entry: its sections, the first being the top of the page (the text before the first h2 or h3,
    under the page's h1 or title, linked to the page itself)."""
    docs = [["", title, ""]]
    for tag, anchor, heading, text in sections(content_html):
        if len(docs) == 1 and tag in ("", "h1"):
            docs[0][1] = heading or docs[0][1]
            docs[0][2] = (docs[0][2] + " " + text).strip()
        elif heading or text:
            docs.append([anchor, heading, text])
    return {"url": url, "title": title, "docs": docs}


def write_indexes(site_dir: Path, pages: dict[str, dict[str, dict]]) -> dict[str, Path]:
    """Write site_dir/search/<lang>.json for each language of `pages` ({lang: {url: page_docs}})."""
    out = {}
    for lang, by_url in sorted(pages.items()):
        plist, docs = [], []
        for i, url in enumerate(sorted(by_url)):
            page = by_url[url]
            plist.append([url, page["title"]])
            docs += [[i, a, h, t] for a, h, t in page["docs"]]
        f = Path(site_dir) / "search" / f"{lang}.json"
        f.parent.mkdir(parents=True, exist_ok=True)
        data = {"lang": lang, "pages": plist, "docs": docs}
        f.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        out[lang] = f
    return out
