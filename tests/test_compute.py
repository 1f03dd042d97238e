"""Computed figures, checked against the shipped data and hand-worked arithmetic."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from minhbach.compute import attainment, compute_all, max_points
from minhbach.load import load_package
from minhbach.numbers import half_ulp, parse_vi

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pkg():
    return load_package(ROOT)


@pytest.fixture(scope="module")
def res(pkg):
    return compute_all(pkg)


def test_vietnamese_numbers_parse_exactly():
    assert parse_vi("1.177.370") == 1177370
    assert str(parse_vi("0,3509")) == "0.3509"
    assert str(parse_vi("50,65%")) == "50.65"
    assert parse_vi("+14") == 14 and parse_vi("-7") == -7
    assert str(parse_vi("2.500.000,000")) == "2500000.000"
    assert parse_vi("abc") is None and parse_vi("1,2,3") is None
    assert float(half_ulp("0,3509")) == 0.00005
    assert float(half_ulp("0,6")) == 0.05


def test_maximum_points_follow_the_framework(pkg):
    m = max_points(pkg)
    assert m[("total", "dti")] == 1000
    assert m[("pillar", "digital-government")] == 700
    assert m[("pillar", "digital-economy")] == 650 and m[("pillar", "digital-society")] == 650


def test_points_and_unit_scale_convert_both_ways(res):
    sc = res.scores.set_index(["statistic", "level", "subject_id", "year"])
    econ = sc.loc[("province", "main_index", "economy-activity", 2021)]
    assert math.isclose(econ["value_points"], 0.349 * 150)
    assert math.isclose(econ["value_points"] / econ["max_points"], econ["value_unit"])


def test_total_recomputation_agrees_within_printed_rounding(res):
    rec = res.recomputed.set_index(["level", "subject_id", "year"])
    total = rec.loc[("total", "dti", 2021)]
    # Σ points = 28.33+60+42.28+5.38+46.23+64.78+52.35+51.525 = 350.875 → 0.350875
    assert math.isclose(total["recomputed"], 0.350875, abs_tol=1e-6)
    assert bool(total["agrees"])


def test_digital_economy_pillar_disagrees_and_is_a_finding(res):
    rec = res.recomputed.set_index(["level", "subject_id", "year"])
    econ = rec.loc[("pillar", "digital-economy", 2021)]
    # (182.22 + 52.35) / 650 = 0.360877 against the reported 0.3461
    assert math.isclose(econ["recomputed"], 0.360877, abs_tol=1e-6)
    assert not bool(econ["agrees"]) and econ["difference"] < -0.01
    f = res.findings
    assert ((f["kind"] == "recomputation") & (f["as_written_a"] == "0,3461")).any()


def test_rank_changes_are_computed_and_match_the_reports(res):
    ch = res.changes
    pillars = ch[ch["level"] == "pillar"].set_index("subject_id")["rank_change"]
    assert int(pillars["digital-government"]) == 14
    assert int(pillars["digital-economy"]) == 5
    assert int(pillars["digital-society"]) == -7
    assert not (res.findings["kind"] == "rank_change").any()


def test_budget_sum_of_items_against_stated_totals(res):
    b = res.budget
    it = b[b["budget_table_id"].str.contains("it-2021")]
    # item 10 is printed "2.500.000,000" (2 500 000 by the Vietnamese rule), so the items sum to 20 140 500 000
    assert set(it["sum_of_items"]) == {20140500000.0}
    assert set(it["stated_total"]) >= {22638000000.0, 22639373567.0}
    assert not it["agrees"].any()


def test_same_figure_in_two_documents_is_a_cross_source_finding(res):
    f = res.findings[res.findings["kind"] == "cross_source"]
    both = f[f["as_written_a"].isin(["50,65%", "20%", "khoảng 20%"]) | f["as_written_b"].isin(["50,65%", "20%"])]
    assert len(both) >= 1


def test_percentages_that_do_not_equal_their_ratio_are_findings(res):
    f = res.findings[res.findings["kind"] == "ratio"]
    assert (f["as_written_a"] == "80,3%").any(), "58/71 printed as 80,3% is 81,7%"


def test_stated_total_98_against_per_index_totals(res):
    f = res.findings[res.findings["kind"] == "sub_indicator_count"]
    assert ((f["value_a"] == 98) & (f["value_b"] == 95)).any()


def _pkg_with(pkg, target: dict, observations: list[dict], direction="higher_is_better"):
    import copy

    p = copy.copy(pkg)
    p.tables = dict(pkg.tables)
    kpi = pkg.t("kpi").iloc[:1].copy()
    kpi["kpi_id"], kpi["unit"], kpi["direction"] = "k", "percent", direction
    p.tables["kpi"] = kpi
    base_t = {
        "target_id": "t",
        "plan_id": "qd-231-2022",
        "kpi_id": "k",
        "province_id": "dak-nong",
        "target_year": 2022,
        "text_vi": "x",
        "text_en": "x",
        "source_id": "dn-plan-2022",
        "section": "s",
        "as_written": "50%",
    }
    p.tables["target"] = pd.DataFrame([{**base_t, **target}])
    rows = [
        {
            "observation_id": f"o{i}",
            "kpi_id": "k",
            "province_id": "dak-nong",
            "district_id": pd.NA,
            "numerator": pd.NA,
            "denominator": pd.NA,
            "qualifier": "exact",
            "source_id": "dn-2022-results",
            "section": "s",
            "as_written": "x",
            **o,
        }
        for i, o in enumerate(observations)
    ]
    p.tables["kpi_observation"] = pd.DataFrame(rows).astype({"district_id": "string"})
    return p


@pytest.mark.parametrize(
    "comparator,target,obs,expected",
    [
        ("at_least", 50.0, [{"period": "2022", "value": 53.65}], "achieved"),
        ("at_least", 100.0, [{"period": "2022", "value": 28.0}], "not_achieved"),
        ("at_most", 5.0, [{"period": "2022", "value": 3.0}], "achieved"),
        ("at_most", 5.0, [{"period": "2022", "value": 7.0}], "not_achieved"),
        ("at_least", 50.0, [{"period": "2021", "value": 80.0}], "no_data"),
        ("at_least", None, [{"period": "2022", "value": 80.0}], "not_comparable"),
    ],
)
def test_attainment_is_direction_aware(pkg, comparator, target, obs, expected):
    p = _pkg_with(pkg, {"comparator": comparator, "value": target}, obs)
    a = attainment(p)
    assert a.iloc[0]["status"] == expected


def test_full_year_figure_preferred_over_interim(pkg):
    p = _pkg_with(
        pkg,
        {"comparator": "at_least", "value": 50.0},
        [{"period": "2022-08", "value": 40.0}, {"period": "2022", "value": 60.0}],
    )
    a = attainment(p).iloc[0]
    assert a["status"] == "achieved" and a["period"] == "2022" and not a["interim"]
    p = _pkg_with(pkg, {"comparator": "at_least", "value": 50.0}, [{"period": "2022-08", "value": 40.0}])
    a = attainment(p).iloc[0]
    assert a["status"] == "not_achieved" and bool(a["interim"])
