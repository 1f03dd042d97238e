"""The computed results with their findings: the figures (compute/), every disagreement among them as a finding
(checks, checks_kpi, sides), then what the findings dispute (compute/disputes.py), which no target counts as
achieved (attainment, progress). Findings sit above compute, so this is where the two meet."""

from __future__ import annotations

import json

import pandas as pd

from minhbach.compute import scores
from minhbach.compute.disputes import disputed, sibling_marks
from minhbach.compute.progress import target_progress
from minhbach.compute.scores import Results
from minhbach.compute.targets import attainment, attainment_summary, usable_observations
from minhbach.errors import Failed, Issue
from minhbach.findings import checks, sides
from minhbach.findings.model import COLUMNS, FACT_COLUMNS, KINDS
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


def build(pkg: Package, rec: pd.DataFrame, chg: pd.DataFrame, bud: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All findings (one row each) and their affected facts (one row per fact), ids in page order."""
    if sides.missing_rules():
        raise Failed(sides.missing_rules())  # a kind without a side rule would publish no side: refuse it by name
    found = checks.run_all(pkg, rec, chg, bud)
    unregistered = sorted({f.kind for f in found} - set(KINDS))
    if unregistered:
        # a kind missing from KINDS would be counted and never shown: refuse it by name instead
        raise Failed(
            [
                Issue(
                    "finding-kind-unregistered",
                    f"finding kind '{k}' is produced but not in findings.KINDS",
                    expected=", ".join(KINDS),
                )
                for k in unregistered
            ]
        )
    sides.judge(pkg, found)
    order = {k: i for i, k in enumerate(KINDS)}
    found.sort(key=lambda f: (order.get(f.kind, 99), f.severity != "major", f.slug()))
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


def missing_words(cat) -> list[Issue]:
    """Every registered kind needs its heading and its sentence in every language, checked when the build starts
    (a kind without words would otherwise fail, or show a key, only once a document produced it)."""
    out = sides.missing_words(cat)
    for lang in cat.langs:
        for kind in KINDS:
            for key in (f"quality.kinds.{kind}", f"quality.sentence.{kind}"):
                if not cat.has(lang, key):
                    out.append(
                        Issue(
                            "strings",
                            f"finding kind '{kind}' has no words: '{key}' is missing in the {lang} catalogue",
                            column=key,
                        )
                    )
    return out
