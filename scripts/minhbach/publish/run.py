"""Stage 6: open-data files a portal can harvest and a journalist can open in Excel.

Layout under the site root (dataset identities never change; only download URLs carry a version):
  releases/<version>/datapackage.json (Data Package v2), data/<name>.csv (UTF-8, no BOM), excel/<name>.xlsx
  (typed cells), README.txt, LICENSE.txt, CITATION.cff, minhbach-<version>.zip (descriptor at its root),
  SHA256SUMS, release.json                  — immutable, one folder per RECORDED release (releases/ of the
                                              package, see release.py); never rewritten from the current data
  latest/…                                  — the current data (the newest release, or data not yet released:
                                              then only here, zip minhbach-latest.zip, marked unreleased)
  catalog.ttl, catalog.jsonld, catalog.rdf  — DCAT-AP 3 catalogue of every dataset
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from minhbach.address import is_preview, loopback  # noqa: F401  (re-exported: publish.run.is_preview)
from minhbach.compute.scores import publisher_province
from minhbach.errors import Failed, Issue
from minhbach.load.package import Package, in_languages, translated
from minhbach.publish import feed, package_files, snippets, xlsx
from minhbach.publish.catalog.canonical import serialize
from minhbach.publish.catalog.mapping import build_catalog
from minhbach.publish.catalog.terms import temporal_coverage
from minhbach.publish.schemaorg import SchemaOrg
from minhbach.publish.xlsx import columns_for_frame, write_xlsx
from minhbach.site.paths import excel_path, feed_name
from minhbach.site.sitemap import Page

ZIP_DATE = (2000, 1, 1, 0, 0, 0)
DP_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def package_base_url(descriptor: dict) -> str | None:
    """The public address of the site, from the package (`homepage`); None when missing."""
    u = str(descriptor.get("homepage") or "").strip()
    return (u.rstrip("/") + "/") if u else None


def contact_email(descriptor: dict) -> str:
    """The publisher's contact email (`x-contact.email`, filled in by the publisher; never guessed)."""
    return str((descriptor.get("x-contact") or {}).get("email") or "").strip()


def preview_issues(descriptor: dict, base_url: str | None) -> list[Issue]:
    """Why this package/build is only a preview: no public base URL, no contact email. Empty = publishable."""
    out = []
    if is_preview(base_url):
        out.append(
            Issue(
                "preview-base-url",
                "no public address: set homepage in datapackage.json to the site's https:// address "
                "(a release records it from there; `build --base-url` sets only a build's address)",
                file="datapackage.json",
                column="homepage",
                value=str(base_url or ""),
                expected="https://...",
            )
        )
    if not contact_email(descriptor):
        out.append(
            Issue(
                "preview-contact-email",
                "no contact email for data portals: fill in x-contact.email in datapackage.json",
                file="datapackage.json",
                column="x-contact.email",
                expected="an address the publisher answers",
            )
        )
    return out


@dataclass
class Release:
    version: str
    created: str
    root: Path  # folder holding datapackage.json and data/
    notes: dict  # release.json content ({} for the current, unreleased data)
    recorded: bool = True  # False: the current data, not (yet) recorded with `minhbach release`


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archived_releases(project: Path) -> list[Release]:
    out = []
    base = project / "releases"
    if base.is_dir():
        # a hidden folder is an interrupted release's leftover, never a release
        for d in sorted(
            p
            for p in base.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "datapackage.json").is_file()
        ):
            dp = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
            notes = (
                json.loads((d / "release.json").read_text(encoding="utf-8")) if (d / "release.json").is_file() else {}
            )
            out.append(Release(dp.get("version", d.name), dp.get("created", ""), d, notes))
    return out


