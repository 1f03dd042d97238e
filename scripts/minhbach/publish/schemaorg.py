"""schema.org Dataset markup for dataset search engines (Google's dataset-search guidelines): name, a
description of 50-5000 characters, identifier, temporal and spatial coverage, publisher, creator, keywords,
licence, dates and downloads; one per dataset page and one for the whole package on the open-data page."""

from __future__ import annotations

import json

from markupsafe import Markup

from minhbach.load.package import licence, publisher_title, translated, translated_text
from minhbach.publish.catalog.terms import in_sentence, title_variant
from minhbach.site.paths import excel_path
from minhbach.validate import place


def _pick(obj: dict, key: str, lang: str) -> str:
    return translated_text(obj, key, lang) or str(obj.get(key) or "")


def _span_text(cat, lang: str, span) -> str:
    if not span:
        return cat.get(lang, "catalog.period_none")
    key = "catalog.period_one" if span[0] == span[1] else "catalog.period_range"
    return cat.get(lang, key, start=span[0], end=span[1])


def _script(doc: dict) -> Markup:
    """JSON with <, > and & escaped so no data text can close the script element."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


class SchemaOrg:
    def __init__(self, descriptor: dict, latest: dict, releases: list[dict], base_url: str, context: dict, *, cat):
        self.d, self.latest, self.base = descriptor, latest, base_url
        self.cat = cat
        self.tables = context.get("tables") or {}
        self.province = context.get("province") or {}
        self.created = next((r.get("created") for r in releases if r.get("created")), "") or ""
        self.modified = latest.get("created") or self.created

    def _prefix(self, lang: str) -> str:
        return "" if lang == self.cat.default_lang else f"{lang}/"

    def _org(self, lang: str) -> dict:
        org: dict = {"@type": "Organization", "name": publisher_title(self.d, lang), "url": self.base}
        email = str((self.d.get("x-contact") or {}).get("email") or "").strip()
        if email:
            org["email"] = email.removeprefix("mailto:")
            org["contactPoint"] = {"@type": "ContactPoint", "contactType": "data", "email": org["email"]}
        return org

    def _place(self, lang: str, sp: dict) -> dict:
        """The area: its name, its ISO 3166-2 code IRI and its box ("south west north east", Google's form)."""
        out: dict = {"@type": "Place", "name": sp.get(lang) or self.province.get(lang, "")}
        iri, box = place.place_iri(self.d), place.bbox(self.d)
        if iri:
            out["sameAs"] = iri
        if box:
            w, s, e, n = box
            out["geo"] = {"@type": "GeoShape", "box": f"{s} {w} {n} {e}"}
        return out

    def _common(self, lang: str, span) -> dict:
        label, url = licence(self.d)
        sp = self.d.get("x-spatial") or {}
        words = translated(self.d, lang) if lang != self.cat.default_lang else None
        kws = (words if words is not None else self.d).get("keywords")
        doc = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "inLanguage": list(self.cat.langs),
            "version": self.latest["version"],
            "license": url or label,
            "isAccessibleForFree": True,
            "publisher": self._org(lang),
            "creator": self._org(lang),
            "keywords": list(dict.fromkeys(str(k) for k in (kws or []))),
            "spatialCoverage": self._place(lang, sp),
            "dateCreated": self.created[:10],
            "datePublished": self.created[:10],
            "dateModified": self.modified[:10],
            "includedInDataCatalog": {
                "@type": "DataCatalog",
                "name": self.cat.get(lang, "open_pages.open_data"),
                "url": f"{self.base}catalog.jsonld",
            },
        }
        if span:
            doc["temporalCoverage"] = span[0] if span[0] == span[1] else f"{span[0]}/{span[1]}"
        return doc

    def _description(self, lead: str, lang: str, span, variant: str | None = None) -> str:
        label, _ = licence(self.d)
        tail = self.cat.get(
            lang,
            "schemaorg.description_suffix" + (("" if span else "_timeless") if variant is None else variant),
            province=self.province.get(lang, ""),
            period=_span_text(self.cat, lang, span),
            licence=label,
        )
        return (f"{lead.strip()} {tail}".strip())[:5000]

    def dataset(self, r: dict, lang: str) -> Markup:
        v, name = self.latest.get("dir") or f"releases/{self.latest['version']}", r["name"]
        info = self.tables.get(name) or {}
        span = info.get("span")
        subject = _pick(r, "title", lang) or name
        variant = title_variant(r, span)  # a lookup table says so
        doc = self._common(lang, span)
        doc.update(
            {
                "@id": f"{self.base}open-data/{name}/#dataset",
                "identifier": f"{self.base}open-data/{name}/#dataset",
                "name": self.cat.get(
                    lang,
                    "catalog.dataset_title" + variant,
                    subject=in_sentence(subject),
                    province=self.province.get(lang, ""),
                    period=_span_text(self.cat, lang, span),
                ),
                "description": self._description(_pick(r, "description", lang), lang, span, variant),
                "url": f"{self.base}{self._prefix(lang)}open-data/{name}/",
                "keywords": list(dict.fromkeys(doc["keywords"] + [subject])),
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "encodingFormat": "text/csv",
                        "contentUrl": f"{self.base}{v}/{r['path']}",
                        "contentSize": str(r["bytes"]),
                    },
                    {
                        "@type": "DataDownload",
                        "encodingFormat": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "contentUrl": f"{self.base}{v}/{excel_path(r['path'])}",
                    },
                ],
                "variableMeasured": [f["name"] for f in r["schema"]["fields"]],
            }
        )
        return _script(doc)

    def package(self, lang: str) -> Markup:
        v = self.latest.get("dir") or f"releases/{self.latest['version']}"
        spans = [t["span"] for t in self.tables.values() if t.get("span")]
        span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        doc = self._common(lang, span)
        doc.update(
            {
                "@id": f"{self.base}open-data/#dataset-package",
                "identifier": f"{self.base}open-data/#dataset-package",
                "name": _pick(self.d, "title", lang),
                "description": self._description(_pick(self.d, "description", lang), lang, span),
                "url": f"{self.base}{self._prefix(lang)}open-data/",
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "encodingFormat": "application/zip",
                        "contentUrl": f"{self.base}{v}/{self.latest['zip']}",
                    },
                    {
                        "@type": "DataDownload",
                        "encodingFormat": "application/json",
                        "contentUrl": f"{self.base}{v}/datapackage.json",
                    },
                ],
                "hasPart": [
                    {"@id": f"{self.base}open-data/{r['name']}/#dataset"} for r in self.d.get("resources") or []
                ],
            }
        )
        return _script(doc)
