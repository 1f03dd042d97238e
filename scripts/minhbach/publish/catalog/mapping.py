"""Mapping of the published data package to a DCAT-AP 3.0.1 graph, for data portals (CKAN, data.europa.eu).

Identities are stable across releases: a dataset is `{base}open-data/<name>/#dataset`, its distributions
`…#csv` and `…#xlsx`; only the download URLs, sizes, checksums and version numbers change per release.
Titles and descriptions stand alone in a portal list (subject, province, period); every word comes from the
string catalogue (`catalog` section). Blank nodes get deterministic ids (see canonical.py for the writing).
"""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, SKOS

from minhbach import strings
from minhbach.load.package import publisher_title
from minhbach.publish.catalog.datasets import DatasetNodes
from minhbach.publish.catalog.terms import (  # noqa: F401  (re-exported: catalog.mapping.XLSX, PREFIXES, ...)
    ADMS,
    AVAILABILITY_EXPERIMENTAL,
    AVAILABILITY_STABLE,
    DCAT_VERSION,
    DCATAP,
    DCT,
    DEFAULT_LICENSE,
    EU,
    FORMATS,
    FREQUENCY,
    FRICTIONLESS_DP,
    GSP,
    IANA,
    LANGUAGES,
    LICENSE_TITLES,
    LICENSE_TYPES,
    PREFIXES,
    PUBLISHER_TYPE,
    SPDX,
    THEME_GOVE,
    THEME_SCHEME,
    VCARD,
    XLSX,
    _en,
    _node_id,
    _when,
    ascii_name,
    temporal_coverage,
)


