"""Chart output: Vega-Lite spec per language and width, static SVG (vl-convert, cached by spec hash, rendered
in a thread pool), the Vega-Lite JSON of the interactive view and the CSV of exactly the numbers drawn.

Two static SVGs per chart and language: a wide one for the desktop column and a narrow one drawn at a phone's
width, so that text is real 11–12 px on a 390 px screen instead of a wide chart scaled down. Text is measured
by vl-convert with Liberation Sans, metric-compatible with Arial and Helvetica, and the font stack names those
first, so what a browser draws is as wide as what was measured (no label clipped at the edge).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from minhbach import cache as cache_mod
from minhbach import fmt
from minhbach.cache import Cache
from minhbach.charts.model import LANGS, Chart, Words

WIDE, NARROW = 680, 350  # total SVG width, labels included: the desktop column and a 390 px phone's column
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
FONTS = Path(__file__).parent / "fonts"
PNG_SCALE = 2  # the PNG of a chart: twice the SVG's pixels, sharp on a slide or a high-density screen
_fonts_lock = threading.Lock()
_fonts_ready = False


def converter():
    """vl-convert with the vendored fonts only (fonts/fonts.conf), so measuring and drawing text does not depend
    on the fonts of the machine. vl-convert reads the font configuration once, at its first conversion."""
    global _fonts_ready
    import vl_convert as vlc

    with _fonts_lock:
        if not _fonts_ready:
            saved = os.environ.get("FONTCONFIG_FILE")
            os.environ["FONTCONFIG_FILE"] = str(FONTS / "fonts.conf")
            try:
                vlc.svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
                vlc.vegalite_to_svg({"mark": "text", "encoding": {"text": {"value": "a"}}})
            finally:
                if saved is None:
                    os.environ.pop("FONTCONFIG_FILE", None)
                else:
                    os.environ["FONTCONFIG_FILE"] = saved
            _fonts_ready = True
    return vlc


def _font_key() -> str:
    return ",".join(f"{f.name}:{f.stat().st_size}" for f in sorted(FONTS.glob("*.ttf")))


def wrap(text: str, width: int = 38) -> str:
    """Break a long label into lines ('|' separated; the axis splits them). Truncating instead would hide words."""
    words, lines, cur = str(text).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "|".join(lines)


def _wrapped(df: pd.DataFrame, lang: str, width: int) -> pd.DataFrame:
    """The drawing copy of the data: long labels of this language get '|' line breaks."""
    d = df.copy()
    for col in list(d.columns):
        if col.endswith(f"_{lang}") and d[col].map(lambda v: isinstance(v, str)).any():
            d[f"{col}_full"] = d[col]
            d[col] = d[col].map(lambda v: wrap(v, width) if isinstance(v, str) else v)
    return d


def _full_tooltips(node, fields: set):
    """Tooltips show the unwrapped label."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "tooltip" and isinstance(v, list):
                for t in v:
                    if isinstance(t, dict) and t.get("field") in fields:
                        t["field"] = t["field"] + "_full"
            else:
                _full_tooltips(v, fields)
    elif isinstance(node, list):
        for x in node:
            _full_tooltips(x, fields)


