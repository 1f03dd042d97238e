"""The string catalogues: every word a reader sees, per language, as data (site_src/strings/<lang>/*.yml).

Each file of a language folder holds top-level sections (`site`, `chart`, `workbook`, ...); the files of a
folder are merged, and a section defined twice is an error. Strings are filled with `str.format` keywords
only: a field that reaches into attributes or items (`{x.__class__}`, `{x[0]}`) is refused, so a translation
cannot read Python objects.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from minhbach.errors import Failed, Issue

LANGS = ("vi", "en")
DEFAULT_SITE_SRC = Path(__file__).resolve().parents[2] / "site_src"
_FORMATTER = string.Formatter()
# a string may be given as plural forms, `{one: "up {n} place", other: "up {n} places"}`, chosen by `n`; a language
# without a singular (Vietnamese) gives `other` only. CLDR's category names.
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})


def is_plural(node: Any) -> bool:
    return isinstance(node, dict) and "other" in node and set(node) <= PLURAL_FORMS


def _issue(file: Path | str, message: str, key: str | None = None, expected: str | None = None) -> Issue:
    return Issue("strings", message, file=str(file), column=key, expected=expected)


def _fields(text: str) -> list[str]:
    try:
        return [f for _, f, _, _ in _FORMATTER.parse(text) if f is not None]
    except ValueError as e:
        raise ValueError(f"unbalanced braces ({e})") from e


def _check_text(file: Path, key: str, text: Any, issues: list[Issue]) -> None:
    if isinstance(text, dict):
        for k, v in text.items():
            _check_text(file, f"{key}.{k}", v, issues)
        return
    if isinstance(text, list):
        for i, v in enumerate(text):
            _check_text(file, f"{key}.{i}", v, issues)
        return
    if not isinstance(text, str):
        return
    try:
        names = _fields(text)
    except ValueError as e:
        issues.append(_issue(file, f"a string's placeholders cannot be read: {e}", key, "{name} placeholders"))
        return
    for f in names:
        if not f.isidentifier():
            issues.append(
                _issue(
                    file,
                    f"placeholder {{{f}}} is not a plain name",
                    key,
                    "placeholders like {name}; no attribute or index access, no positional {}",
                )
            )


@dataclass(frozen=True)
class Catalogue:
    """All strings of all languages; `get(lang, "a.b.c", **kw)` fills a string's {name} placeholders."""

    by_lang: dict[str, dict]
    files: dict[str, dict[str, str]]  # lang -> section -> file it came from (for messages)

    def section(self, lang: str, name: str) -> dict:
        return self.by_lang[lang][name]

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self.by_lang)

    def has(self, lang: str, path: str) -> bool:
        node: Any = self.by_lang.get(lang, {})
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def raw(self, lang: str, path: str) -> Any:
        node: Any = self.by_lang[lang]
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise Failed(
                    [
                        _issue(
                            self._file(lang, path),
                            f"no string '{path}' in the {lang} catalogue",
                            path,
                            "the key in every language's catalogue",
                        )
                    ]
                )
            node = node[part]
        return node

    def get(self, lang: str, path: str, /, **kw: Any) -> str:
        text = self.raw(lang, path)
        if is_plural(text):
            n = kw.get("n")
            text = text["one"] if "one" in text and isinstance(n, int | float) and abs(n) == 1 else text["other"]
        if not isinstance(text, str):
            raise Failed([_issue(self._file(lang, path), f"'{path}' is a section, not a string", path)])
        return fill(text, kw, self._file(lang, path), path)

    def both(self, path: str, /, **kw: Any) -> dict[str, str]:
        return {lang: self.get(lang, path, **kw) for lang in self.by_lang}

    def _file(self, lang: str, path: str) -> str:
        return self.files.get(lang, {}).get(path.split(".")[0], f"site_src/strings/{lang}/")


def fill(text: str, kw: dict, file: str = "strings", key: str | None = None) -> str:
    """`text.format(**kw)` for plain {name} fields only; a missing name is an error naming the key."""
    out = []
    for literal, name, spec, conv in _FORMATTER.parse(text):
        out.append(literal)
        if name is None:
            continue
        if not name.isidentifier():
            raise Failed([_issue(file, f"placeholder {{{name}}} is not a plain name", key)])
        if name not in kw:
            raise Failed(
                [
                    _issue(
                        file,
                        f"placeholder {{{name}}} has no value here",
                        key,
                        "one of: " + ", ".join(sorted(kw)) if kw else "no placeholders",
                    )
                ]
            )
        value = kw[name]
        if conv == "r":
            value = repr(value)
        elif conv == "s":
            value = str(value)
        out.append(format(value, spec or ""))
    return "".join(out)


_CACHE: dict[tuple, Catalogue] = {}


def load(site_src: Path | None = None) -> Catalogue:
    """Read and check every language's catalogue: YAML errors, duplicate sections and keys present in one
    language only are reported with file and key, never as a traceback. Many stages ask for it: a catalogue is
    read once while none of its files changes (the key holds every file's size and modification time)."""
    root = Path(site_src or DEFAULT_SITE_SRC) / "strings"
    try:
        key = (str(root.resolve()),) + tuple(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.glob("*/*.yml"))
        )
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    cat = _load(root)
    if key is not None:
        _CACHE.clear()
        _CACHE[key] = cat
    return cat


def _load(root: Path) -> Catalogue:
    issues: list[Issue] = []
    by_lang: dict[str, dict] = {}
    files: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        merged: dict = {}
        origin: dict[str, str] = {}
        folder = root / lang
        paths = sorted(folder.glob("*.yml")) if folder.is_dir() else []
        if not paths:
            issues.append(_issue(folder, f"no string catalogue for language '{lang}'", None, f"{folder}/*.yml"))
        for path in paths:
            rel = str(path.relative_to(root.parent.parent)) if root.parent.parent in path.parents else str(path)
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError as e:
                issues.append(_issue(rel, f"not UTF-8 text ({e.reason} at byte {e.start})"))
                continue
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
                issues.append(_issue(rel, f"not valid YAML{where}: {getattr(e, 'problem', None) or e}"))
                continue
            if doc is None:
                continue
            if not isinstance(doc, dict):
                issues.append(
                    _issue(rel, "a catalogue file must map section names to strings", None, "section: {key: text}")
                )
                continue
            for section, body in doc.items():
                if section in merged:
                    issues.append(_issue(rel, f"section '{section}' is also defined in {origin[section]}", section))
                    continue
                merged[section], origin[section] = body, rel
                _check_text(Path(rel), str(section), body, issues)
        by_lang[lang], files[lang] = merged, origin
    if not issues:
        issues += _compare(by_lang, files)
    if issues:
        raise Failed(issues)
    return Catalogue(by_lang, files)


def _compare(by_lang: dict[str, dict], files: dict[str, dict[str, str]]) -> list[Issue]:
    """Every key in every language, so no page shows a word in one language only."""

    def keys(node: Any, prefix: str = "") -> set[str]:
        if isinstance(node, dict) and not is_plural(node):
            out: set[str] = set()
            for k, v in node.items():
                out |= keys(v, f"{prefix}{k}.")
            return out
        return {prefix.rstrip(".")}

    issues = []
    all_keys = {lang: keys(d) for lang, d in by_lang.items()}
    for lang, ks in all_keys.items():
        for other, oks in all_keys.items():
            for k in sorted(oks - ks):
                issues.append(
                    _issue(
                        files[other].get(k.split(".")[0], "strings"),
                        f"'{k}' exists in {other} but not in {lang}",
                        k,
                        f"the key in {lang} too",
                    )
                )
    return issues
