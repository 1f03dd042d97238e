"""`minhbach bench`: wall time and peak memory per stage, page weight, and the national-scale build.

Goals it reports against (figures, not test failures): shipped data ≤ 15 s; national scale ≤ 120 s and
linear in pages; no-change rebuild ≤ 3 s; each page ≤ 150 KB gzip excluding shared cached assets.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from minhbach.build import build_site
from minhbach.national import generate_national

SHARED = (
    "assets/stylesheets/",
    "assets/javascripts/",
    "assets/vendor/",
    "assets/css/",
    "assets/js/",
    "assets/images/",
    "search/",
)
# the search index is not part of any page: search.js fetches it when the reader opens search


def page_weight(site: Path, key: str) -> dict:
    """The page's HTML plus the files only it references (chart SVGs), raw and gzip."""
    html_file = site / key / "index.html"
    src = html_file.read_bytes()
    total, gz = len(src), len(gzip.compress(src, 9))
    first_chart_static = None
    for m in re.finditer(rb'<(?:img|script|link)[^>]+(?:src|href)="([^"#?]+)"', src):
        url = m.group(1).decode()
        if url.startswith(("http:", "https:", "data:")):
            continue
        f = (html_file.parent / url).resolve()
        rel = str(f.relative_to(site.resolve())) if f.is_relative_to(site.resolve()) else url
        if any(rel.startswith(s) for s in SHARED) or not f.is_file():
            continue
        data = f.read_bytes()
        total += len(data)
        gz += len(gzip.compress(data, 9))
    fig = re.search(rb'<figure class="mb-chart".*?<img src="([^"]+)"([^>]*)>', src, re.S)
    if fig:
        first_chart_static = fig.group(1).endswith(b".svg") and b'loading="lazy"' not in fig.group(2)
    return {"bytes": total, "gzip": gz, "first_chart_static_svg": first_chart_static}


def first_visit(site: Path, key: str) -> dict:
    """The first view of a page with an empty cache: its HTML and what the browser fetches at once (stylesheets,
    icon, scripts, images not marked loading=lazy, and the sitemap.xml Material reads for the language switcher).
    Search fetches nothing here: its index comes when the reader opens search (see search_indexes)."""
    html_file = site / key / "index.html"
    src = html_file.read_bytes()
    files = set()
    tags = re.finditer(rb"<(?:link|script|img)\b[^>]*>", src)
    for tag in (m.group(0) for m in tags):
        if tag.startswith(b"<link") and not re.search(rb'rel="(?:stylesheet|icon|shortcut icon)"', tag):
            continue
        if tag.startswith(b"<img") and b'loading="lazy"' in tag:
            continue
        m = re.search(rb'(?:src|href)="([^"#?]+)"', tag)
        if not m or m.group(1).startswith((b"http:", b"https:", b"data:")):
            continue
        f = (html_file.parent / m.group(1).decode()).resolve()
        if f.is_file() and f.is_relative_to(site.resolve()):
            files.add(f)
    if b"hreflang=" in src and (site / "sitemap.xml").is_file():
        files.add(site / "sitemap.xml")
    raw = len(src) + sum(f.stat().st_size for f in files)
    gz = len(gzip.compress(src, 9)) + sum(len(gzip.compress(f.read_bytes(), 9)) for f in sorted(files))
    return {
        "bytes": raw,
        "gzip": gz,
        "requests": len(files) + 1,
        "search_at_load": any("search" in f.parts for f in files),
    }


def search_indexes(site: Path) -> dict[str, dict]:
    """Each language's search index (site/search/<lang>.json): sections, raw and gzip bytes."""
    out = {}
    for f in sorted((site / "search").glob("*.json")):
        data = f.read_bytes()
        out[f.stem] = {
            "bytes": len(data),
            "gzip": len(gzip.compress(data, 9)),
            "sections": len(json.loads(data).get("docs", [])),
        }
    return out


def _timed_build(data: Path, out: Path, project: Path, force=True, trace=False):
    t0 = time.perf_counter()
    rep = build_site(data, out, project, force=force, trace_memory=trace)
    return time.perf_counter() - t0, rep


