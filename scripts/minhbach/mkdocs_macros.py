"""mkdocs-macros module: variables for the hand-written pages that opt in with `render_macros: true`.

Generated pages never opt in, so text from data never reaches the macro engine.
"""

import json
from pathlib import Path


def define_env(env):
    facts = Path(env.conf["docs_dir"]).parent / "macros.json"
    env.variables["minhbach"] = json.loads(facts.read_text(encoding="utf-8")) if facts.is_file() else {}
