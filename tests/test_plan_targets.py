"""Targets per plan and disputed figures, on built sites: the headline a reader sees against a recount from the
CSVs they can download, a synthetic package whose one disputed figure would otherwise meet its target, and no
document named by its internal id in the text of a link."""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import helpers

ROOT = Path(__file__).resolve().parents[1]
HEADLINE = re.compile(r'<p class="mb-headline" data-plan="([a-z0-9-]+)"[^>]*>(.*?)</p>', re.S)
NUMBERS = {
    "en": re.compile(r": (\d+) of (\d+) targets for (\d{4}) met(?:; (\d+) of the \d+ are judged on a disputed)?"),
    "vi": re.compile(r": đạt (\d+) trên (\d+) mục tiêu năm (\d{4})(?:; (\d+) trong số)?"),
}
# the finding kinds that dispute a figure, with the columns of the findings CSV that hold the disputed value
DISPUTING = {"ratio": ("value_a",), "combined_range": ("value_a",), "period_shift": ("value_a",)}
DISPUTING["cross_source"] = ("value_a", "value_b")


def _page(site: Path, key: str, lang: str) -> str:
    return (site / ("en" if lang == "en" else "") / key / "index.html").read_text(encoding="utf-8")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def headlines(doc: str, lang: str) -> dict[str, tuple[int, int, int, int]]:
    """plan id → (year, met, counted, disputed) as the page states it."""
    out = {}
    for plan_id, inner in HEADLINE.findall(doc):
        m = NUMBERS[lang].search(html.unescape(re.sub(r"<[^>]+>", "", inner)))
        assert m, f"{lang}: unreadable headline {inner!r}"
        out[plan_id] = (int(m.group(3)), int(m.group(1)), int(m.group(2)), int(m.group(4) or 0))
    return out


def _num(v: str) -> float | None:
    return float(v) if v not in ("", None) else None


def recount(site: Path) -> dict[str, tuple[int, int, int, int]]:
    """The headline per plan, from the published CSVs only: the data package's plan, target, KPI and observation
    tables (latest/data/) with the findings and the attainment table (downloads/)."""
    data, dl = site / "latest" / "data", site / "downloads"
    plan_source = {p["plan_id"]: p["source_id"] for p in _rows(data / "plan.csv")}
    direction = {k["kpi_id"]: k["direction"] for k in _rows(data / "kpi.csv")}
    # a target is the plan's own when the plan's document states it; a restatement elsewhere is not a new one
    groups: dict[tuple, list[dict]] = {}
    for t in _rows(data / "target.csv"):
        key = (t["plan_id"], t["kpi_id"] or t["target_id"], t["province_id"], t["target_year"])
        groups.setdefault(key, []).append(t)
    own = {
        t["target_id"]
        for g in groups.values()
        if any(r["source_id"] == plan_source[r["plan_id"]] for r in g)
        for t in g
    }
    # the figures a finding disputes: misprints always, the other kinds when major
    obs = {o["observation_id"]: o for o in _rows(data / "kpi_observation.csv")}
    disputed: set[tuple] = set()
    for f in _rows(dl / "data-quality-findings.csv"):
        if f["kind"] == "misprint" and f["subject_type"] == "kpi_observation":
            o = obs[f["subject_id"]]
            disputed.add((o["kpi_id"], o["period"], round(float(o["value"]), 6)))
        elif f["kind"] in DISPUTING and f["severity"] == "major" and f["subject_type"] == "kpi":
            for col in DISPUTING[f["kind"]]:
                if f[col]:
                    disputed.add((f["subject_id"], f["period"], round(float(f[col]), 6)))
    no_basis = {(o["kpi_id"], o["period"]) for o in obs.values() if o.get("no_basis") == "true"}
    counts: dict[tuple[str, int], list[int]] = {}
    for a in _rows(dl / "kpi-attainment.csv"):
        v, tv = _num(a["observed_value"]), _num(a["target_value"])
        if a["target_id"] not in own or v is None or tv is None or not a["comparator"] or not a["kpi_id"]:
            continue
        assert (a["kpi_id"], a["period"]) not in no_basis, "a figure without basis judged a target"
        c = counts.setdefault((a["plan_id"], int(a["target_year"])), [0, 0, 0])
        c[1] += 1
        if (a["kpi_id"], a["period"], round(v, 6)) in disputed:
            c[2] += 1
            continue
        down = a["comparator"] == "at_most" or (
            a["comparator"] == "equal" and direction.get(a["kpi_id"]) == "lower_is_better"
        )
        c[0] += int(v <= tv if down else v >= tv)
    latest: dict[str, int] = {}
    for plan_id, year in counts:
        latest[plan_id] = max(year, latest.get(plan_id, year))
    return {p: (y, *counts[(p, y)]) for p, y in latest.items()}


