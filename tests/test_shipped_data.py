"""The one file of assertions about the shipped Đắk Nông figures (behaviour tests use synthetic packages)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from minhbach.compute.scores import max_points
from minhbach.findings.run import compute_all
from minhbach.load.package import load_package

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pkg():
    return load_package(ROOT)


@pytest.fixture(scope="module")
def res(pkg):
    return compute_all(pkg)


def _one(res, finding_id):
    f = res.findings.set_index("finding_id")
    assert finding_id in f.index, sorted(f.index)
    return f.loc[finding_id]


def _facts(res, finding_id):
    fx = res.extra["finding_facts"]
    return fx[fx["finding_id"] == finding_id]


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


def test_same_figure_in_two_documents_is_a_cross_source_finding(res):
    fx = _facts(res, "f-cross-source-households-fibre-broadband-2021")
    assert set(fx["as_written"]) == {"50,65 %", "50,65%", "20%"} and set(fx["role"]) == {"shown", "other"}


def test_percentages_that_do_not_equal_their_ratio_are_findings(res):
    f = res.findings[res.findings["kind"] == "ratio"]
    assert (f["as_written_a"] == "80,3%").any(), "58/71 printed as 80,3% is 81,7%"


def test_stated_total_98_against_per_index_totals(res):
    f = res.findings[res.findings["kind"] == "sub_indicator_count"]
    assert ((f["value_a"] == 98) & (f["value_b"] == 95)).any()


def test_findings_per_kind_and_severity(res):
    f = res.findings
    assert f.groupby("kind").size().to_dict() == {
        "budget_total": 2,
        "change": 2,
        "combined_range": 1,
        "cross_source": 8,
        "denominator": 2,
        "misprint": 5,
        "period_shift": 10,  # 2 of the press release, 8 of 000's 08/2022 figures that are 002's 2021 values
        "plain_mean": 1,  # 47,5 % = (65 + 30)/2, the counts give 241/395 = 61,01 %
        "ratio": 9,
        "recomputation": 1,
        "several_names": 1,  # 59,3 / 86,91 / 29,3 / 20 % for the share of people with an account
        "sub_indicator_count": 1,
        "target_conflict": 1,
    }
    assert f.groupby("severity").size().to_dict() == {"major": 29, "minor": 15}
    assert f["finding_id"].is_unique


def test_distinct_targets_and_attainment(res, pkg):
    a = res.attainment
    assert len(pkg.t("target")) == 83 and len(a) == 61, "83 target rows state 61 distinct targets"
    qd = a[a["plan_id"] == "qd-231-2022"]
    # QĐ 231's own 24 targets with a 2022 figure; 002's restated table adds 4 that QĐ 231 does not set
    assert qd.groupby("status").size().to_dict() == {
        "achieved": 8,
        "not_achieved": 10,
        "disputed": 6,
        "no_data": 11,
        "not_comparable": 6,
        "not_in_plan": 4,
    }
    assert set(qd[qd["status"] == "not_in_plan"]["kpi_id"]) == {
        "community-teams-established",
        "document-system-national-axis",
        "provincial-intelligent-operations-centre",
        "digital-economy-share-of-grdp",
    }
    assert (qd[qd["status"] == "not_in_plan"]["target_source_id"] == "dn-2022-results").all()
    assert not qd[qd["status"] != "not_in_plan"]["in_plan"].eq(False).any()
    assert int(a["stated_in"].max()) == 2


def test_misprinted_and_contradicted_figures_are_disputed_never_met(res):
    """e-ID "72,5 %" is 48.201/664.416 = 7,25 %, digital signatures "4,18 %" are 0,42 %: both disputed, not met;
    so are the figures that a major finding contradicts (76 % against 49/67 = 73,1 %)."""
    a = res.attainment.set_index("kpi_id")
    qd = a[a["plan_id"] == "qd-231-2022"]
    for kpi in (
        "digital-identity-users",
        "adults-with-personal-digital-signature",
        "information-systems-security-level-approved",
        "applications-processed-online",
        "online-services-on-national-portal",
        "work-files-online-commune",
    ):
        assert qd.loc[kpi, "status"] == "disputed", kpi
        assert bool(qd.loc[kpi, "disputed"])
    assert qd.loc["digital-identity-users", "observed_value"] == 7.25
    assert qd.loc["digital-identity-users", "observed_as_written"] == "72,5%"


def test_a_figure_without_basis_is_no_data(res, pkg):
    """000 says the 99,5 % satisfaction of 11/2021 is "không đủ cơ sở đánh giá": no figure for the target."""
    obs = pkg.t("kpi_observation").set_index("observation_id")
    assert bool(obs.loc["dn-dti2021-report-citizen-satisfaction-public-services-2021-11-sub-6-10", "no_basis"])
    a = res.attainment.set_index("target_id")
    tid = "qd-231-2022-citizen-satisfaction-public-services-2022-dn-plan-2022"
    assert a.loc[tid, "status"] == "no_data"
    p = res.extra["target_progress"].set_index("target_id")
    assert p.loc[tid, "status"] == "insufficient" and p.loc[tid, "current"] != p.loc[tid, "current"]


def test_budget_item_10_is_read_as_the_document_means(res, pkg):
    items = pkg.t("budget_item").set_index("budget_item_id")
    it10 = items.loc["qd-231-2022-it-2021-item-10"]
    assert it10["as_written"] == "2.500.000,000" and it10["amount"] == 2_500_000_000
    assert "2.500.000.000" in it10["reading_note_vi"] and "2.500.000.000" in it10["reading_note_en"]
    b = res.budget.set_index("budget_item_id")
    assert b.loc["qd-231-2022-it-2021-total", "sum_of_items"] == 22_638_000_000
    assert bool(b.loc["qd-231-2022-it-2021-total", "agrees"])
    # the prose total differs by 1.373.567 from the table; the 2.5-billion gap is gone
    assert b.loc["qd-231-2022-it-2021-prose-total", "difference"] == 1_373_567
    assert _one(res, "f-misprint-qd-231-2022-it-2021-item-10")["severity"] == "minor"


def test_printed_changes_that_do_not_match_their_values(res, pkg):
    # 39 from the comparison tables, and the two changes printed in the text: +470 billion and +487 million VND,
    # whose 2021 values are not printed (nothing to compare them with: no finding)
    assert len(pkg.t("kpi_change")) == 41
    assert set(
        pkg.t("kpi_change")
        .set_index("kpi_id")
        .loc[["electricity-bills-cashless-amount", "tuition-via-banks-amount"], "as_written"]
    ) == {"470", "487"}
    ehr = _one(res, "f-change-ehr-accounts-2022")
    assert ehr["as_written_a"] == "49,7%" and ehr["value_b"] == pytest.approx(0.2)
    fbb = _one(res, "f-change-fixed-broadband-subscriptions-per-100-2022")
    assert fbb["as_written_a"] == "0,95%" and fbb["value_b"] == pytest.approx(0.75)


def test_combined_rate_period_shift_and_denominator(res):
    comb = _one(res, "f-combined-range-applications-processed-online-2022-dn-2022-results")
    assert comb["as_written_a"] == "24,2%" and comb["value_b"] == 34.0
    shift = _one(res, "f-period-shift-internet-users-share-2022-dn-press-2022")
    assert shift["as_written_a"] == "73,08%" and json.loads(shift["params"])["other_period"] == "2021"
    den = _one(res, "f-denominator-enterprises-using-e-invoices-2022")
    assert json.loads(den["params"])["denominators"] == [2773.0, 3541.0]


def test_a_value_repeated_in_several_passages_is_one_finding(res):
    youth = _facts(res, "f-ratio-youth-union-members-digitised-2022")
    assert len(youth) == 3 and set(youth["as_written"]) == {"91,53%"}
    assert _one(res, "f-ratio-youth-union-members-digitised-2022")["severity"] == "minor"
    assert _one(res, "f-target-conflict-sme-using-digital-platforms-2022-qd-231-2022")["as_written_a"] == "10%"


def test_no_finding_from_the_projects_own_reading(res):
    """Regressions of readings that once made findings: the misread budget item, the 03 classes of one course."""
    ids = set(res.findings["finding_id"])
    assert not any("dx-training-classes" in i for i in ids)
    assert not any(i.startswith("f-budget-total-qd-231-2022-it-2021-qd-231-2022-it-2021-total") for i in ids)
    fx = res.extra["finding_facts"]
    assert not pd.isna(fx["source_id"]).any()


def test_context_figures(res, pkg):
    cf = pkg.t("context_figure").set_index("figure_id")
    assert cf.loc["nq-09-2025-dx-tasks", "value"] == 96 and cf.loc["proposal-2023-task-groups", "value"] == 8
    assert _one(res, "f-denominator-provinces-2021")["as_written_a"] == "31/36"
    assert not (res.findings["kind"] == "count_listed").any(), "the 08 proposed task groups are the 8 listed"


def test_home_headline_counts_distinct_targets_and_budget_page_reads_item_10(site):
    import html
    import re

    site_dir, _ = site
    home = html.unescape(re.sub(r"<[^>]+>", " ", (site_dir / "en" / "index.html").read_text(encoding="utf-8")))
    assert "Decision 231/QĐ-UBND: 8 of 24 targets for 2022 met; 6 of the 24" in re.sub(r"\s+", " ", home)
    budget = (site_dir / "budget" / "index.html").read_text(encoding="utf-8")
    assert "2.500.000.000,000" not in budget and "2.500.000.000" in budget and "2.500.000,000" in budget
    assert "f-misprint-qd-231-2022-it-2021-item-10" in budget
    dq = html.unescape(re.sub(r"<[^>]+>", " ", (site_dir / "en" / "data-quality" / "index.html").read_text("utf-8")))
    assert "44 findings: 29 major, 15 minor." in re.sub(r"\s+", " ", dq)
    assert "20,140,500,000" not in dq, "the 2.5-billion gap came from misreading item 10"


# ------------------------------------------------------------------ the shipped figures on the built site


def _page_text(site_dir: Path, key: str, lang: str) -> str:
    import html
    import re

    p = site_dir / ("en" if lang == "en" else "") / key / "index.html"
    return html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")))


def test_budget_totals_on_the_data_quality_page(site):
    site_dir, _ = site
    vi = _page_text(site_dir, "data-quality", "vi")
    # budget totals that are not the sum of their items (the prose total; item 10 is read as 2.500.000.000)
    assert "22.639.373.567" in vi and "22.638.000.000" in vi and "20.140.500.000" not in vi


def test_numbers_are_formatted_per_language(site):
    site_dir, _ = site
    vi, en = _page_text(site_dir, "districts", "vi"), _page_text(site_dir, "districts", "en")
    assert "51.746" in vi and "51,746" in en  # digital payment accounts, stated total
    vi, en = _page_text(site_dir, "kpi", "vi"), _page_text(site_dir, "kpi", "en")
    # the tracker shows each KPI's latest value against its target: fibre broadband 2022 (dn-2022-results)
    assert "53,65%" in vi and "53.65%" in en
    assert "53.65%" not in vi and "53,65%" not in en


def test_chart_csv_holds_the_numbers_drawn(site):
    site_dir, _ = site
    f = site_dir / "assets" / "charts" / "dti-main-index-scores-vi.csv"
    with open(f, encoding="utf-8") as fh:
        got = {r["main_index"]: r["score"] for r in csv.DictReader(fh)}
    assert float(got["Thể chế số"]) == 0.6 and float(got["Nhân lực số"]) == 0.0538


def test_shipped_site_is_named_after_its_province(site):
    site_dir, _ = site
    vi = (site_dir / "index.html").read_text(encoding="utf-8")
    en = (site_dir / "en" / "index.html").read_text(encoding="utf-8")
    assert "<title>Minh bạch chuyển đổi số Đắk Nông</title>" in vi
    assert "Dữ liệu: Sở Thông tin và Truyền thông tỉnh Đắk Nông · Giấy phép CC BY 4.0" in vi
    assert "Data: Đắk Nông Department of Information and Communications · Licence CC BY 4.0" in en


def test_summary_shows_the_shipped_headline_targets_findings_and_sources(site):
    """The one-page summary of Đắk Nông: DTI 2021 0.3509, 41st of 63 (4th of 5 in the Central Highlands), the
    three pillars, QĐ 231's own 24 judged targets for 2022: 8 achieved, 10 missed, 6 on a disputed figure (11 without
    data, 6 not comparable, 4 restated by 002 only), 44 findings (29 major), and the three documents those figures
    come from, named by short title."""
    import re

    site_dir, _ = site
    vi = re.sub(r"\s+", " ", _page_text(site_dir, "summary", "vi"))
    en = re.sub(r"\s+", " ", _page_text(site_dir, "summary", "en"))
    assert "đứng thứ 41/63 cả nước" in vi and "năm 2021, với 0,3509 điểm" in vi
    assert "ranked 41 of 63 provinces" in en and "in 2021, scoring 0.3509" in en
    assert "350,9 / 1.000 điểm" in vi and "350.9 / 1,000 points" in en
    assert "Rank in the Central Highlands 4/5" in en
    for name, score, rank, change in (
        ("Digital government", "0.3527", "46/63", "up 14 places"),
        ("Digital economy", "0.3461", "45/63", "up 5 places"),
        ("Digital society", "0.3594", "37/63", "down 7 places"),
    ):
        assert re.search(rf"{name} {score} {rank} {change} ", en), name
    assert "Chính quyền số 0,3527 46/63 tăng 14 bậc +0,0907" in vi
    assert "Decision 231/QĐ-UBND: 8 of 24 targets for 2022 met; 6 of the 24" in en
    assert "QĐ 231/QĐ-UBND: đạt 8 trên 24 mục tiêu năm 2022; 6 trong số 24" in vi
    assert "2022 8 10 6 11 6 " in en and "2022 8 10 6 11 6 " in vi
    missed = (site_dir / "en" / "summary" / "index.html").read_text(encoding="utf-8")
    table = missed[missed.find('aria-label="Targets missed in 2022"') :]
    assert table[: table.find("</table>")].count("<tr>") == 1 + 10
    assert "Share of documents exchanged electronically between state agencies 91.3% (2022) at least 92%" in en
    assert "91,3% (2022) tối thiểu 92%" in vi
    assert "44 findings: 29 major, 15 minor." in en and "44 điểm không khớp: 29 nghiêm trọng, 15 nhỏ." in vi
    assert re.search(r"Major Reported value differs from its recomputation ?: Digital economy \(2021\)", en)
    for short in ("2021 DTI report", "2022 results report", "Decision 231/QĐ-UBND"):
        assert f"{short} :" in en, short
    for short in ("Báo cáo DTI 2021", "Báo cáo kết quả 2022", "QĐ 231/QĐ-UBND"):
        assert f"{short} :" in vi, short
    assert "press release :" not in en, "no figure of the summary comes from the press release"
    assert "Data version 0.2.0 of 27 November 2026." in en and "Phiên bản dữ liệu 0.2.0, ngày 27/11/2026." in vi


def test_fair_findings_say_which_side_the_documents_support(res):
    """Issue 20 item 3 on the shipped documents: the wrong finding and the six misleading ones, by rule."""
    f = res.findings.set_index("finding_id")
    side = {i: (r["severity"], r["supported"], r["supported_reason"]) for i, r in f.iterrows()}
    # level-4 services: 002's own text gives 110/653 = 16,8 % for 10/2022; its table swapped the years
    lvl4 = "f-period-shift-online-services-level4-with-applications-2022-dn-press-2022"
    assert side[lvl4][1:] == ("a", "own_text_same_year") and f.loc[lvl4, "source_a"] == "dn-press-2022"
    assert side["f-denominator-provinces-2021"] == ("minor", "b", "typo_one_passage")  # 31/36 beside 06/63
    assert side["f-cross-source-products-on-ecommerce-2022"] == ("minor", "a", "part_under_total_name")
    assert side["f-cross-source-village-community-team-members-2022"] == ("minor", "a", "total_under_part_name")
    assert side["f-target-conflict-sme-using-digital-platforms-2022-qd-231-2022"] == ("minor", "both", "met_either")
    for b in ("it-2021", "security-2021"):  # the appendix total equals its items: the narrative's figure is odd
        assert side[f"f-budget-total-qd-231-2022-{b}-qd-231-2022-{b}-prose-total"] == (
            "minor",
            "b",
            "table_total_agrees",
        )
    assert side["f-ratio-computers-with-central-antimalware-2021"] == ("minor", "both", "truncation")  # 71,5/71,58
    assert side["f-cross-source-citizen-id-applications-2022"] == ("major", "unknown", "no_working")


@pytest.mark.slow
def test_data_quality_page_says_which_side_the_documents_support(site):
    import re

    site_dir, _ = site
    for lang, words in (
        ("en", ["the table has the years swapped", "1,098 = 47 + 1,051", "4,078 = 710 + 3,368", "meets both"]),
        ("vi", ["bảng đã đảo năm", "1.098 = 47 + 1.051", "4.078 = 710 + 3.368", "đạt cả hai"]),
    ):
        text = re.sub(r"\s+", " ", _page_text(site_dir, "data-quality", lang))
        for w in words:
            assert w in text, (lang, w)
        n = text.count("Which side the documents support:" if lang == "en" else "Các văn bản ủng hộ bên nào:")
        assert n == 44, (lang, n)
    with (site_dir / "downloads" / "data-quality-findings.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["finding_id"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 44 and all(r["supported"] and r["supported_reason"] for r in rows.values())
    lvl4 = rows["f-period-shift-online-services-level4-with-applications-2022-dn-press-2022"]
    assert (lvl4["supported"], lvl4["supported_reason"], lvl4["source_a"]) == (
        "a",
        "own_text_same_year",
        "dn-press-2022",
    )
