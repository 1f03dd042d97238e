"""Vocabulary of the catalogue: namespaces, EU authority IRIs, licence titles CKAN knows, media types, and
small value helpers (dates, periods, ASCII names, deterministic blank-node ids)."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, SKOS

DCT = DCTERMS
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 terms, missing from rdflib's closed DCAT namespace
DCAT_PREVIOUS = URIRef(str(DCAT) + "previousVersion")
DCAT_HAS_VERSION = URIRef(str(DCAT) + "hasVersion")

EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(EU + "data-theme")
THEME_GOVE = URIRef(EU + "data-theme/GOVE")
AVAILABILITY_STABLE = URIRef(EU + "planned-availability/STABLE")
AVAILABILITY_EXPERIMENTAL = URIRef(EU + "planned-availability/EXPERIMENTAL")
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

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {  # media type -> (IANA IRI, label CKAN shows; also the EU file-type code)
    "text/csv": (URIRef(IANA + "text/csv"), "CSV"),
    "application/zip": (URIRef(IANA + "application/zip"), "ZIP"),
    "application/json": (URIRef(IANA + "application/json"), "JSON"),
    XLSX: (URIRef(IANA + XLSX), "XLSX"),
}
FILE_TYPE = EU + "file-type/"  # the EU file-type authority table: what data.europa.eu's quality check expects
FREQUENCY = EU + "frequency/"

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


LOOKUP_KINDS = ("dimension", "link")  # x-kind of a table other tables join to (codes and names), not observations


def is_lookup(resource: dict, span=None) -> bool:
    """A lookup table: its `x-kind` says dimension or link; a table without a kind is one when it has no period."""
    kind = resource.get("x-kind")
    return kind in LOOKUP_KINDS if isinstance(kind, str) and kind else not span


def title_variant(resource: dict, span) -> str:
    """The catalogue string suffix for a table's title and description: lookup, timeless (no period) or dated."""
    return "_lookup" if is_lookup(resource, span) else ("" if span else "_timeless")


def in_sentence(subject: str) -> str:
    """A table's title inside a sentence ("Pillars" -> "pillars"); an acronym ("DTI scores") keeps its capitals."""
    s = str(subject)
    return s[0].lower() + s[1:] if len(s) > 1 and s[0].isupper() and s[1].islower() else s


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
