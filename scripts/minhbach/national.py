"""A synthetic national-scale package for `minhbach bench`: every main index, sub-indicator and KPI of the shipped
package for any number of provinces and years, 8 districts per province, deterministic from its seed."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path


def _vi(x: float, decimals: int) -> str:
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def generate_national(src_root: Path, dst: Path, provinces: int = 63, years: int = 5, seed: int = 1) -> Path:
    """A synthetic national package: every main index, sub-indicator and KPI, 8 districts per province."""
    rnd = random.Random(seed)
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src_root / "data", dst / "data", ignore=shutil.ignore_patterns("staging", "sources"))
    (dst / "data" / "sources").mkdir()
    dp = json.loads((src_root / "datapackage.json").read_text(encoding="utf-8"))
    dp["x-province"] = "p01"
    (dst / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2), encoding="utf-8")

    def read(name):
        with open(dst / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def write(name, rows, fields):
        with open(dst / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in dp["resources"]}
    words: set[str] = set()
    sec = "Synthetic table"
    src_id = "synthetic-national"
    pids = [f"p{i:02d}" for i in range(1, provinces + 1)]
    write(
        "province",
        [
            {
                "province_id": p,
                "name_vi": f"Province {p[1:]}",
                "name_en": f"Province {p[1:]}",
                "region_vi": "Test region",
                "region_en": "Test region",
                "provinces_in_country": provinces,
                "provinces_in_region": provinces,
            }
            for p in pids
        ],
        fields["province"],
    )
    write(
        "district",
        [
            {
                "district_id": f"{p}-d{d}",
                "province_id": p,
                "name_vi": f"District {p[1:]}.{d}",
                "name_en": f"District {p[1:]}.{d}",
                "kind": "district",
                "sort_order": d,
            }
            for p in pids
            for d in range(1, 9)
        ],
        fields["district"],
    )
    write(
        "source",
        [
            {
                "source_id": src_id,
                "title_vi": "Synthetic package for benchmarking",
                "title_en": "Synthetic package for benchmarking",
                "issuer_vi": "minhbach",
                "issuer_en": "minhbach",
                "issued": "2026-01",
                "document_type": "report",
                "path": f"sources/{src_id}.txt",
                "note_vi": "",
                "note_en": "",
            }
        ],
        fields["source"],
    )
    mis = read("main_index")
    # every generated year is scored under one framework (its first year is the first generated one)
    write("main_index", [{**m, "first_year": str(2023 - years)} for m in mis], fields["main_index"])
    pillars = read("pillar")
    year0 = 2023 - years
    dti = []
    for p in pids:
        for y in range(year0, year0 + years):
            subjects = [("", "")] + [(pl["pillar_id"], "") for pl in pillars] + [("", m["main_index_id"]) for m in mis]
            for pl, m in subjects:
                v = round(rnd.uniform(0.05, 0.8), 4)
                r = rnd.randint(1, provinces)
                for metric, val, aw, scale, out_of in (
                    ("score", v, _vi(v, 4), "unit_interval", ""),
                    ("rank", r, str(r), "rank", provinces),
                ):
                    words.add(aw)
                    dti.append(
                        {
                            "observation_id": f"{p}-{y}-{pl or m or 'total'}-{metric}",
                            "province_id": p,
                            "year": y,
                            "pillar_id": pl,
                            "main_index_id": m,
                            "statistic": "province",
                            "metric": metric,
                            "value": val,
                            "scale": scale,
                            "out_of": out_of,
                            "rank_scope": "national" if metric == "rank" else "",
                            "source_id": src_id,
                            "section": sec,
                            "as_written": aw,
                            "note_vi": "",
                            "note_en": "",
                        }
                    )
    write("dti_observation", dti, fields["dti_observation"])
    subs = read("sub_indicator")
    for s in subs:
        s["source_id"] = src_id
    write("sub_indicator", subs, fields["sub_indicator"])
    statuses = ["no_score", "below_average", "achieved"]
    ass, ao = [], []
    for p in pids:
        for y in range(year0, year0 + years):
            for s in subs:
                aid = f"{p}-{y}-{s['sub_indicator_id']}"
                st = rnd.choice(statuses)
                words.add(st)
                ass.append(
                    {
                        "assessment_id": aid,
                        "sub_indicator_id": s["sub_indicator_id"],
                        "province_id": p,
                        "year": y,
                        "status": st,
                        "reason_vi": "",
                        "reason_en": "",
                        "source_id": src_id,
                        "section": sec,
                        "as_written": st,
                    }
                )
                ao.append({"assessment_id": aid, "organisation_id": "so-tttt"})
    write("sub_indicator_assessment", ass, fields["sub_indicator_assessment"])
    write("assessment_organisation", ao, fields["assessment_organisation"])
    write("sub_indicator_count", [], fields["sub_indicator_count"])
    kpis = read("kpi")
    district_kpis = {r["kpi_id"] for r in read("kpi_observation") if r["district_id"]}
    obs = []
    for p in pids:
        for y in range(year0, year0 + years):
            for k in kpis:
                v = round(rnd.uniform(0, 100), 2) if k["unit"] == "percent" else rnd.randint(0, 5000)
                aw = _vi(v, 2) + "%" if k["unit"] == "percent" else _vi(v, 0)
                words.add(aw)
                obs.append(
                    {
                        "observation_id": f"{p}-{y}-{k['kpi_id']}",
                        "kpi_id": k["kpi_id"],
                        "province_id": p,
                        "district_id": "",
                        "period": str(y),
                        "value": v,
                        "numerator": "",
                        "denominator": "",
                        "qualifier": "exact",
                        "source_id": src_id,
                        "section": sec,
                        "as_written": aw,
                        "numerator_as_written": "",
                        "denominator_as_written": "",
                        "note_vi": "",
                        "note_en": "",
                    }
                )
                if k["kpi_id"] in district_kpis:
                    for d in range(1, 9):
                        if k["unit"] == "percent":
                            dv = round(rnd.uniform(0, 100), 2)
                            daw = _vi(dv, 2) + "%"
                        else:
                            dv = rnd.randint(0, 3000)
                            daw = _vi(dv, 0)
                        words.add(daw)
                        obs.append(
                            {
                                **obs[-1],
                                "observation_id": f"{p}-{y}-{k['kpi_id']}-d{d}",
                                "district_id": f"{p}-d{d}",
                                "value": dv,
                                "as_written": daw,
                            }
                        )
    write("kpi_observation", obs, fields["kpi_observation"])
    generated = {
        "province",
        "district",
        "source",
        "dti_observation",
        "sub_indicator_assessment",
        "assessment_organisation",
        "sub_indicator_count",
        "kpi_observation",
    }
    for name in [r["name"] for r in dp["resources"] if r["name"] not in generated]:
        rows = read(name)
        if not rows or "source_id" not in rows[0]:
            continue
        for r in rows:  # every other fact now cites the one synthetic document, in its one section
            r["source_id"] = src_id
            if "section" in r:
                r["section"] = sec
            if r.get("province_id"):
                r["province_id"] = "p01"
            words.update(v for k, v in r.items() if k.endswith("as_written") and v)
        write(name, rows, fields[name])
    # one section heading, then every printed value: provenance is checked inside the cited section
    text = "\n".join([sec, *sorted(words)]) + "\n"
    (dst / "data" / "sources" / f"{src_id}.txt").write_text(text, encoding="utf-8")
    return dst