def report_build(label: str, data: Path, out: Path, project: Path) -> dict:
    wall, rep = _timed_build(data, out, project)
    _, rep_mem = _timed_build(data, out, project, trace=True)
    mem = {t.name: t.peak_mb for t in rep_mem.timings}
    cpu = sum(t.cpu for t in rep.timings)
    print(f"\n## {label}: {rep.pages} pages, {rep.charts} charts, total {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"{'stage':<10} {'wall s':>8} {'CPU s':>8} {'peak MB (tracemalloc)':>22}")
    for t in rep.timings:
        print(f"{t.name:<10} {t.seconds:>8.2f} {t.cpu:>8.2f} {mem.get(t.name, float('nan')):>22.1f}")
    return {"wall": wall, "cpu": cpu, "pages": rep.pages, "stages": {t.name: t.seconds for t in rep.timings}}


def build_in_child(data: Path, out: Path, project: Path) -> dict:
    """One forced build in its own process: wall, CPU (user + sys of it and its children) and peak RSS, which a
    build in this process cannot give apart from the bench's own."""
    import os
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "minhbach", "build", "--data", str(data), "--out", str(out)]
    cmd += ["--project", str(project), "--force", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        raise RuntimeError(f"national build failed ({proc.returncode}): {err[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak_mb": ru.ru_maxrss / 1024}


def national_curve(project: Path, tmp: Path, sizes: list[int], years: int) -> list[dict]:
    """The national package at several sizes: CPU per province should stay flat (linear growth)."""
    points = []
    print(f"{'provinces':>9} {'KPI rows':>9} {'wall s':>8} {'CPU s':>8} {'CPU/province s':>15} {'peak MB':>8}")
    for n in sizes:
        data = generate_national(project, tmp / f"nat{n}", provinces=n, years=years)
        rows = sum(1 for _ in open(data / "data" / "kpi_observation.csv", encoding="utf-8")) - 1
        m = build_in_child(data, tmp / f"nat{n}-out", project)
        m.update(provinces=n, rows=rows)
        points.append(m)
        print(f"{n:>9} {rows:>9} {m['wall']:>8.1f} {m['cpu']:>8.1f} {m['cpu'] / n:>15.2f} {m['peak_mb']:>8.0f}")
        shutil.rmtree(tmp / f"nat{n}-out", ignore_errors=True)
    per = [p["cpu"] / p["provinces"] for p in points]
    spread = (max(per) - min(per)) / min(per) * 100 if per else 0.0
    print(f"CPU per province from {sizes[0]} to {sizes[-1]} provinces: spread {spread:.0f} % (goal within ±20 %)")
    return points


def main(a) -> int:
    project = Path(a.project).resolve()
    tmp = Path(tempfile.mkdtemp(prefix="minhbach-bench-"))
    if getattr(a, "curve", None):  # the national curve alone: minutes of CPU, run on its own
        try:
            print(f"## national curve, {a.years} years (each build in its own process)")
            national_curve(project, tmp, [int(x) for x in a.curve.split(",")], a.years)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    try:
        print(
            "# minhbach bench (2-core goals: shipped ≤ 15 s, national ≤ 120 s, no-change rebuild ≤ 3 s, "
            "page ≤ 150 KB gzip)"
        )
        res = report_build("(a) shipped data", project, tmp / "a", project)
        t0 = time.perf_counter()
        build_site(project, tmp / "a", project)
        rebuild = time.perf_counter() - t0
        print(f"\n## (c) rebuild with no data change: {rebuild:.2f} s (goal ≤ 3 s)")
        print("\n## page weight (HTML + page-specific files; shared cached assets excluded)")
        for key in ("", "pillars/digital-government", "kpi", "en"):
            w = page_weight(tmp / "a" / "site", key)
            print(
                f"/{key + '/' if key else ''}: {w['bytes'] / 1024:.1f} KB raw, {w['gzip'] / 1024:.1f} KB gzip; "
                f"first chart is a static SVG without JavaScript: {w['first_chart_static_svg']}"
            )
        fv = first_visit(tmp / "a" / "site", "")
        print(
            f"first view of / with an empty cache (HTML + CSS + JS + images loaded at once, gzip): "
            f"{fv['gzip'] / 1024:.1f} KB gzip ({fv['bytes'] / 1024:.0f} KB raw, {fv['requests']} requests; "
            "goal ≤ 100 KB); "
            f"search index fetched at load: {'yes' if fv['search_at_load'] else 'no'}"
        )
        for lang, ix in search_indexes(tmp / "a" / "site").items():
            print(
                f"search index /{lang}: {ix['gzip'] / 1024:.1f} KB gzip ({ix['bytes'] / 1024:.0f} KB raw, "
                f"{ix['sections']} sections), fetched only when a reader opens search"
            )
        shared = sum(f.stat().st_size for s in SHARED for f in (tmp / "a" / "site" / s).rglob("*") if f.is_file())
        vendor = tmp / "a" / "site" / "assets" / "vendor" / "vega-bundle.js"
        print(
            f"shared cached assets: {shared / 1024:.0f} KB raw; of which the interactive-chart bundle "
            f"{vendor.stat().st_size / 1024:.0f} KB raw, "
            f"{len(gzip.compress(vendor.read_bytes(), 9)) / 1024:.0f} KB gzip, "
            f"loaded only when a reader asks for an interactive chart"
        )
        print(f"goal check (a): {'met' if res['wall'] <= 15 else 'NOT met'} ({res['wall']:.1f} s)")
        print(f"goal check (c): {'met' if rebuild <= 3 else 'NOT met'} ({rebuild:.2f} s)")
        met = "met" if fv["gzip"] <= 100 * 1024 else "NOT met"
        print(f"goal check first view ≤ 100 KB gzip: {met} ({fv['gzip'] / 1024:.1f} KB gzip)")
        if a.national:
            print("\n## (b) national scale")
            points = []
            for n in sorted({max(8, a.provinces // 4), max(16, a.provinces // 2), a.provinces}):
                data = generate_national(project, tmp / f"nat{n}", provinces=n, years=a.years)
                rows = sum(1 for _ in open(data / "data" / "kpi_observation.csv")) - 1
                wall, rep = _timed_build(data, tmp / f"nat{n}-out", project)
                stages = ", ".join(f"{t.name} {t.seconds:.1f}" for t in rep.timings)
                print(
                    f"{n} provinces × {a.years} years: {rows} KPI rows, {rep.pages} pages, {wall:.1f} s "
                    f"({wall / rep.pages * 1000:.0f} ms/page) — {stages}"
                )
                points.append((rep.pages, wall))
            (p1, w1), (p2, w2) = points[0], points[-1]
            # each province adds the same pages and rows; linear growth means a constant cost per added page
            marginal = [(y[1] - x[1]) / (y[0] - x[0]) for x, y in zip(points, points[1:], strict=False)]
            print(
                f"growth: pages ×{p2 / p1:.2f}, time ×{w2 / w1:.2f}; cost per added page "
                + " → ".join(f"{m:.2f} s" for m in marginal)
                + f" ({'linear' if marginal[-1] <= marginal[0] * 1.15 else 'faster than linear'})"
            )
            print(f"goal check (b): {'met' if w2 <= 120 else 'NOT met'} ({w2:.1f} s for {a.provinces} provinces)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0
