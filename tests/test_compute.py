"""Computed figures on synthetic packages (the shipped figures are asserted in test_shipped_data.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from minhbach.compute.targets import attainment
from minhbach.load.package import load_package
from minhbach.numbers import half_ulp, parse_vi

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pkg():
    return load_package(ROOT)


def test_vietnamese_numbers_parse_exactly():
    assert parse_vi("1.177.370") == 1177370
    assert str(parse_vi("0,3509")) == "0.3509"
    assert str(parse_vi("50,65%")) == "50.65"
    assert parse_vi("+14") == 14 and parse_vi("-7") == -7
    assert str(parse_vi("2.500.000,000")) == "2500000.000"
    assert parse_vi("abc") is None and parse_vi("1,2,3") is None
    assert float(half_ulp("0,3509")) == 0.00005
    assert float(half_ulp("0,6")) == 0.05


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


def test_a_year_before_the_framework_keeps_its_printed_scale_and_is_not_recomputed():
    """main_index.first_year: a year scored under an earlier framework (another set of maxima) is shown on the scale
    it was printed on, with no conversion, and the total/pillar recomputation leaves it out instead of failing."""
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package

    pkg = load_package(ROOT)
    pkg.tables["main_index"]["first_year"] = 2022  # as if 2021 were scored under the earlier framework
    res = compute_all(pkg)
    sc = res.scores
    early = sc[(sc["year"] == 2021) & sc["level"].isin(["pillar", "main_index"]) & (sc["statistic"] == "province")]
    assert len(early) > 0
    unit = early[early["scale"] == "unit_interval"]
    assert unit["value_points"].isna().all() and unit["max_points"].isna().all()
    assert unit["value_unit"].notna().all()
    assert res.recomputed.empty or not (res.recomputed["year"] == 2021).any()
    shipped = compute_all(load_package(ROOT)).scores
    assert shipped[(shipped["year"] == 2021) & (shipped["level"] == "pillar")]["value_points"].notna().all()
