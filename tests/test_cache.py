"""The render cache cannot poison a build: entries are verified on read (content hash, then a check of their kind),
written atomically by concurrent builds, and a cache that cannot be written only costs time, with one warning.

Every test drives the real renderers (vl-convert SVG and PNG, the social cards, the offline chart bundle) on small
specs; only the slow one builds a site."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minhbach import cache as cache_mod
from minhbach.cache import Cache
from minhbach.charts.render import render_svg, svg_to_png
from minhbach.stages import vega_bundle as _vega_bundle

ROOT = Path(__file__).resolve().parents[1]


def small_spec(n: int = 0) -> dict:
    return {
        "data": {"values": [{"a": f"x{n}", "b": 1 + n}, {"a": "y", "b": 2.5}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
        "title": f"chart {n}",
    }


def entries(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if not p.name.startswith("."))


def forge(entry: Path, kind: str, content: bytes) -> None:
    """Rewrite an entry with a header that matches its new content, as someone who knows the format would."""
    digest = hashlib.sha256(content).hexdigest()
    entry.write_bytes(f"minhbach-cache/1 {kind} {digest} {len(content)}\n".encode() + content)


def _cards(tmp: Path, cache) -> dict[str, bytes]:
    """The real social-card stage for two pages without charts; returns the PNGs it wrote."""
    from minhbach.publish.cards import social_cards
    from minhbach.site.cite import Identity
    from minhbach.site.pages import stage_file
    from minhbach.strings import load

    words = {"vi": "Trang", "en": "Page"}
    ident = Identity(
        base_url="https://example.org/",
        version="1.0.0",
        created="2026-01-01",
        licence=("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
        publisher=words,
        site_name=words,
        tagline=words,
    )
    facts = {
        (key, lang): {"chart": None, "lead": f"{words[lang]} {key} 42 %", "title": f"{words[lang]} {key}"}
        for key in ("", "a")
        for lang in ("vi", "en")
    }
    docs = tmp / "docs"
    social_cards(facts, {}, tmp / "charts", docs, ident, load(None), cache, stage_file)
    return {p.name: p.read_bytes() for p in sorted((docs / "assets" / "social").glob("*.png"))}


@pytest.mark.parametrize(
    "poison",
    [
        b'<script>alert("cache")</script></svg>',
        b'<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">x</body></foreignObject></svg>',
        b'<g onload="alert(1)"/></svg>',
        b'<a xmlns:xl="http://www.w3.org/1999/xlink" xl:href=" java\tscript:alert(1)"><text>x</text></a></svg>',
        b'<g aria-label="a>b" onmouseover="alert(1)"/></svg>',
    ],
)
@pytest.mark.parametrize("header", ["stale", "forged"])
def test_a_poisoned_svg_entry_is_rendered_again_and_replaced(tmp_path, poison, header):
    clean = render_svg(small_spec(), "vi", None)
    cache = Cache(tmp_path)
    assert render_svg(small_spec(), "vi", cache) == clean
    (entry,) = entries(tmp_path / "charts", "*.svg")
    good = entry.read_bytes()
    hostile = clean.encode("utf-8").removesuffix(b"</svg>") + poison
    if header == "forged":  # the hash matches: the check of the content's kind stops it
        forge(entry, "svg", hostile)
    else:  # the content was edited under its old header
        entry.write_bytes(good.split(b"\n", 1)[0] + b"\n" + hostile)
    assert cache.get(entry.stem, "svg") is None
    again = render_svg(small_spec(), "vi", cache)
    assert again == clean and "<script" not in again and "onload" not in again
    assert entry.read_bytes() == good  # the bad entry was replaced by the re-rendered one


def test_an_entry_in_the_old_layout_is_not_trusted(tmp_path):
    """Caches written before entries carried a hash hold bare SVGs at the same names: they are rendered again."""
    clean = render_svg(small_spec(), "en", None)
    render_svg(small_spec(), "en", tmp_path)
    (entry,) = entries(tmp_path / "charts", "*.svg")
    entry.write_text(clean.removesuffix("</svg>") + "<script>alert(1)</script></svg>", encoding="utf-8")
    assert render_svg(small_spec(), "en", tmp_path) == clean


@pytest.mark.parametrize("damage", ["empty", "cut", "header only", "a folder"])
def test_empty_or_broken_svg_and_png_entries_are_misses(tmp_path, damage):
    svg = render_svg(small_spec(1), "vi", None)
    png = svg_to_png(svg, None)
    assert render_svg(small_spec(1), "vi", tmp_path) == svg and svg_to_png(svg, tmp_path) == png
    found = entries(tmp_path / "charts", "*.svg") + entries(tmp_path / "charts", "*.png")
    assert len(found) == 2
    for entry in found:
        raw = entry.read_bytes()
        if damage == "a folder":
            entry.unlink()
            entry.mkdir()  # unreadable as a file, and cannot be replaced: still renders
            continue
        entry.write_bytes({"empty": b"", "cut": raw[: len(raw) // 2], "header only": raw.split(b"\n")[0]}[damage])
    warnings: list = []
    cache = Cache(tmp_path, warn=warnings.append)
    assert render_svg(small_spec(1), "vi", cache) == svg
    assert svg_to_png(svg, cache) == png
    if damage == "a folder":
        assert [w.code for w in warnings] == ["cache-unwritable"]
    else:
        assert not warnings and all(cache.get(e.stem, e.suffix[1:]) for e in found)


def test_empty_and_cut_card_entries_are_misses(tmp_path):
    cards = _cards(tmp_path / "a", None)
    assert len(cards) == 4 and all(p.startswith(b"\x89PNG") for p in cards.values())
    cache_dir = tmp_path / "cache"
    assert _cards(tmp_path / "b", cache_dir) == cards
    found = entries(cache_dir / "social", "*.png")
    assert len(found) == 4
    found[0].write_bytes(b"")
    found[1].write_bytes(found[1].read_bytes()[:-12])  # the IEND chunk lost, header left as it was
    forge(found[2], "card", found[2].read_bytes().split(b"\n", 1)[1][:-12])  # cut, with a matching hash
    assert _cards(tmp_path / "c", cache_dir) == cards
    assert all(Cache(cache_dir).get(e.stem, "card") for e in found)


def test_the_chart_bundle_entry_is_verified(tmp_path):
    cache = Cache(tmp_path)
    bundle = _vega_bundle(cache)
    assert len(bundle) > 100_000
    (entry,) = entries(tmp_path, "*.js")
    good = entry.read_bytes()
    entry.write_bytes(b"")
    assert _vega_bundle(cache) == bundle and entry.read_bytes() == good
    entry.write_bytes(good.replace(b"vega", b"evil", 1))  # one word changed under the old hash
    assert _vega_bundle(cache) == bundle and entry.read_bytes() == good


def _write_same_keys(root: str, start, rounds: int) -> list[str]:
    """One build's worth of cache traffic (run in its own process): render the same charts and PNGs as the other
    process, and put and get the same keys in a loop; every read must be the whole entry or a miss."""
    warnings: list = []
    cache = Cache(Path(root), warn=warnings.append)
    start.wait()
    out = []
    for n in range(3):
        svg = render_svg(small_spec(n), "vi", cache)
        out.append(hashlib.sha256(svg.encode() + svg_to_png(svg, cache)).hexdigest())
    payload = b"<svg>" + b"x" * 200_000 + b"</svg>"
    entry = cache.path("shared-key", "svg")
    for _ in range(rounds):
        cache.put("shared-key", "svg", payload)
        # read the file itself: once it exists, every read must be one whole entry, never one being written
        assert Cache._verify(entry.read_bytes(), "svg") == payload, "a torn entry was read"
    return out + [w.render() for w in warnings]


@pytest.mark.slow  # costly by design: two real processes
def test_two_processes_writing_the_same_keys_both_succeed(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            runs = [pool.apply_async(_write_same_keys, (str(tmp_path), start, 300)) for _ in range(2)]
            results = [r.get(timeout=300) for r in runs]
    assert results[0] == results[1]
    expected = []
    for n in range(3):
        svg = render_svg(small_spec(n), "vi", None)
        expected.append(hashlib.sha256(svg.encode() + svg_to_png(svg, None)).hexdigest())
    assert results[0] == expected
    cache = Cache(tmp_path)
    found = entries(tmp_path / "charts", "*.*")
    assert len(found) == 7  # 3 SVGs, 3 PNGs, the shared key
    assert all(cache.get(e.stem, e.suffix[1:]) for e in found)
    assert not [p.name for p in (tmp_path / "charts").iterdir() if p.name.startswith(".")]  # no temp file left


def _render_everything(cache) -> tuple:
    svgs = [render_svg(small_spec(n), lang, cache) for n in range(2) for lang in ("vi", "en")]
    pngs = [svg_to_png(s, cache) for s in svgs]
    return svgs, pngs


@pytest.fixture(scope="module")
def uncached(tmp_path_factory):
    return _render_everything(None), _cards(tmp_path_factory.mktemp("cards"), None)


def test_a_cache_path_that_is_a_file_only_costs_time(tmp_path, uncached):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder", encoding="utf-8")
    warnings: list = []
    cache = Cache(blocker, warn=warnings.append)
    assert _render_everything(cache) == uncached[0]
    assert _cards(tmp_path, cache) == uncached[1]
    assert len(_vega_bundle(cache)) > 100_000
    assert [w.code for w in warnings] == ["cache-unwritable"]
    assert str(blocker) in warnings[0].render()
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_a_full_or_read_only_cache_disk_only_costs_time(tmp_path, uncached, monkeypatch, err):
    """As root, chmod does not stop writes: a full (or read-only) disk is simulated where the entry is put in place."""

    def refuse(src, dst):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(cache_mod.os, "replace", refuse)
    warnings: list = []
    cache = Cache(tmp_path, warn=warnings.append)
    assert _render_everything(cache) == uncached[0]
    assert _cards(tmp_path / "out", cache) == uncached[1]
    assert len(warnings) == 1 and warnings[0].code == "cache-unwritable"
    assert os.strerror(err) in warnings[0].message
    left = [p for p in tmp_path.rglob("*") if p.is_file() and "out" not in p.relative_to(tmp_path).parts]
    assert left == []  # no temp file left behind


def test_keys_cannot_leave_the_cache(tmp_path):
    cache = Cache(tmp_path)
    for key in ("../outside", "a/b", ".hidden", ""):
        with pytest.raises(ValueError):
            cache.put(key, "svg", b"<svg/>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_build_with_an_unwritable_cache_succeeds_with_one_warning(tmp_path):
    """The whole CLI: MINHBACH_CACHE_DIR names a file; the build succeeds and says so once, even with --quiet."""
    blocker = tmp_path / "cache-file"
    blocker.write_text("x", encoding="utf-8")
    env = {**os.environ, "MINHBACH_CACHE_DIR": str(blocker), "PYTHONPATH": str(ROOT / "scripts")}
    run = subprocess.run(
        [sys.executable, "-m", "minhbach", "build", "--data", str(ROOT), "--out", str(tmp_path / "out"), "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("cache-unwritable") == 1, run.stderr
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    svgs = list((tmp_path / "out" / "site" / "assets" / "charts").glob("*.svg"))
    assert svgs and not any("<script" in p.read_text(encoding="utf-8") for p in svgs)
