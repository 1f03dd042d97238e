"""Fair findings (issue 20, item 3): every finding says which side the documents support, by rule.

Each corrected kind on a synthetic twin: the structured `supported` / `supported_reason` / `severity` of the
finding (what data-quality-findings.csv publishes) and the words the data-quality page prints for it, in both
languages, rendered by the page's own item renderer (findings_view.by_kind).
"""

from __future__ import annotations

import html
import json
import re

import pytest

from helpers import base, change, findings_of, mini, obs
from minhbach.findings.model import KINDS
from minhbach.findings.run import compute_all
from minhbach.site import findings_view
from minhbach.site.ctx import Ctx
from minhbach.strings import load as load_strings


def _page(pkg, lang: str) -> dict[str, dict]:
    """finding id → the item the data-quality page prints (sentence, side, severity), in `lang`."""
    res = compute_all(pkg)
    cat = load_strings(None)
    h = Ctx(pkg, res, cat.by_lang[lang], lang, "data-quality", {})
    h.catalogue = cat
    out = {}
    for _kind, items in findings_view.by_kind(h):
        for it in items:
            out[str(it["id"])] = {
                k: html.unescape(re.sub(r"<[^>]+>", "", str(it[k]))) for k in ("sentence", "side", "severity")
            }
    return out


def _one(pkg, kind: str):
    f = findings_of(pkg, kind)
    assert len(f) == 1, f
    return f.iloc[0]


def _kpis(*rows):
    """The synthetic KPIs of helpers plus the given ones (e.g. a count that is the sum of two others)."""
    from helpers import KPIS

    std = [
        {"kpi_id": k, "name_vi": k, "name_en": k, "unit": u, "main_index_id": "awareness", "combines": c}
        for k, u, c in KPIS
    ]
    more = [{"main_index_id": "awareness", "name_vi": r["kpi_id"], "name_en": r["kpi_id"], **r} for r in rows]
    return [{"direction": "higher_is_better", **r} for r in std + more]


# ------------------------------------------------------------------ ratio: truncation is minor, both right


def test_a_share_truncated_at_its_last_digit_is_minor_and_both_sides_agree():
    p = mini(kpi_observation=[obs("k-pct", "2021", "71,5%", num="2.239", den="3.128")])  # 71,58 truncated
    f = _one(p, "ratio")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("minor", "both", "truncation")
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "truncated rather than rounded" in en["sentence"] and "cannot both be right" not in en["sentence"]
    assert "cắt bớt thay vì làm tròn" in vi["sentence"]
    assert "Which side the documents support: both, once explained" in en["side"]
    # the twin: a share far from its counts stays major, and no document shows which is wrong
    g = _one(mini(kpi_observation=[obs("k-pct", "2021", "75%", num="2.239", den="3.128")]), "ratio")
    assert (g["severity"], g["supported"], g["supported_reason"]) == ("major", "unknown", "share_vs_counts")


# ------------------------------------------------------------------ cross-source: a part printed as the whole


def _products(table_aw="1.051"):
    kpi = _kpis(
        {"kpi_id": "k-all", "unit": "count", "sum_of": "k-p1 k-p2"},
        {"kpi_id": "k-p1", "unit": "count"},
        {"kpi_id": "k-p2", "unit": "count"},
    )
    rows = [
        obs("k-all", "2022", "1.098", sec="text"),
        obs("k-p1", "2022", "47", sec="text"),
        obs("k-p2", "2022", "1.051", sec="text"),
        obs("k-all", "2022", table_aw, src="dn-press-2022", sec="table"),
    ]
    return mini(kpi=kpi, kpi_observation=rows)


