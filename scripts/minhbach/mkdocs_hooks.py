"""MkDocs hooks: accent-folded search, and titles that stay text.

Page titles come from the first heading and hold our numeric character references (escape.esc).
Material writes `<title>{{ page.title | striptags }}`, and Jinja's striptags decodes entities, so a
label `</title><script>` from data would run there. on_env makes striptags re-escape what it decodes:
every use of it (the <title>, aria-labels) then shows the text literally.

Readers often type Vietnamese without diacritics (`chuyen doi so`). After the i18n plugin has
written each language's search index (priority -100), append to every entry the accent-folded form
of each of its words that has diacritics, once per entry, so lunr matches both spellings without
doubling the index every reader downloads.
"""

import json
import re
import unicodedata
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority


def _striptags_escaped(value) -> Markup:
    """Jinja's striptags, whose result is text: escape it again so it cannot become markup."""
    return escape(Markup(str(value)).striptags())


def on_env(env, **kwargs):
    env.filters["striptags"] = _striptags_escaped
    return env


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@event_priority(-200)
def on_post_build(config, **kwargs):
    for index in sorted(Path(config["site_dir"]).glob("**/search/search_index.json")):
        data = json.loads(index.read_text(encoding="utf-8"))
        for doc in data.get("docs", []):
            seen: dict[str, None] = {}
            for word in re.findall(r"\w+", f"{doc.get('title', '')} {doc.get('text', '')}"):
                folded = fold(word)
                if folded != word:
                    seen.setdefault(folded.lower(), None)
            if seen:
                doc["text"] = f"{doc.get('text', '')} {' '.join(seen)}"
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