class _Builder(DatasetNodes):
    def __init__(self, descriptor: dict, base_url: str, version: str, releases: list[dict], context: dict | None):
        self.d = descriptor
        self.cat = strings.load(None)
        ctx = context or {}
        self.tables: dict = ctx.get("tables") or {}
        prov = ctx.get("province") or {}
        self.province = {"vi": prov.get("vi") or "", "en": prov.get("en") or prov.get("vi") or ""}
        # in titles, the English name in Latin-1 letters: CKAN drops Vietnamese letters from slugs ("k-nong")
        self.province_title = {"vi": self.province["vi"], "en": ascii_name(self.province["en"])}
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.version = str(version)
        self.releases = list(releases or [])
        self.latest = self._latest_release()
        # the current data: a recorded release (files under releases/<v>/, never changing) or not yet (latest/)
        self.released = bool(self.latest.get("released", True)) if self.latest else True
        self.folder = str((self.latest or {}).get("dir") or f"releases/{self.version}")
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)

    # ------------------------------------------------------------------ helpers

    def t(self, lang: str, key: str, **kw) -> str:
        return self.cat.get(lang, f"catalog.{key}", **kw)

    def pair(self, key: str, **kw) -> tuple[str, str]:
        """(English, Vietnamese) of a catalogue string, in the order `concept` takes them."""
        return self.t("en", key, **kw), self.t("vi", key, **kw)

    def period(self, lang: str, span: tuple[str, str] | None) -> str:
        if not span:
            return ""
        if span[0] == span[1]:
            return self.t(lang, "period_one", start=span[0])
        return self.t(lang, "period_range", start=span[0], end=span[1])

    def period_node(self, start: str, end: str) -> URIRef:
        node = self.typed(self.url(f"#period-{start or 'open'}-{end or 'open'}"), DCT.PeriodOfTime)
        for prop, val in ((DCAT.startDate, start), (DCAT.endDate, end)):
            if val:
                dt = (
                    XSD.gYear
                    if re.fullmatch(r"\d{4}", val)
                    else (XSD.gYearMonth if re.fullmatch(r"\d{4}-\d{2}", val) else None)
                )
                self.add(node, prop, Literal(val, datatype=dt) if dt else _when(val))
        return node

    def add(self, s, p, o):
        if o is not None and not (isinstance(o, Literal) and str(o) == ""):
            self.g.add((s, p, o))

    def both(self, s, p, vi: str, en: str):
        """A property in Vietnamese and English (English falls back to the Vietnamese text)."""
        vi = (vi or "").strip()
        en = (en or "").strip() or vi
        if vi:
            self.g.add((s, p, Literal(vi, lang="vi")))
        if en:
            self.g.add((s, p, Literal(en, lang="en")))

    def typed(self, iri: URIRef, *classes) -> URIRef:
        for c in classes:
            self.g.add((iri, RDF.type, c))
        return iri

    def concept(self, iri: URIRef, en: str, vi: str = "", scheme: URIRef | None = None) -> URIRef:
        self.typed(iri, SKOS.Concept)
        if vi:
            self.both(iri, SKOS.prefLabel, vi, en)
        else:
            self.g.add((iri, SKOS.prefLabel, Literal(en, lang="en")))
        if scheme is not None:
            self.g.add((iri, SKOS.inScheme, scheme))
        return iri

    def url(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def _latest_release(self) -> dict:
        for r in reversed(self.releases):
            if str(r.get("version")) == self.version:
                return r
        return self.releases[-1] if self.releases else {}

    def first_created(self, name: str | None = None):
        """Creation time of the first release (holding resource `name`, if given)."""
        for r in self.releases:
            res = ((r.get("descriptor") or {}).get("resources")) or []
            if name is None or any(x.get("name") == name for x in res):
                lit = _when(r.get("created"))
                if lit is not None:
                    return lit
        return self.modified()

    def modified(self):
        lit = _when(self.latest.get("created")) if self.latest else None
        return lit if lit is not None else _when(self.d.get("created"))

    def file_info(
        self, rel_path: str, fallback: dict | None = None, release: dict | None = None
    ) -> tuple[int | None, str | None]:
        files = (release or self.latest or {}).get("files") or {}
        if rel_path in files:
            size, digest = files[rel_path]
            return int(size), str(digest).lower()
        if fallback:
            h = str(fallback.get("hash") or "")
            digest = (
                h.split(":", 1)[1] if h.startswith("sha256:") else (h if re.fullmatch(r"[0-9a-fA-F]{64}", h) else None)
            )
            size = fallback.get("bytes")
            return (int(size) if size is not None else None), (digest.lower() if digest else None)
        return None, None

    # ------------------------------------------------------------------ shared nodes

    def shared(self):
        g, base = self.g, self.base
        # publisher
        vi = publisher_title(self.d, "vi") or self.t("vi", "publisher_default")
        en = publisher_title(self.d, "en") or self.t("en", "publisher_default")
        self.publisher_names = (vi, en)
        self.publisher = self.typed(self.url("#publisher"), FOAF.Agent, FOAF.Organization)
        self.both(self.publisher, FOAF.name, vi, en)
        # one node; the untagged official name is what a portal shows when its locale has no translation,
        # so the name no longer depends on which tagged literal a serialisation lists first
        g.add((self.publisher, FOAF.name, Literal(vi)))
        g.add((self.publisher, DCT.type, self.concept(PUBLISHER_TYPE, *self.pair("publisher_type"))))
        g.add((self.publisher, FOAF.homepage, self.document(URIRef(base))))
        # contact point
        contact = self.d.get("x-contact") or {}
        self.contact = self.typed(self.url("#contact"), VCARD.Kind, VCARD.Organization)
        self.both(self.contact, VCARD.fn, *self.publisher_names)
        email = str(contact.get("email") or "").strip()
        if email:
            g.add((self.contact, VCARD.hasEmail, URIRef(email if email.startswith("mailto:") else "mailto:" + email)))
        g.add((self.contact, VCARD.hasURL, URIRef(str(contact.get("url") or "").strip() or base)))
        # languages
        self.languages = []
        for code in self.d.get("x-language") or ["vi", "en"]:
            iri = LANGUAGES.get(str(code).lower())
            if iri is not None and iri not in self.languages:
                self.languages.append(self.typed(iri, DCT.LinguisticSystem))
        # spatial
        self.spatial = None
        province = str(self.d.get("x-province") or "").strip()
        if province:
            self.spatial = self.typed(self.url(f"#area-{province}"), DCT.Location)
            sp = self.d.get("x-spatial") or {}
            self.both(self.spatial, SKOS.prefLabel, sp.get("vi", ""), sp.get("en", ""))
            bbox, centroid = sp.get("bbox"), sp.get("centroid")
            if isinstance(bbox, (list, tuple)) and len(bbox) == 4:  # [west, south, east, north], WGS84
                w, s, e, n = bbox
                bbox = f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"
            if isinstance(centroid, (list, tuple)) and len(centroid) == 2:  # [longitude, latitude]
                centroid = f"POINT({centroid[0]} {centroid[1]})"
            if bbox:
                g.add((self.spatial, DCAT.bbox, Literal(str(bbox), datatype=GSP.wktLiteral)))
            if centroid:
                g.add((self.spatial, DCAT.centroid, Literal(str(centroid), datatype=GSP.wktLiteral)))
        # temporal
        self.temporal = None
        tmp = self.d.get("x-temporal") or {}
        start, end = str(tmp.get("start") or "").strip(), str(tmp.get("end") or "").strip()
        spans = [v["span"] for v in self.tables.values() if v.get("span")]
        if spans:  # the package covers what its rows cover
            start, end = min(s[0] for s in spans), max(s[1] for s in spans)
        self.package_span = (start, end) if start and end else None
        if start or end:
            self.temporal = self.period_node(start, end)
        # theme
        self.typed(THEME_SCHEME, SKOS.ConceptScheme)
        self.both(THEME_SCHEME, DCT.title, self.t("vi", "theme_scheme"), self.t("en", "theme_scheme"))
        self.theme = self.concept(THEME_GOVE, *self.pair("theme"), THEME_SCHEME)
        # keywords: a word spelled the same in both languages is one tag in a portal, so it is given once
        words = [(str(k).strip(), "vi") for k in self.d.get("keywords") or []] + [
            (str(k).strip(), "en") for k in ((self.d.get("x-i18n") or {}).get("en") or {}).get("keywords") or []
        ]
        self.keywords = list({w.casefold(): (w, lang) for w, lang in reversed(words) if w}.values())[::-1]
        # licence
        lic = next((x for x in self.d.get("licenses") or [] if x.get("path")), DEFAULT_LICENSE)
        self.license = self.typed(URIRef(lic["path"]), DCT.LicenseDocument)
        name = lic.get("name", "")
        g.add((self.license, DCT.title, Literal(LICENSE_TITLES.get(name) or lic.get("title") or name)))
        if name in LICENSE_TYPES:
            t = LICENSE_TYPES[name]
            g.add(
                (
                    self.license,
                    DCT.type,
                    self.concept(URIRef("http://purl.org/adms/licencetype/" + t), *self.pair(f"licence_type_{t}")),
                )
            )
        # how often the data are updated: `x-accrual-periodicity` (an EU frequency code), else irregularly
        code = str(self.d.get("x-accrual-periodicity") or "IRREG").strip().upper()
        self.frequency = self.typed(URIRef(FREQUENCY + code), DCT.Frequency)
        if code in ("IRREG", "ANNUAL"):
            self.concept(self.frequency, *self.pair(f"frequency_{code}"))
        # availability: a release's files never change; the current, unreleased data may
        self.stable = self.concept(AVAILABILITY_STABLE, *self.pair("availability"))
        self.availability = (
            self.stable
            if self.released
            else self.concept(AVAILABILITY_EXPERIMENTAL, *self.pair("availability_experimental"))
        )
        # version notes of the latest release
        notes = (self.latest or {}).get("notes") or {}
        self.version_notes = {}
        for lang in ("vi", "en"):
            parts = [str(notes.get(f"summary_{lang}") or "").strip()] + [
                f"• {c}" for c in notes.get(f"changes_{lang}") or []
            ]
            if not self.released:
                parts.insert(0, self.t(lang, "unreleased_notes", version=self.version))
            text = "\n".join(p for p in parts if p)
            if text:
                self.version_notes[lang] = text

    def document(self, iri: URIRef, lang: str | None = None) -> URIRef:
        self.typed(iri, FOAF.Document)
        if lang and lang in LANGUAGES:
            self.g.add((iri, DCT.language, self.typed(LANGUAGES[lang], DCT.LinguisticSystem)))
        return iri

    # ------------------------------------------------------------------ catalogue

    def build(self) -> Graph:
        g = self.g
        self.shared()
        cat = self.url("catalog")
        g.add((cat, RDF.type, DCAT.Catalog))
        title_vi = self.d.get("title") or self.d.get("name") or ""
        title_en = _en(self.d, "title") or title_vi
        self.both(cat, DCT.title, self.t("vi", "title", title=title_vi), self.t("en", "title", title=title_en))
        self.both(
            cat,
            DCT.description,
            self.t("vi", "description", description=self.d.get("description") or title_vi),
            self.t("en", "description", description=_en(self.d, "description") or title_en),
        )
        g.add((cat, DCT.publisher, self.publisher))
        g.add((cat, FOAF.homepage, self.document(URIRef(self.base))))
        for lang in self.languages:
            g.add((cat, DCT.language, lang))
        g.add((cat, DCT.license, self.license))
        self.add(cat, DCT.spatial, self.spatial)
        g.add((cat, DCAT.themeTaxonomy, THEME_SCHEME))
        self.add(cat, DCT.issued, self.first_created())
        self.add(cat, DCT.modified, self.modified())
        datasets = [self.resource(r) for r in self.d.get("resources") or []]
        pkg = self.package(datasets)
        for ds in datasets + ([pkg] if pkg is not None else []):
            g.add((cat, DCAT.dataset, ds))
        return g


def build_catalog(
    descriptor: dict, base_url: str, version: str, releases: list[dict], context: dict | None = None
) -> Graph:
    """DCAT-AP 3.0.1 catalogue: one dcat:Dataset per resource (CSV and XLSX distributions) plus the whole
    package (ZIP, datapackage.json and every table's files), with version-free dataset and distribution IRIs.
    `context`: {"province": {"vi", "en"}, "tables": {name: {"span": (first, last year) | None, "rows": n}}}."""
    return _Builder(descriptor, base_url, version, releases, context).build()
