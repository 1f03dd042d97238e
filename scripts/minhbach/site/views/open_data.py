"""Views of the open-data pages (the open-data index, one page per dataset, what's new), from what the publish stage
wrote (`ViewContext.published`: the releases, the latest folder, each dataset's files) as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from minhbach.load.package import translated
from minhbach.site.views.base import clean


@dataclass(frozen=True)
class Release:
    version: str
    released: bool
    date: str  # YYYY-MM-DD
    dir: str
    zip: str
    summary: str | None
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    path: str  # the CSV inside a release folder, e.g. data/kpi.csv
    xlsx_path: str
    bytes: int | None


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    unit: str
    title_vi: str
    title_en: str
    required: bool
    rules: str  # the other constraints, in symbols: "a | b" (the allowed values), "≥ 0", "≤ 100", joined by "; "


@dataclass(frozen=True)
class File:
    format: str  # csv | excel (the `open.<format>` label)
    path: str
    bytes: int | None
    sha256: str


@dataclass(frozen=True)
class OpenData:
    datasets: tuple[Dataset, ...]
    releases: tuple[Release, ...]  # recorded releases, newest first
    latest_dir: str
    latest_version: str
    latest_released: bool
    base_url: str


@dataclass(frozen=True)
class DatasetPage:
    dataset: Dataset
    latest_dir: str
    version: str
    released: bool
    files: tuple[File, ...]
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] | None
    columns: tuple[str, ...]
    preview: tuple[tuple, ...]
    pandas_csv: str
    pandas_xlsx: str


@dataclass(frozen=True)
class WhatsNew:
    releases: tuple[Release, ...]  # newest first, the current data included


def _release(r: dict, lang: str) -> Release:
    notes = r.get("notes") or {}
    return Release(
        version=str(r["version"]),
        released=bool(r["released"]),
        date=str(r["created"])[:10],
        dir=str(r["dir"]),
        zip=str(r["zip"]),
        summary=notes.get(f"summary_{lang}") or None,
        changes=tuple(notes.get(f"changes_{lang}") or ()),
    )


def _en(r: dict, key: str, default: str) -> str:
    return str(r.get("x-i18n", {}).get("en", {}).get(key, default))


def _dataset(r: dict, lang: str, xlsx_path: str, default_lang: str) -> Dataset:
    """A table as listed in `lang`: as written in the default language, its `x-i18n` entry's in another; a language
    the table has no entry for reads as the default language's."""
    words = translated(r, lang) if lang != default_lang else None
    return Dataset(
        name=str(r["name"]),
        title=str(r["title"]) if words is None else str(words.get("title", r["name"])),
        description=str(r.get("description", "")) if words is None else str(words.get("description", "")),
        path=str(r["path"]),
        xlsx_path=xlsx_path,
        bytes=clean(r.get("bytes")),
    )


def _rules(c: dict) -> str:
    parts = [" | ".join(c["enum"])] if "enum" in c else []
    parts += [f"≥ {c['minimum']}"] if "minimum" in c else []
    parts += [f"≤ {c['maximum']}"] if "maximum" in c else []
    return "; ".join(parts)


def whats_new(c) -> WhatsNew:
    return WhatsNew(tuple(_release(r, c.lang) for r in reversed(c.published["releases"])))


def open_data(c) -> OpenData:
    latest = c.published["latest"]
    return OpenData(
        datasets=tuple(
            _dataset(r, c.lang, c.published["excel_path"](r["path"]), c.cat.default_lang)
            for r in latest["descriptor"]["resources"]
        ),
        releases=tuple(_release(r, c.lang) for r in reversed(c.published["releases"]) if r["released"]),
        latest_dir=str(latest["dir"]),
        latest_version=str(latest["version"]),
        latest_released=bool(latest["released"]),
        base_url=str(c.published["base_url"]),
    )


def dataset(c) -> DatasetPage:
    latest, r = c.published["latest"], c.published["resource"]
    xlsx = c.published["xlsx_path"]
    size, sha = latest["files"][xlsx]
    fields = tuple(
        Field(
            name=str(f["name"]),
            type=str(f["type"]),
            unit=str(f.get("x-unit", "")),
            title_vi=str(f.get("title", "")),
            title_en=_en(f, "title", ""),
            required=bool(f.get("constraints", {}).get("required")),
            rules=_rules(f.get("constraints", {})),
        )
        for f in r["schema"]["fields"]
    )
    cols = tuple(f.name for f in fields)
    pk = r["schema"].get("primaryKey")
    return DatasetPage(
        dataset=_dataset(r, c.lang, xlsx, c.cat.default_lang),
        latest_dir=str(latest["dir"]),
        version=str(latest["version"]),
        released=bool(latest["released"]),
        files=(
            File("csv", str(r["path"]), clean(r.get("bytes")), str(r["hash"]).split(":")[1]),
            File("excel", xlsx, clean(size), str(sha)),
        ),
        fields=fields,
        primary_key=tuple(pk) if pk is not None else None,
        columns=cols,
        preview=tuple(tuple(clean(row[k]) for k in cols) for row in c.published["preview"]),
        pandas_csv=str(c.published["pandas"]["csv"]),
        pandas_xlsx=str(c.published["pandas"]["xlsx"]),
    )
