"""The DCAT-AP 3.0.1 catalogue module, built directly from the shipped data package (no site build)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS as DCT
from rdflib.namespace import FOAF, OWL, SH, SKOS

from minhbach.publish import run as publish
from minhbach.publish import xlsx
from minhbach.publish.catalog.canonical import serialize
from minhbach.publish.catalog.mapping import build_catalog
from minhbach.publish.catalog.terms import AVAILABILITY_STABLE, DCATAP, XLSX, temporal_coverage

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "tests" / "fixtures" / "dcat-ap-3.0.1"
BASE = "http://127.0.0.1:8000/"
V1, V2 = "0.1.0", "0.2.0"
# open namespaces: rdflib's closed DCAT lacks DCAT 3 terms (dcat:version) and warns when pytest probes it
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FORMATS = ("turtle", "json-ld", "xml")
PARSE = {"turtle": "turtle", "json-ld": "json-ld", "xml": "xml"}


# ------------------------------------------------------------------ inputs


def _snapshot() -> tuple[dict, dict[str, bytes]]:
    """The shipped descriptor and the bytes of every resource file, read once."""
    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    files = {r["path"]: (ROOT / r["path"]).read_bytes() for r in dp["resources"]}
    return dp, files


def _context() -> dict:
    """What publish.catalog_context computes for the shipped package, read from the CSVs directly."""
    import csv

    dp = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    tables = {}
    for r in dp["resources"]:
        with (ROOT / r["path"]).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        tables[r["name"]] = {"rows": len(rows), "span": temporal_coverage(rows, r["schema"]["fields"])}
    return {"province": {"vi": "Đắk Nông", "en": "Đắk Nông"}, "tables": tables}


CTX = _context()


def _release(dp: dict, files: dict[str, bytes], version: str, created: str, notes: dict | None = None) -> dict:
    """What publish.write_release returns, computed in memory (sizes and SHA-256 of the published files)."""
    pub = publish.published_descriptor(dp, files, BASE, version)
    written = {}
    schemas = {r["path"]: r["schema"] for r in dp["resources"]}
    for path, data in files.items():
        written[path] = data
        written[publish.excel_path(path)] = xlsx.csv_to_xlsx(data, schemas[path])
    written["datapackage.json"] = (json.dumps(pub, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    zname = f"minhbach-{version}.zip"
    written[zname] = b"PK-placeholder-" + version.encode()
    return {
        "version": version,
        "created": created,
        "descriptor": pub,
        "notes": notes or {},
        "files": {n: (len(d), publish.sha256(d)) for n, d in written.items()},
        "zip": zname,
    }


@pytest.fixture(scope="module")
def inputs():
    dp, files = _snapshot()
    r1 = _release(dp, files, V1, "2026-01-15T00:00:00Z")
    r2 = _release(
        dp,
        files,
        V2,
        "2026-11-22T08:30:00Z",
        {
            "summary_vi": "Cập nhật số liệu.",
            "summary_en": "Figures updated.",
            "changes_vi": ["Thêm chỉ tiêu"],
            "changes_en": ["KPIs added"],
        },
    )
    return dp, files, [r1, r2]


@pytest.fixture(scope="module")
def graph(inputs):
    _, _, rels = inputs
    return build_catalog(rels[-1]["descriptor"], BASE, V2, rels, CTX)


@pytest.fixture(scope="module")
def texts(graph):
    return {f: serialize(graph, f) for f in FORMATS}


@pytest.fixture(scope="module")
def parsed(texts):
    return {f: Graph().parse(data=t, format=PARSE[f]) for f, t in texts.items()}


def _shapes(*names: str) -> Graph:
    g = Graph()
    for n in names:
        g.parse(SHAPES / n, format="turtle")
    return g


def _ont() -> Graph:
    """Vocabulary axioms the range shapes rely on (from DCMI Terms and vCard)."""
    ont = Graph()
    ont.add((DCT.IMT, RDFS.subClassOf, DCT.MediaTypeOrExtent))
    ont.add((VCARD.Organization, RDFS.subClassOf, VCARD.Kind))
    ont.add((FOAF.Organization, RDFS.subClassOf, FOAF.Agent))
    return ont


def _validate(data: Graph, *shape_files: str):
    import pyshacl

    conforms, report, text = pyshacl.validate(
        data, shacl_graph=_shapes(*shape_files), ont_graph=_ont(), inference="none", allow_warnings=True
    )
    counts: dict[str, int] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        sev = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        counts[sev] = counts.get(sev, 0) + 1
    return conforms, report, text, counts


def _datasets(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, DCAT.Dataset))


def _resource_datasets(g: Graph, dp: dict) -> dict[str, URIRef]:
    return {r["name"]: URIRef(f"{BASE}open-data/{r['name']}/#dataset") for r in dp["resources"]}


# ------------------------------------------------------------------ serializations


def test_serializations_parse_to_the_same_graph(graph, parsed):
    reference = to_isomorphic(graph)
    for fmt, g in parsed.items():
        assert len(g) == len(graph), fmt
        assert isomorphic(g, reference), f"{fmt} does not round-trip to the built graph"
    assert isomorphic(parsed["turtle"], parsed["json-ld"])
    assert isomorphic(parsed["turtle"], parsed["xml"])


def test_serializations_are_deterministic(inputs, texts):
    _, _, rels = inputs
    again = build_catalog(json.loads(json.dumps(rels[-1]["descriptor"])), BASE, V2, rels, CTX)
    for fmt in FORMATS:
        assert serialize(again, fmt) == texts[fmt], fmt
        assert serialize(again, fmt) == serialize(again, fmt), fmt


def test_serializations_do_not_depend_on_hash_seed(inputs, texts, tmp_path):
    """Another interpreter (other PYTHONHASHSEED, so other set orders) writes the same bytes."""
    _, _, rels = inputs
    (tmp_path / "rels.json").write_text(json.dumps(rels, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "ctx.json").write_text(json.dumps(CTX, ensure_ascii=False), encoding="utf-8")
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(ROOT / "scripts")!r})
        from pathlib import Path
        from minhbach.publish.catalog.canonical import serialize
        from minhbach.publish.catalog.mapping import build_catalog
        rels = json.loads(Path({str(tmp_path / "rels.json")!r}).read_text(encoding="utf-8"))
        for r in rels:
            r["files"] = {{k: tuple(v) for k, v in r["files"].items()}}
        ctx = json.loads(Path({str(tmp_path / "ctx.json")!r}).read_text(encoding="utf-8"))
        for t in ctx["tables"].values():
            t["span"] = tuple(t["span"]) if t["span"] else None
        g = build_catalog(rels[-1]["descriptor"], {BASE!r}, {V2!r}, rels, ctx)
        for fmt in ("turtle", "json-ld", "xml"):
            Path({str(tmp_path)!r}, fmt).write_text(serialize(g, fmt), encoding="utf-8")
    """)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=60)
    for fmt in FORMATS:
        assert (tmp_path / fmt).read_text(encoding="utf-8") == texts[fmt], fmt


