"""Findings for pages: each structured finding rendered through the sentence template of its kind.

Pure functions of a page context (`ctx.Ctx`): the words come from the `quality` section of the
string catalogues, the values from the finding's facts and parameters, every data text escaped.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from minhbach import fmt
from minhbach.escape import esc
from minhbach.findings import kinds as registry
from minhbach.findings.model import index
from minhbach.load.labels import subject_label
from minhbach.site.source_names import label as source_label

SAFE_ID = re.compile(r"f-[a-z0-9-]+")


def finding_index(res) -> dict[tuple[str, str], list[str]]:
    """(table, row id) → finding ids, computed once per build and kept on the results."""
    if "finding_index" not in res.extra:
        facts = res.extra.get("finding_facts")
        idx = {} if facts is None else index(facts)
        # a disputed figure carries its finding wherever the same figure is printed (disputes.py)
        for k, ids in (res.extra.get("dispute_marks") or {}).items():
            have = idx.setdefault(k, [])
            have += [i for i in ids if i not in have]
        res.extra["finding_index"] = idx
    return res.extra["finding_index"]


def marks(h, table: str, row_ids) -> Markup:
    """A small link after an affected number to its finding(s) on the data-quality page."""
    idx = finding_index(h.res)
    ids: list[str] = []
    for rid in row_ids:
        for fid in idx.get((table, rid), []):
            if fid not in ids:
                ids.append(fid)
    if not ids:
        return Markup("")
    base = h.href("data-quality")
    title = esc(h.t("quality.mark"))
    kinds = _kinds(h.res)
    # a native disclosure: a 24 px target that opens its explanation inline on tap, click or Enter (no hover, no JS)
    return Markup("").join(
        Markup(
            f' <details class="mb-flag"><summary aria-label="{title}" title="{title}">⚠</summary>'
            f'<span class="mb-flag__text">{esc(h.t("quality.kinds." + kinds[fid]))}. '
            f'<a class="mb-finding-mark" href="{base}#{fid}">{esc(h.t("quality.mark_link"))}</a></span></details>'
        )
        for fid in ids
    )


def _doc(h, source_id) -> str:
    """A document as the reader knows it: its short title, never the internal id alone (source_names.py)."""
    return "" if fmt.missing(source_id) or not source_id else source_label(h.pkg, h.lang, str(source_id), h._cat())


def _kinds(res) -> dict[str, str]:
    f = res.findings
    return {} if f.empty else dict(zip(f["finding_id"], f["kind"], strict=True))


def _unit(h, f: dict) -> str | None:
    if f["subject_type"] != "kpi":
        return None
    k = h.q.kpi if h.q is not None else h.pkg.t("kpi").set_index("kpi_id")
    return str(k.loc[f["subject_id"], "unit"]) if f["subject_id"] in k.index else None


def _value(h, v, unit: str | None, as_written=None) -> str:
    if fmt.missing(v):
        return "–"
    aw = None if fmt.missing(as_written) or "/" in str(as_written) else str(as_written)
    if aw is not None:
        text = h.n(v, as_written=aw)
    elif unit is None and abs(float(v)) < 1 and float(v) != 0:
        text = h.n(round(float(v), 4), decimals=4)
    else:
        text = h.n(round(float(v), 2))
    if unit == "percent":
        return text + "%"
    if unit:
        units = h._cat().raw(h.lang, "fmt.units")
        label = str(units.get(unit, "")) if isinstance(units, dict) else ""
        return f"{text} {label}".strip()
    return text


def _kpi_of(h, x: dict) -> str:
    """The name of the KPI an observation fact belongs to, in the page's language."""
    o = h.pkg.t("kpi_observation").set_index("observation_id")
    k = h.pkg.t("kpi").set_index("kpi_id")
    kid = o.loc[x["row_id"], "kpi_id"] if x["row_id"] in o.index else None
    return str(k.loc[kid, f"name_{h.lang}"]) if kid in k.index else str(x["row_id"])


