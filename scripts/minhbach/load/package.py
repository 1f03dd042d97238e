"""Stage 1: read the data package (descriptor, CSV tables, source texts) without judging it."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from minhbach.errors import Failed, Issue

MAX_DESCRIPTOR_BYTES = 5_000_000


@dataclass
class Package:
    root: Path
    descriptor: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    source_texts: dict[str, str] = field(default_factory=dict)

    def resource(self, name: str) -> dict:
        return next(r for r in self.descriptor["resources"] if r["name"] == name)

    def fields(self, name: str) -> list[dict]:
        return self.resource(name)["schema"]["fields"]

    def t(self, name: str) -> pd.DataFrame:
        """A table; an optional table the package leaves out reads as an empty one with the profile's columns."""
        if name not in self.tables:
            return empty_table(name)
        return self.tables[name]

    def has(self, name: str) -> bool:
        return name in self.tables and not self.tables[name].empty


def read_descriptor(root: Path) -> dict:
    path = root / "datapackage.json"
    if not path.is_file():
        raise Failed([Issue("descriptor-missing", f"no datapackage.json in {root}", file=str(path))])
    if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
        raise Failed([Issue("descriptor-too-large", "datapackage.json is too large", file="datapackage.json")])
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Failed(
            [Issue("descriptor-invalid", f"datapackage.json is not valid UTF-8 JSON: {exc}", file="datapackage.json")]
        ) from exc


_CASTS = {"integer": "Int64", "number": "Float64", "boolean": "boolean"}


def profile() -> dict[str, dict]:
    """The tables minhbach understands (scripts/minhbach/load/profile.json), by name."""
    text = (Path(__file__).parent / "profile.json").read_text(encoding="utf-8")
    return {r["name"]: r for r in json.loads(text)["resources"]}


def empty_table(name: str) -> pd.DataFrame:
    spec = profile().get(name)
    if spec is None:
        raise KeyError(name)
    return pd.DataFrame({f["name"]: pd.Series(dtype=_CASTS.get(f["type"], "string")) for f in spec["fields"]})


def read_table(path: Path, fields: list[dict]) -> pd.DataFrame:
    """Read one CSV with the schema's types; text stays text (no NaN guessing, NFC)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    for f in fields:
        name, typ = f["name"], f.get("type", "string")
        if name not in df.columns:
            continue
        col = df[name]
        if typ in ("integer", "number"):
            df[name] = pd.to_numeric(col, errors="coerce").astype(_CASTS[typ])
        elif typ == "boolean":
            df[name] = col.map({"true": True, "false": False}).astype("boolean")
        else:
            df[name] = col.map(lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v).astype("string")
    return df


def in_languages(pkg: Package, langs: tuple[str, ...]) -> Package:
    """The package as the pages of `langs` (the default first) read it: a label column a table lacks in a language
    (`name_fr` beside `name_vi`) reads as the default language's, said once here rather than at every label. The
    same package when every language is there (the shipped vi/en data); published files never see the copies."""
    default, others = langs[0], langs[1:]
    tables = {}
    for name, df in pkg.tables.items():
        add = {
            f"{col[: -len(default)]}{lang}": col
            for col in df.columns
            if col.endswith(f"_{default}")
            for lang in others
            if f"{col[: -len(default)]}{lang}" not in df.columns
        }
        tables[name] = df.assign(**{new: df[old] for new, old in add.items()}) if add else df
    if all(tables[n] is pkg.tables[n] for n in tables):
        return pkg
    return Package(pkg.root, pkg.descriptor, tables, pkg.source_texts)


def translated(obj: dict, lang: str) -> dict | None:
    """A descriptor object's (package, resource, field, contributor) words in `lang`, its `x-i18n.<lang>` entry;
    None when it has none in that language: it then reads as written, in the default language."""
    entry = (obj.get("x-i18n") or {}).get(lang)
    return entry if isinstance(entry, dict) else None


def translated_text(obj: dict, key: str, lang: str) -> str:
    """`key` of a descriptor object in `lang` from its `x-i18n` entry, '' when there is none (the caller falls back
    on the object's own text, the default language's)."""
    return str((translated(obj, lang) or {}).get(key) or "").strip()


def publisher_title(descriptor: dict, lang: str) -> str:
    """The publishing organisation (the contributor with role "publisher") in `lang`, else as written ('' if none)."""
    pub: dict = next((c for c in descriptor.get("contributors") or [] if c.get("role") == "publisher"), {})
    translated = ((pub.get("x-i18n") or {}).get(lang) or {}).get("title")
    return str(translated or pub.get("title") or "").strip()


def licence(descriptor: dict) -> tuple[str, str]:
    """(label, URL) of the package's first licence, e.g. ("CC BY 4.0", "https://…");
    the URL only if it is a web address."""
    lic = (descriptor.get("licenses") or [{}])[0]
    label = str(lic.get("name") or lic.get("title") or "").replace("-", " ")
    url = str(lic.get("path") or "")
    return label, url if url.startswith(("https://", "http://")) else ""


def load_package(root: Path, with_tables: bool = True) -> Package:
    root = Path(root).resolve()
    pkg = Package(root=root, descriptor=read_descriptor(root))
    if with_tables:
        for res in pkg.descriptor.get("resources", []):
            pkg.tables[res["name"]] = read_table(root / res["path"], res["schema"]["fields"])
        if "source" in pkg.tables:
            for row in pkg.tables["source"].itertuples():
                p = safe_join(root / "data", str(row.path))
                if p is not None and p.is_file():
                    try:
                        text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))
                    except UnicodeDecodeError:
                        continue  # not UTF-8: validate.check_source_files reports it with its place
                    pkg.source_texts[row.source_id] = text.replace("\u00a0", " ")
    return pkg


def safe_join(base: Path, rel: str) -> Path | None:
    """Join a relative path from data under base, refusing anything that escapes it."""
    if not rel or rel.startswith(("/", "\\")) or ":" in rel:
        return None
    p = (base / rel).resolve()
    try:
        p.relative_to(base.resolve())
    except ValueError:
        return None
    if any(part.startswith(".") for part in Path(rel).parts):
        return None
    return p
