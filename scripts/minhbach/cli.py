"""`minhbach` command line: a thin shell over the pipeline functions."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from minhbach.errors import Failed, render_json, render_text


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_validate(a) -> int:
    from minhbach.validate.run import validate_package
    from minhbach.workbook.commit import recover

    try:
        _, issues = recover(Path(a.data))
        if not issues:
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
    from minhbach.atomic import site_state
    from minhbach.build import build_site

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
            _err(f"\nBuild refused: {len(f.issues)} problem(s); {site_state(Path(a.out) / 'site')}.")
        return 1
    for w in rep.warnings:  # the build went on without something: said even with --quiet
        _err(f"warning: {w.render()}")
    if rep.up_to_date:
        print(f"Up to date: {rep.site_dir} already holds the build of these inputs ({rep.pages} pages).")
        return 0
    print(
        f"Built {rep.pages} pages and {rep.charts} charts into {rep.site_dir} "
        f"({rep.findings} data-quality findings published)."
    )
    _preview_notice(a)
    return 0


def site_handler(site: Path):
    """A static-file handler for the built site with the media types harvesters pick parsers by."""
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".ttl": "text/turtle",
            ".jsonld": "application/ld+json",
            ".rdf": "application/rdf+xml",
            ".csv": "text/csv; charset=utf-8",
            ".js": "text/javascript",
            ".json": "application/json",
            ".xml": "application/xml",
            ".svg": "image/svg+xml",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
            pass

    return Handler


def _preview_notice(a) -> None:
    """Say so when the build is only a preview (no public address, or no contact email for portals)."""
    import json

    from minhbach import strings
    from minhbach.build import _config_site_url
    from minhbach.publish.run import is_preview, preview_issues

    dp = json.loads((Path(a.data) / "datapackage.json").read_text(encoding="utf-8"))
    base = a.base_url or dp.get("homepage") or _config_site_url(Path(a.project) / "mkdocs.yml")
    cat = strings.load(None)
    for issue in preview_issues(dp, base):
        key = "preview.notice" if issue.code == "preview-base-url" else "preview.no_email"
        _err(f"{'PREVIEW: ' if is_preview(base) else ''}{cat.get('en', key)}")


def cmd_serve(a) -> int:
    """Bind first, then build: a preview (no public address) is built for the origin it is served from, so its
    absolute links, embed codes and citations point at this server, whatever the port."""
    import http.server
    import json

    from minhbach.address import build_issues, serve_issue
    from minhbach.build import _descriptor_or_none
    from minhbach.publish.run import is_preview

    descriptor = _descriptor_or_none(Path(a.data))
    bad = build_issues(a.base_url, descriptor, Path(a.project) / "mkdocs.yml")
    homepage = descriptor.get("homepage") if isinstance(descriptor, dict) else None
    if not bad and not a.base_url and is_preview(homepage):
        bad = [i for i in [serve_issue(a.host)] if i is not None]
    if bad:
        raise Failed(bad)  # before binding: a bad address is refused, not served from the last site
    site = Path(a.out) / "site"
    with http.server.ThreadingHTTPServer((a.host, a.port), site_handler(site)) as httpd:
        host = f"[{a.host}]" if ":" in a.host else a.host
        origin = f"http://{host}:{httpd.server_address[1]}/"
        dp = json.loads((Path(a.data) / "datapackage.json").read_text(encoding="utf-8"))
        if not a.base_url and is_preview(dp.get("homepage")):
            a.base_url = origin
        a.force = a.rebuild
        # an unchanged input is skipped in a few milliseconds; a site built for another origin is rebuilt
        if cmd_build(a) != 0 and not site.is_dir():
            return 1
        print(f"Serving {site} at {origin} (Ctrl+C to stop)", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def cmd_template(a) -> int:
    from minhbach.workbook.template import make_template

    out = make_template(Path(a.data), Path(a.out))
    print(f"Wrote {out}")
    return 0


def cmd_import(a) -> int:
    import signal

    from minhbach.workbook.api import import_workbook, interrupted, render_diff

    def stop(_sig, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        result = import_workbook(Path(a.file), Path(a.data))
    except KeyboardInterrupt:
        _err(interrupted())
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
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
    from minhbach.release import make_release

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
    from minhbach.dictionary import write

    print(f"Wrote {write(Path(a.data))}")
    return 0


def cmd_new(a) -> int:
    from minhbach import strings
    from minhbach.new import Province, checklist, create

    project = Path(a.project)
    cat = strings.load(project / "site_src")
    prov = Province(
        a.province_id,
        a.name_vi,
        a.name_en,
        a.region_vi,
        a.region_en,
        a.provinces_in_country,
        a.provinces_in_region,
        a.publisher_vi,
        a.publisher_en,
    )
    create(Path(a.data), project, prov, a.year, cat)
    print(checklist(cat, a.lang, a.data))
    return 0


def cmd_bench(a) -> int:
    from minhbach.bench import main as bench_main

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
    s = sub.add_parser(
        "serve", help="build for the served address if needed, then serve OUT/site (default http://127.0.0.1:8000/)"
    )
    common(s)
    s.add_argument("--json", action="store_true")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--rebuild", action="store_true", help="rebuild even if no input changed")
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
    n = sub.add_parser("new", help="write an empty, valid data package for a new province into --data")
    n.add_argument("--data", required=True, help="new folder for the package")
    n.add_argument("--province-id", required=True, help="e.g. lam-dong")
    n.add_argument("--name-vi", required=True)
    n.add_argument("--name-en", required=True)
    n.add_argument("--region-vi", required=True)
    n.add_argument("--region-en", required=True)
    n.add_argument("--year", type=int, required=True, help="the first year the package covers")
    n.add_argument("--provinces-in-country", type=int, default=34, help="today's number of provinces (default 34)")
    n.add_argument("--provinces-in-region", type=int, required=True)
    n.add_argument("--publisher-vi", default=None)
    n.add_argument("--publisher-en", default=None)
    n.add_argument("--project", default=".", help="folder with site_src/ and the shipped package (default: .)")
    n.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the checklist printed")
    n.set_defaults(fn=cmd_new)
    dd = sub.add_parser("dictionary", help="regenerate docs/data-dictionary.md from datapackage.json")
    dd.add_argument("--data", default=".")
    dd.set_defaults(fn=cmd_dictionary)
    be = sub.add_parser("bench", help="print timings, memory and page weight")
    be.add_argument("--national", action="store_true", help="also build the generated 63-province package")
    be.add_argument("--provinces", type=int, default=63)
    be.add_argument("--years", type=int, default=5)
    be.add_argument(
        "--curve", default=None, help="only the national curve: sizes to build, e.g. 4,8,16,34 (CPU per province)"
    )
    be.add_argument("--project", default=".")
    be.set_defaults(fn=cmd_bench)
    return p


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    """Run one command. Ctrl-C and SIGTERM unwind through the stages' cleanup (temporary folders removed,
    half-done work rolled back) and end with one line; an OSError or a bug ends with one line too."""
    if argv is None and not sys.flags.utf8_mode and sys.getfilesystemencoding().replace("-", "").lower() != "utf8":
        # an ASCII locale with PYTHONUTF8=0: environment variables and file names could not hold Vietnamese
        # text (the site name passed to mkdocs.yml); run again in Python's UTF-8 mode
        os.execv(sys.executable, [sys.executable, "-X", "utf8", "-m", "minhbach", *sys.argv[1:]])
    a = parser().parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return a.fn(a)
    except Failed as f:
        _err(render_text(f.issues))
        return 1
    except KeyboardInterrupt as exc:
        name = str(exc) or "SIGINT"
        _err(f"minhbach {a.command}: interrupted ({name}); stopped cleanly, nothing half-written was left.")
        return 143 if name == "SIGTERM" else 130
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        _err(f"minhbach {a.command}: cannot read or write{where}: {exc.strerror or exc}")
        return 1
    except Exception as exc:  # a bug, not bad input: one line, and the details only on request
        if os.environ.get("MINHBACH_DEBUG"):
            raise
        _err(f"minhbach {a.command}: internal error {type(exc).__name__}: {exc} (set MINHBACH_DEBUG=1 for details)")
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
