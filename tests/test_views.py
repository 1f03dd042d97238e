"""Templates get views only: every view of the site map is plain Python values (no pandas or numpy object), and
no template reaches the computed results or the queries (`res`, `q`) behind them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import ROOT
from minhbach import strings
from minhbach.findings.run import compute_all
from minhbach.load.package import load_package
from minhbach.site import sitemap
from minhbach.site.queries import Q
from minhbach.site.views.registry import VIEWS, ViewContext

PLAIN = (str, int, float, bool, type(None))
PUBLISHED = {"open_data", "dataset", "whats_new"}  # views of what the publish stage wrote


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


def _views(published: dict | None, tmp_path=None) -> set[str]:
    pkg = load_package(ROOT)
    res = compute_all(pkg)
    q = Q(pkg, res)
    cat = strings.load(ROOT / "site_src")
    pages = sitemap.expand(pkg, ROOT / "site_src", cat)
    by_key: dict = {}
    if published is not None:
        from minhbach.publish.run import stage_open_data

        extra, _, ctx = stage_open_data(pkg, res, tmp_path, "https://example.org/", cat)
        published.update(ctx)
        by_key = {p.key: p for p in extra}
    seen: set[str] = set()
    for page in pages:
        view = page.spec.view if page.spec is not None else None
        if not view or view in seen or (view in PUBLISHED) != (published is not None):
            continue  # one page per view: the per-row pages share their view's code
        context = {**(published or {}), **page.context, **(by_key[page.key].context if page.key in by_key else {})}
        row = next(iter(page.context.values()), None) if page.context else None
        for lang in cat.langs:
            v = VIEWS[view](ViewContext(pkg, res, q, lang, row, context, cat=cat))
            assert not _impure(v), (page.key, _impure(v)[:5])
        seen.add(view)
    return seen


def test_every_view_is_plain_values():
    assert {"quality", "home", "kpi", "summary"} <= _views(None)


@pytest.mark.slow
def test_every_open_data_view_is_plain_values(tmp_path):
    """The open-data views read what the publish stage wrote (release folders, files, hashes): written here."""
    assert _views({}, tmp_path) == PUBLISHED


def test_no_template_reaches_the_results_behind_the_views():
    for f in sorted((ROOT / "site_src" / "templates").glob("*.j2")):
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(res|q)\.", text), f.name
