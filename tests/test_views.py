"""Templates get views only: every view of the site map is plain Python values (no pandas or numpy object), and
no template reaches the computed results or the queries (`res`, `q`) behind them."""

from __future__ import annotations

import dataclasses
import re

from conftest import ROOT
from minhbach.compute.scores import compute_all
from minhbach.load.package import load_package
from minhbach.site import sitemap, strings
from minhbach.site.queries import Q
from minhbach.site.views import VIEWS, ViewContext

PLAIN = (str, int, float, bool, type(None))


def _impure(x, path="v"):
    """The paths of every value in a view that is not a plain Python value."""
    if isinstance(x, PLAIN):
        return []
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return [p for f in dataclasses.fields(x) for p in _impure(getattr(x, f.name), f"{path}.{f.name}")]
    if isinstance(x, (list, tuple)):
        return [p for i, y in enumerate(x) for p in _impure(y, f"{path}[{i}]")]
    if isinstance(x, dict):
        return [p for k, y in x.items() for p in _impure(k, path) + _impure(y, f"{path}[{k!r}]")]
    return [f"{path}: {type(x).__module__}.{type(x).__name__}"]


def test_every_view_is_plain_values():
    pkg = load_package(ROOT)
    res = compute_all(pkg)
    q = Q(pkg, res)
    pages = sitemap.expand(pkg, ROOT / "site_src", strings.load(ROOT / "site_src"))
    seen = set()
    for page in pages:
        if page.spec is None or not page.spec.view or page.spec.view in seen:
            continue  # one page per view: the per-row pages share their view's code
        row = next(iter(page.context.values()), None) if page.context else None
        for lang in ("vi", "en"):
            v = VIEWS[page.spec.view](ViewContext(pkg, res, q, lang, row))
            assert not _impure(v), (page.key, _impure(v)[:5])
        seen.add(page.spec.view)
    assert {"quality", "home", "kpi"} <= seen


def test_no_template_reaches_the_results_behind_the_views():
    for f in sorted((ROOT / "site_src" / "templates").glob("*.j2")):
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(res|q)\.", text), f.name
