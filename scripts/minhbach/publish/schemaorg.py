"""schema.org Dataset markup for dataset search engines (Google's dataset-search guidelines): name, a
description of 50-5000 characters, identifier, temporal and spatial coverage, publisher, creator, keywords,
licence, dates and downloads; one per dataset page and one for the whole package on the open-data page."""

from __future__ import annotations

import json

from markupsafe import Markup

from minhbach import strings
from minhbach.load.package import licence, publisher_title
from minhbach.site.paths import excel_path


def _en(obj: dict, key: str) -> str:
    return str(((obj.get("x-i18n") or {}).get("en") or {}).get(key) or "").strip()


def _pick(obj: dict, key: str, lang: str) -> str:
    return (_en(obj, key) if lang == "en" else "") or str(obj.get(key) or "")


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
    def __init__(self, descriptor: dict, latest: dict, releases: list[dict], base_url: str, context: dict):
        self.d, self.latest, self.base = descriptor, latest, base_url
        self.cat = strings.load(None)
        self.tables = context.get("tables") or {}
        self.province = context.get("province") or {}
        self.created = next((r.get("created") for r in releases if r.get("created")), "") or ""
        self.modified = latest.get("created") or self.created

    def _org(self, lang: str) -> dict:
        org: dict = {"@type": "Organization", "name": publisher_title(self.d, lang), "url": self.base}
        email = str((self.d.get("x-contact") or {}).get("email") or "").strip()
        if email:
            org["email"] = email.removeprefix("mailto:")
            org["contactPoint"] = {"@type": "ContactPoint", "contactType": "data", "email": org["email"]}
        return org

    def _common(self, lang: str, span) -> dict:
        label, url = licence(self.d)
        sp = self.d.get("x-spatial") or {}
        kws = self.d.get("keywords") if lang == "vi" else ((self.d.get("x-i18n") or {}).get("en") or {}).get("keywords")
        doc = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "inLanguage": ["vi", "en"],
            "version": self.latest["version"],
            "license": url or label,
            "isAccessibleForFree": True,
            "publisher": self._org(lang),
            "creator": self._org(lang),
            "keywords": list(dict.fromkeys(str(k) for k in (kws or []))),
            "spatialCoverage": {"@type": "Place", "name": sp.get(lang) or self.province.get(lang, "")},
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

    def _description(self, lead: str, lang: str, span) -> str:
        label, _ = licence(self.d)
        tail = self.cat.get(
            lang,
            "schemaorg.description_suffix" + ("" if span else "_timeless"),
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
        doc = self._common(lang, span)
        doc.update(
            {
                "@id": f"{self.base}open-data/{name}/#dataset",
                "identifier": f"{self.base}open-data/{name}/#dataset",
                "name": self.cat.get(
                    lang,
                    "catalog.dataset_title" + ("" if span else "_timeless"),
                    subject=subject,
                    province=self.province.get(lang, ""),
                    period=_span_text(self.cat, lang, span),
                ),
                "description": self._description(_pick(r, "description", lang), lang, span),
                "url": f"{self.base}{'' if lang == 'vi' else 'en/'}open-data/{name}/",
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
                "url": f"{self.base}{'' if lang == 'vi' else 'en/'}open-data/",
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