def subject(h, f: dict, facts: list[dict]) -> str:
    st, sid, lang = f["subject_type"], f["subject_id"], h.lang
    if st == "kpi":
        k = h.pkg.t("kpi").set_index("kpi_id")
        name = str(k.loc[sid, f"name_{lang}"]) if sid in k.index else sid
        dist = json.loads(f["params"]).get("district_id")
        if dist:
            dt = h.pkg.t("district").set_index("district_id")
            name += f", {dt.loc[dist, f'name_{lang}']}" if dist in dt.index else ""
        return name
    if st in ("total", "pillar", "main_index"):
        return subject_label(h.pkg, st, sid, lang, h._cat())
    if st == "budget_table":
        return str(h.pkg.t("budget_table").set_index("budget_table_id").loc[sid, f"name_{lang}"])
    if st == "count_type":
        return h.t(f"quality.count_type.{sid}")
    if st == "context_figure":
        cf = h.pkg.t("context_figure").set_index("figure_id")
        return _enum_label(h, "context_figure", "figure", str(cf.loc[sid, "figure"])) if sid in cf.index else sid
    if st == "out_of_what":
        return _enum_label(h, "context_figure", "out_of_what", sid)
    table = h.pkg.tables.get(st)
    if table is not None and f"name_{lang}" in table.columns:
        row = table[table.iloc[:, 0] == sid]
        if not row.empty:
            return str(row.iloc[0][f"name_{lang}"])
    return sid


def _enum_label(h, table: str, field: str, value: str) -> str:
    """An enum value's label in the reader's language, from the schema (`x-enum-labels`)."""
    f: dict = next((x for x in h.pkg.fields(table) if x["name"] == field), {})
    return str(f.get("x-enum-labels", {}).get(value, {}).get(h.lang, value))


def _words(h, f: dict, facts: list[dict]) -> dict[str, str]:
    """The values a finding's sentences are filled with, formatted for the page's language."""
    unit = _unit(h, f)
    p = json.loads(f["params"])
    a = facts[0]
    b = facts[1] if len(facts) > 1 else {}
    by_role = {x["role"]: x for x in facts}
    v = {
        "subject": subject(h, f, facts),
        "period": h.period(f["period"]) if not fmt.missing(f["period"]) else "",
        "a": (
            fmt.printed(a["as_written"], h.lang, cat=h._cat())
            if f["kind"] == "misprint"
            else _value(h, a["value"], unit, a["as_written"])
        ),
        "a_source": _doc(h, a["source_id"]),
        "b": _value(h, b.get("value"), unit, b.get("as_written")) if b else "",
        "b_source": _doc(h, b.get("source_id")),
        "expected": _value(h, f["value_b"], unit if f["kind"] != "rank_change" else None),
        "difference": _value(h, f["difference"], unit),
    }
    if f["kind"] == "rank_change":
        v["a"] = h.n(a["value"], sign=True)
        v["expected"] = h.n(f["value_b"], sign=True)
    if f["kind"] == "change":
        v["a"] = _value(h, a["value"], unit, a["as_written"])
        v["expected"] = _value(h, f["value_b"], unit)
        for role, name in (("from", "from_value"), ("to", "to_value")):
            x = by_role.get(role, {})
            v[name] = _value(h, x.get("value"), unit, x.get("as_written"))
    for k, x in p.items():
        if isinstance(x, dict) and h.lang in x:
            v[k] = x[h.lang]
        elif k in ("low", "high"):
            v[k] = _value(h, x, unit)
        elif k == "denominators":
            v[k] = "; ".join(h.n(y) for y in x)
        elif k == "part_values":
            v[k] = " + ".join(h.n(y) for y in x)
        elif k == "result":
            v[k] = _value(h, x, unit, p.get("result_as_written"))
        elif k.endswith("_period") or k == "other_period":
            v[k] = h.period(x)
        elif k == "factor" and x is not None:
            v[k] = h.n(x if x >= 1 else 1 / x)
        elif isinstance(x, (int, float)) and not isinstance(x, bool):
            v[k] = h.n(x)
        elif x is not None:
            v[k] = str(x)
    if f["kind"] == "period_shift":
        other = [x for x in facts if x["role"] == "other"]
        v["other"] = _value(h, other[0]["value"], unit, other[0]["as_written"]) if other else ""
        same = by_role.get("same_value", {})
        v["b_source"] = _doc(h, same.get("source_id"))
    if f["kind"] == "cross_source":
        seen: list[str] = []
        for x in facts:
            t = _value(h, x["value"], unit, x["as_written"])
            if t not in seen:
                seen.append(t)
        v["values"] = " / ".join(seen)
        vals = sorted({x["value"] for x in facts if not fmt.missing(x["value"])})
        v["small"], v["big"] = (_value(h, vals[0], unit), _value(h, vals[-1], unit)) if vals else ("", "")
    if f["kind"] == "several_names":
        v["values"] = "; ".join(f"{_value(h, x['value'], unit, x['as_written'])} ({_kpi_of(h, x)})" for x in facts)
    if f["kind"] == "change" and unit == "percent" and f["variant"] != "growth":
        # a difference of two percentages is in percentage points, not per cent (spelled as such)
        v["expected"] = h.t("quality.points", n=h.n(round(float(f["value_b"]), 2)))
    return v


