"""Mapping of the published data package to a DCAT-AP 3.0.1 graph, for data portals (CKAN, data.europa.eu).

Identities are stable across releases: a dataset is `{base}open-data/<name>/#dataset`, its distributions
`…#csv` and `…#xlsx`; only the download URLs, sizes, checksums and version numbers change per release.
Titles and descriptions stand alone in a portal list (subject, province, period); every word comes from the
string catalogue (`catalog` section). Blank nodes get deterministic ids (see canonical.py for the writing).
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS

from .. import strings
from ..load import publisher_title

DCT = DCTERMS
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 term, missing from rdflib's closed DCAT namespace

EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(EU + "data-theme")
THEME_GOVE = URIRef(EU + "data-theme/GOVE")
AVAILABILITY_STABLE = URIRef(EU + "planned-availability/STABLE")
LANGUAGES = {"vi": URIRef(EU + "language/VIE"), "en": URIRef(EU + "language/ENG")}
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/RegionalAuthority")
IANA = "http://www.iana.org/assignments/media-types/"
FRICTIONLESS_DP = URIRef("https://datapackage.org/standard/data-package/")

DEFAULT_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
# Titles CKAN's licence register knows (ckanext-dcat matches a licence by its title), and ADMS licence types.
LICENSE_TITLES = {
    "CC-BY-4.0": "Creative Commons Attribution",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share-Alike",
    "CC0-1.0": "Creative Commons CCZero",
    "ODC-BY-1.0": "Open Data Commons Attribution License",
    "ODbL-1.0": "Open Data Commons Open Database License (ODbL)",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication and License (PDDL)",
}
LICENSE_TYPES = {
    "CC-BY-4.0": "Attribution",
    "CC-BY-SA-4.0": "ShareAlike",
    "CC0-1.0": "PublicDomain",
    "ODC-BY-1.0": "Attribution",
    "ODbL-1.0": "ShareAlike",
    "PDDL-1.0": "PublicDomain",
}
LICENSE_TYPE_LABELS = {"Attribution": "Attribution", "ShareAlike": "Share-alike", "PublicDomain": "Public domain"}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {  # media type -> (IANA IRI, label CKAN shows)
    "text/csv": (URIRef(IANA + "text/csv"), "CSV"),
    "application/zip": (URIRef(IANA + "application/zip"), "ZIP"),
    "application/json": (URIRef(IANA + "application/json"), "JSON"),
    XLSX: (URIRef(IANA + XLSX), "XLSX"),
}

PREFIXES = {
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "skos": SKOS,
    "owl": OWL,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
    "adms": ADMS,
    "dcatap": DCATAP,
    "gsp": GSP,
}

_YEAR = re.compile(r"(\d{4})")


def ascii_name(text: str) -> str:
    """Latin letters without diacritics (D-stroke -> D, "Nong" without its circumflex): CKAN makes slugs from
    Latin-1 only, and drops every other letter."""
    t = str(text).replace("\u0110", "D").replace("\u0111", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))


def temporal_coverage(rows: list[dict], fields: list[dict]) -> tuple[str, str] | None:
    """(first year, last year) of a table's rows, from its time columns (year, period, issued, *_year), or None."""
    cols = [f["name"] for f in fields if re.search(r"(^|_)(year|period|issued|date)$", f["name"])]
    years = sorted({m[1] for r in rows for c in cols if (m := _YEAR.match(str(r.get(c) or "")))})
    return (years[0], years[-1]) if years else None


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def _when(value) -> Literal | None:
    """xsd:date or xsd:dateTime literal of an ISO date/datetime string; None when empty or unreadable."""
    s = str(value or "").strip()
    if _DATE.fullmatch(s):
        return Literal(s, datatype=XSD.date)
    m = _DATETIME.fullmatch(s)
    if m:
        return Literal(f"{m[1]}T{m[2]}{m[3] or ':00'}{m[4] or ''}", datatype=XSD.dateTime)
    return None


def _en(obj: dict, key: str) -> str:
    return str(((obj.get("x-i18n") or {}).get("en") or {}).get(key) or "").strip()


def _node_id(*parts: str) -> str:
    """A blank-node id valid in Turtle, N-Triples and as an XML NCName (rdf:nodeID)."""
    return "b-" + "-".join(re.sub(r"[^A-Za-z0-9_.-]", "_", p) for p in parts)


