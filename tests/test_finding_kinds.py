"""The finding-kind registry (findings/kinds.py) is the one home of a kind: the page order, the side rules, the
words and these tests derive from it, and a kind it cannot show or word is refused by its name."""

from __future__ import annotations

import copy
import inspect
import re

import pytest

from helpers import base, findings_of, mini, obs
from minhbach.context import program_catalogue
from minhbach.errors import Failed
from minhbach.findings import checks, checks_kpi, kinds, run, sides
from minhbach.findings.model import Fact, Finding
from minhbach.site import findings_view
from minhbach.site.pages import Ctx

REGISTRY = kinds.REGISTRY


def test_each_kind_is_declared_once():
    assert len(kinds.names()) == len(set(kinds.names())) == len(REGISTRY) > 0
    assert set(kinds.rules()) == set(kinds.names()) and run.missing_rules() == []


@pytest.mark.parametrize("kind", REGISTRY, ids=lambda k: k.name)
def test_every_registered_kind_has_its_words_in_every_language(kind):
    cat = program_catalogue()
    for lang in cat.langs:
        assert cat.raw(lang, f"quality.kinds.{kind.name}")
        for key in kind.words()[1:]:
            text = cat.raw(lang, key)
            assert "{subject}" in text or "{a}" in text, (lang, key)


def test_every_check_in_the_check_modules_belongs_to_a_kind():
    """A check function no kind names would never run: each one is reached from the registry."""
    source = inspect.getsource(kinds)
    for mod in (checks, checks_kpi):
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if fn.__module__ == mod.__name__ and not name.startswith("_") and "Finding" in str(fn.__annotations__):
                assert re.search(rf"\b{mod.__name__.rsplit('.', 1)[1]}\.{name}\(", source), f"{name} is in no kind"
    for fn in kinds.all_checks():
        assert any(fn in k.checks for k in REGISTRY)


def test_a_kind_outside_the_registry_fails_by_name_instead_of_vanishing(monkeypatch):
    """Issue 19: a new check whose kind is not registered used to be counted and never shown."""
    new = Finding("brand_new_kind", "kpi", "x", "2022", [Fact("reported", "kpi_observation", "r1", 1.0)])
    rogue = kinds.Kind("misprint", (lambda i: [new],), sides.misprint)
    monkeypatch.setattr(kinds, "REGISTRY", [rogue])
    with pytest.raises(Failed) as e:
        run.build(base(), None, None, None)  # type: ignore[arg-type]
    assert [i.code for i in e.value.issues] == ["finding-kind-unregistered"]
    assert "'brand_new_kind'" in e.value.issues[0].message


def test_a_kind_without_a_side_rule_fails_by_name(monkeypatch):
    monkeypatch.setattr(
        kinds, "REGISTRY", [k if k.name != "ratio" else kinds.Kind("ratio", k.checks, None) for k in REGISTRY]
    )
    with pytest.raises(Failed) as e:
        run.build(base(), None, None, None)  # type: ignore[arg-type]
    assert [i.code for i in e.value.issues] == ["finding-kind-no-side-rule"] and "'ratio'" in e.value.issues[0].message


def test_a_registered_kind_without_words_is_named(monkeypatch):
    cat = program_catalogue()
    assert run.missing_words(cat) == []
    monkeypatch.setattr(kinds, "REGISTRY", [*REGISTRY, kinds.Kind("wordless", (), sides.misprint, wordings=("x",))])
    issues = run.missing_words(cat)
    assert {i.column for i in issues} == {
        "quality.kinds.wordless",
        "quality.sentence.wordless",
        "quality.sentence.wordless_x",
    }
    assert len(issues) == 3 * len(cat.langs) and all("'wordless'" in i.message for i in issues)
    broken = copy.deepcopy(cat)
    monkeypatch.setattr(kinds, "REGISTRY", REGISTRY)
    del broken.by_lang["en"]["quality"]["sentence"][REGISTRY[-1].name]
    issues = run.missing_words(broken)
    assert len(issues) == 1 and f"'{REGISTRY[-1].name}'" in issues[0].message and "en" in issues[0].message


def test_every_reason_has_words_in_every_language():
    cat = program_catalogue()
    broken = copy.deepcopy(cat)
    del broken.by_lang["vi"]["quality"]["side"]["no_working"]
    issues = run.missing_words(broken)
    assert len(issues) == 1 and "quality.side.no_working" in issues[0].message and "vi" in issues[0].message


def test_the_page_groups_follow_the_registry_order(monkeypatch):
    """The data-quality page groups findings by kind in the registry's order, and shows every kind it finds."""
    pkg = mini(
        kpi_observation=[
            obs("k-pct", "2022", "80,3%", num="58", den="71"),
            obs("k-pct", "2021", "60,7%"),
            obs("k-pct", "2021", "62,5%", src="dn-press-2022"),
        ]
    )
    assert set(findings_of(pkg, None)["kind"]) == {"ratio", "cross_source"}

    def groups():
        from minhbach.findings.run import compute_all

        cat = program_catalogue()
        h = Ctx(pkg, compute_all(pkg), cat.by_lang["en"], "en", "data-quality", {})
        h.catalogue = cat
        return [k for k, _ in findings_view.by_kind(h)]

    assert groups() == ["ratio", "cross_source"]
    monkeypatch.setattr(kinds, "REGISTRY", list(reversed(REGISTRY)))
    assert groups() == ["cross_source", "ratio"]