def test_no_anonymous_random_blank_nodes(texts):
    """Blank nodes carry deterministic ids (checksums and formats), never rdflib's random ones."""
    import re

    ids = set(re.findall(r'rdf:nodeID="([^"]+)"', texts["xml"])) | set(re.findall(r'"_:([^"]+)"', texts["json-ld"]))
    assert ids, "expected the format and checksum nodes"
    assert all(i.startswith("b-") for i in ids), sorted(ids)[:5]


# ------------------------------------------------------------------ DCAT-AP shapes


def test_conforms_to_dcat_ap_3_shapes(parsed):
    for fmt, g in parsed.items():
        conforms, _, text, counts = _validate(g, "shapes.ttl", "range.ttl")
        if not conforms or counts.get("Violation"):
            print(text)
        assert conforms, f"{fmt}: DCAT-AP 3.0.1 violations {counts}"
        assert counts.get("Violation", 0) == 0, text


def test_recommended_shapes_only_miss_geometry(parsed):
    """The recommended properties are all present except dcat:bbox/dcat:centroid of the area (no geometry in
    the descriptor's x-spatial)."""
    _, report, text, counts = _validate(parsed["turtle"], "shapes_recommended.ttl")
    assert counts.get("Violation", 0) == 0, text
    missing = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    allowed = {(f"{BASE}#area-dak-nong", str(DCAT.bbox)), (f"{BASE}#area-dak-nong", str(DCAT.centroid))}
    # a table without a time dimension (glossary, organisations) has no period: DCAT-AP only recommends one
    allowed |= {(f"{BASE}open-data/{n}/#dataset", str(DCT.temporal)) for n, t in CTX["tables"].items() if not t["span"]}
    assert missing <= allowed, text