class _Builder:
    def __init__(self, descriptor: dict, base_url: str, version: str, releases: list[dict], context: dict | None):
        self.d = descriptor
        self.cat = strings.load(None)
        ctx = context or {}
        self.tables: dict = ctx.get("tables") or {}
        prov = ctx.get("province") or {}
        self.province = {"vi": prov.get("vi") or "", "en": ascii_name(prov.get("en") or prov.get("vi") or "")}
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.version = str(version)
        self.releases = list(releases or [])
        self.latest = self._latest_release()
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

    def file_info(self, rel_path: str, fallback: dict | None = None) -> tuple[int | None, str | None]:
        files = (self.latest or {}).get("files") or {}
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
        g.add((THEME_SCHEME, DCT.title, Literal("Data theme", lang="en")))
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
                    self.concept(URIRef("http://purl.org/adms/licencetype/" + t), LICENSE_TYPE_LABELS[t]),
                )
            )
        # availability of the immutable release files
        self.availability = self.concept(AVAILABILITY_STABLE, *self.pair("availability"))
        # version notes of the latest release
        notes = (self.latest or {}).get("notes") or {}
        self.version_notes = {}
        for lang in ("vi", "en"):
            parts = [str(notes.get(f"summary_{lang}") or "").strip()] + [
                f"• {c}" for c in notes.get(f"changes_{lang}") or []
            ]
            text = "\n".join(p for p in parts if p)
            if text:
                self.version_notes[lang] = text

    def document(self, iri: URIRef, lang: str | None = None) -> URIRef:
        self.typed(iri, FOAF.Document)
        if lang and lang in LANGUAGES:
            self.g.add((iri, DCT.language, self.typed(LANGUAGES[lang], DCT.LinguisticSystem)))
        return iri

    # ------------------------------------------------------------------ datasets

    def common_dataset(self, ds: URIRef, page: str, issued, identifier: str, temporal=None):
        g = self.g
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCT.identifier, Literal(identifier)))
        g.add((ds, DCT.publisher, self.publisher))
        g.add((ds, DCAT.contactPoint, self.contact))
        for lang in self.languages:
            g.add((ds, DCT.language, lang))
        self.add(ds, DCT.spatial, self.spatial)
        self.add(ds, DCT.temporal, temporal)
        for word, lang in self.keywords:
            if str(word).strip():
                g.add((ds, DCAT.keyword, Literal(str(word).strip(), lang=lang)))
        g.add((ds, DCAT.theme, self.theme))
        g.add((ds, DCAT.landingPage, self.document(self.url(page), "vi")))
        g.add((ds, FOAF.page, self.document(self.url("en/" + page), "en")))
        g.add((ds, DCAT_VERSION, Literal(self.version)))
        g.add((ds, OWL.versionInfo, Literal(self.version)))
        for lang, text in self.version_notes.items():
            g.add((ds, ADMS.versionNotes, Literal(text, lang=lang)))
        self.add(ds, DCT.issued, issued)
        self.add(ds, DCT.modified, self.modified())

    def distribution(
        self,
        dist: URIRef,
        *,
        key: str,
        rel_path: str,
        mediatype: str,
        page: str,
        issued,
        titles: tuple[str, str],
        descriptions: tuple[str, str],
        fallback: dict | None = None,
    ):
        g = self.g
        g.add((dist, RDF.type, DCAT.Distribution))
        self.both(dist, DCT.title, *titles)
        self.both(dist, DCT.description, *descriptions)
        g.add((dist, DCAT.accessURL, self.url(page)))
        g.add((dist, DCAT.downloadURL, self.url(f"releases/{self.version}/{rel_path}")))
        iana, label = FORMATS[mediatype]
        g.add((dist, DCAT.mediaType, self.typed(iana, DCT.MediaType)))
        fmt = BNode(_node_id(key, "format"))
        # only dct:IMT: ckanext-dcat reads rdfs:label as the format ("CSV") when the node's (first) type is dct:IMT;
        # DCMI declares dct:IMT rdfs:subClassOf dct:MediaTypeOrExtent, the range DCAT-AP asks for.
        self.g.add((fmt, RDF.type, DCT.IMT))
        g.add((fmt, RDF.value, Literal(mediatype)))
        g.add((fmt, RDFS.label, Literal(label)))
        g.add((dist, DCT.format, fmt))
        g.add((dist, DCT.license, self.license))
        g.add((dist, DCATAP.availability, self.availability))
        size, digest = self.file_info(rel_path, fallback)
        if size is not None:
            g.add((dist, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger)))
        if digest:
            ck = BNode(_node_id(key, "checksum"))
            g.add((ck, RDF.type, SPDX.Checksum))
            g.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((ck, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary, normalize=False)))
            g.add((dist, SPDX.checksum, ck))
        self.add(dist, DCT.issued, issued)
        self.add(dist, DCT.modified, self.modified())

    def texts(self, r: dict, lang: str) -> dict:
        """Title and description of one table that make sense alone in a portal list."""
        subject = (_en(r, "title") if lang == "en" else "") or r.get("title") or r["name"]
        info = self.tables.get(r["name"]) or {}
        period = self.period(lang, info.get("span")) or self.t(lang, "period_none")
        desc = (_en(r, "description") if lang == "en" else "") or r.get("description") or ""
        kw = {"subject": subject, "province": self.province[lang], "period": period, "version": self.version}
        return {
            "subject": subject,
            "title": self.t(lang, "dataset_title", **kw),
            "description": self.t(lang, "dataset_description", description=desc, rows=info.get("rows", ""), **kw),
            "csv_title": self.t(lang, "csv_title", **kw),
            "csv_description": self.t(lang, "csv_description", **kw),
            "xlsx_title": self.t(lang, "xlsx_title", **kw),
            "xlsx_description": self.t(lang, "xlsx_description", **kw),
        }

    def table_distributions(self, r: dict, page: str, issued, prefix: str) -> list[URIRef]:
        """The CSV and the typed Excel workbook of one table (under `page` + `prefix` fragment ids)."""
        from ..publish import excel_path

        name = r["name"]
        vi, en = self.texts(r, "vi"), self.texts(r, "en")
        path = r.get("path") or f"data/{name}.csv"
        out = []
        for kind, rel, mediatype in (("csv", path, "text/csv"), ("xlsx", excel_path(path), XLSX)):
            dist = self.url(page + f"#{prefix}{kind}")
            self.distribution(
                dist,
                key=f"{prefix}{name}-{kind}",
                rel_path=rel,
                mediatype=mediatype,
                page=f"open-data/{name}/",
                issued=issued,
                fallback=r if kind == "csv" else None,
                titles=(vi[f"{kind}_title"], en[f"{kind}_title"]),
                descriptions=(vi[f"{kind}_description"], en[f"{kind}_description"]),
            )
            out.append(dist)
        return out

    def resource(self, r: dict) -> URIRef:
        name = r["name"]
        page = f"open-data/{name}/"
        ds = self.url(page + "#dataset")
        issued = self.first_created(name)
        span = (self.tables.get(name) or {}).get("span")
        self.common_dataset(ds, page, issued, str(ds), self.period_node(*span) if span else None)
        vi, en = self.texts(r, "vi"), self.texts(r, "en")
        self.both(ds, DCT.title, vi["title"], en["title"])
        self.both(ds, DCT.description, vi["description"], en["description"])
        known = {w.casefold() for w, _ in self.keywords}
        for word, lang in ((vi["subject"], "vi"), (en["subject"], "en")):
            if word.casefold() not in known:
                known.add(word.casefold())
                self.g.add((ds, DCAT.keyword, Literal(word, lang=lang)))
        for dist in self.table_distributions(r, page, issued, ""):
            self.g.add((ds, DCAT.distribution, dist))
        return ds

    def package(self, parts: list[URIRef]) -> URIRef | None:
        """The whole data package (zip of every file, and its datapackage.json) as one dataset."""
        zname = (self.latest or {}).get("zip")
        files = (self.latest or {}).get("files") or {}
        if not zname and "datapackage.json" not in files:
            return None
        page = "open-data/"
        ds = self.url(page + "#dataset-package")
        issued = self.first_created()
        self.common_dataset(ds, page, issued, str(ds), self.temporal)
        title_vi = self.d.get("title") or self.d.get("name") or ""
        title_en = ascii_name(_en(self.d, "title") or title_vi)  # the English title makes the portal's slug
        n = len(self.d.get("resources") or [])
        texts = {}
        for lang, title, desc in (
            ("vi", title_vi, self.d.get("description") or ""),
            ("en", title_en, _en(self.d, "description") or self.d.get("description") or ""),
        ):
            period = self.period(lang, self.package_span) or self.t(lang, "period_none")
            texts[lang] = (
                self.t(lang, "package_title", title=title, period=period),
                self.t(lang, "package_description", description=desc, tables=n, period=period),
            )
        self.both(ds, DCT.title, texts["vi"][0], texts["en"][0])
        self.both(ds, DCT.description, texts["vi"][1], texts["en"][1])
        for p in sorted(parts):
            self.g.add((ds, DCT.hasPart, p))
        for r in self.d.get("resources") or []:  # every table's files belong to the package dataset too
            for dist in self.table_distributions(r, page, issued, f"{r['name']}-"):
                self.g.add((ds, DCAT.distribution, dist))
        v = self.version
        if zname:
            dist = self.url(page + "#zip")
            self.distribution(
                dist,
                key="package-zip",
                rel_path=zname,
                mediatype="application/zip",
                page=page,
                issued=issued,
                titles=(self.t("vi", "zip_title", version=v), self.t("en", "zip_title", version=v)),
                descriptions=(self.t("vi", "zip_description", version=v), self.t("en", "zip_description", version=v)),
            )
            self.g.add((ds, DCAT.distribution, dist))
        if "datapackage.json" in files:
            dist = self.url(page + "#datapackage")
            self.distribution(
                dist,
                key="package-json",
                rel_path="datapackage.json",
                mediatype="application/json",
                page=page,
                issued=issued,
                titles=(self.t("vi", "json_title", version=v), self.t("en", "json_title", version=v)),
                descriptions=(self.t("vi", "json_description", version=v), self.t("en", "json_description", version=v)),
            )
            std = self.typed(FRICTIONLESS_DP, DCT.Standard)
            self.g.add((std, DCT.title, Literal("Frictionless Data Package", lang="en")))
            self.g.add((dist, DCT.conformsTo, std))
            self.g.add((ds, DCAT.distribution, dist))
        return ds

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
