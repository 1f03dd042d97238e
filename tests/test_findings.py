"""Each finding kind on a small synthetic package: it fires on the inconsistency and not on its consistent twin."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import base, change, findings_of, mini, obs
from minhbach.findings.model import KINDS
from minhbach.findings.run import compute_all
from minhbach.strings import load as load_strings
from minhbach.validate import run as validate


def test_a_consistent_package_has_no_finding_of_any_kind():
    p = mini(
        kpi_observation=[
            obs("k-pct", "2021", "99,5%"),
            obs("k-pct", "2022", "99,7%"),
            obs("k-pct", "2022", "99,7%", src="dn-press-2022"),
            obs("k-pct", "2022-08", "81,7%", num="58", den="71"),
            obs("k-a", "2022", "67,6%"),
            obs("k-b", "2022", "34%"),
            obs("k-comb", "2022", "47,5%"),
            obs("k-cnt", "2022", "10", district="gia-nghia"),
            obs("k-cnt", "2022", "5", district="dak-mil"),
            obs("k-cnt", "2022", "15"),
        ],
        kpi_change=[change("k-pct", "0,2%")],
        target=[_target("t1", "20%", "dn-plan-2022"), _target("t2", "20%", "dn-2022-results")],
    )
    f = findings_of(p)
    assert f.empty, f[["kind", "subject_id"]].to_dict("records")


def test_printed_change_is_checked_against_the_two_values_it_compares():
    rows = [obs("k-pct", "2021", "99,5%"), obs("k-pct", "2022", "99,7%")]
    f = findings_of(mini(kpi_observation=rows, kpi_change=[change("k-pct", "49,7%")]), "change")
    assert len(f) == 1 and f.iloc[0]["severity"] == "major" and f.iloc[0]["facts"] == 3
    assert f.iloc[0]["value_b"] == pytest.approx(0.2)
    # within the rounding of the printed digits: "+1%" for 0.95 points is not a finding
    rows = [obs("k-pct", "2021", "73,08%"), obs("k-pct", "2022", "74,03%")]
    assert findings_of(mini(kpi_observation=rows, kpi_change=[change("k-pct", "1%")]), "change").empty
    # a printed decrease carries its sign in `direction`
    rows = [obs("k-pct", "2021", "9,37%"), obs("k-pct", "2022", "5,95%")]
    assert findings_of(mini(kpi_observation=rows, kpi_change=[change("k-pct", "3,42", "decrease")]), "change").empty
    assert len(findings_of(mini(kpi_observation=rows, kpi_change=[change("k-pct", "3,42")]), "change")) == 1


def test_printed_share_against_numerator_and_denominator_with_scale_slips():
    bad = findings_of(mini(kpi_observation=[obs("k-pct", "2022", "80,3%", num="58", den="71")]), "ratio")
    assert len(bad) == 1 and bad.iloc[0]["severity"] == "major" and bad.iloc[0]["variant"] == ""
    slip = findings_of(mini(kpi_observation=[obs("k-pct", "2022", "8,17%", num="58", den="71")]), "ratio")
    assert slip.iloc[0]["variant"] == "scale" and json.loads(slip.iloc[0]["params"])["factor"] == 0.1
    trunc = findings_of(mini(kpi_observation=[obs("k-pct", "2022", "89,4%", num="17", den="19")]), "ratio")
    assert trunc.iloc[0]["severity"] == "minor", "17/19 = 89,47 printed 89,4 is truncation, not a contradiction"
    # the same printed share in three documents is one finding listing three rows
    same = [
        obs("k-pct", "2022", "91,53%", src=s, num="28.514", den="31.181") for s in ("dn-2022-results", "dn-press-2022")
    ]
    same.append(obs("k-pct", "2022-08", "91,53%", src="dn-dti2021-report", num="28.514", den="31.181"))
    f = findings_of(mini(kpi_observation=same), "ratio")
    assert len(f) == 1 and f.iloc[0]["facts"] == 3


def test_combined_rate_outside_the_rates_it_combines():
    parts = [obs("k-a", "2022", "67,6%"), obs("k-b", "2022", "34%")]
    f = findings_of(mini(kpi_observation=parts + [obs("k-comb", "2022", "24,2%")]), "combined_range")
    assert len(f) == 1 and f.iloc[0]["value_b"] == 34.0
    assert findings_of(mini(kpi_observation=parts + [obs("k-comb", "2022", "50%")]), "combined_range").empty


def test_same_quantity_with_different_denominators():
    rows = [
        obs("k-pct", "2022", "100%", num="3.541", den="3.541"),
        obs("k-pct", "2022", "100%", src="dn-press-2022", num="2.773", den="2.773"),
    ]
    f = findings_of(mini(kpi_observation=rows), "denominator")
    assert len(f) == 1 and json.loads(f.iloc[0]["params"])["denominators"] == [2773.0, 3541.0]
    # a total may change between a mid-year and a year-end report: different periods are not compared
    rows[1] = obs("k-pct", "2022-08", "100%", src="dn-press-2022", num="2.773", den="2.773")
    assert findings_of(mini(kpi_observation=rows), "denominator").empty


def test_same_value_under_different_periods_is_one_period_shift_not_a_cross_source():
    rows = [
        obs("k-pct", "2021", "73,08 %"),
        obs("k-pct", "2022", "74,03 %"),
        obs("k-pct", "2022", "73,08%", src="dn-press-2022"),
    ]
    f = findings_of(mini(kpi_observation=rows))
    assert list(f["kind"]) == ["period_shift"]
    assert json.loads(f.iloc[0]["params"])["other_period"] == "2021" and f.iloc[0]["source_a"] == "dn-press-2022"


def test_cross_source_is_one_finding_per_figure_and_ignores_printed_rounding():
    rows = [obs("k-cnt", "2022", "63.936"), obs("k-cnt", "2022", "13.969", src="dn-press-2022")]
    rows.append(obs("k-cnt", "2022", "63.936", src="dn-dti2021-report"))
    f = findings_of(mini(kpi_observation=rows), "cross_source")
    assert len(f) == 1 and f.iloc[0]["facts"] == 3 and f.iloc[0]["severity"] == "major"
    rounding = [obs("k-pct", "2022", "89,5%"), obs("k-pct", "2022", "89,47%", src="dn-press-2022")]
    assert findings_of(mini(kpi_observation=rounding), "cross_source").empty


def _target(tid, aw, src, year=2022):
    return {
        "target_id": tid,
        "plan_id": "qd-231-2022",
        "kpi_id": "k-pct",
        "province_id": "dak-nong",
        "target_year": year,
        "comparator": "at_least",
        "value": float(str(aw).rstrip("%")),
        "text_vi": "x",
        "text_en": "x",
        "source_id": src,
        "section": "S",
        "as_written": aw,
    }


def test_a_target_in_two_documents_is_one_target_and_a_different_value_is_a_finding():
    same = mini(target=[_target("t1", "20%", "dn-2022-results"), _target("t2", "20%", "dn-plan-2022")])
    res = compute_all(same)
    assert len(res.attainment) == 1 and res.attainment.iloc[0]["stated_in"] == 2
    assert res.attainment.iloc[0]["target_source_id"] == "dn-plan-2022", "the plan's own document is shown"
    assert res.findings.empty
    differ = mini(target=[_target("t1", "10%", "dn-plan-2022"), _target("t2", "20%", "dn-2022-results")])
    f = findings_of(differ, "target_conflict")
    assert len(f) == 1 and f.iloc[0]["value_a"] == 10.0 and len(compute_all(differ).attainment) == 1


def test_stated_rank_change_against_the_two_ranks():
    def dti(change_aw):
        rows = []
        for year, score, rank in ((2020, "0,30", "60"), (2021, "0,35", "46")):
            common = {
                "province_id": "dak-nong",
                "year": year,
                "statistic": "province",
                "source_id": "dn-dti2021-report",
            }
            rows.append(
                {
                    **common,
                    "observation_id": f"s{year}",
                    "metric": "score",
                    "value": float(parse(score)),
                    "scale": "unit_interval",
                    "section": "S",
                    "as_written": score,
                }
            )
            rows.append(
                {
                    **common,
                    "observation_id": f"r{year}",
                    "metric": "rank",
                    "value": float(rank),
                    "scale": "rank",
                    "out_of": 63,
                    "rank_scope": "national",
                    "section": "S",
                    "as_written": rank,
                }
            )
        rows.append(
            {
                "observation_id": "rc",
                "province_id": "dak-nong",
                "year": 2021,
                "statistic": "province",
                "metric": "rank_change",
                "value": float(parse(change_aw)),
                "scale": "rank_steps",
                "source_id": "dn-dti2021-report",
                "section": "S",
                "as_written": change_aw,
            }
        )
        return mini(dti_observation=rows)

    assert findings_of(dti("+14"), "rank_change").empty
    f = findings_of(dti("+13"), "rank_change")
    assert len(f) == 1 and f.iloc[0]["value_b"] == 14.0


def parse(aw):
    from minhbach.numbers import parse_vi

    return parse_vi(aw)


def _budget(total_aw, second="2.000"):
    table = {
        "budget_table_id": "bt",
        "name_vi": "Bảng",
        "name_en": "Table",
        "unit": "vnd",
        "source_id": "dn-plan-2022",
        "section": "S",
    }
    items = [
        {
            "budget_item_id": "i1",
            "budget_table_id": "bt",
            "line_no": 1,
            "row_type": "item",
            "name_vi": "a",
            "name_en": "a",
            "amount": 1000.0,
            "source_id": "dn-plan-2022",
            "section": "S",
            "as_written": "1.000",
        },
        {
            "budget_item_id": "i2",
            "budget_table_id": "bt",
            "line_no": 2,
            "row_type": "item",
            "name_vi": "b",
            "name_en": "b",
            "amount": float(parse(second)),
            "source_id": "dn-plan-2022",
            "section": "S",
            "as_written": second,
        },
        {
            "budget_item_id": "tot",
            "budget_table_id": "bt",
            "row_type": "stated_total",
            "name_vi": "t",
            "name_en": "t",
            "amount": float(parse(total_aw)),
            "source_id": "dn-plan-2022",
            "section": "S",
            "as_written": total_aw,
        },
    ]
    return mini(budget_table=[table], budget_item=items)


def test_budget_total_against_the_sum_of_its_items():
    assert findings_of(_budget("3.000"), "budget_total").empty
    f = findings_of(_budget("4.000"), "budget_total")
    assert len(f) == 1 and f.iloc[0]["value_b"] == 3000.0 and f.iloc[0]["severity"] == "major"


def test_a_misprinted_number_with_a_reading_note_is_listed_as_a_printing_error():
    p = _budget("3.000")
    items = p.tables["budget_item"].copy()
    i = items["budget_item_id"] == "i2"
    items.loc[i, "as_written"] = "2,000"  # printed with a decimal comma: strictly 2
    items["reading_note_vi"] = pd.Series([pd.NA] * len(items), dtype="string")
    items["reading_note_en"] = pd.Series([pd.NA] * len(items), dtype="string")
    items.loc[i, "reading_note_vi"] = "Đọc là 2.000"
    items.loc[i, "reading_note_en"] = "Read as 2.000"
    p.tables["budget_item"] = items
    f = findings_of(p)
    assert list(f["kind"]) == ["misprint"] and f.iloc[0]["value_b"] == 2.0 and f.iloc[0]["displayed"] == "meant"


def test_district_sum_against_the_stated_province_total():
    rows = [obs("k-cnt", "2022", "10", district="gia-nghia"), obs("k-cnt", "2022", "5", district="dak-mil")]
    assert len(findings_of(mini(kpi_observation=rows + [obs("k-cnt", "2022", "16")]), "district_total")) == 1
    assert findings_of(mini(kpi_observation=rows + [obs("k-cnt", "2022", "15")]), "district_total").empty


def test_stated_sub_indicator_total_against_the_per_index_counts():
    def counts(total):
        base_row = {
            "province_id": "dak-nong",
            "year": 2021,
            "count_type": "total",
            "source_id": "dn-dti2021-report",
            "section": "S",
        }
        return mini(
            sub_indicator_count=[
                {**base_row, "count_id": "a", "main_index_id": "awareness", "value": 10, "as_written": "10"},
                {**base_row, "count_id": "b", "main_index_id": "institutions", "value": 11, "as_written": "11"},
                {**base_row, "count_id": "t", "value": total, "as_written": str(total)},
            ]
        )

    assert findings_of(counts(21), "sub_indicator_count").empty
    assert len(findings_of(counts(24), "sub_indicator_count")) == 1


def test_pillar_recomputed_from_its_indices_on_a_mutated_package():
    pkg = base()
    dti = pkg.t("dti_observation").copy()
    res = compute_all(pkg)
    rec = res.recomputed.set_index(["statistic", "level", "subject_id", "year"])
    right = rec.loc[("province", "pillar", "digital-economy", 2021), "recomputed"]
    row = (dti["pillar_id"] == "digital-economy") & (dti["metric"] == "score") & (dti["year"] == 2021)
    p = mini(dti_observation=[])
    p.tables["dti_observation"] = dti
    assert len(findings_of(p, "recomputation")) == 1
    dti.loc[row, "value"], dti.loc[row, "as_written"] = round(right, 4), f"{round(right, 4)}".replace(".", ",")
    assert findings_of(p, "recomputation").empty


def test_every_kind_has_a_title_and_a_sentence_in_both_languages():
    cat = load_strings(None)
    for lang in ("vi", "en"):
        for kind in KINDS:
            assert cat.raw(lang, f"quality.kinds.{kind}")
            assert "{subject}" in cat.raw(lang, f"quality.sentence.{kind}") or "{a}" in cat.raw(
                lang, f"quality.sentence.{kind}"
            )


def _domain(pkg):
    return [i.code for i in validate.domain_issues(pkg) if i.file == "data/budget_item.csv"]


def test_validation_accepts_a_misread_number_only_with_a_bilingual_note():
    import copy

    pkg = copy.copy(base())
    pkg.tables = dict(pkg.tables)
    items = pkg.t("budget_item")
    assert _domain(pkg) == []
    i = items["budget_item_id"] == "qd-231-2022-it-2021-item-10"
    no_note = items.copy()
    no_note.loc[i, ["reading_note_vi", "reading_note_en"]] = pd.NA
    pkg.tables["budget_item"] = no_note
    assert _domain(pkg) == ["as-written-mismatch"]
    one = items.copy()
    one.loc[i, "reading_note_en"] = pd.NA
    pkg.tables["budget_item"] = one
    assert "reading-note-incomplete" in _domain(pkg)
    unneeded = items.copy()
    unneeded.loc[items["budget_item_id"] == "qd-231-2022-it-2021-item-01", ["reading_note_vi", "reading_note_en"]] = "x"
    pkg.tables["budget_item"] = unneeded
    assert _domain(pkg) == ["reading-note-unneeded"]


def _context(rows):
    base_row = {"source_id": "dn-dti2021-report", "section": "S", "qualifier": "exact", "unit": "count"}
    return [{**base_row, **r} for r in rows]


def test_context_totals_counts_and_national_growth():
    # 31/36 and 06/63 provinces in one paragraph: the same quantity out of two totals
    prov = [
        {
            "figure_id": "a",
            "figure": "provinces_above_national_mean",
            "year": 2021,
            "value": 31,
            "out_of": 36,
            "out_of_what": "provinces",
            "as_written": "31/36",
        },
        {
            "figure_id": "b",
            "figure": "provinces_dti_at_least_half",
            "year": 2021,
            "value": 6,
            "out_of": 63,
            "out_of_what": "provinces",
            "as_written": "06/63",
        },
    ]
    f = findings_of(mini(context_figure=_context(prov)))
    assert list(f["kind"]) == ["denominator"] and f.iloc[0]["subject_type"] == "out_of_what"
    prov[0].update(out_of=63, as_written="31/63")
    assert findings_of(mini(context_figure=_context(prov))).empty
    # a stated count of task groups against the groups listed for the plan (proposal-2023 lists 8)
    groups = {"figure_id": "g", "figure": "plan_task_groups", "plan_id": "proposal-2023", "year": 2023}
    assert findings_of(mini(context_figure=_context([{**groups, "value": 8, "as_written": "08"}]))).empty
    f = findings_of(mini(context_figure=_context([{**groups, "value": 9, "as_written": "09"}])), "count_listed")
    assert len(f) == 1 and f.iloc[0]["value_b"] == 8.0


def test_printed_growth_of_the_national_mean_against_the_two_means():
    def pkg(growth_aw):
        means = [
            {
                "observation_id": f"m{y}",
                "statistic": "national_mean",
                "year": y,
                "metric": "score",
                "value": float(v),
                "scale": "unit_interval",
                "source_id": "dn-dti2021-report",
                "section": "S",
                "as_written": aw,
            }
            for y, v, aw in ((2020, 0.3026, "0,3026"), (2021, 0.4014, "0,4014"))
        ]
        g = {
            "figure_id": "gr",
            "figure": "national_mean_growth",
            "year": 2021,
            "unit": "percent",
            "value": float(parse(growth_aw)),
            "as_written": growth_aw,
        }
        return mini(dti_observation=means, context_figure=_context([g]))

    assert findings_of(pkg("32,7%"), "change").empty, "0,4014 / 0,3026 - 1 = 32,65 %"
    f = findings_of(pkg("37,2%"), "change")
    assert len(f) == 1 and f.iloc[0]["variant"] == "growth_printed"


def _html(site_dir, key, lang):
    import html as _h
    import re

    p = site_dir / ("en" if lang == "en" else "") / key / "index.html"
    src = p.read_text(encoding="utf-8")
    return src, _h.unescape(re.sub(r"<[^>]+>", " ", src))


def test_built_site_marks_affected_numbers_with_links_that_resolve(site):
    """Every finding is a card with a stable anchor; every mark on any page points at one of them."""
    import html as _h
    import re

    site_dir, _ = site
    res = compute_all(base())
    for lang in ("vi", "en"):
        src, _text = _html(site_dir, "data-quality", lang)
        anchors = {_h.unescape(a) for a in re.findall(r'<article class="mb-finding[^"]*" id="([^"]+)"', src)}
        assert anchors == set(res.findings["finding_id"])
        marked: set[str] = set()
        root = site_dir / "en" if lang == "en" else site_dir
        for f in root.rglob("index.html"):
            if lang == "vi" and f.relative_to(site_dir).parts[0] == "en":
                continue
            for href in re.findall(r'class="mb-finding-mark" href="([^"]+)"', f.read_text(encoding="utf-8")):
                page_part, _, anchor = _h.unescape(href).partition("#")
                assert page_part.rstrip("/").endswith("data-quality") and anchor in anchors, (f, href)
                marked.add(anchor)
        assert len(marked) >= len(anchors) - 3, sorted(anchors - marked)
        # one sentence per finding, no placeholder left unfilled, no raw template syntax
        cards = _h.unescape(re.sub(r"<[^>]+>", " ", " ".join(re.findall(r"<article.*?</article>", src, re.S))))
        assert len(cards) > 2000 and "{" not in cards and "None" not in cards and "nan" not in cards.split()


def test_a_kind_outside_the_registry_fails_by_name_instead_of_vanishing(monkeypatch):
    """Issue 19: a new check whose kind is not registered used to be counted and never shown."""
    from minhbach.errors import Failed
    from minhbach.findings import checks
    from minhbach.findings import run as findings
    from minhbach.findings.model import Fact, Finding

    new = Finding("brand_new_kind", "kpi", "x", "2022", [Fact("reported", "kpi_observation", "r1", 1.0)])
    monkeypatch.setattr(checks, "run_all", lambda *a: [new])
    with pytest.raises(Failed) as e:
        findings.build(base(), None, None, None)
    assert "brand_new_kind" in str(e.value.issues[0].message)
    assert e.value.issues[0].code == "finding-kind-unregistered"


def test_a_registered_kind_without_words_is_named_when_the_build_starts():
    import copy as _copy

    from minhbach.findings.run import missing_words

    cat = load_strings(None)
    assert missing_words(cat) == []
    broken = _copy.deepcopy(cat)
    del broken.by_lang["en"]["quality"]["sentence"][KINDS[-1]]
    issues = missing_words(broken)
    assert len(issues) == 1 and KINDS[-1] in issues[0].message and "en" in issues[0].message