def test_shapes_are_not_vacuous(graph):
    """Dropping a mandatory title and mistyping a byte size must be reported."""
    broken = Graph()
    for t in graph:
        broken.add(t)
    ds = URIRef(f"{BASE}open-data/source/#dataset")
    dist = URIRef(f"{BASE}open-data/source/#csv")
    broken.remove((ds, DCT.title, None))
    broken.remove((dist, DCAT.byteSize, None))
    broken.add((dist, DCAT.byteSize, Literal("12 kB")))
    conforms, report, _, counts = _validate(broken, "shapes.ttl", "range.ttl")
    assert not conforms
    assert counts.get("Violation") == 2
    assert {report.value(r, SH.focusNode) for r in report.subjects(RDF.type, SH.ValidationResult)} == {ds, dist}


# ------------------------------------------------------------------ content


def test_catalogue(graph, inputs):
    dp, _, rels = inputs
    cat = URIRef(f"{BASE}catalog")
    assert (cat, RDF.type, DCAT.Catalog) in graph
    for p in (DCT.title, DCT.description):
        assert {o.language for o in graph.objects(cat, p)} == {"vi", "en"}, p
    pub = graph.value(cat, DCT.publisher)
    assert pub == URIRef(f"{BASE}#publisher")
    assert (pub, RDF.type, FOAF.Agent) in graph
    names = {o.language: str(o) for o in graph.objects(pub, FOAF.name)}
    contributor = next(c for c in dp["contributors"] if c["role"] == "publisher")
    # one node: both languages, and the untagged official name CKAN shows whatever the serialisation order
    assert names == {"vi": contributor["title"], "en": contributor["x-i18n"]["en"]["title"], None: contributor["title"]}
    assert graph.value(cat, FOAF.homepage) == URIRef(BASE)
    assert set(graph.objects(cat, DCT.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/VIE"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }
    assert graph.value(cat, DCT.modified) == Literal("2026-11-22T08:30:00Z", datatype=XSD.dateTime)
    assert graph.value(cat, DCT.issued) == Literal("2026-01-15T00:00:00Z", datatype=XSD.dateTime)
    listed = set(graph.objects(cat, DCAT.dataset))
    assert set(_resource_datasets(graph, dp).values()) | {URIRef(f"{BASE}open-data/#dataset-package")} == listed
    assert set(_datasets(graph)) == listed


def test_datasets(graph, inputs):
    dp, _, _ = inputs
    theme = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
    assert (theme, RDF.type, SKOS.Concept) in graph
    for r in dp["resources"]:
        ds = URIRef(f"{BASE}open-data/{r['name']}/#dataset")
        titles = {o.language: str(o) for o in graph.objects(ds, DCT.title)}
        # alone in a national portal list: province (ASCII in English, for slugs), topic, subject and period
        assert titles["vi"].startswith("Đắk Nông – Chuyển đổi số: " + r["title"]), titles
        assert titles["en"].startswith("Dak Nong – digital transformation: " + r["x-i18n"]["en"]["title"]), titles
        if not CTX["tables"][r["name"]]["span"]:  # a lookup table says so
            assert titles["en"].endswith("(reference table)") and titles["vi"].endswith("(bảng tra cứu)"), titles
        span = CTX["tables"][r["name"]]["span"]
        if span:
            assert span[0] in titles["en"] and span[1] in titles["en"]
        assert {o.language for o in graph.objects(ds, DCT.description)} == {"vi", "en"}
        assert graph.value(ds, DCT.identifier) == Literal(str(ds))
        assert graph.value(ds, DCAT.landingPage) == URIRef(f"{BASE}open-data/{r['name']}/")
        assert graph.value(ds, FOAF.page) == URIRef(f"{BASE}en/open-data/{r['name']}/")
        assert (graph.value(ds, DCAT.landingPage), RDF.type, FOAF.Document) in graph
        assert graph.value(ds, DCAT.version) == Literal(V2)
        assert graph.value(ds, OWL.versionInfo) == Literal(V2)
        assert graph.value(ds, DCT.issued) == Literal("2026-01-15T00:00:00Z", datatype=XSD.dateTime)
        assert graph.value(ds, DCT.modified) == Literal("2026-11-22T08:30:00Z", datatype=XSD.dateTime)
        assert graph.value(ds, DCAT.theme) == theme
        kw = list(graph.objects(ds, DCAT.keyword))
        words = {str(k).casefold() for k in kw}
        assert len(words) == len(kw)  # no tag twice, in whichever language
        assert {k.casefold() for k in dp["keywords"] + dp["x-i18n"]["en"]["keywords"]} <= words
        cp = graph.value(ds, DCAT.contactPoint)
        assert (cp, RDF.type, VCARD.Organization) in graph and graph.value(cp, VCARD.fn) is not None
        assert graph.value(cp, VCARD.hasEmail) or graph.value(cp, VCARD.hasURL)
        period = graph.value(ds, DCT.temporal)
        if span:  # the years its own rows cover, not the package's
            assert graph.value(period, DCAT.startDate) == Literal(span[0], datatype=XSD.gYear)
            assert graph.value(period, DCAT.endDate) == Literal(span[1], datatype=XSD.gYear)
        else:
            assert period is None
        area = graph.value(ds, DCT.spatial)
        assert area == URIRef(f"{BASE}#area-{dp['x-province']}")
        assert {o.language: str(o) for o in graph.objects(area, SKOS.prefLabel)} == dp["x-spatial"]
        assert {str(v) for v in graph.objects(ds, ADMS.versionNotes)} == {
            "Cập nhật số liệu.\n• Thêm chỉ tiêu",
            "Figures updated.\n• KPIs added",
        }


def test_dataset_iris_are_stable_across_versions(graph, inputs):
    dp, files, rels = inputs
    old = build_catalog(rels[0]["descriptor"], BASE, V1, rels[:1], CTX)
    assert _datasets(old) == _datasets(graph)

    def current(g):  # the current files; each release's own zip has an IRI of its own (its files never change)
        return sorted(d for d in g.subjects(RDF.type, DCAT.Distribution) if "#release-" not in d)

    assert current(old) == current(graph)
    for g in (old, graph):
        for node in list(_datasets(g)) + current(g):
            assert V1 not in node and V2 not in node, node
    assert len(_datasets(graph)) == len(dp["resources"]) + 1


def test_every_release_is_linked_with_its_own_checksums(graph, inputs):
    """Each recorded release: a zip distribution of the package at releases/<v>/ with that release's checksum,
    stable availability, and a version chain (dcat:hasVersion, dcat:previousVersion)."""
    _, _, rels = inputs
    pkg = URIRef(f"{BASE}open-data/#dataset-package")
    dcat3 = Namespace("http://www.w3.org/ns/dcat#")
    for r in rels:
        v = r["version"]
        dist = URIRef(f"{BASE}open-data/#release-{v}")
        assert dist in set(graph.objects(pkg, DCAT.distribution))
        assert graph.value(dist, DCAT.downloadURL) == URIRef(f"{BASE}releases/{v}/minhbach-{v}.zip")
        assert str(graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)) == r["files"][r["zip"]][1]
        assert graph.value(dist, DCATAP.availability) == AVAILABILITY_STABLE
        assert URIRef(f"{BASE}releases/{v}/") in set(graph.objects(pkg, dcat3.hasVersion))
    assert graph.value(pkg, dcat3.previousVersion) == URIRef(f"{BASE}releases/{V1}/")
    assert graph.value(URIRef(f"{BASE}releases/{V2}/"), dcat3.previousVersion) == URIRef(f"{BASE}releases/{V1}/")


def test_unreleased_data_are_marked_and_point_at_latest(inputs):
    """The current data not yet recorded as a release: files under latest/, experimental availability, notes
    that say so; the recorded release keeps its own zip with its checksum."""
    dp, files, rels = inputs
    cur = dict(rels[-1], released=False, dir="latest", zip="minhbach-latest.zip", notes={})
    cur["files"] = dict(cur["files"], **{"minhbach-latest.zip": (3, "ab" * 32)})
    g = build_catalog(cur["descriptor"], BASE, V2, [rels[0], cur], CTX)
    zip_dist = URIRef(f"{BASE}open-data/#zip")
    assert g.value(zip_dist, DCAT.downloadURL) == URIRef(f"{BASE}latest/minhbach-latest.zip")
    for d in g.subjects(RDF.type, DCAT.Distribution):
        url = str(g.value(d, DCAT.downloadURL))
        assert url.startswith(f"{BASE}latest/") or url.startswith(f"{BASE}releases/{V1}/"), url
        assert f"releases/{V2}" not in url
        stable = g.value(d, DCATAP.availability) == AVAILABILITY_STABLE
        assert stable == ("/releases/" in url), url
    assert URIRef(f"{BASE}open-data/#release-{V2}") not in set(g.subjects())
    notes = {o.language: str(o) for o in g.objects(URIRef(f"{BASE}open-data/#dataset-package"), ADMS.versionNotes)}
    assert "latest/" in notes["en"] and "latest/" in notes["vi"]
    conforms, _, text, counts = _validate(g, "shapes.ttl", "range.ttl")
    assert counts.get("Violation", 0) == 0, text


def test_distributions_point_at_the_versioned_files(graph, inputs):
    dp, files, rels = inputs
    for r in dp["resources"]:
        name, data = r["name"], files[r["path"]]
        ds = URIRef(f"{BASE}open-data/{name}/#dataset")
        csv, excel = URIRef(f"{BASE}open-data/{name}/#csv"), URIRef(f"{BASE}open-data/{name}/#xlsx")
        assert set(graph.objects(ds, DCAT.distribution)) == {csv, excel}
        book = xlsx.csv_to_xlsx(data, r["schema"])
        for dist, rel, payload, media, label in (
            (csv, f"data/{name}.csv", data, "text/csv", "CSV"),
            (excel, f"excel/{name}.xlsx", book, XLSX, "XLSX"),
        ):
            _check_distribution(
                graph, dist, f"{BASE}releases/{V2}/{rel}", payload, f"{BASE}open-data/{name}/", media, label
            )
        assert any("Excel" in str(d) for d in graph.objects(excel, DCT.description))
        pkg_dists = set(graph.objects(URIRef(f"{BASE}open-data/#dataset-package"), DCAT.distribution))
        assert {URIRef(f"{BASE}open-data/#{name}-csv"), URIRef(f"{BASE}open-data/#{name}-xlsx")} <= pkg_dists
    pkg = URIRef(f"{BASE}open-data/#dataset-package")
    zip_dist = URIRef(f"{BASE}open-data/#zip")
    assert zip_dist in set(graph.objects(pkg, DCAT.distribution))
    size, digest = rels[-1]["files"][rels[-1]["zip"]]
    assert graph.value(zip_dist, DCAT.downloadURL) == URIRef(f"{BASE}releases/{V2}/minhbach-{V2}.zip")
    assert int(graph.value(zip_dist, DCAT.byteSize)) == size
    assert str(graph.value(graph.value(zip_dist, SPDX.checksum), SPDX.checksumValue)) == digest
    assert set(graph.objects(pkg, DCT.hasPart)) == set(_resource_datasets(graph, dp).values())


def _check_distribution(g: Graph, dist, url: str, payload: bytes, page: str, mediatype: str, label: str):
    assert (dist, RDF.type, DCAT.Distribution) in g
    assert g.value(dist, DCAT.downloadURL) == URIRef(url)
    assert V2 in url
    assert g.value(dist, DCAT.accessURL) == URIRef(page)
    size = g.value(dist, DCAT.byteSize)
    assert size.datatype == XSD.nonNegativeInteger and int(size) == len(payload)
    ck = g.value(dist, SPDX.checksum)
    assert (ck, RDF.type, SPDX.Checksum) in g
    assert g.value(ck, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    value = g.value(ck, SPDX.checksumValue)
    assert value.datatype == XSD.hexBinary and str(value) == publish.sha256(payload)
    assert {o.language for o in g.objects(dist, DCT.title)} == {"vi", "en"}
    assert {o.language for o in g.objects(dist, DCT.description)} == {"vi", "en"}
    media = g.value(dist, DCAT.mediaType)
    assert media == URIRef(f"http://www.iana.org/assignments/media-types/{mediatype}")
    assert (media, RDF.type, DCT.MediaType) in g
    fmt = g.value(dist, DCT.format)
    assert fmt == URIRef(f"http://publications.europa.eu/resource/authority/file-type/{label}")
    assert set(g.objects(fmt, RDF.type)) == {DCT.IMT, DCT.MediaTypeOrExtent}
    assert g.value(fmt, RDF.value) == Literal(mediatype) and g.value(fmt, RDFS.label) == Literal(label)
    lic = g.value(dist, DCT.license)
    assert lic == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (lic, RDF.type, DCT.LicenseDocument) in g
    assert g.value(lic, DCT.title) == Literal("Creative Commons Attribution")
    assert g.value(dist, DCT.issued) is not None and g.value(dist, DCT.modified) is not None


def test_minimal_descriptor_falls_back_and_still_conforms():
    """Without contributors, x-contact, x-temporal, x-spatial or releases: default publisher, the site as contact
    URL, no period; an x-contact e-mail becomes a vcard:hasEmail mailto: IRI."""
    d = {
        "name": "p",
        "title": "Gói",
        "description": "Mô tả",
        "version": "1.0.0",
        "resources": [
            {
                "name": "t",
                "path": "data/t.csv",
                "title": "Bảng",
                "description": "Một bảng",
                "bytes": 3,
                "hash": "sha256:" + "ab" * 32,
                "mediatype": "text/csv",
            }
        ],
    }
    g = build_catalog(d, BASE, "1.0.0", [])
    ds = URIRef(f"{BASE}open-data/t/#dataset")
    from minhbach import strings

    cat = strings.load(None)
    assert {str(o) for o in g.objects(URIRef(f"{BASE}#publisher"), FOAF.name)} == set(
        cat.both("catalog.publisher_default").values()
    )
    assert g.value(ds, DCT.temporal) is None and g.value(ds, DCT.spatial) is None
    assert g.value(URIRef(f"{BASE}#contact"), VCARD.hasURL) == URIRef(BASE)
    assert int(g.value(URIRef(f"{BASE}open-data/t/#csv"), DCAT.byteSize)) == 3
    conforms, _, text, _ = _validate(g, "shapes.ttl", "range.ttl")
    assert conforms, text
    d["x-contact"] = {"email": "sotttt@daknong.gov.vn"}
    g = build_catalog(d, BASE, "1.0.0", [])
    assert g.value(URIRef(f"{BASE}#contact"), VCARD.hasEmail) == URIRef("mailto:sotttt@daknong.gov.vn")


def test_all_three_shape_files_without_any_ontology(parsed):
    """shapes.ttl + range.ttl + shapes_recommended.ttl, no DC Terms / vCard / FOAF axioms: 0 violations in every
    serialisation (formats are EU file-type IRIs typed dct:MediaTypeOrExtent, frequency typed dct:Frequency)."""
    import pyshacl

    shapes = _shapes("shapes.ttl", "range.ttl", "shapes_recommended.ttl")
    for fmt, g in parsed.items():
        conforms, report, text = pyshacl.validate(g, shacl_graph=shapes, inference="none", allow_warnings=True)
        violations = [
            r
            for r in report.subjects(RDF.type, SH.ValidationResult)
            if report.value(r, SH.resultSeverity) == SH.Violation
        ]
        assert not violations, (fmt, text[:3000])
    g = parsed["turtle"]
    for ds in _datasets(g):
        freq = g.value(ds, DCT.accrualPeriodicity)
        assert freq == URIRef("http://publications.europa.eu/resource/authority/frequency/IRREG"), ds
        assert (freq, RDF.type, DCT.Frequency) in g