def all_releases(pkg: Package, project: Path) -> list[Release]:
    """Archived releases plus the current data; the current version may not reuse an archived one with other data."""
    rel = archived_releases(project)
    current = pkg.descriptor.get("version", "0.0.0")
    same = [r for r in rel if r.version == current]
    if same:
        if _fingerprint(same[0].root) != _fingerprint(pkg.root):
            raise Failed(
                [
                    Issue(
                        "release-version-reused",
                        f"version {current} is already released with different "
                        "data; give this release a new version in datapackage.json (minhbach release VERSION)",
                        file="datapackage.json",
                        column="version",
                        value=current,
                    )
                ]
            )
    else:
        rel.append(Release(current, pkg.descriptor.get("created", ""), pkg.root, {}, recorded=False))
    return sorted(rel, key=lambda r: _version_key(r.version))


def _version_key(v: str):
    return tuple(int(x) if x.isdigit() else x for x in v.replace("-", ".").split("."))


def _fingerprint(root: Path) -> str:
    dp = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    h = hashlib.sha256()
    for r in dp["resources"]:
        h.update(r["name"].encode())
        h.update((root / r["path"]).read_bytes())
    return h.hexdigest()


def published_descriptor(descriptor: dict, files: dict[str, bytes], base_url: str, version: str) -> dict:
    """Data Package v2: `$schema`, contributors with `roles` (and the v1 `role` kept for older readers)."""
    d = {"$schema": DP_V2, **{k: v for k, v in copy.deepcopy(descriptor).items() if k != "$schema"}}
    d["version"] = version
    d["homepage"] = base_url
    d["id"] = f"{base_url}open-data/"
    for c in d.get("contributors") or []:
        if "roles" not in c and c.get("role"):
            c["roles"] = [c["role"]]
    for r in d["resources"]:
        data = files[r["path"]]
        r["bytes"] = len(data)
        r["hash"] = f"sha256:{sha256(data)}"
    return d