def test_a_part_printed_under_the_totals_name_is_explained_and_minor():
    p = _products()
    f = _one(p, "cross_source")
    assert (f["severity"], f["supported_reason"]) == ("minor", "part_under_total_name")
    supported = f["value_a"] if f["supported"] == "a" else f["value_b"]
    assert supported == 1098.0
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "explain the difference themselves: 1,098 = 47 + 1,051" in en["sentence"]
    assert "1.098 = 47 + 1.051" in vi["sentence"] and "người đọc không biết" not in vi["sentence"]
    assert "1,098, the total whose parts (47 + 1,051)" in en["side"]
    # the twin: a figure that is not one of the parts is a plain disagreement nobody can settle
    g = _one(_products("1.060"), "cross_source")
    assert (g["severity"], g["supported"], g["supported_reason"]) == ("major", "unknown", "no_working")
    assert "no document shows its working" in _page(_products("1.060"), "en")[g["finding_id"]]["side"]


def test_the_whole_printed_under_a_parts_name_is_explained_and_the_part_is_supported():
    kpi = _kpis(
        {"kpi_id": "k-all", "unit": "count", "sum_of": "k-p1 k-p2"},
        {"kpi_id": "k-p1", "unit": "count"},
        {"kpi_id": "k-p2", "unit": "count"},
    )
    rows = [
        obs("k-all", "2022", "4.078"),
        obs("k-p1", "2022", "710"),
        obs("k-p2", "2022", "3.368"),
        obs("k-p2", "2022", "4.078", src="dn-press-2022"),
    ]
    p = mini(kpi=kpi, kpi_observation=rows)
    f = _one(p, "cross_source")
    assert (f["severity"], f["supported_reason"]) == ("minor", "total_under_part_name")
    assert (f["value_a"] if f["supported"] == "a" else f["value_b"]) == 3368.0
    assert "4,078 = 710 + 3,368" in _page(p, "en")[f["finding_id"]]["sentence"]


# ------------------------------------------------------------------ denominator: digits swapped in one sentence


def _provinces(ranks_out_of=63):
    base_row = {"source_id": "dn-dti2021-report", "section": "S", "qualifier": "exact", "unit": "count"}
    prov = [
        {"figure_id": "a", "figure": "provinces_above_national_mean", "value": 31, "out_of": 36, "as_written": "31/36"},
        {"figure_id": "b", "figure": "provinces_dti_at_least_half", "value": 6, "out_of": 63, "as_written": "06/63"},
    ]
    cf = [{**base_row, "year": 2021, "out_of_what": "provinces", **r} for r in prov]
    dti = base().t("dti_observation")
    dti = dti[dti["metric"] == "rank"].head(1).assign(out_of=float(ranks_out_of))
    p = mini(context_figure=cf)
    p.tables["dti_observation"] = dti
    return p


def test_two_totals_with_swapped_digits_in_one_sentence_are_a_typo_and_the_confirmed_total_wins():
    p = _provinces()
    f = _one(p, "denominator")
    assert (f["severity"], f["supported_reason"]) == ("minor", "typo_one_passage")
    side_fact = f["as_written_a"] if f["supported"] == "a" else f["as_written_b"]
    assert side_fact == "06/63"
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "36 is 63 with its digits swapped, a typing slip" in en["sentence"]
    assert "lỗi đánh máy" in vi["sentence"] and "the national ranks) are out of 63" in en["side"]
    # the twin: nothing in the package confirms either total
    g = _one(_provinces(ranks_out_of=5), "denominator")
    assert (g["severity"], g["supported"], g["supported_reason"]) == ("minor", "unknown", "typo_unknown")


# ------------------------------------------------------------------ period shift: the table swapped the years


def _level4(with_text=True):
    rows = [
        obs("k-pct", "2022", "16,8%", src="dn-press-2022"),
        obs("k-pct", "2021", "16,8%", sec="table"),
        obs("k-pct", "2022", "18%", sec="table"),
    ]
    if with_text:
        rows.append(obs("k-pct", "2022-10", "16,8%", sec="text", num="110", den="653"))
    return mini(kpi_observation=rows)


