"""MkDocs hooks: titles that stay text, and the search index per language.

Titles: page titles hold escaped text (the registry's nav titles, the headings' numeric character references).
Material writes `<title>{{ page.title | striptags }}`, and Jinja's striptags decodes entities, so a label
`</title><script>` from data would run there. on_env makes striptags re-escape what it decodes: every use of it
(the <title>, aria-labels) then shows the text literally.

Search: each page's sections are collected as it is rendered and written as one search index per language
(minhbach.site.search_index) when the build ends; the search dialog's words come from the string catalogues
(site_src/strings/<lang>/search.yml).
"""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority

from minhbach import strings
from minhbach.site import search_index
from minhbach.site.paths import feed_name


def _striptags_escaped(value) -> Markup:
    """Jinja's striptags, whose result is text: escape it again so it cannot become markup."""
    return escape(Markup(str(value)).striptags())


def on_env(env, config, **kwargs):
    env.filters["striptags"] = _striptags_escaped
    # pages without a page context (404.html) read the head's words from the globals
    env.globals["mb_head"] = _head_words(config["theme"]["language"], config)
    return env


# ------------------------------------------------------------------ search

_SEARCH_PAGES: dict[str, dict[str, dict]] = {}  # {lang: {url: page_docs}}, filled as each language builds
_SEARCH_WORDS: dict[str, dict] = {}


def _page_lang(page, config) -> str:
    return getattr(page.file, "locale", None) or config["theme"]["language"]


def _site_src(config) -> Path | None:
    custom = config["theme"].custom_dir
    return Path(custom).parent if custom and (Path(custom).parent / "strings").is_dir() else None


def on_config(config):
    # a new build starts (not one of the i18n plugin's per-language builds inside it): forget the last one's pages
    i18n = config.plugins.get("i18n")
    if not getattr(i18n, "building", False):
        _SEARCH_PAGES.clear()
    return config


@event_priority(-200)
def on_page_content(html, page, config, files):
    lang = _page_lang(page, config)
    _SEARCH_PAGES.setdefault(lang, {})[page.url] = search_index.page_docs(page.url, unescape(page.title or ""), html)
    return html


_SOCIAL: dict[str, dict] = {}  # {docs_dir: {staged file: meta}}


def _social(config) -> dict:
    """The page meta written by the pages stage (reuse.social_cards): description, card, locale per page."""
    docs = str(config["docs_dir"])
    if docs not in _SOCIAL:
        f = Path(docs).parent / "social.json"
        _SOCIAL[docs] = json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}
    return _SOCIAL[docs]


def head_safe(value: Any) -> Any:
    """The one path into the page head: every string bound for `page.meta` or the head's context becomes text
    escaped for an attribute or element (Markup, so `|e` downstream leaves it as it is). Material prints
    `page.meta.description` and `page.meta.title` without escaping; text from data arrives either plain or as
    character references, so it is decoded once and escaped once (quotes included)."""
    if isinstance(value, Markup):
        value = str(value)
    if isinstance(value, str):
        return escape(unescape(value))
    if isinstance(value, dict):
        return {k: head_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [head_safe(v) for v in value]
    return value


_HEAD_WORDS: dict[str, dict] = {}


def _head_words(lang: str, config) -> dict:
    if lang not in _HEAD_WORDS:
        cat = strings.load(_site_src(config))
        _HEAD_WORDS[lang] = head_safe({**cat.raw(lang, "head"), "feed_file": feed_name(lang)})
    return _HEAD_WORDS[lang]


def on_page_context(context, page, config, nav):
    lang = _page_lang(page, config)
    if lang not in _SEARCH_WORDS:
        _SEARCH_WORDS[lang] = strings.load(_site_src(config)).raw(lang, "search")
    context["mb_search"] = {"lang": lang, "words": _SEARCH_WORDS[lang]}
    context["mb_head"] = _head_words(lang, config)
    social = _social(config).get(page.file.src_uri)
    if social:
        # Open Graph and Twitter cards (overrides/main.html); Material's <meta name="description"> reads the meta
        page.meta["description"] = social["description"]
        context["mb_social"] = head_safe(social)
    # whatever put it there (front matter, this hook, a plugin), page meta is printed raw by the theme
    page.meta = head_safe(dict(page.meta or {}))
    return context


@event_priority(-200)
def on_post_build(config, **kwargs):
    # the i18n plugin builds the other languages inside the first build's post_build (priority -100) into the
    # same site_dir, so the last call sees every language; each call writes the languages built so far
    search_index.write_indexes(Path(config["site_dir"]), _SEARCH_PAGES)