def sentence(h, f: dict, facts: list[dict]) -> Markup:
    v = _words(h, f, facts)
    wording = json.loads(f["params"]).get("wording")
    variants = registry.by_name()[f["kind"]].variants
    key = f"quality.sentence.{f['kind']}" + (
        f"_{wording}" if wording else f"_{f['variant']}" if f["variant"] in variants else ""
    )
    return Markup(h.t(key, **{k: esc(x) for k, x in v.items()}))


def side(h, f: dict, facts: list[dict]) -> Markup:
    """Which side the documents support, and why (sides.py), in the page's language."""
    v = _words(h, f, facts)
    text = h.t(f"quality.side.{f['supported_reason']}", **{k: esc(x) for k, x in v.items()})
    return Markup(h.t("quality.side_label", side=esc(h.t(f"quality.supported.{f['supported']}")), text=text))


def displayed(h, f: dict, facts: list[dict]) -> Markup:
    shown = next((x for x in facts if x["role"] == "shown"), facts[0])
    unit = _unit(h, f)
    kw = {"shown_source": esc(_doc(h, shown["source_id"])), "shown": esc(_value(h, shown["value"], unit))}
    return Markup(h.t(f"quality.displayed.{f['displayed']}", **kw))


def by_kind(h) -> list[tuple[str, list[dict]]]:
    """Findings grouped by kind, in page order, each ready for the template."""
    f = h.res.findings
    facts = h.res.extra.get("finding_facts")
    if f.empty:
        return []
    per: dict[str, list[dict]] = {}
    for x in [] if facts is None else facts.to_dict("records"):
        per.setdefault(x["finding_id"], []).append(x)
    out = []
    for kind in registry.names():
        items = []
        for r in f[f["kind"] == kind].to_dict("records"):
            fx = per.get(r["finding_id"], [])
            rows = [
                [
                    h.t(f"quality.roles.{x['role']}"),
                    fmt.printed(x["as_written"], h.lang, cat=h._cat())
                    if not fmt.missing(x["as_written"])
                    else _value(h, x["value"], _unit(h, r)),
                    h.period(x["period"]) if not fmt.missing(x["period"]) else "",
                    h.src(x["source_id"], x["section"]),
                ]
                for x in fx
            ]
            items.append(
                {
                    "id": Markup(r["finding_id"]) if SAFE_ID.fullmatch(r["finding_id"]) else esc(r["finding_id"]),
                    "severity": r["severity"],
                    "severity_label": h.t(f"quality.severity.{r['severity']}"),
                    "title": subject(h, r, fx),
                    "period": h.period(r["period"]) if not fmt.missing(r["period"]) else "",
                    "sentence": sentence(h, r, fx),
                    "displayed": displayed(h, r, fx),
                    "side": side(h, r, fx),
                    "rows": rows,
                }
            )
        if items:
            out.append((kind, items))
    return out


def main(h, n: int) -> list[tuple[str, dict]]:
    """The n most serious findings, one of each kind in turn (major before minor, kinds in page order), so that a
    short list shows the different problems rather than n of one kind."""
    groups = by_kind(h)
    out: list[tuple[str, dict]] = []
    for severity in ("major", "minor"):
        queues = [(kind, [f for f in items if f["severity"] == severity]) for kind, items in groups]
        depth = max((len(q) for _, q in queues), default=0)
        for i in range(depth):
            out += [(kind, q[i]) for kind, q in queues if i < len(q)]
    return out[:n]
