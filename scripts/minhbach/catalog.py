"""DCAT-AP 3.0.1 catalogue of the open data, for data portals (CKAN, data.europa.eu) to harvest.

Identities are stable across releases: a dataset is `{base}open-data/<name>/#dataset`, its distributions
`…#csv` and `…#csv-excel`; only the download URLs, sizes, checksums and version numbers change per release.
Every blank node gets a deterministic id and `serialize` writes triples in a canonical order, so the same
input gives byte-identical Turtle, JSON-LD and RDF/XML.
"""

from __future__ import annotations

import json
import re

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS

from .load import publisher_title

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
FRICTIONLESS_DP = URIRef("https://specs.frictionlessdata.io/data-package/")

# used only when datapackage.json names no contributor with the role "publisher" (any province's package)
DEFAULT_PUBLISHER = {"vi": "Đơn vị công bố bộ dữ liệu", "en": "Publisher of this data package"}
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

FORMATS = {  # media type -> (IANA IRI, label CKAN shows)
    "text/csv": (URIRef(IANA + "text/csv"), "CSV"),
    "application/zip": (URIRef(IANA + "application/zip"), "ZIP"),
    "application/json": (URIRef(IANA + "application/json"), "JSON"),
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
    def __init__(self, descriptor: dict, base_url: str, version: str, releases: list[dict]):
        self.d = descriptor
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.version = str(version)
        self.releases = list(releases or [])
        self.latest = self._latest_release()
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)

    # ------------------------------------------------------------------ helpers

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
        vi = publisher_title(self.d, "vi") or DEFAULT_PUBLISHER["vi"]
        en = publisher_title(self.d, "en") or DEFAULT_PUBLISHER["en"]
        self.publisher_names = (vi, en)
        self.publisher = self.typed(self.url("#publisher"), FOAF.Agent, FOAF.Organization)
        self.both(self.publisher, FOAF.name, vi, en)
        g.add((self.publisher, DCT.type, self.concept(PUBLISHER_TYPE, "Regional authority", "Cơ quan địa phương")))
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
        if start or end:
            self.temporal = self.typed(self.url(f"#period-{start or 'open'}-{end or 'open'}"), DCT.PeriodOfTime)
            for prop, val in ((DCAT.startDate, start), (DCAT.endDate, end)):
                if val:
                    dt = (
                        XSD.gYear
                        if re.fullmatch(r"\d{4}", val)
                        else (XSD.gYearMonth if re.fullmatch(r"\d{4}-\d{2}", val) else None)
                    )
                    g.add((self.temporal, prop, Literal(val, datatype=dt) if dt else _when(val)))
        # theme
        self.typed(THEME_SCHEME, SKOS.ConceptScheme)
        g.add((THEME_SCHEME, DCT.title, Literal("Data theme", lang="en")))
        self.theme = self.concept(THEME_GOVE, "Government and public sector", "Chính phủ và khu vực công", THEME_SCHEME)
        # keywords
        self.keywords = [(k, "vi") for k in self.d.get("keywords") or []] + [
            (k, "en") for k in ((self.d.get("x-i18n") or {}).get("en") or {}).get("keywords") or []
        ]
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
        self.availability = self.concept(AVAILABILITY_STABLE, "stable", "ổn định")
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

    def common_dataset(self, ds: URIRef, page: str, issued, identifier: str):
        g = self.g
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCT.identifier, Literal(identifier)))
        g.add((ds, DCT.publisher, self.publisher))
        g.add((ds, DCAT.contactPoint, self.contact))
        for lang in self.languages:
            g.add((ds, DCT.language, lang))
        self.add(ds, DCT.spatial, self.spatial)
        self.add(ds, DCT.temporal, self.temporal)
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

    def resource(self, r: dict) -> URIRef:
        name = r["name"]
        page = f"open-data/{name}/"
        ds = self.url(page + "#dataset")
        issued = self.first_created(name)
        self.common_dataset(ds, page, issued, str(ds))
        title_vi, title_en = r.get("title") or name, _en(r, "title") or r.get("title") or name
        self.both(ds, DCT.title, title_vi, title_en)
        self.both(ds, DCT.description, r.get("description") or title_vi, _en(r, "description") or title_en)
        path = r.get("path") or f"data/{name}.csv"
        v = self.version
        csv = self.url(page + "#csv")
        self.distribution(
            csv,
            key=f"{name}-csv",
            rel_path=path,
            mediatype="text/csv",
            page=page,
            issued=issued,
            fallback=r,
            titles=(f"{title_vi} (CSV)", f"{title_en} (CSV)"),
            descriptions=(
                f"Tệp CSV mã hoá UTF-8 (không có BOM), phiên bản {v}.",
                f"Plain CSV file, UTF-8 without BOM, version {v}.",
            ),
        )
        excel = self.url(page + "#csv-excel")
        self.distribution(
            excel,
            key=f"{name}-csv-excel",
            rel_path=path.replace("data/", "excel/", 1),
            mediatype="text/csv",
            page=page,
            issued=issued,
            titles=(f"{title_vi} (CSV cho Excel)", f"{title_en} (CSV for Excel)"),
            descriptions=(
                f"Cùng dữ liệu với tệp CSV, mã hoá UTF-8 có BOM và xuống dòng CRLF để Excel hiển thị đúng "
                f"tiếng Việt khi mở bằng cách nhấp đúp; phiên bản {v}.",
                f"The same data as the CSV file, encoded as UTF-8 with a BOM and CRLF line endings so that "
                f"Excel shows Vietnamese text correctly when the file is opened by double-click; version {v}.",
            ),
        )
        self.g.add((ds, DCAT.distribution, csv))
        self.g.add((ds, DCAT.distribution, excel))
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
        self.common_dataset(ds, page, issued, str(ds))
        title_vi = self.d.get("title") or self.d.get("name") or "Data package"
        title_en = _en(self.d, "title") or title_vi
        self.both(ds, DCT.title, f"{title_vi} (toàn bộ gói dữ liệu)", f"{title_en} (the whole data package)")
        self.both(
            ds,
            DCT.description,
            (self.d.get("description") or title_vi) + " Gói dữ liệu Frictionless gồm mọi bảng.",
            (_en(self.d, "description") or title_en) + " A Frictionless data package holding every table.",
        )
        for p in sorted(parts):
            self.g.add((ds, DCT.hasPart, p))
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
                titles=(f"Toàn bộ gói dữ liệu {v} (ZIP)", f"The whole data package {v} (ZIP)"),
                descriptions=(
                    f"Tệp ZIP của bản phát hành {v}: datapackage.json, mọi tệp CSV (data/) và bản CSV cho "
                    "Excel (excel/).",
                    f"ZIP archive of release {v}: datapackage.json, every CSV file (data/) and the Excel "
                    "copies (excel/).",
                ),
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
                titles=(f"Mô tả gói dữ liệu {v} (datapackage.json)", f"Data package descriptor {v} (datapackage.json)"),
                descriptions=(
                    "Mô tả gói dữ liệu theo chuẩn Frictionless Data Package: bảng, cột, kiểu dữ liệu, "
                    "kích thước và mã băm SHA-256 của từng tệp.",
                    "Frictionless Data Package descriptor: tables, columns, types, and each file's size "
                    "and SHA-256 hash.",
                ),
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
        self.both(cat, DCT.title, f"Dữ liệu mở: {title_vi}", f"Open data: {title_en}")
        self.both(
            cat,
            DCT.description,
            (self.d.get("description") or title_vi)
            + " Danh mục DCAT-AP của mọi bộ dữ liệu mở; mỗi bản phát hành có tệp tải về riêng, không thay đổi.",
            (_en(self.d, "description") or title_en)
            + " DCAT-AP catalogue of every open dataset; each release has its own immutable download files.",
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


def build_catalog(descriptor: dict, base_url: str, version: str, releases: list[dict]) -> Graph:
    """DCAT-AP 3.0.1 catalogue: one dcat:Dataset per resource (plain and Excel CSV distributions) plus the
    whole package (ZIP and datapackage.json), with version-free dataset and distribution IRIs."""
    return _Builder(descriptor, base_url, version, releases).build()


class _SortedGraph(Graph):
    """A graph whose unpatterned subject/predicate listings come sorted (rdflib's memory store lists every
    triple in set order, which changes with PYTHONHASHSEED); patterned look-ups follow insertion order."""

    def subjects(self, predicate=None, object=None, unique=False):
        if predicate is None and object is None:
            yield from sorted(set(super().subjects()), key=lambda n: n.n3())
        else:
            yield from super().subjects(predicate, object, unique)

    def predicates(self, subject=None, object=None, unique=False):
        if subject is None and object is None:
            yield from sorted(set(super().predicates()), key=lambda n: n.n3())
        else:
            yield from super().predicates(subject, object, unique)


def _canonical(graph: Graph) -> Graph:
    """A copy whose triples are inserted in sorted order, so serializers iterate in a fixed order."""
    out = _SortedGraph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns, override=True, replace=True)
    for t in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(t)
    return out