def spec(c: Chart, lang: str, width: int = WIDE, words: Words | None = None) -> dict:
    """The Vega-Lite spec of a chart in a language, `width` px wide in all (labels, legend and title included)."""
    w = words or Words()
    narrow = width < 500
    label_chars = 22 if narrow else 38
    drawn = _wrapped(c.data, lang, label_chars)
    ch = c.build(drawn, lang, w, width)
    title_lines = wrap(c.title[lang], max(20, int(width / 7.4))).split("|")
    props: dict = {"title": {"text": title_lines}, "description": c.description[lang]}
    if c.fit:
        props["width"] = width
        props["autosize"] = {"type": "fit-x", "contains": "padding"}
    if c.height_rows:
        # a row must hold its longest wrapped label (12 px text, ~15 px a line) or labels overlap
        wrapped = [col[:-5] for col in drawn.columns if col.endswith("_full")]
        lines = max([1] + [str(v).count("|") + 1 for col in wrapped for v in drawn[col] if isinstance(v, str)])
        props["height"] = max(120, max(26, 15 * lines + 8) * c.height_rows)
    ch = ch.properties(**props).configure(
        font=FONT,
        padding={"left": 6, "right": 10, "top": 6, "bottom": 6},
        axis={"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#222", "titleColor": "#222", "labelLimit": 0},
        legend={
            "labelFontSize": 12,
            "titleFontSize": 12,
            "orient": "bottom",
            "labelLimit": 0,
            "direction": "vertical" if narrow else "horizontal",
            **({} if narrow else {"columns": 4}),
        },
        title={"fontSize": 14, "anchor": "start", "color": "#111"},
        view={"stroke": None},
        background="#ffffff",
    )
    d = ch.to_dict()
    _full_tooltips(d, {col[:-5] for col in drawn.columns if col.endswith("_full")})
    d.pop("$schema", None)
    d["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    return d


def render_svg(spec_dict: dict, lang: str, cache: Cache | Path | None) -> str:
    """SVG for a spec, cached by the hash of spec + locale + renderer and font versions (rendering is the slow part)."""
    vlc = converter()
    store = cache_mod.of(cache)
    text = json.dumps(spec_dict, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256(f"{vlc.get_vega_version()}|{_font_key()}|{lang}|{text}".encode()).hexdigest()
    hit = store.get(key, "svg")
    if hit is not None:
        return hit.decode("utf-8")
    svg = vlc.vegalite_to_svg(spec_dict, format_locale=fmt.D3_LOCALE[lang])
    store.put(key, "svg", svg.encode("utf-8"))
    return svg


def svg_to_png(svg: str, cache: Cache | Path | None, scale: float = PNG_SCALE, kind: str = "png") -> bytes:
    """A PNG of an SVG (resvg, vendored fonts), cached by the hash of the SVG, the scale and the fonts; `kind` is
    "png" for a chart, "card" for a social card (kept apart in the cache)."""
    vlc = converter()
    store = cache_mod.of(cache)
    key = hashlib.sha256(f"{vlc.get_vega_version()}|{_font_key()}|{scale}|{svg}".encode()).hexdigest()
    hit = store.get(key, kind)
    if hit is not None:
        return hit
    png = bytes(vlc.svg_to_png(svg, scale=scale))
    store.put(key, kind, png)
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    import struct

    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    w, h = struct.unpack(">II", png[16:24])
    return w, h


def svg_size(svg: str) -> tuple[str, str]:
    import re

    head = svg[:400]
    w = re.search(r'width="([\d.]+)"', head)
    h = re.search(r'height="([\d.]+)"', head)
    return (w.group(1) if w else "", h.group(1) if h else "")


def write_charts(charts: list[Chart], out_dir: Path, cache: Cache | Path | None = None, workers: int = 2) -> dict:
    """Write per chart and language: wide SVG, narrow SVG, PNG (2×), Vega-Lite JSON and CSV; rendered in parallel.

    Returns {chart_id: {lang: {"svg", "svg_narrow", "narrow_size", "png", "png_size", "json", "csv"}}}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_mod.of(cache)  # one Cache for every chart: one warning at most
    words = Words()
    jobs: list[tuple[dict, str, Path, tuple[str, str] | None]] = []
    files: dict[str, dict] = {}
    for c in charts:
        files[c.chart_id] = {}
        for lang in LANGS:
            s = spec(c, lang, WIDE, words)
            stem = f"{c.chart_id}-{lang}"
            (out_dir / f"{stem}.vegalite.json").write_text(
                json.dumps(s, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8"
            )
            c.table(lang).to_csv(out_dir / f"{stem}.csv", index=False, lineterminator="\n")
            files[c.chart_id][lang] = {
                "svg": f"{stem}.svg",
                "svg_narrow": f"{stem}-narrow.svg",
                "json": f"{stem}.vegalite.json",
                "csv": f"{stem}.csv",
            }
            jobs.append((s, lang, out_dir / f"{stem}.svg", None))
            jobs.append((spec(c, lang, NARROW, words), lang, out_dir / f"{stem}-narrow.svg", (c.chart_id, lang)))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        svgs = list(ex.map(lambda j: render_svg(j[0], j[1], cache), jobs))
        wide = [(path, svg) for (_, _, path, narrow), svg in zip(jobs, svgs, strict=True) if not narrow]
        pngs = list(ex.map(lambda w: svg_to_png(w[1], cache), wide))
    for (_, _, path, narrow), svg in zip(jobs, svgs, strict=True):
        path.write_text(svg, encoding="utf-8")
        if narrow:
            files[narrow[0]][narrow[1]]["narrow_size"] = svg_size(svg)
    for (path, _), png in zip(wide, pngs, strict=True):
        path.with_suffix(".png").write_bytes(png)
        chart_id, lang = path.stem.rsplit("-", 1)
        files[chart_id][lang]["png"] = path.with_suffix(".png").name
        files[chart_id][lang]["png_size"] = png_size(png)
    return files
