"""The renderer behind one narrow interface: a staged folder (docs/ + a generated plain mkdocs.yml) in, a site out.

`stage_config` writes the staged mkdocs.yml from the project's base mkdocs.yml plus what the data decides (site
name, description and footer per language, the nav per language, the public address), with every path made
absolute so the folder builds from anywhere. `render` runs MkDocs on it; no change to the process environment,
working directory or logging survives the call. Moving to another renderer that reads mkdocs.yml is this module.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


def _data_node(value: Any) -> Node:
    return yaml.representer.SafeRepresenter().represent_data(value)


def _get(node: MappingNode, key: str) -> Node | None:
    return next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)


def _set(node: MappingNode, key: str, value: Any) -> None:
    new = value if isinstance(value, Node) else _data_node(value)
    for i, (k, _) in enumerate(node.value):
        if isinstance(k, ScalarNode) and k.value == key:
            node.value[i] = (k, new)
            return
    node.value.append((_data_node(key), new))


def _plugin(root: MappingNode, name: str) -> MappingNode | None:
    plugins = _get(root, "plugins")
    if isinstance(plugins, SequenceNode):
        for item in plugins.value:
            if isinstance(item, MappingNode):
                conf = _get(item, name)
                if isinstance(conf, MappingNode):
                    return conf
    return None


_CODE_ROOT = Path(__file__).resolve().parents[3]


def _absolute(root: MappingNode, project: Path) -> None:
    """Project-relative paths become absolute; the hook and macro modules (code, not configuration) fall back to
    minhbach's own copy when a project folder does not carry them."""

    def fix(scalar: Node) -> None:
        if isinstance(scalar, ScalarNode) and scalar.value and not os.path.isabs(scalar.value):
            mine = project / scalar.value
            code = _CODE_ROOT / scalar.value
            exists = [p for p in (mine, mine.with_suffix(".py")) if p.exists()]
            scalar.value = str(mine if exists or not (code.exists() or code.with_suffix(".py").exists()) else code)

    theme = _get(root, "theme")
    if isinstance(theme, MappingNode) and _get(theme, "custom_dir") is not None:
        fix(_get(theme, "custom_dir"))  # type: ignore[arg-type]
    hooks = _get(root, "hooks")
    if isinstance(hooks, SequenceNode):
        for h in hooks.value:
            fix(h)
    macros = _plugin(root, "macros")
    if macros is not None and _get(macros, "module_name") is not None:
        fix(_get(macros, "module_name"))  # type: ignore[arg-type]


def stage_config(
    base_config: Path,
    stage: Path,
    site_dir: Path,
    site_url: str,
    identity: dict[str, dict[str, str]],
    navs: dict[str, list],
    languages: list[dict[str, str]],
) -> Path:
    """Write stage/mkdocs.yml. identity: {lang: {site_name, site_description, copyright}} (already HTML-escaped:
    MkDocs inserts them as they are); navs: {lang: nav}; languages: [{locale, name}], the default first
    (context.language_entries), written as the i18n plugin's languages and the theme's language."""
    default_lang = languages[0]["locale"]
    base_config = Path(base_config).resolve()
    root = yaml.compose(base_config.read_text(encoding="utf-8"))
    if not isinstance(root, MappingNode):
        raise ValueError(f"{base_config} is not a mapping")
    _absolute(root, base_config.parent)
    for key, value in identity[default_lang].items():
        _set(root, key, value)
    _set(root, "site_url", site_url)
    _set(root, "docs_dir", str((stage / "docs").resolve()))
    _set(root, "site_dir", str(Path(site_dir).resolve()))
    _set(root, "nav", navs[default_lang])
    theme = _get(root, "theme")
    if isinstance(theme, MappingNode):
        _set(theme, "language", default_lang)
    i18n = _plugin(root, "i18n")
    if i18n is not None:
        entries = [
            {"locale": x["locale"], **({"default": True} if i == 0 else {}), "name": x["name"], "build": True}
            for i, x in enumerate(languages)
        ]
        _set(i18n, "languages", entries)
    lang_list = _get(i18n, "languages") if i18n is not None else None
    if isinstance(lang_list, SequenceNode):
        for lang_node in lang_list.value:
            locale = _get(lang_node, "locale") if isinstance(lang_node, MappingNode) else None
            if not isinstance(locale, ScalarNode) or locale.value == default_lang:
                continue
            assert isinstance(lang_node, MappingNode)
            for key, value in identity.get(locale.value, {}).items():
                _set(lang_node, key, value)
            if locale.value in navs:
                _set(lang_node, "nav", navs[locale.value])
    out = stage / "mkdocs.yml"
    text = "# Generated by minhbach from " + base_config.name + " and the data package; do not edit.\n"
    text += yaml.serialize(root, allow_unicode=True, width=1000)
    out.write_text(text, encoding="utf-8")
    return out


@contextlib.contextmanager
def _scoped_env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    cwd = os.getcwd()
    log = logging.getLogger("mkdocs")
    level = log.level
    os.environ.update(values)
    log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        log.setLevel(level)
        if os.getcwd() != cwd:
            os.chdir(cwd)


def render(config_file: Path, epoch: int) -> None:
    """Build the staged site. `epoch` is the build date (SOURCE_DATE_EPOCH), so the same inputs give the same bytes."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _scoped_env({"SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}):
        cfg = load_config(config_file=str(config_file))
        build(cfg)
