# mypy: disable-error-code="attr-defined"
# (a mixin: the attributes it uses are set by catalog.mapping._Builder)
"""Dataset and distribution nodes of the catalogue: one dataset per table (CSV + XLSX), and the whole package
(ZIP, datapackage.json and every table's files). Mixed into the mapping's builder, which provides the shared
nodes (publisher, contact, licence, languages) and the helpers (t, both, typed, url, ...)."""

from __future__ import annotations

from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.namespace import DCAT, FOAF, OWL, RDFS

from minhbach.publish.catalog.terms import (
    ADMS,
    DCAT_HAS_VERSION,
    DCAT_PREVIOUS,
    DCAT_VERSION,
    DCATAP,
    DCT,
    FILE_TYPE,
    FORMATS,
    FRICTIONLESS_DP,
    SPDX,
    XLSX,
    _en,
    _node_id,
    _when,
    ascii_name,
)
from minhbach.site.paths import excel_path


class DatasetNodes:
    def common_dataset(self, ds: URIRef, page: str, issued, identifier: str, temporal=None):
        g = self.g
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCT.identifier, Literal(identifier)))
        g.add((ds, DCT.publisher, self.publisher))
        g.add((ds, DCT.accrualPeriodicity, self.frequency))
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
        release: dict | None = None,
    ):
        """One file; `release`: a recorded release's published files (its own folder, sizes and checksums)."""
        g = self.g
        g.add((dist, RDF.type, DCAT.Distribution))
        self.both(dist, DCT.title, *titles)
        self.both(dist, DCT.description, *descriptions)
        g.add((dist, DCAT.accessURL, self.url(page)))
        folder = f"releases/{release['version']}" if release else self.folder
        g.add((dist, DCAT.downloadURL, self.url(f"{folder}/{rel_path}")))
        iana, label = FORMATS[mediatype]
        g.add((dist, DCAT.mediaType, self.typed(iana, DCT.MediaType)))
        # the EU file-type IRI, typed dct:MediaTypeOrExtent (the range DCAT-AP asks for, no ontology needed) and
        # dct:IMT: ckanext-dcat reads rdfs:label as the format ("CSV") when the node's first type is dct:IMT, and
        # every serialisation lists the types sorted (IMT before MediaTypeOrExtent)
        fmt = URIRef(FILE_TYPE + label)
        self.g.add((fmt, RDF.type, DCT.IMT))
        self.g.add((fmt, RDF.type, DCT.MediaTypeOrExtent))
        g.add((fmt, RDF.value, Literal(mediatype)))
        g.add((fmt, RDFS.label, Literal(label)))
        g.add((dist, DCT.format, fmt))
        g.add((dist, DCT.license, self.license))
        g.add((dist, DCATAP.availability, self.stable if release else self.availability))
        size, digest = self.file_info(rel_path, fallback, release)
        if size is not None:
            g.add((dist, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger)))
        if digest:
            ck = BNode(_node_id(key, "checksum"))
            g.add((ck, RDF.type, SPDX.Checksum))
            g.add((ck, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((ck, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary, normalize=False)))
            g.add((dist, SPDX.checksum, ck))
        self.add(dist, DCT.issued, issued)
        self.add(dist, DCT.modified, _when(release.get("created")) if release else self.modified())

    def texts(self, r: dict, lang: str) -> dict:
        """Title and description of one table that make sense alone in a portal list."""
        subject = (_en(r, "title") if lang == "en" else "") or r.get("title") or r["name"]
        info = self.tables.get(r["name"]) or {}
        period = self.period(lang, info.get("span"))
        timeless = "" if period else "_timeless"  # a reference table (glossary, organisations) has no period
        desc = (_en(r, "description") if lang == "en" else "") or r.get("description") or ""
        kw = {"subject": subject, "province": self.province_title[lang], "period": period, "version": self.version}
        return {
            "subject": subject,
            "title": self.t(lang, "dataset_title" + timeless, **kw),
            "description": self.t(
                lang,
                "dataset_description" + timeless,
                description=desc,
                rows=info.get("rows", ""),
                **(kw | {"province": self.province[lang]}),
            ),
            "csv_title": self.t(lang, "csv_title", **kw),
            "csv_description": self.t(lang, "csv_description", **kw),
            "xlsx_title": self.t(lang, "xlsx_title", **kw),
            "xlsx_description": self.t(lang, "xlsx_description", **kw),
        }

    def table_distributions(self, r: dict, page: str, issued, prefix: str) -> list[URIRef]:
        """The CSV and the typed Excel workbook of one table (under `page` + `prefix` fragment ids)."""
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
        self.release_distributions(ds, page)
        cur = "" if self.released else "_current"
        if zname:
            dist = self.url(page + "#zip")
            self.distribution(
                dist,
                key="package-zip",
                rel_path=zname,
                mediatype="application/zip",
                page=page,
                issued=issued,
                titles=(self.t("vi", "zip_title" + cur, version=v), self.t("en", "zip_title" + cur, version=v)),
                descriptions=(
                    self.t("vi", "zip_description" + cur, version=v),
                    self.t("en", "zip_description" + cur, version=v),
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
                titles=(self.t("vi", "json_title", version=v), self.t("en", "json_title", version=v)),
                descriptions=(self.t("vi", "json_description", version=v), self.t("en", "json_description", version=v)),
            )
            std = self.typed(FRICTIONLESS_DP, DCT.Standard)
            self.both(std, DCT.title, self.t("vi", "standard_dp"), self.t("en", "standard_dp"))
            self.g.add((dist, DCT.conformsTo, std))
            self.g.add((ds, DCAT.distribution, dist))
        return ds

    def release_distributions(self, ds: URIRef, page: str):
        """Every recorded release: its zip as a distribution of the package (an IRI per release: its files never
        change), and a version chain `dcat:hasVersion` / `dcat:previousVersion` from the package to the releases."""
        recorded = [r for r in self.releases if r.get("released", True) and r.get("zip")]
        previous = None
        for r in recorded:
            v = str(r["version"])
            node = self.url(f"releases/{v}/")
            self.g.add((node, DCAT_VERSION, Literal(v)))
            self.add(node, DCT.issued, _when(r.get("created")))
            if previous is not None:
                self.g.add((node, DCAT_PREVIOUS, previous))
            self.g.add((ds, DCAT_HAS_VERSION, node))
            if v != self.version:
                previous = node
            date = str(r.get("created") or "")[:10]
            dist = self.url(page + f"#release-{v}")
            self.distribution(
                dist,
                key=f"release-{v}",
                rel_path=r["zip"],
                mediatype="application/zip",
                page=page,
                issued=_when(r.get("created")),
                release=r,
                titles=(self.t("vi", "release_title", version=v), self.t("en", "release_title", version=v)),
                descriptions=(
                    self.t("vi", "release_description", version=v, date=date),
                    self.t("en", "release_description", version=v, date=date),
                ),
            )
            self.g.add((ds, DCAT.distribution, dist))
        if previous is not None:
            self.g.add((ds, DCAT_PREVIOUS, previous))