def test_a_table_whose_own_text_gives_the_figure_for_the_year_is_the_one_blamed():
    p = _level4()
    f = _one(p, "period_shift")
    assert (f["supported"], f["supported_reason"], f["source_a"]) == ("a", "own_text_same_year", "dn-press-2022")
    assert json.loads(f["params"])["wording"] == "table_swap"
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "the table has the years swapped" in en["sentence"] and "110 of 653 = 16.8%" in en["sentence"]
    assert "most likely the previous year" not in en["sentence"]
    assert "bảng đã đảo năm" in vi["sentence"] and "110 trên 653 = 16,8%" in vi["sentence"]
    # the twin: without the text, the document that lists both years is the likelier one
    g = _one(_level4(with_text=False), "period_shift")
    assert (g["supported"], g["supported_reason"]) == ("b", "both_years_listed")
    assert "most likely the previous year" in _page(_level4(with_text=False), "en")[g["finding_id"]]["sentence"]


# ------------------------------------------------------------------ target conflict: a result that meets both


def _sme(result_aw):
    t = {"plan_id": "qd-231-2022", "kpi_id": "k-pct", "province_id": "dak-nong", "target_year": 2022}
    targets = [
        {**t, "target_id": "t1", "comparator": "at_least", "value": 10.0, "as_written": "10%"}
        | {"source_id": "dn-plan-2022", "section": "S", "text_vi": "x", "text_en": "x"},
        {**t, "target_id": "t2", "comparator": "at_least", "value": 20.0, "as_written": "20%"}
        | {"source_id": "dn-2022-results", "section": "S", "text_vi": "x", "text_en": "x"},
    ]
    return mini(target=targets, kpi_observation=[obs("k-pct", "2022", result_aw)])


def test_a_target_restated_differently_is_minor_when_the_result_meets_both():
    p = _sme("29,46%")
    f = _one(p, "target_conflict")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("minor", "both", "met_either")
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "the result, 29.46%, meets both" in en["sentence"] and "kết quả 29,46% đạt cả hai" in vi["sentence"]
    # the twin: a result between the two targets depends on which is used; the plan's own figure is supported
    g = _one(_sme("15%"), "target_conflict")
    assert (g["severity"], g["supported"], g["supported_reason"]) == ("major", "a", "plan_states_own")


# ------------------------------------------------------------------ budget: the text's total is the odd one


def _budget(prose_aw):
    table = {"budget_table_id": "bt", "name_vi": "Bảng", "name_en": "Table", "unit": "vnd"}
    row = {"budget_table_id": "bt", "name_vi": "x", "name_en": "x", "source_id": "dn-plan-2022", "section": "A"}
    items = [
        {**row, "budget_item_id": "i1", "line_no": 1, "row_type": "item", "amount": 1000.0, "as_written": "1.000"},
        {**row, "budget_item_id": "i2", "line_no": 2, "row_type": "item", "amount": 2000.0, "as_written": "2.000"},
        {**row, "budget_item_id": "tot", "row_type": "stated_total", "amount": 3000.0, "as_written": "3.000"},
    ]
    amount = float(prose_aw.replace(".", ""))
    prose = {**row, "budget_item_id": "prose", "row_type": "stated_total", "section": "text", "amount": amount}
    items.append({**prose, "as_written": prose_aw})
    return mini(budget_table=[{**table, "source_id": "dn-plan-2022", "section": "A"}], budget_item=items)


def test_a_total_in_the_text_against_a_consistent_table_blames_the_text():
    p = _budget("3.010")
    f = _one(p, "budget_total")
    assert (f["supported"], f["supported_reason"], f["variant"]) == ("b", "table_total_agrees", "prose")
    assert f["severity"] == "minor"  # 10 of 3,000: under 1 %
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert (
        "The text gives 3,010" in en["sentence"]
        and "table's own total row and its 2 items both give 3,000" in (en["sentence"])
    )
    assert "Phần lời ghi 3.010" in vi["sentence"] and "the figure in the text is the odd one" in en["side"]
    g = _one(_budget("3.500"), "budget_total")
    assert (g["severity"], g["supported"]) == ("major", "b")


