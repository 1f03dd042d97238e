"""Systematic checks (issue 20, item 4), each kind on a synthetic twin: one quantity printed under several names
(`kpi.same_quantity_as`), and a combined rate printed as the plain average of its parts when their counts give
another rate (`kpi.combines`). Structured finding (what data-quality-findings.csv publishes) and the words the
data-quality page prints, in both languages; then the shipped package, where the documents print both."""

from __future__ import annotations

from helpers import base, findings_of, mini, obs
from test_fair_findings import _kpis, _one, _page


def _names(values=("59,3%", "86,91%", "29,3%", "20%")):
    kpi = _kpis(
        {"kpi_id": "people-bank", "unit": "percent"},
        {"kpi_id": "adults-bank", "unit": "percent", "same_quantity_as": "people-bank"},
        {"kpi_id": "adults-pay", "unit": "percent", "same_quantity_as": "people-bank"},
        {"kpi_id": "people-pay", "unit": "percent", "same_quantity_as": "adults-pay"},
    )
    ids = ("people-bank", "adults-bank", "adults-pay", "people-pay")
    rows = [obs(k, "2022", v, sec=f"S{i}") for i, (k, v) in enumerate(zip(ids, values, strict=True))]
    rows.append(obs("adults-bank", "2021", "79,17%"))  # another year of one name: nothing to compare it with
    return mini(kpi=kpi, kpi_observation=rows)


def test_one_quantity_printed_under_several_names_with_different_values_is_a_finding():
    p = _names()
    f = _one(p, "several_names")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("major", "unknown", "names_unexplained")
    assert f["period"] == "2022" and f["subject_id"] == "people-bank"
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "print people-bank (2022) under 4 names, with different values" in en["sentence"], en["sentence"]
    for v in ("59.3% (people-bank)", "86.91% (adults-bank)", "29.3% (adults-pay)", "20% (people-pay)"):
        assert v in en["sentence"], en["sentence"]
    assert "59,3% (people-bank)" in vi["sentence"] and "dưới 4 tên gọi" in vi["sentence"]
    assert "no document says which name" in en["side"]


def test_names_of_one_quantity_that_agree_or_kpis_not_declared_the_same_are_no_finding():
    assert findings_of(_names(("59,3%", "59,3%", "59,3%", "59,3%")), "several_names").empty
    # within the printed digits: 59,3 and 59,34
    assert findings_of(_names(("59,3%", "59,34%", "59,3%", "59,3%")), "several_names").empty
    # the same values, but the data does not say the KPIs measure one quantity: no finding
    rows = [obs("k-a", "2022", "59,3%"), obs("k-b", "2022", "86,91%")]
    assert findings_of(mini(kpi_observation=rows), "several_names").empty


def _mean(combined="47,5%"):
    """k-comb combines k-a and k-b (helpers): 238 of 386 schools (65 %) and 3 of 9 hospitals (30 %)."""
    rows = [
        obs("k-a", "2022", "65%", num="238", den="386"),
        obs("k-b", "2022", "30%", num="3", den="9"),
        obs("k-comb", "2022", combined, sec="T"),
    ]
    return mini(kpi_observation=rows)


def test_a_combined_rate_that_is_the_plain_average_of_its_parts_is_a_finding():
    p = _mean()
    f = _one(p, "plain_mean")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("major", "b", "counts_pooled")
    assert round(f["value_b"], 2) == 61.01  # (238 + 3) / (386 + 9)
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "printed as 47.5%, the plain average of its parts (65 + 30)" in en["sentence"]
    assert "241 of 395, which is 61.01%" in en["sentence"]
    assert "ghi là 47,5%, là trung bình cộng giản đơn của các phần (65 + 30)" in vi["sentence"]
    assert "pooled, 241 of 395 is 61.01%" in en["side"]


def test_a_combined_rate_that_pools_the_counts_is_no_finding():
    assert findings_of(_mean("61%"), "plain_mean").empty  # 241/395 = 61,01 %
    assert findings_of(_mean("52%"), "plain_mean").empty  # neither the pooled rate nor the plain average


def test_the_shipped_documents_print_both():
    f = findings_of(base())
    names = f[f["kind"] == "several_names"]
    assert list(names["subject_id"]) == ["population-with-bank-account"]
    assert names.iloc[0]["facts"] == 4  # 59,3 % / 86,91 % / 29,3 % / 20 %, all of 2022 in dn-2022-results
    mean = f[f["kind"] == "plain_mean"]
    assert list(mean["subject_id"]) == ["schools-hospitals-cashless"]
    assert mean.iloc[0]["as_written_a"] == "47,5%" and round(mean.iloc[0]["value_b"], 2) == 61.01


def _months(report_aw="50,65%"):
    """An 8-month progress report (08/2022) and a year-end report giving 2021 and 2022."""
    rows = [
        obs("k-pct", "2022-08", report_aw, src="dn-dti2021-report"),
        obs("k-pct", "2021", "50,65%"),
        obs("k-pct", "2022", "53,65%"),
    ]
    return mini(kpi_observation=rows)


def test_last_years_figure_reported_as_this_years_progress_is_a_period_shift():
    p = _months()
    f = _one(p, "period_shift")
    assert (f["severity"], f["supported"], f["supported_reason"]) == ("major", "b", "both_years_listed")
    assert f["period"] == "2022-08"
    en, vi = _page(p, "en")[f["finding_id"]], _page(p, "vi")[f["finding_id"]]
    assert "gives 50.65% for Indicator k-pct as of August 2022" in en["sentence"]
    assert "that same figure for 2021 and 53.65% for 2022" in en["sentence"]
    from minhbach import fmt
    from minhbach.context import program_catalogue

    assert (
        f"ghi 50,65% cho Chỉ tiêu k-pct tính đến {fmt.period('2022-08', 'vi', cat=program_catalogue())}"
        in vi["sentence"]
    ), vi["sentence"]
    assert "53,65% cho năm 2022" in vi["sentence"]


def test_a_progress_figure_that_moved_on_is_no_period_shift():
    assert findings_of(_months("51,2%"), "period_shift").empty


def test_the_shipped_progress_report_repeats_2021_figures_as_of_august_2022():
    f = findings_of(base(), "period_shift")
    months = f[f["period"] == "2022-08"]
    # 000's 08/2022 "results" that equal 002's 2021 values while 002 gives another 2022 value
    assert set(months["subject_id"]) == {
        "villages-4g-coverage",
        "households-fibre-broadband",
        "households-with-computer",
        "internet-users-share",
        "feature-phone-users-share",
        "fixed-broadband-subscriptions-per-100",
        "ehr-accounts",
        "state-budget-revenue-electronic",
    }
    assert set(months["source_a"]) == {"dn-dti2021-report"}
