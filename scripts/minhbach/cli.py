"""`minhbach` command line: a thin shell over the pipeline functions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import Failed, render_json, render_text


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_validate(a) -> int:
    from .validate import validate_package

    try:
        issues, _ = validate_package(Path(a.data), max_bytes=a.max_bytes)
    except Failed as f:
        issues = f.issues
    if a.json:
        print(render_json(issues))
    elif issues:
        _err(render_text(issues))
        _err(f"\n{len(issues)} problem(s) found; nothing was published.")
    else:
        print("The data package is valid.")
    return 1 if issues else 0


def cmd_build(a) -> int:
    from .build import build_site

    progress = (lambda s: None) if a.quiet else (lambda s: _err(f"· {s}"))
    try:
        rep = build_site(
            Path(a.data),
            Path(a.out),
            Path(a.project),
            base_url=a.base_url,
            progress=progress,
            max_bytes=a.max_bytes,
            force=getattr(a, "force", False),
        )
    except Failed as f:
        if a.json:
            print(render_json(f.issues))
        else:
            _err(render_text(f.issues))
            _err(f"\nBuild refused: {len(f.issues)} problem(s). The previous site in {a.out}/site is unchanged.")
        return 1
    if rep.up_to_date:
        print(f"Up to date: {rep.site_dir} already holds the build of these inputs ({rep.pages} pages).")
        return 0
    print(
        f"Built {rep.pages} pages and {rep.charts} charts into {rep.site_dir} "
        f"({rep.findings} data-quality findings published)."
    )
    _preview_notice(a)
    return 0


def _preview_notice(a) -> None:
    """Say so when the build is only a preview (no public address, or no contact email for portals)."""
    import json

    from . import strings
    from .build import _config_site_url
    from .publish import is_preview, preview_issues

    dp = json.loads((Path(a.data) / "datapackage.json").read_text(encoding="utf-8"))
    base = a.base_url or dp.get("homepage") or _config_site_url(Path(a.project) / "mkdocs.yml")
    cat = strings.load(None)
    for issue in preview_issues(dp, base):
        key = "preview.notice" if issue.code == "preview-base-url" else "preview.no_email"
        _err(f"{'PREVIEW: ' if is_preview(base) else ''}{cat.get('en', key)}")


def cmd_serve(a) -> int:
    import functools
    import http.server

    site = Path(a.out) / "site"
    if not site.is_dir() or a.rebuild:
        if cmd_build(a) != 0:
            return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.extensions_map.update(
        {
            ".ttl": "text/turtle",
            ".jsonld": "application/ld+json",
            ".rdf": "application/rdf+xml",
            ".csv": "text/csv; charset=utf-8",
        }
    )
    with http.server.ThreadingHTTPServer((a.host, a.port), handler) as httpd:
        print(f"Serving {site} at http://{a.host}:{a.port}/ (Ctrl+C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def cmd_template(a) -> int:
    from .workbook import make_template

    out = make_template(Path(a.data), Path(a.out))
    print(f"Wrote {out}")
    return 0


def cmd_import(a) -> int:
    from .workbook import import_workbook, render_diff

    result = import_workbook(Path(a.file), Path(a.data))
    if result.issues:
        if a.json:
            print(render_json(result.issues))
        else:
            _err(render_text(result.issues))
            _err(f"\n{len(result.issues)} problem(s); data/ was not changed.")
        return 1
    print(render_diff(result.diff, a.lang))
    return 0


def cmd_release(a) -> int:
    from .release import make_release

    try:
        rel = make_release(
            Path(a.data),
            a.version,
            summary_vi=a.summary_vi,
            summary_en=a.summary_en,
            date=a.date,
            require_public=True,
        )
    except Failed as f:
        _err(render_text(f.issues))
        return 1
    print(f"Released {rel['version']} into releases/{rel['version']}/:")
    for line in rel["changes_vi"] + rel["changes_en"]:
        print(f"  {line}")
    return 0


def cmd_dictionary(a) -> int:
    from .dictionary import write

    print(f"Wrote {write(Path(a.data))}")
    return 0


def cmd_bench(a) -> int:
    from .bench import main as bench_main

    return bench_main(a)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minhbach", description="Transparent digital-transformation reports.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, out=True):
        sp.add_argument("--data", default=".", help="folder holding datapackage.json (default: .)")
        sp.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="largest CSV accepted")
        if out:
            sp.add_argument("--out", default="build", help="output folder (default: build)")
            sp.add_argument("--project", default=".", help="folder with mkdocs.yml and site_src/ (default: .)")
            sp.add_argument(
                "--base-url", default=None, help="public address of the site (default: mkdocs.yml site_url)"
            )
            sp.add_argument("--quiet", action="store_true")

    v = sub.add_parser("validate", help="check the data package; exit 1 on any problem")
    common(v, out=False)
    v.add_argument("--json", action="store_true", help="print the problems as JSON")
    v.set_defaults(fn=cmd_validate)
    b = sub.add_parser("build", help="validate, compute, draw and render the site into OUT/site")
    common(b)
    b.add_argument("--json", action="store_true")
    b.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    b.set_defaults(fn=cmd_build)
    s = sub.add_parser("serve", help="build if needed, then serve OUT/site on http://127.0.0.1:8000/")
    common(s)
    s.add_argument("--json", action="store_true")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--rebuild", action="store_true")
    s.set_defaults(fn=cmd_serve)
    t = sub.add_parser("template", help="write the Excel workbook for data entry")
    t.add_argument("--data", default=".")
    t.add_argument("--out", default="minhbach-data.xlsx")
    t.set_defaults(fn=cmd_template)
    i = sub.add_parser("import", help="check a filled workbook and, if valid, write it to data/")
    i.add_argument("file")
    i.add_argument("--data", default=".")
    i.add_argument("--json", action="store_true")
    i.add_argument("--lang", default="vi", choices=["vi", "en"])
    i.set_defaults(fn=cmd_import)
    r = sub.add_parser("release", help="record a release of the current data")
    r.add_argument("version")
    r.add_argument("--data", default=".")
    r.add_argument("--summary-vi", default="")
    r.add_argument("--summary-en", default="")
    r.add_argument("--date", default=None, help="release date YYYY-MM-DD (default: today)")
    r.set_defaults(fn=cmd_release)
    dd = sub.add_parser("dictionary", help="regenerate docs/data-dictionary.md from datapackage.json")
    dd.add_argument("--data", default=".")
    dd.set_defaults(fn=cmd_dictionary)
    be = sub.add_parser("bench", help="print timings, memory and page weight")
    be.add_argument("--national", action="store_true", help="also build the generated 63-province package")
    be.add_argument("--provinces", type=int, default=63)
    be.add_argument("--years", type=int, default=5)
    be.add_argument("--project", default=".")
    be.set_defaults(fn=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    try:
        return a.fn(a)
    except Failed as f:
        _err(render_text(f.issues))
        return 1


if __name__ == "__main__":
    sys.exit(main())
