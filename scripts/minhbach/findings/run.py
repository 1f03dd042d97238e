"""Findings assembled: every registered check run once, each finding judged by its kind's side rule, in page order.

`compute_all` is where compute/ and findings/ meet: the figures, their findings, then what the findings dispute
(compute/disputes.py), which no target counts as achieved. The kinds are declared in `kinds.py`; this module
refuses, by the kind's name, a kind the registry cannot show (no side rule, produced but not registered) or cannot
word (`missing_words`, checked when the build starts).
"""

from __future__ import annotations

import json

import pandas as pd

from minhbach.compute import scores
from minhbach.compute.disputes import disputed, sibling_marks
from minhbach.compute.progress import target_progress
from minhbach.compute.scores import Results
from minhbach.compute.targets import attainment, attainment_summary, usable_observations
from minhbach.errors import Failed, Issue
from minhbach.findings import kinds as registry
from minhbach.findings import sides
from minhbach.findings.model import COLUMNS, FACT_COLUMNS, Finding
from minhbach.load.package import Package


def compute_all(pkg: Package) -> Results:
    sc = scores.scores(pkg)
    rec = scores.recompute(pkg, sc)
    chg = scores.changes(pkg, sc)
    bud = scores.budget(pkg)
    found, facts = build(pkg, rec, chg, bud)
    contested = set(disputed(pkg, found, facts))
    att = attainment(pkg, contested)
    progress = target_progress(att, usable_observations(pkg), contested) if not att.empty else pd.DataFrame()
    return Results(
        scores=sc,
        recomputed=rec,
        changes=chg,
        attainment=att,
        attainment_summary=attainment_summary(att, pkg),
        status_counts=scores.status_counts(pkg),
        budget=bud,
        findings=found,
        extra={
            "finding_facts": facts,
            "target_progress": progress,
            "dispute_marks": sibling_marks(pkg, found, facts),
        },
    )


def missing_rules(kinds: list[registry.Kind] | None = None) -> list[Issue]:
    """Every registered kind needs a rule saying which side the documents support, checked when findings are built."""
    kinds = registry.REGISTRY if kinds is None else kinds
    have = sorted(k.name for k in kinds if k.side is not None)
    return [
        Issue(
            "finding-kind-no-side-rule",
            f"finding kind '{k.name}' has no rule saying which side the documents support (Kind.side in kinds.py)",
            expected=", ".join(have),
        )
        for k in kinds
        if k.side is None
    ]


def unregistered(found: list[Finding]) -> list[Issue]:
    """A kind produced but not registered would be counted and never shown: named instead."""
    names = registry.names()
    return [
        Issue(
            "finding-kind-unregistered",
            f"finding kind '{k}' is produced but not registered in findings/kinds.py",
            expected=", ".join(names),
        )
        for k in sorted({f.kind for f in found} - set(names))
    ]


def missing_words(cat) -> list[Issue]:
    """Every registered kind needs its heading and its sentences in every language, and every side reason its words,
    checked when the build starts (a kind without words would otherwise fail, or show a key, only once a document
    produced it)."""
    out = []
    for lang in cat.langs:
        for kind in registry.REGISTRY:
            out += [
                Issue(
                    "strings",
                    f"finding kind '{kind.name}' has no words: '{key}' is missing in the {lang} catalogue",
                    column=key,
                )
                for key in kind.words()
                if not cat.has(lang, key)
            ]
        out += [
            Issue("strings", f"'{key}' is missing in the {lang} catalogue", column=key)
            for key in sides.reason_keys()
            if not cat.has(lang, key)
        ]
    return out


def build(pkg: Package, rec: pd.DataFrame, chg: pd.DataFrame, bud: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All findings (one row each) and their affected facts (one row per fact), ids in page order."""
    if missing_rules():
        raise Failed(missing_rules())  # a kind without a side rule would publish no side: refuse it by name
    inputs = registry.Inputs(pkg, rec, chg, bud)
    found: list[Finding] = []
    for check in registry.all_checks():
        found += check(inputs)
    if unregistered(found):
        raise Failed(unregistered(found))
    sides.judge(pkg, found, registry.rules())
    order = {k: i for i, k in enumerate(registry.names())}
    found.sort(key=lambda f: (order[f.kind], f.severity != "major", f.slug()))
    seen: dict[str, int] = {}
    rows, facts = [], []
    for f in found:
        fid = f.slug()
        seen[fid] = seen.get(fid, 0) + 1
        if seen[fid] > 1:
            fid = f"{fid}-{seen[fid]}"
        a = f.facts[0]
        b = f.facts[1] if len(f.facts) > 1 and f.expected is None else None
        rows.append(
            {
                "finding_id": fid,
                "kind": f.kind,
                "severity": f.severity,
                "variant": f.variant,
                "subject_type": f.subject_type,
                "subject_id": f.subject_id,
                "period": f.period,
                "value_a": a.value,
                "as_written_a": a.as_written,
                "source_a": a.source_id,
                "section_a": a.section,
                "value_b": b.value if b else f.expected,
                "as_written_b": b.as_written if b else None,
                "source_b": b.source_id if b else None,
                "section_b": b.section if b else None,
                "difference": f.difference,
                "tolerance": f.tolerance,
                "displayed": f.displayed,
                "supported": f.supported,
                "supported_reason": f.supported_reason,
                "facts": len(f.facts),
                "params": json.dumps(f.params, ensure_ascii=False, sort_keys=True, default=str),
            }
        )
        for x in f.facts:
            facts.append({"finding_id": fid, **x.__dict__})
    df = pd.DataFrame(rows, columns=COLUMNS)
    fx = pd.DataFrame(facts, columns=FACT_COLUMNS)
    return df, fx
