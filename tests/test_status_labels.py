"""Status labels live in one catalogue (`status.<code>` in ui.yml): the pages' badges, the charts' legends and
tables say the same words, and agree with the labels the data package's schema gives its status values."""

from __future__ import annotations

from conftest import ROOT
from minhbach.charts.model import STATUS_COLORS, Words
from minhbach.load.package import load_package
from minhbach.strings import load as load_strings


def _status_nodes(node, path=()):
    """Every mapping in a catalogue that labels statuses (has both `achieved` and `not_achieved`)."""
    if isinstance(node, dict):
        if "achieved" in node and "not_achieved" in node:
            yield ".".join(path)
        for k, v in node.items():
            yield from _status_nodes(v, (*path, k))


def test_status_labels_live_in_one_catalogue():
    cat = load_strings(ROOT / "site_src")
    for lang in cat.langs:
        assert list(_status_nodes(cat.by_lang[lang])) == ["status"], lang


def test_every_status_the_charts_draw_or_the_schema_lists_has_one_label():
    cat = load_strings(ROOT / "site_src")
    w = Words(cat)
    pkg = load_package(ROOT)
    field = next(f for f in pkg.fields("sub_indicator_assessment") if f["name"] == "status")
    for lang in cat.langs:
        for code in STATUS_COLORS:
            assert cat.has(lang, f"status.{code}"), (lang, code)
        for code, labels in field["x-enum-labels"].items():
            assert w.status(lang, code) == cat.get(lang, f"status.{code}") == labels[lang], (lang, code)
