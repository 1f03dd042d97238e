"""District totals are compared per province: a package of three provinces, each with its districts and its
total in one table of one document, makes no false finding; a wrong total makes exactly one, for its province."""

from __future__ import annotations

import csv
import dataclasses
import shutil

import pytest

import helpers
from minhbach.findings import checks_kpi
from minhbach.load.package import load_package
from minhbach.validate.run import validate_package


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    shape = dataclasses.replace(helpers.SHAPES["three-provinces"], district_kpi=True)
    root = helpers.make(tmp_path_factory.mktemp("three") / "pkg", shape)
    issues, _ = validate_package(root)
    assert not issues, issues[:5]
    return root


def _totals(root):
    return [f for f in checks_kpi.run(load_package(root)) if f.kind == "district_total"]


def test_three_provinces_make_no_false_district_finding(three):
    obs = load_package(three).t("kpi_observation")
    dist = obs[obs["district_id"].notna()]
    assert dist["province_id"].nunique() == 3  # the case the check used to get wrong
    assert len(dist.groupby(["kpi_id", "period", "source_id", "section"])) == 2  # one table a year
    assert _totals(three) == []


def test_a_wrong_total_is_found_for_its_own_province(three, tmp_path):
    root = shutil.copytree(three, tmp_path / "pkg")
    path = root / "data" / "kpi_observation.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["observation_id"] == "digital-firms-gia-lai-2025")
    row["value"] = str(int(row["value"]) + 1)  # the printed total stays: a value that disagrees with its parts
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    found = _totals(root)
    assert len(found) == 1
    f = found[0]
    assert str(f.period) == "2025"
    stated = [x.row_id for x in f.facts if x.role == "stated_total"]
    parts = sorted(x.row_id for x in f.facts if x.role == "part")
    assert stated == ["digital-firms-gia-lai-2025"]
    assert parts == ["digital-firms-gia-lai-2025-d1", "digital-firms-gia-lai-2025-d2"]
    assert f.params["parts"] == 2 and f.difference == 1.0