def _sort_json(x):
    if isinstance(x, dict):
        return {k: (v if k == "@list" else _sort_json(v)) for k, v in x.items()}
    if isinstance(x, list):
        items = [_sort_json(v) for v in x]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return x


def _sort_xmlns(text: str) -> str:
    """rdflib declares RDF/XML namespaces in set order; put the xmlns lines of the root element in sorted order."""
    head, sep, rest = text.partition("<rdf:RDF\n")
    if not sep:
        return text
    decl, close, body = rest.partition("\n>\n")
    lines = decl.split("\n")
    if close and all(line.strip().startswith("xmlns:") for line in lines):
        decl = "\n".join(sorted(lines))
    return head + sep + decl + close + body


def serialize(graph: Graph, fmt: str) -> str:
    """Turtle ("turtle"), JSON-LD ("json-ld") or RDF/XML ("xml"); the same graph always gives the same text."""
    g = _canonical(graph)
    if fmt in ("turtle", "ttl"):
        return g.serialize(format="turtle")
    if fmt in ("json-ld", "jsonld"):
        context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
        doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
        return json.dumps(_sort_json(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt in ("xml", "rdf", "rdf/xml", "pretty-xml"):
        return _sort_xmlns(g.serialize(format="pretty-xml"))
    raise ValueError(f"unknown RDF format {fmt!r} (turtle, json-ld, xml)")
