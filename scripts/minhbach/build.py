"""The pipeline, end to end: validate → compute → charts → stage pages → publish files → MkDocs.

Everything is written under a temporary folder and swapped into place only when every stage
succeeded, so a failed build leaves the last good site byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from .errors import Failed

LANGS = ("vi", "en")


@dataclass
class StageTiming:
    name: str
    seconds: float
    peak_mb: float


@dataclass
class BuildReport:
    site_dir: Path
    pages: int = 0
    charts: int = 0
    findings: int = 0
    up_to_date: bool = False
    timings: list[StageTiming] = field(default_factory=list)


class Timer:
    def __init__(self, report: BuildReport, progress: Callable[[str], None]):
        self.report, self.progress = report, progress

    def run(self, name: str, fn, *args, **kw):
        self.progress(f"{name} …")
        tracemalloc.start()
        t0 = time.perf_counter()
        try:
            out = fn(*args, **kw)
        finally:
            dt = time.perf_counter() - t0
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        self.report.timings.append(StageTiming(name, dt, peak / 1e6))
        self.progress(f"{name} done in {dt:.2f} s")
        return out


def input_fingerprint(data_root: Path, project: Path, base_url: str | None) -> str:
    """Hash of everything a build reads: the data package, site sources, config, releases and this code."""
    import hashlib

    h = hashlib.sha256(f"base_url={base_url}".encode())
    roots = [
        data_root / "datapackage.json",
        data_root / "data",
        data_root / "releases",
        project / "site_src",
        project / "mkdocs.yml",
        Path(__file__).parent,
    ]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for f in files:
            if "__pycache__" in f.parts or "staging" in f.parts:
                continue
            h.update(str(f.relative_to(root.parent)).encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def build_site(
    data_root: Path,
    out_dir: Path,
    project: Path,
    base_url: str | None = None,
    progress: Callable[[str], None] = lambda s: None,
    max_bytes: int | None = None,
    trace_memory: bool = False,
    force: bool = False,
) -> BuildReport:
    from . import charts as charts_mod
    from . import pages as pages_mod
    from . import publish
    from .compute import compute_all
    from .validate import MAX_CSV_BYTES, validate_package

    data_root, out_dir, project = Path(data_root).resolve(), Path(out_dir).resolve(), Path(project).resolve()
    site_src = project / "site_src"
    config_file = project / "mkdocs.yml"
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / "site"
    tmp_root = out_dir / f".tmp-build-{os.getpid()}"
    if tmp_root.exists():
        shutil.rmtree(tmp_root)
    stage = tmp_root / "stage"
    docs = stage / "docs"
    site_tmp = tmp_root / "site"
    report = BuildReport(site_dir=final)
    stamp = out_dir / ".last-build.json"
    fingerprint = input_fingerprint(data_root, project, base_url)
    if not force and final.is_dir() and stamp.is_file():
        last = json.loads(stamp.read_text(encoding="utf-8"))
        if last.get("fingerprint") == fingerprint:
            progress("nothing changed since the last build; the site is up to date")
            report.up_to_date = True
            report.pages, report.charts, report.findings = last["pages"], last["charts"], last["findings"]
            return report
    timer = Timer(report, progress)
    pool = ThreadPoolExecutor(max_workers=1)
    if not trace_memory:
        timer.run = _untraced(timer)
    try:
        issues, pkg = timer.run("validate", validate_package, data_root, max_bytes or MAX_CSV_BYTES)
        if issues:
            raise Failed(issues)
        # the offline chart bundle takes ~2 s of native code that releases the GIL: make it beside compute and charts
        bundle = pool.submit(_vega_bundle, out_dir / "cache")
        res = timer.run("compute", compute_all, pkg)
        report.findings = len(res.findings)
        base_url = (base_url or pkg.descriptor.get("homepage") or _config_site_url(config_file) or "http://127.0.0.1:8000/").rstrip("/") + "/"  # noqa: E501
        chart_map = timer.run(
            "charts", _write_charts, pkg, res, docs / "assets" / "charts", charts_mod, out_dir / "cache" / "charts"
        )
        report.charts = len(chart_map)
        pages = timer.run(
            "pages", _stage_pages, pkg, res, site_src, docs, chart_map, pages_mod, publish, base_url, bundle
        )
        report.pages = len(pages) * len(LANGS)
        timer.run("render", _mkdocs_build, config_file, docs, site_tmp, pages, base_url, pkg)
        _swap(site_tmp, final)
        stamp.write_text(
            json.dumps(
                {
                    "fingerprint": fingerprint,
                    "pages": report.pages,
                    "charts": report.charts,
                    "findings": report.findings,
                }
            ),
            encoding="utf-8",
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if tmp_root.exists():
            # keep the staged sources of the last successful build for inspection
            if final.exists() and stage.exists() and (site_tmp.exists() is False):
                dst = out_dir / "stage"
                if dst.exists():
                    shutil.rmtree(dst)
                shutil.move(str(stage), str(dst))
            shutil.rmtree(tmp_root, ignore_errors=True)
    return report


def _untraced(timer: Timer):
    def run(name, fn, *args, **kw):
        timer.progress(f"{name} …")
        t0 = time.perf_counter()
        out = fn(*args, **kw)
        dt = time.perf_counter() - t0
        timer.report.timings.append(StageTiming(name, dt, float("nan")))
        timer.progress(f"{name} done in {dt:.2f} s")
        return out

    return run


def _config_site_url(config_file: Path) -> str | None:
    for line in config_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return line.split(":", 1)[1].strip().strip("'\"") or None
    return None


def _write_charts(pkg, res, out: Path, charts_mod, cache: Path) -> dict:
    import re

    chart_map = {}
    all_charts = charts_mod.all_charts(pkg, res)
    written = charts_mod.write_charts(all_charts, out, cache)
    from .xlsx import write_xlsx  # typed workbook beside each chart's CSV (same columns, same rows)

    [write_xlsx(out / f["csv"].replace(".csv", ".xlsx"), c.columns, c.table(lang)) for c in all_charts for lang, f in written[c.chart_id].items()]  # noqa: E501
    for c in all_charts:
        files = written[c.chart_id]
        sizes = {}
        for lang in LANGS:
            head = (out / files[lang]["svg"]).read_text(encoding="utf-8")[:400]
            w = re.search(r'width="([\d.]+)"', head)
            h = re.search(r'height="([\d.]+)"', head)
            sizes[lang] = (int(float(w.group(1))) if w else 600, int(float(h.group(1))) if h else 300)
        chart_map[c.chart_id] = (c, files, sizes)
    return chart_map


def _stage_pages(pkg, res, site_src: Path, docs: Path, chart_map: dict, pages_mod, publish, base_url: str, bundle):
    docs.mkdir(parents=True, exist_ok=True)
    # assets: the project's own, plus the vendored chart bundle (written only where charts exist)
    shutil.copytree(site_src / "assets", docs / "assets", dirs_exist_ok=True)
    if chart_map:
        vendor = docs / "assets" / "vendor"
        vendor.mkdir(parents=True, exist_ok=True)
        (vendor / "vega-bundle.js").write_text(bundle.result(), encoding="utf-8")
    pages = pages_mod.build_pages(pkg, res)
    extra_pages, downloads, extra_context = publish.stage_open_data(pkg, res, docs, base_url)
    pages += extra_pages
    downloads.update(publish.stage_page_downloads(pkg, res, docs))
    renderer = pages_mod.Renderer(
        pkg, res, site_src, chart_map, titles={p.key: p.title for p in pages}, downloads=downloads
    )
    for page in pages:
        for lang in LANGS:
            text = renderer.render(page, lang, extra_context)
            f = pages_mod.stage_file(docs, page.key, lang)
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text, encoding="utf-8")
    facts = {
        "main_index_count": len(pkg.t("main_index")),
        "total_max": int(pkg.t("main_index")["max_points"].sum()),
        "findings": len(res.findings),
        "version": pkg.descriptor.get("version", ""),
    }
    (docs.parent / "macros.json").write_text(json.dumps(facts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    (docs.parent / "nav.json").write_text(json.dumps(_nav(pages), ensure_ascii=False), encoding="utf-8")
    return pages


def _vega_bundle(cache: Path) -> str:
    """vega + vega-lite + vega-embed in one offline file; generating it takes seconds, so it is cached per version."""
    import vl_convert

    f = cache / f"vega-bundle-{vl_convert.get_vega_version()}-{vl_convert.get_vega_embed_version()}.js"
    if f.is_file():
        return f.read_text(encoding="utf-8")
    text = vl_convert.javascript_bundle()
    f.parent.mkdir(parents=True, exist_ok=True)
    part = f.with_suffix(f".{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    part.replace(f)
    return text


def _nav(pages) -> list:
    """Nested nav (one flat list makes MkDocs quadratic in the number of pages)."""
    sections = {
        "pillars": "Trụ cột",
        "indices": "Chỉ số chính",
        "sources": "Tài liệu nguồn",
        "open-data": "Dữ liệu mở",
        "provinces": "Tỉnh",
    }
    nav, grouped = [], {}
    for p in pages:
        f = "index.md" if not p.key else f"{p.key}.md"
        if p.nav_section:
            if p.nav_section not in grouped:
                grouped[p.nav_section] = []
                nav.append({sections.get(p.nav_section, p.nav_section): grouped[p.nav_section]})
            grouped[p.nav_section].append(f)
        else:
            nav.append(f)
    return nav


def _mkdocs_build(config_file: Path, docs: Path, site_tmp: Path, pages, base_url: str, pkg):
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(pkg))
    nav = json.loads((docs.parent / "nav.json").read_text(encoding="utf-8"))
    identity = site_identity(pkg, config_file.parent / "site_src")
    saved = {k: os.environ.get(k) for k in identity}
    os.environ.update(identity)
    cwd = os.getcwd()
    os.chdir(config_file.parent)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        cfg = load_config(
            config_file=str(config_file), docs_dir=str(docs), site_dir=str(site_tmp), nav=nav, site_url=base_url
        )
        build(cfg)
    finally:
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def site_identity(pkg, site_src: Path) -> dict[str, str]:
    """Site name, description and footer per language, from the UI strings and the data package (province,
    publisher, licence), so another province's package names its own site; mkdocs.yml reads them with !ENV.
    Escaped: MkDocs puts them into the page unescaped."""
    import html

    from .compute import publisher_province
    from .load import licence, publisher_title
    from .pages import load_strings

    strings = load_strings(site_src)
    province = pkg.t("province").set_index("province_id").loc[publisher_province(pkg)]
    out = {}
    for lang in LANGS:
        publisher = publisher_title(pkg.descriptor, lang) or str(province[f"name_{lang}"])
        kw = {"province": str(province[f"name_{lang}"]), "publisher": publisher, "licence": licence(pkg.descriptor)[0]}
        site = strings[lang]["site"]
        for key, env in (("name", "SITE_NAME"), ("tagline", "SITE_DESCRIPTION"), ("copyright", "COPYRIGHT")):
            out[f"MINHBACH_{env}_{lang.upper()}"] = html.escape(site[key].format(**kw))
    return out


def _epoch(pkg) -> int:
    """Build date = the release date in datapackage.json, so rebuilding the same data is byte-identical."""
    from datetime import datetime

    created = pkg.descriptor.get("created", "2000-01-01T00:00:00Z")
    try:
        return int(datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(UTC).timestamp())
    except ValueError:
        return 946684800


def _swap(new: Path, final: Path):
    old = final.parent / f".old-site-{os.getpid()}"
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)
