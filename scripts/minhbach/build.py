"""The pipeline, end to end: validate → compute → charts → stage pages → publish files → MkDocs.

Everything is written under OUT/.minhbach-tmp/ and a fresh OUT/site-<id>, published by one atomic rename of the
OUT/site symlink only when every stage succeeded (atomic.py), so a failed or killed build leaves the last good site
byte for byte as it was, and a reader never finds no site.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from minhbach import address, atomic
from minhbach.atomic import output_issue
from minhbach.cache import Cache
from minhbach.errors import Failed, Issue

LANGS = ("vi", "en")


@dataclass
class StageTiming:
    name: str
    seconds: float
    peak_mb: float
    cpu: float = float("nan")  # user + sys of this process (holds under load better than wall time)


@dataclass
class BuildReport:
    site_dir: Path
    pages: int = 0
    charts: int = 0
    findings: int = 0
    up_to_date: bool = False
    timings: list[StageTiming] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)  # the build went on without something (cache-unwritable)


class Timer:
    """Wall time per stage, and peak memory when asked (tracemalloc slows a build down by half)."""

    def __init__(self, report: BuildReport, progress: Callable[[str], None], trace_memory: bool = False):
        self.report, self.progress, self.trace_memory = report, progress, trace_memory

    def run(self, name: str, fn, *args, **kw):
        self.progress(f"{name} …")
        if self.trace_memory:
            tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            out = fn(*args, **kw)
        finally:
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            peak = tracemalloc.get_traced_memory()[1] / 1e6 if self.trace_memory else float("nan")
            if self.trace_memory:
                tracemalloc.stop()
        self.report.timings.append(StageTiming(name, dt, peak, cpu))
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


def render_cache(out_dir: Path) -> Path:
    """Where rendered SVGs, PNGs, cards and the chart bundle are kept, keyed by the hash of what made them:
    OUT/cache, or MINHBACH_CACHE_DIR to share one between output folders (a preview and a release build)."""
    shared = os.environ.get("MINHBACH_CACHE_DIR", "").strip()
    return Path(shared).resolve() if shared else out_dir / "cache"


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
    data_root, out_dir, project = Path(data_root).resolve(), Path(out_dir).resolve(), Path(project).resolve()
    site_src = project / "site_src"
    config_file = project / "mkdocs.yml"
    final = out_dir / atomic.SITE  # a symlink to the published site-<id> tree
    bad = address.build_issues(base_url, _descriptor_or_none(data_root), config_file)
    if bad:
        raise Failed(bad)  # before any work: the address reaches every page head, feed and catalogue IRI
    tmp_root = atomic.tmp_dir(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for line in atomic.recover(out_dir):
            progress(line)
    except OSError as exc:
        raise Failed([output_issue(exc, final)]) from exc
    stage = tmp_root / "stage"
    docs = stage / "docs"
    site_tmp = atomic.new_tree(out_dir)  # MkDocs renders here, beside the published one
    report = BuildReport(site_dir=final)
    stamp = out_dir / ".last-build.json"
    fingerprint = input_fingerprint(data_root, project, base_url)
    if not force and final.is_dir() and stamp.is_file():
        try:
            last = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = {}  # a stamp cut short by a crash: rebuild
        if isinstance(last, dict) and last.get("fingerprint") == fingerprint:
            progress("nothing changed since the last build; the site is up to date")
            report.up_to_date = True
            report.pages, report.charts, report.findings = last["pages"], last["charts"], last["findings"]
            return report
    # the heavy libraries (pandas, altair, frictionless) load only now: a no-change rebuild never pays for them
    from minhbach import stages
    from minhbach import strings as strings_mod
    from minhbach.findings.run import compute_all, missing_words
    from minhbach.validate.run import MAX_CSV_BYTES, validate_package

    timer = Timer(report, progress, trace_memory)
    pool = ThreadPoolExecutor(max_workers=1)
    saved_tempdir = tempfile.tempdir
    try:
        # libraries' scratch files (openpyxl writes each sheet to a temporary file) stay under the output folder
        (tmp_root / "scratch").mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(tmp_root / "scratch")
        # a YAML error, a missing key or a finding kind without words is named now, not after the charts
        issues = missing_words(strings_mod.load(site_src))
        if issues:
            raise Failed(issues)
        issues = _recover_import(data_root)
        if issues:
            raise Failed(issues)
        issues, pkg = timer.run("validate", validate_package, data_root, max_bytes or MAX_CSV_BYTES)
        if issues:
            raise Failed(issues)
        # the offline chart bundle takes ~2 s of native code that releases the GIL: make it beside compute and charts
        cache = Cache(render_cache(out_dir), warn=report.warnings.append)
        bundle = pool.submit(stages.vega_bundle, cache)
        res = timer.run("compute", compute_all, pkg)
        report.findings = len(res.findings)
        base_url = (
            base_url or pkg.descriptor.get("homepage") or _config_site_url(config_file) or "http://127.0.0.1:8000/"
        ).rstrip("/") + "/"  # noqa: E501
        chart_map = timer.run("charts", stages.write_charts, pkg, res, docs / "assets" / "charts", cache)
        report.charts = len(chart_map)
        open_data = timer.run(
            "publish", stages.publish_files, pkg, res, site_src, docs, strings_mod.load(site_src), base_url
        )
        staged = timer.run(
            "pages",
            stages.stage_pages,
            pkg,
            res,
            site_src,
            docs,
            chart_map,
            base_url,
            bundle,
            cache,
            open_data,
        )
        report.pages = len(staged[0]) * len(LANGS)
        timer.run("render", stages.render_site, config_file, docs, site_tmp, staged, base_url, pkg)
        for line in atomic.publish(site_tmp, final):
            progress(line)
        stamp_tmp = tmp_root / "last-build.json"
        stamp_tmp.write_text(
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
        os.replace(stamp_tmp, stamp)
    except OSError as exc:
        raise Failed([output_issue(exc, final, atomic.shows(final, site_tmp))]) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        tempfile.tempdir = saved_tempdir
        published = atomic.shows(final, site_tmp)  # also when an interruption fell just after the switch
        if not published:
            shutil.rmtree(site_tmp, ignore_errors=True)
        if tmp_root.exists():
            # keep the staged sources of the last successful build for inspection
            if published and stage.exists():
                dst = out_dir / "stage"
                try:
                    if dst.exists():
                        shutil.rmtree(dst)
                    os.rename(stage, dst)
                except OSError:
                    pass  # only kept for inspection: never let it mask the build's own outcome
            shutil.rmtree(tmp_root, ignore_errors=True)
        atomic.tidy(out_dir)
    return report


def _recover_import(data_root: Path) -> list[Issue]:
    """Finish (or roll back) a `minhbach import` that was interrupted, so no build reads a half-replaced data/."""
    from minhbach.workbook.commit import recover

    _, issues = recover(data_root)
    return issues


def _descriptor_or_none(data_root: Path):
    """The descriptor for the address check; one that cannot be read is left to validation to name."""
    try:  # plain JSON, not load.read_descriptor: that module brings pandas, and a no-change rebuild needs none
        path = data_root / "datapackage.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.stat().st_size < 8 * 1024 * 1024 else None
    except (OSError, ValueError):
        return None


def _config_site_url(config_file: Path) -> str | None:
    for line in config_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return line.split(":", 1)[1].strip().strip("'\"") or None
    return None