@pytest.mark.slow
def test_headline_per_plan_equals_a_recount_from_the_published_csvs(site):
    site_dir, _ = site
    expected = recount(site_dir)
    assert expected, "no plan has a judged target"
    for lang in ("vi", "en"):
        for key in ("", "summary", "kpi"):
            got = headlines(_page(site_dir, key, lang), lang)
            assert got == expected, f"{lang}/{key}: page {got} ≠ recount {expected}"
    # the shipped data: QĐ 231's own 24 targets with a 2022 figure, 8 met, 6 on a disputed figure (e-ID 72,5 % is
    # 48.201/664.416 = 7,25 %; digital signatures 4,18 % are 0,42 %; 76 % against 49/67 = 73,1 %; ...)
    assert expected == {"qd-231-2022": (2022, 8, 24, 6)}
    home = re.sub(r"\s+", " ", html.unescape(_page(site_dir, "", "en")))
    assert "Decision 231/QĐ-UBND: 8 of 24 targets for 2022 met; 6 of the 24" in home
    m = re.search(r"found (\d+) places where the documents disagree", home)
    assert m and int(m.group(1)) == len(_rows(site_dir / "downloads" / "data-quality-findings.csv"))
    # 99,5 % satisfaction (11/2021) is shown with what its document says of it, and judges no target
    doc = html.unescape(_page(site_dir, "indices/government-activity", "en"))
    assert re.search(r"99\.5%[^<]*\(the document says: no basis for assessment\)", doc)
    assert "(văn bản ghi: không đủ cơ sở đánh giá)" in html.unescape(
        _page(site_dir, "indices/government-activity", "vi")
    )
    # the rule of the count is stated on the methodology page, in both languages
    assert "the targets of a year that the plan's own document sets" in _page(site_dir, "methodology", "en")
    assert "do chính văn bản của kế hoạch đặt ra" in _page(site_dir, "methodology", "vi")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.open.append([dict(attrs).get("href") or "", ""])

    def handle_endtag(self, tag):
        if tag == "a" and self.open:
            href, text = self.open.pop()
            self.texts.append((href, text.strip()))

    def handle_data(self, data):
        for a in self.open:
            a[1] += data


@pytest.mark.slow
def test_no_link_on_any_page_reads_a_document_id(site):
    """Documents are named by their short title (issuer and date in the `title`), never `dn-…`, in both languages."""
    site_dir, _ = site
    files = sorted(site_dir.rglob("*.html"))
    bad, to_sources = [], 0
    for f in files:
        p = _Links()
        p.feed(f.read_text(encoding="utf-8"))
        for href, text in p.texts:
            to_sources += "sources/dn-" in href
            if re.match(r"dn-", text):
                bad.append((str(f.relative_to(site_dir)), href, text))
    assert to_sources > 100, "the check saw no link to a source document"
    tops = {f.relative_to(site_dir).parts[0] for f in files}
    assert "en" in tops and "kpi" in tops, "both languages are checked"
    assert not bad, f"{len(bad)} links read an id, e.g. {bad[:3]}"
    # nor does a cell of a chart's data table, on the chart's page or its embed page (the open-data previews and the
    # document's own page show the code as data)
    cells = []
    for f in files:
        doc = f.read_text(encoding="utf-8")
        for t in re.findall(r'<details class="mb-chart__data">.*?</details>|<table.*?</table>', doc, re.S):
            if ("embed" in f.parts or "mb-chart__data" in t) and re.search(r"<td[^>]*>dn(-|&#45;)[a-z0-9]", t):
                cells.append(str(f.relative_to(site_dir)))
    assert not cells, f"{len(cells)} pages have a table cell reading a document id, e.g. {cells[:3]}"
    doc = _page(site_dir, "kpi", "en")
    assert ">2022 results report</a>" in doc and "Đắk Nông Provincial People&#39;s Committee, November 2022" in doc


@pytest.fixture(scope="module")
def disputed_site(tmp_path_factory):
    """A synthetic package whose latest online-services figure (45,6 %) meets its target (40 %) but is printed
    with counts that contradict it (10 of 100)."""
    from minhbach.build import build_site

    root = tmp_path_factory.mktemp("disputed")
    shape = helpers.Shape(target_years=(2025, 2030), disputed=True)
    pkg = helpers.make(root / "pkg", shape)
    build_site(pkg, root / "out", ROOT, base_url="https://example.org/disputed/")
    return pkg, root / "out" / "site"


@pytest.mark.slow
def test_a_disputed_figure_is_counted_disputed_never_met(disputed_site):
    from minhbach.compute.targets import attainment
    from minhbach.findings.run import compute_all
    from minhbach.load.package import load_package

    pkg_dir, site_dir = disputed_site
    pkg = load_package(pkg_dir)
    tid = "plan-2030-online-services-2025"
    # without the finding the figure would meet the target ...
    assert attainment(pkg).set_index("target_id").loc[tid, "status"] == "achieved"
    # ... with it, the target is disputed
    res = compute_all(pkg)
    assert "ratio" in set(res.findings["kind"])
    assert res.attainment.set_index("target_id").loc[tid, "status"] == "disputed"
    rows = {r["target_id"]: r for r in _rows(site_dir / "downloads" / "kpi-attainment.csv")}
    assert rows[tid]["status"] == "disputed"
    assert recount(site_dir) == {"plan-2030": (2025, 0, 2, 1)}
    for lang in ("vi", "en"):
        for key in ("", "summary", "kpi"):
            assert headlines(_page(site_dir, key, lang), lang) == {"plan-2030": (2025, 0, 2, 1)}, (lang, key)
        kpi = _page(site_dir, "kpi", lang)
        assert "mb-status--disputed" in kpi and "mb-status--achieved" not in kpi, lang
        index = _page(site_dir, "indices/government-activity", lang)
        assert "mb-status--disputed" in index and "mb-status--achieved" not in index, lang
    assert "Figure disputed" in _page(site_dir, "kpi", "en")
    assert "Số liệu bị nghi vấn" in _page(site_dir, "kpi", "vi")