# ------------------------------------------------------------------ change of two percentages: points


def test_a_change_of_two_percentages_is_spelled_in_points():
    rows = [obs("k-pct", "2021", "99,5%", sec="S"), obs("k-pct", "2022", "99,7%", sec="S")]
    p = mini(kpi_observation=rows, kpi_change=[change("k-pct", "49,7%")])
    f = _one(p, "change")
    assert (f["supported"], f["supported_reason"]) == ("b", "change_vs_values")
    assert "a change of 0.2 percentage points" in _page(p, "en")[f["finding_id"]]["sentence"]
    assert "thay đổi 0,2 điểm phần trăm" in _page(p, "vi")[f["finding_id"]]["sentence"]


# ------------------------------------------------------------------ completeness


def test_every_kind_has_a_side_rule_and_a_kind_without_one_fails_by_name(monkeypatch):
    from minhbach.errors import Failed
    from minhbach.findings import run as findings
    from minhbach.findings import sides

    assert set(sides.RULES) == set(KINDS) and sides.missing_rules() == []
    rules = {k: v for k, v in sides.RULES.items() if k != "ratio"}
    monkeypatch.setattr(sides, "RULES", rules)
    with pytest.raises(Failed) as e:
        findings.build(base(), None, None, None)
    assert [i.code for i in e.value.issues] == ["finding-kind-no-side-rule"] and "'ratio'" in e.value.issues[0].message


def test_every_reason_and_wording_has_words_in_both_languages():
    import copy

    from minhbach.findings import sides

    cat = load_strings(None)
    assert sides.missing_words(cat) == []
    broken = copy.deepcopy(cat)
    del broken.by_lang["vi"]["quality"]["side"]["no_working"]
    issues = sides.missing_words(broken)
    assert len(issues) == 1 and "quality.side.no_working" in issues[0].message and "vi" in issues[0].message


def test_the_shipped_findings_all_say_which_side_and_the_csv_carries_it():
    from minhbach.findings import sides

    f = compute_all(base()).findings
    assert set(f["supported"]) <= set(sides.SIDES) and set(f["supported_reason"]) <= set(sides.REASONS)


def test_the_same_figure_one_last_digit_apart_in_two_passages_is_truncation_not_a_dispute():
    def pkg(second):
        return mini(kpi_observation=[obs("k-pct", "2021", "60,7%"), obs("k-pct", "2021", second, src="dn-press-2022")])

    p = pkg("60,78%")  # 60,7 is 60,78 cut off: 0,08 apart, within one unit (0,1) of its last digit
    f = _one(p, "cross_source")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("minor", "both", "truncation")
    assert "truncated or rounded differently" in _page(p, "en")[f["finding_id"]]["sentence"]
    assert "cắt bớt hoặc làm tròn khác nhau" in _page(p, "vi")[f["finding_id"]]["sentence"]
    g = _one(pkg("60,5%"), "cross_source")  # 0,2 apart: more than one unit of either last digit
    assert (g["supported"], g["supported_reason"]) == ("unknown", "no_working")
    assert "a reader cannot tell which is right" in _page(pkg("60,5%"), "en")[g["finding_id"]]["sentence"]


def test_the_supported_side_is_not_disputed_and_the_blamed_table_is():
    from minhbach.compute.disputes import disputing_facts

    def disputed_values(p):
        res = compute_all(p)
        rows = disputing_facts(res.findings, res.extra["finding_facts"])
        o = p.t("kpi_observation").set_index("observation_id")
        return sorted((o.loc[r, "source_id"], o.loc[r, "period"], o.loc[r, "as_written"]) for r in rows)

    # the table's own text confirms the press release: the table's 2022 figure is disputed, not the press release's
    assert disputed_values(_level4()) == [("dn-2022-results", "2022", "18%")]
    # without that text the figure under the shifted year is the one disputed, as before
    assert disputed_values(_level4(with_text=False)) == [("dn-press-2022", "2022", "16,8%")]
