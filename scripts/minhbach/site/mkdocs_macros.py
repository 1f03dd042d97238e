"""mkdocs-macros module: `m`, the package's figures in the page's language, for the hand-written pages that opt in
with `render_macros: true` (the methodology prose).

Generated pages never opt in, so text from data never reaches the macro engine; the figures are escaped.
The language is the page's own (mkdocs-static-i18n sets `file.locale`): macros are defined once per build.
"""

import json
from pathlib import Path


class _Facts:
    def __init__(self, env, by_lang: dict):
        self._env, self._by_lang = env, by_lang

    def __getattr__(self, key: str):
        page = getattr(self._env, "page", None)
        lang = getattr(getattr(page, "file", None), "locale", None) or self._env.conf["theme"]["language"]
        return self._by_lang.get(lang, {})[key]


def define_env(env):
    facts = Path(env.conf["docs_dir"]).parent / "macros.json"
    by_lang = json.loads(facts.read_text(encoding="utf-8")) if facts.is_file() else {}
    env.variables["m"] = _Facts(env, by_lang)