def write_release(rel: Release, out: Path, base_url: str, cat, contact: dict | None = None, folder: str = "") -> dict:
    """Write one release folder (`folder`, relative to the site: releases/<version> or latest); return its
    published descriptor and file list for catalogue and pages. A recorded release is written from its own
    frozen files only (its bytes never change); the current, unreleased data is marked as such."""
    preview = is_preview(base_url)
    dp = json.loads((rel.root / "datapackage.json").read_text(encoding="utf-8"))
    files: dict[str, bytes] = {}
    for r in dp["resources"]:
        files[r["path"]] = (rel.root / r["path"]).read_bytes()
    pub = published_descriptor(dp, files, base_url, rel.version)
    if contact and not rel.recorded:  # a recorded release keeps the contact it was released with
        pub["x-contact"] = contact
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    schemas = {r["path"]: r.get("schema") or {} for r in dp["resources"]}
    folder = folder or f"releases/{rel.version}"
    for r in pub["resources"]:
        path = r["path"]
        written[path] = files[path]
        cover = package_files.table_cover(pub, r, rel.root, base_url, folder, rel.recorded, cat.langs)
        written[excel_path(path)] = xlsx.csv_to_xlsx(files[path], schemas[path], path.rsplit("/", 1)[-1][:-4], cover)
        written[path[:-4] + ".resource.json"] = package_files.resource_json(pub, r).encode("utf-8")
    written["datapackage.json"] = (json.dumps(pub, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    written["README.txt"] = package_files.readme(pub, cat, base_url, preview).encode("utf-8")
    written["LICENSE.txt"] = package_files.licence_file(pub, cat).encode("utf-8")
    written["CITATION.cff"] = package_files.citation_cff(pub, cat, base_url, preview, rel.recorded).encode("utf-8")
    notes = rel.notes or ({"version": rel.version, "date": rel.created[:10]} if rel.recorded else {})
    if notes:  # every recorded release carries its release.json, also inside its zip
        written["release.json"] = (json.dumps(notes, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    zname = f"minhbach-{rel.version}.zip" if rel.recorded else "minhbach-latest.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(written):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)  # descriptor at the root: frictionless opens the zip
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, written[name])
    written[zname] = buf.getvalue()
    sums = "".join(f"{sha256(written[n])}  {n}\n" for n in sorted(written))
    written["SHA256SUMS"] = sums.encode()
    for name, data in written.items():
        p = out / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return {
        "version": rel.version,
        "created": rel.created,
        "descriptor": pub,
        "notes": notes,
        "files": {n: (len(d), sha256(d)) for n, d in written.items()},
        "zip": zname,
        "released": rel.recorded,
        "dir": folder,
    }


def _title(r: dict, lang: str, default_lang: str) -> str:
    """A table's title in `lang`: as written in the default language, its `x-i18n` entry's (else its name) in
    another; a language the table has no entry for reads as the default language's."""
    words = translated(r, lang) if lang != default_lang else None
    return str(r["title"]) if words is None else str(words.get("title", r["name"]))


def catalog_context(pkg: Package, langs: tuple[str, ...] = ("vi", "en")) -> dict:
    """What the catalogue and schema.org need beyond the descriptor: the province's names (in `langs`, the default
    first; a name the data lacks in a language is the default language's) and, per table, its row count and the
    years its rows cover."""
    prov = in_languages(pkg, langs).t("province").set_index("province_id").loc[publisher_province(pkg)]
    tables = {}
    for r in pkg.descriptor["resources"]:
        df = pkg.tables[r["name"]]
        rows = df.astype(object).where(df.notna(), None).to_dict("records")
        tables[r["name"]] = {"rows": len(df), "span": temporal_coverage(rows, r["schema"]["fields"])}
    return {"province": {lang: str(prov[f"name_{lang}"]) for lang in langs}, "tables": tables}


def stage_open_data(pkg: Package, res, docs: Path, base_url: str, cat) -> tuple[list[Page], dict, dict]:
    """Release folders, latest/, the DCAT catalogue, feeds, and the open-data pages that describe them; words
    from `cat`, the build's catalogue."""
    releases = all_releases(pkg, pkg.root)
    contact = pkg.descriptor.get("x-contact") or None
    # releases/<v>/ only for recorded releases; the current data always under latest/
    published = [write_release(r, docs / "releases" / r.version, base_url, cat) for r in releases if r.recorded]
    current = write_release(releases[-1], docs / "latest", base_url, cat, contact, "latest")
    if not releases[-1].recorded:
        published.append(current)
    latest = published[-1]
    ctx = catalog_context(pkg, cat.langs)
    # how to reach the publisher today, even when the newest release froze an older address
    described = {**latest["descriptor"], **({"x-contact": contact} if contact else {})}
    graph = build_catalog(described, base_url, latest["version"], published, ctx, cat=cat)
    for fmt_name, fname in (("turtle", "catalog.ttl"), ("json-ld", "catalog.jsonld"), ("xml", "catalog.rdf")):
        (docs / fname).write_text(serialize(graph, fmt_name), encoding="utf-8")
    so = SchemaOrg(described, latest, published, base_url, ctx, cat=cat)
    langs = cat.langs
    pages = [
        Page(
            "open-data",
            "open_data.md.j2",
            cat.both("open_pages.open_data"),
            {"jsonld": {lang: so.package(lang) for lang in langs}},
            "open-data",
        )
    ]
    for r in latest["descriptor"]["resources"]:
        pages.append(
            Page(
                f"open-data/{r['name']}",
                "dataset.md.j2",
                {lang: _title(r, lang, cat.default_lang) for lang in langs},
                {
                    "resource": r,
                    "preview": _preview(pkg, r["name"]),
                    "jsonld": {lang: so.dataset(r, lang) for lang in langs},
                    "xlsx_path": excel_path(r["path"]),
                    "pandas": _snippets(pkg, r, base_url, latest["dir"]),
                },
                "open-data",
            )
        )
    pages.append(Page("whats-new", "whats_new.md.j2", cat.both("open_pages.whats_new")))
    _write_feeds(published, docs, base_url, described, cat)
    feeds = {lang: feed_name(lang, cat) for lang in cat.langs}
    context = {"releases": published, "latest": latest, "base_url": base_url, "excel_path": excel_path, "feeds": feeds}
    return pages, {}, context


def _snippets(pkg: Package, r: dict, base_url: str, folder: str) -> dict[str, str]:
    """The pandas lines that read this table's CSV and workbook with the schema's types."""
    data = (pkg.root / r["path"]).read_bytes()
    return {
        "csv": snippets.read_csv_line(f"{base_url}{folder}/{r['path']}", r["schema"]),
        "xlsx": snippets.read_excel_line(
            f"{base_url}{folder}/{excel_path(r['path'])}", snippets.excel_dtypes(data, r["schema"])
        ),
    }


def _preview(pkg: Package, name: str, n: int = 5) -> list[dict]:
    df = pkg.tables[name].head(n)
    return [{k: ("" if pd.isna(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def _write_feeds(published: list[dict], docs: Path, base_url: str, descriptor: dict, cat):
    for lang in cat.langs:
        (docs / feed_name(lang, cat)).write_text(feed.atom(published, base_url, lang, cat, descriptor), "utf-8")


def stage_page_downloads(pkg: Package, res, docs: Path) -> dict[str, list[str]]:
    """CSV (for machines) and typed .xlsx (for people) extracts of exactly what each page shows, plus the
    source texts; keyed by page."""
    out_dir = docs / "downloads"
    (out_dir / "sources").mkdir(parents=True, exist_ok=True)
    for s in pkg.t("source").to_dict("records"):
        text = pkg.source_texts.get(s["source_id"])
        if text is not None:
            (out_dir / "sources" / f"{s['source_id']}.txt").write_text(text, encoding="utf-8")
    files: dict[str, list[str]] = {}

    fields = {f["name"]: f for r in pkg.descriptor["resources"] for f in r["schema"]["fields"]}

    def put(key: str, name: str, df: pd.DataFrame):
        """The rows as CSV (UTF-8, no BOM, for machines) and as a typed workbook (for people)."""
        stem = f"{key.replace('/', '-') or 'home'}-{name}"
        df.to_csv(out_dir / f"{stem}.csv", index=False, lineterminator="\n")
        write_xlsx(out_dir / f"{stem}.xlsx", columns_for_frame(df, fields), df, sheet=name)
        files.setdefault(key, []).extend([f"{stem}.csv", f"{stem}.xlsx"])

    pid = publisher_province(pkg)
    sc = res.scores
    if not sc.empty:
        sc = sc[(sc["province_id"] == pid) | (sc["statistic"] == "national_mean")]
    for p in pkg.t("pillar")["pillar_id"]:
        if not sc.empty:
            put(f"pillars/{p}", "scores", sc[(sc["level"] == "pillar") & (sc["subject_id"] == p)])
    sub = pkg.t("sub_indicator")
    ass = pkg.t("sub_indicator_assessment").merge(sub[["sub_indicator_id", "main_index_id"]], on="sub_indicator_id")
    ass = ass[ass["province_id"] == pid]
    kpi = pkg.t("kpi")
    obs = pkg.t("kpi_observation")
    obs = obs[obs["province_id"] == pid]
    for m in pkg.t("main_index")["main_index_id"]:
        key = f"indices/{m}"
        if not sc.empty:
            put(key, "scores", sc[(sc["level"] == "main_index") & (sc["subject_id"] == m)])
        put(key, "sub-indicators", ass[ass["main_index_id"] == m])
        put(key, "kpi-observations", obs[obs["kpi_id"].isin(kpi[kpi["main_index_id"] == m]["kpi_id"])])
    if not res.attainment.empty:
        put("kpi", "attainment", res.attainment)
    put("kpi", "observations", obs)
    put("districts", "observations", obs[obs["district_id"].notna()])
    put("plan", "tasks", pkg.t("task"))
    put("plan", "task-organisations", pkg.t("task_organisation"))
    put("budget", "items", pkg.t("budget_item"))
    if not res.budget.empty:
        put("budget", "checks", res.budget)
    put("data-quality", "findings", res.findings)
    if not res.recomputed.empty:
        put("data-quality", "recomputations", res.recomputed)
    return files
