"""`minhbach new`: an empty, valid data package for a named province, the starting point of a new province.

The package gets every descriptor key minhbach reads (each one filled from the arguments or left empty with the
checklist saying when it must be filled), every table of the shipped schemas with its header and no row, the
national framework tables (pillars, main indices and their links, from the Ministry's Decision 922 of 2022, the
same for every province) copied from the shipped package, the province's own row, and `data/sources/README.md`.
No row of the shipped province comes along: its sources, observations, districts and tasks stay behind.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from minhbach.errors import Failed, Issue
from minhbach.strings import Catalogue, fill

# the framework: national, identical for every province's package (no source column, no province in it)
FRAMEWORK = ("pillar", "main_index", "main_index_pillar")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Province:
    province_id: str
    name_vi: str
    name_en: str
    region_vi: str
    region_en: str
    provinces_in_country: int
    provinces_in_region: int
    publisher_vi: str | None = None
    publisher_en: str | None = None


def _refuse(code: str, message: str, file: str, value: str | None = None, expected: str | None = None) -> Failed:
    return Failed([Issue(code, message, file=file, value=value, expected=expected)])


def descriptor(shipped: dict, p: Province, year: int, cat: Catalogue) -> dict:
    """The shipped descriptor's schemas with this province's identity; keys that need a decision stay empty."""
    kw = {"vi": {"province": p.name_vi, "year": year}, "en": {"province": p.name_en, "year": year}}
    publisher = {
        "vi": p.publisher_vi or cat.get("vi", "new.publisher", **kw["vi"]),
        "en": p.publisher_en or cat.get("en", "new.publisher", **kw["en"]),
    }
    return {
        "$schema": shipped.get("$schema", "https://datapackage.org/profiles/2.0/datapackage.json"),
        "name": f"minhbach-{p.province_id}-dti",
        "title": cat.get("vi", "new.title", **kw["vi"]),
        "description": cat.get("vi", "new.description", **kw["vi"]),
        "x-i18n": {
            "en": {
                "title": cat.get("en", "new.title", **kw["en"]),
                "description": cat.get("en", "new.description", **kw["en"]),
                "keywords": [cat.get("en", "new.keyword"), "DTI", p.name_en],
            }
        },
        "version": "0.1.0",
        "created": f"{year}-01-01T00:00:00Z",
        "homepage": "",
        "keywords": [cat.get("vi", "new.keyword"), "DTI", p.name_vi],
        "licenses": copy.deepcopy(shipped.get("licenses", [])),
        "contributors": [
            {
                "title": publisher["vi"],
                "role": "publisher",
                "roles": ["publisher"],
                "x-i18n": {"en": {"title": publisher["en"]}},
            }
        ],
        "sources": [{"title": cat.get("en", "new.sources_title")}],
        "x-province": p.province_id,
        "x-language": list(cat.langs),
        "x-spatial": {"vi": cat.get("vi", "new.spatial", **kw["vi"]), "en": cat.get("en", "new.spatial", **kw["en"])},
        "x-temporal": {"start": str(year), "end": str(year)},
        "resources": copy.deepcopy(shipped["resources"]),
        "x-contact": {"email": "", "url": ""},
    }


def _csv(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def create(dst: Path, shipped_root: Path, p: Province, year: int, cat: Catalogue) -> list[str]:
    """Write the package into dst (which must not hold one yet); returns the files written, relative to dst."""
    dst = Path(dst)
    if (dst / "datapackage.json").exists() or (dst / "data").exists():
        raise _refuse(
            "new-target-not-empty",
            "this folder already holds a data package; minhbach new never overwrites one",
            str(dst),
            expected="an empty or new folder",
        )
    if not _ID.fullmatch(p.province_id):
        raise _refuse(
            "bad-id", "a province id is lower-case letters, digits and hyphens", "--province-id", p.province_id
        )
    shipped = json.loads((shipped_root / "datapackage.json").read_text(encoding="utf-8"))
    desc = descriptor(shipped, p, year, cat)
    texts: dict[str, str] = {}
    for res in desc["resources"]:
        fields = [f["name"] for f in res["schema"]["fields"]]
        rows: list[dict] = []
        if res["name"] in FRAMEWORK:
            with (shipped_root / res["path"]).open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        elif res["name"] == "province":
            rows = [{k: getattr(p, k) for k in fields}]
        texts[res["path"]] = _csv(fields, rows)
    texts["data/sources/README.md"] = "\n\n".join(cat.get(lang, "new.sources_readme") for lang in cat.langs) + "\n"
    texts["datapackage.json"] = json.dumps(desc, ensure_ascii=False, indent=2) + "\n"
    for rel, text in sorted(texts.items()):
        f = dst / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return sorted(texts)


def checklist(cat: Catalogue, lang: str, data: str) -> str:
    steps = cat.raw(lang, "new.checklist")
    lines = [cat.get(lang, "new.done", data=data)]
    lines += [f"{i}. {fill(str(s), {'data': data})}" for i, s in enumerate(steps, 1)]
    return "\n".join(lines)
