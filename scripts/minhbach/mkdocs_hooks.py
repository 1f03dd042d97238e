"""MkDocs hooks: accent-folded search, and nothing else.

Readers often type Vietnamese without diacritics (`chuyen doi so`). After the i18n plugin has
written each language's search index (priority -100), append an accent-folded copy of every
entry's text so lunr matches both spellings.
"""
import json
import unicodedata
from pathlib import Path

from mkdocs.plugins import event_priority


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@event_priority(-200)
def on_post_build(config, **kwargs):
    for index in sorted(Path(config["site_dir"]).glob("**/search/search_index.json")):
        data = json.loads(index.read_text(encoding="utf-8"))
        for doc in data.get("docs", []):
            for key in ("text",):
                folded = fold(doc.get(key, ""))
                if folded != doc.get(key, ""):
                    doc[key] = f"{doc[key]} {folded}"
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
