"""Stage 3: every computed figure, as pure functions of the loaded package.

Reported values are never changed. Where a reported figure and its recomputation (or two sources)
differ by more than the rounding the printed digits allow, the pair becomes a *finding* that the
site publishes on its data-quality page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from .load import Package
from .numbers import half_ulp, parse_vi

LANGS = ("vi", "en")


@dataclass
class Results:
    scores: pd.DataFrame
    recomputed: pd.DataFrame
    changes: pd.DataFrame
    attainment: pd.DataFrame
    attainment_summary: pd.DataFrame
    status_counts: pd.DataFrame
    budget: pd.DataFrame
    findings: pd.DataFrame
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ helpers


def publisher_province(pkg: Package) -> str:
    """The province whose report this is (`x-province` in datapackage.json), else the first province."""
    ids = list(pkg.t("province")["province_id"])
    pid = pkg.descriptor.get("x-province")
    return pid if pid in ids else ids[0]


def source_rank(pkg: Package) -> dict[str, int]:
    """Newer documents first: when sources repeat a figure, the latest issued one is shown."""
    src = pkg.t("source").sort_values(["issued", "source_id"], ascending=[False, True])
    return {s: i for i, s in enumerate(src["source_id"])}


def subject_of(row) -> tuple[str, str]:
    if isinstance(row.get("main_index_id"), str):
        return "main_index", row["main_index_id"]
    if isinstance(row.get("pillar_id"), str):
        return "pillar", row["pillar_id"]
    return "total", "dti"


def subject_label(pkg: Package, level: str, sid: str, lang: str) -> str:
    if level == "main_index":
        return str(pkg.t("main_index").set_index("main_index_id").loc[sid, f"name_{lang}"])
    if level == "pillar":
        return str(pkg.t("pillar").set_index("pillar_id").loc[sid, f"name_{lang}"])
    return "Chỉ số DTI tổng thể" if lang == "vi" else "Overall DTI"


def max_points(pkg: Package) -> dict[tuple[str, str], float]:
    """Maximum points of every subject: main indices as given, pillars and the total as sums."""
    mi = pkg.t("main_index").set_index("main_index_id")["max_points"].astype(float)
    out = {("main_index", k): v for k, v in mi.items()}
    for p, g in pkg.t("main_index_pillar").groupby("pillar_id"):
        out[("pillar", p)] = float(mi[list(g["main_index_id"])].sum())
    out[("total", "dti")] = float(mi.sum())
    return out


def _d(x) -> Decimal:
    return Decimal(repr(float(x)))


# ------------------------------------------------------------------ scores


def scores(pkg: Package) -> pd.DataFrame:
    """Reported scores on both scales, one canonical row per subject, year and statistic."""
    obs = pkg.t("dti_observation")
    maxp = max_points(pkg)
    rank = source_rank(pkg)
    rows = []
    for i, r in enumerate(obs.to_dict("records")):
        if r["metric"] != "score":
            continue
        level, sid = subject_of(r)
        m = maxp[(level, sid)]
        unit = r["value"] if r["scale"] == "unit_interval" else r["value"] / m
        pts = r["value"] * m if r["scale"] == "unit_interval" else r["value"]
        rows.append(
            {
                "province_id": r["province_id"],
                "statistic": r["statistic"],
                "year": int(r["year"]),
                "level": level,
                "subject_id": sid,
                "value_unit": float(unit),
                "value_points": float(pts),
                "max_points": m,
                "scale": r["scale"],
                "as_written": r["as_written"],
                "source_id": r["source_id"],
                "section": r["section"],
                "observation_id": r["observation_id"],
                "_order": (rank.get(r["source_id"], 99), i),
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df = df.sort_values("_order", kind="stable").drop_duplicates(
        ["province_id", "statistic", "year", "level", "subject_id"], keep="first"
    )
    ranks = ranks_table(pkg)
    df = df.merge(ranks, how="left", on=["province_id", "statistic", "year", "level", "subject_id"])
    for col in ("rank", "rank_out_of"):
        df[col] = df[col].astype("Int64")
    return (
        df.drop(columns="_order")
        .sort_values(["province_id", "statistic", "level", "subject_id", "year"], na_position="first")
        .reset_index(drop=True)
    )


def ranks_table(pkg: Package) -> pd.DataFrame:
    obs = pkg.t("dti_observation")
    rank = source_rank(pkg)
    rows = []
    for i, r in enumerate(obs.to_dict("records")):
        if r["metric"] != "rank" or r["rank_scope"] != "national":
            continue
        level, sid = subject_of(r)
        rows.append(
            {
                "province_id": r["province_id"],
                "statistic": r["statistic"],
                "year": int(r["year"]),
                "level": level,
                "subject_id": sid,
                "rank": int(r["value"]),
                "rank_out_of": int(r["out_of"]),
                "rank_as_written": r["as_written"],
                "rank_source_id": r["source_id"],
                "rank_section": r["section"],
                "_order": (rank.get(r["source_id"], 99), i),
            }
        )
    cols = [
        "province_id",
        "statistic",
        "year",
        "level",
        "subject_id",
        "rank",
        "rank_out_of",
        "rank_as_written",
        "rank_source_id",
        "rank_section",
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows).sort_values("_order", kind="stable")
    return df.drop_duplicates(cols[:5], keep="first")[cols]


def recompute(pkg: Package, sc: pd.DataFrame) -> pd.DataFrame:
    """Total and pillars recomputed from main indices (points summed, divided by the summed maxima).

    Tolerance: half a unit of the last printed digit of the reported value, plus the same for each
    input weighted by its share of the maximum, so printed rounding alone never raises a finding.
    """
    if sc.empty:
        return pd.DataFrame()
    maxp = max_points(pkg)
    members = {("total", "dti"): list(pkg.t("main_index")["main_index_id"])}
    for p, g in pkg.t("main_index_pillar").groupby("pillar_id"):
        members[("pillar", p)] = list(g["main_index_id"])
    rows = []
    for (prov, stat, year), g in sc.groupby(["province_id", "statistic", "year"], dropna=False):
        mi = g[g["level"] == "main_index"].set_index("subject_id")
        for _, rep in g[g["level"] != "main_index"].iterrows():
            key = (rep["level"], rep["subject_id"])
            need = members[key]
            if not set(need) <= set(mi.index):
                continue
            total_max = Decimal(repr(maxp[key]))
            pts = sum(_d(mi.loc[m, "value_points"]) for m in need)
            recomputed = pts / total_max
            tol = sum(
                half_ulp(mi.loc[m, "as_written"])
                * (_d(mi.loc[m, "max_points"]) / total_max if mi.loc[m, "scale"] == "unit_interval" else 1 / total_max)
                for m in need
            )
            tol += half_ulp(rep["as_written"]) / (1 if rep["scale"] == "unit_interval" else total_max)
            reported = _d(rep["value_unit"])
            rows.append(
                {
                    "province_id": prov,
                    "statistic": stat,
                    "year": year,
                    "level": rep["level"],
                    "subject_id": rep["subject_id"],
                    "reported": float(reported),
                    "reported_as_written": rep["as_written"],
                    "source_id": rep["source_id"],
                    "section": rep["section"],
                    "recomputed": float(round(recomputed, 6)),
                    "difference": float(round(reported - recomputed, 6)),
                    "tolerance": float(round(tol, 6)),
                    "agrees": bool(abs(reported - recomputed) <= tol),
                }
            )
    return pd.DataFrame(rows)


def changes(pkg: Package, sc: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of every score and rank (rank change: positive = moved up)."""
    rows = []
    if sc.empty:
        return pd.DataFrame()
    for key, g in sc.groupby(["province_id", "statistic", "level", "subject_id"], dropna=False):
        g = g.sort_values("year")
        prev = None
        for _, cur in g.iterrows():
            if prev is not None:
                rc = pd.NA
                if not pd.isna(prev.get("rank")) and not pd.isna(cur.get("rank")):
                    rc = int(prev["rank"]) - int(cur["rank"])
                rows.append(
                    {
                        "province_id": key[0],
                        "statistic": key[1],
                        "level": key[2],
                        "subject_id": key[3],
                        "from_year": int(prev["year"]),
                        "to_year": int(cur["year"]),
                        "score_from": prev["value_unit"],
                        "score_to": cur["value_unit"],
                        "score_change": round(cur["value_unit"] - prev["value_unit"], 6),
                        "score_change_pct": round((cur["value_unit"] / prev["value_unit"] - 1) * 100, 2)
                        if prev["value_unit"]
                        else None,
                        "rank_from": prev.get("rank"),
                        "rank_to": cur.get("rank"),
                        "rank_change": rc,
                    }
                )
            prev = cur
    out = pd.DataFrame(rows)
    for col in ("rank_from", "rank_to", "rank_change"):
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    return out


# ------------------------------------------------------------------ KPIs and targets


def canonical_observations(pkg: Package) -> pd.DataFrame:
    """One value per KPI, place and period: the latest source wins; the others feed disagreements."""
    obs = pkg.t("kpi_observation").copy()
    rank = source_rank(pkg)
    obs["_order"] = [(rank.get(s, 99), i) for i, s in enumerate(obs["source_id"])]
    obs = obs.sort_values("_order", kind="stable")
    return obs.drop_duplicates(["kpi_id", "province_id", "district_id", "period"], keep="first").drop(columns="_order")


def attainment(pkg: Package) -> pd.DataFrame:
    """Each target against the observation for its year: achieved / not_achieved / no_data / not_comparable.

    A full-year observation is preferred; a part-year one (e.g. 2022-08) is used only when no
    full-year figure exists and is flagged `interim`.
    """
    obs = canonical_observations(pkg)
    obs = obs[obs["district_id"].isna() & obs["value"].notna()]
    by_kpi = {k: g for k, g in obs.groupby(["kpi_id", "province_id"])}
    empty = obs.iloc[0:0]
    kpi = pkg.t("kpi").set_index("kpi_id")
    rows = []
    for t in pkg.t("target").to_dict("records"):
        base = {
            "target_id": t["target_id"],
            "plan_id": t["plan_id"],
            "kpi_id": t["kpi_id"],
            "province_id": t["province_id"],
            "target_year": int(t["target_year"]),
            "comparator": t["comparator"],
            "target_value": t["value"],
            "target_as_written": t["as_written"],
            "target_source_id": t["source_id"],
            "target_section": t["section"],
            "text_vi": t["text_vi"],
            "text_en": t["text_en"],
            "observed_value": None,
            "observed_as_written": None,
            "period": None,
            "observation_id": None,
            "observed_source_id": None,
            "observed_section": None,
            "interim": False,
            "progress": None,
            "pillar_id": None,
            "main_index_id": None,
        }
        if pd.isna(t["kpi_id"]) or pd.isna(t["value"]) or pd.isna(t["comparator"]) or t["kpi_id"] not in kpi.index:
            rows.append({**base, "status": "not_comparable"})
            continue
        k = kpi.loc[t["kpi_id"]]
        base["pillar_id"] = k["pillar_id"] if not pd.isna(k["pillar_id"]) else None
        base["main_index_id"] = k["main_index_id"] if not pd.isna(k["main_index_id"]) else None
        cand = by_kpi.get((t["kpi_id"], t["province_id"]), empty)
        cand = cand[cand["period"].str.startswith(str(int(t["target_year"])))]
        if cand.empty:
            rows.append({**base, "status": "no_data"})
            continue
        full = cand[cand["period"] == str(int(t["target_year"]))]
        o = (full if not full.empty else cand.sort_values("period")).iloc[-1]
        v, tv = float(o["value"]), float(t["value"])
        if t["comparator"] == "at_least" or (t["comparator"] == "equal" and k["direction"] != "lower_is_better"):
            ok = v >= tv
        elif t["comparator"] == "at_most":
            ok = v <= tv
        else:
            ok = v <= tv
        progress = round(v / tv * 100, 1) if tv and t["comparator"] != "at_most" else None
        rows.append(
            {
                **base,
                "observed_value": v,
                "observed_as_written": o["as_written"],
                "period": o["period"],
                "observation_id": o["observation_id"],
                "observed_source_id": o["source_id"],
                "observed_section": o["section"],
                "interim": bool(full.empty),
                "progress": progress,
                "status": "achieved" if ok else "not_achieved",
            }
        )
    return pd.DataFrame(rows)


def attainment_summary(att: pd.DataFrame, pkg: Package) -> pd.DataFrame:
    if att.empty:
        return pd.DataFrame()
    a = att.copy()
    a["pillar_id"] = a["pillar_id"].fillna("none")
    out = a.groupby(["plan_id", "target_year", "pillar_id", "status"]).size().rename("count").reset_index()
    return out.sort_values(["plan_id", "target_year", "pillar_id", "status"]).reset_index(drop=True)


# ------------------------------------------------------------------ sub-indicators and budget


def status_counts(pkg: Package) -> pd.DataFrame:
    a = pkg.t("sub_indicator_assessment").merge(
        pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]], on="sub_indicator_id", how="left"
    )
    if a.empty:
        return pd.DataFrame(columns=["main_index_id", "year", "status", "count"])
    out = a.groupby(["main_index_id", "year", "status"]).size().rename("count").reset_index()
    return out.sort_values(["main_index_id", "year", "status"]).reset_index(drop=True)


def budget(pkg: Package) -> pd.DataFrame:
    """Sum of the items of each budget table against every total stated for it."""
    items = pkg.t("budget_item")
    tables = pkg.t("budget_table").set_index("budget_table_id")
    rows = []
    for tid, g in items.groupby("budget_table_id"):
        it = g[g["row_type"] == "item"]
        s = sum((_d(x) for x in it["amount"]), Decimal(0))
        for _, tot in g[g["row_type"] == "stated_total"].iterrows():
            rows.append(
                {
                    "budget_table_id": tid,
                    "unit": tables.loc[tid, "unit"],
                    "items": len(it),
                    "sum_of_items": float(s) if len(it) else None,
                    "stated_total": float(tot["amount"]),
                    "stated_as_written": tot["as_written"],
                    "budget_item_id": tot["budget_item_id"],
                    "source_id": tot["source_id"],
                    "section": tot["section"],
                    "difference": float(_d(tot["amount"]) - s) if len(it) else None,
                    "agrees": bool(_d(tot["amount"]) == s) if len(it) else None,
                }
            )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ findings


FINDING_COLUMNS = [
    "finding_id",
    "kind",
    "subject_vi",
    "subject_en",
    "value_a",
    "as_written_a",
    "source_a",
    "section_a",
    "value_b",
    "as_written_b",
    "source_b",
    "section_b",
    "difference",
    "tolerance",
    "explanation_vi",
    "explanation_en",
]


def findings(pkg: Package, rec: pd.DataFrame, chg: pd.DataFrame, bud: pd.DataFrame) -> pd.DataFrame:
    out = []

    def add(kind, svi, sen, a, b, diff, tol, evi, een):
        out.append(
            {
                "kind": kind,
                "subject_vi": svi,
                "subject_en": sen,
                "value_a": a[0],
                "as_written_a": a[1],
                "source_a": a[2],
                "section_a": a[3],
                "value_b": b[0],
                "as_written_b": b[1],
                "source_b": b[2],
                "section_b": b[3],
                "difference": diff,
                "tolerance": tol,
                "explanation_vi": evi,
                "explanation_en": een,
            }
        )

    for r in rec.to_dict("records") if not rec.empty else []:
        if r["agrees"]:
            continue
        lv, sid = r["level"], r["subject_id"]
        who_vi = "trung bình cả nước" if r["statistic"] == "national_mean" else ""
        add(
            "recomputation",
            f"{subject_label(pkg, lv, sid, 'vi')} {r['year']} {who_vi}".strip(),
            f"{subject_label(pkg, lv, sid, 'en')} {r['year']}" + (" national mean" if who_vi else ""),
            (r["reported"], r["reported_as_written"], r["source_id"], r["section"]),
            (r["recomputed"], None, None, None),
            r["difference"],
            r["tolerance"],
            "Giá trị công bố khác giá trị tính lại từ các chỉ số chính (tổng điểm chia tổng điểm tối đa) "
            "nhiều hơn sai số làm tròn.",
            "The reported value differs from its recomputation from the main indices (points summed, divided "
            "by the summed maxima) by more than printed rounding allows.",
        )
    # reported rank changes against the ranks
    obs = pkg.t("dti_observation")
    if not chg.empty:
        for r in obs[obs["metric"] == "rank_change"].to_dict("records"):
            level, sid = subject_of(r)
            c = chg[
                (chg["level"] == level)
                & (chg["subject_id"] == sid)
                & (chg["to_year"] == r["year"])
                & (chg["statistic"] == r["statistic"])
            ]
            if c.empty or pd.isna(c.iloc[0]["rank_change"]):
                continue
            computed = int(c.iloc[0]["rank_change"])
            if computed != int(r["value"]):
                add(
                    "rank_change",
                    f"Thay đổi thứ hạng {subject_label(pkg, level, sid, 'vi')} {r['year']}",
                    f"Rank change, {subject_label(pkg, level, sid, 'en')} {r['year']}",
                    (float(r["value"]), r["as_written"], r["source_id"], r["section"]),
                    (float(computed), None, None, None),
                    float(r["value"]) - computed,
                    0.0,
                    f"Văn bản ghi thay đổi {r['as_written']} bậc, nhưng thứ hạng {int(c.iloc[0]['rank_from'])} → "
                    f"{int(c.iloc[0]['rank_to'])} cho {computed:+d} bậc.",
                    f"The document states a change of {r['as_written']} places, but ranks "
                    f"{int(c.iloc[0]['rank_from'])} → {int(c.iloc[0]['rank_to'])} give {computed:+d}.",
                )
    out += _cross_source(pkg, add)
    for r in bud.to_dict("records") if not bud.empty else []:
        if r["agrees"] is False:
            tname = pkg.t("budget_table").set_index("budget_table_id").loc[r["budget_table_id"]]
            add(
                "budget_total",
                f"Tổng kinh phí: {tname['name_vi']}",
                f"Budget total: {tname['name_en']}",
                (r["stated_total"], r["stated_as_written"], r["source_id"], r["section"]),
                (r["sum_of_items"], None, None, None),
                r["difference"],
                0.0,
                f"Tổng số văn bản nêu khác tổng của {r['items']} hạng mục.",
                f"The total the document states differs from the sum of its {r['items']} items.",
            )
    out += _ratio_and_district(pkg, add)
    _sub_indicator_counts(pkg, add)
    df = pd.DataFrame([o for o in out if isinstance(o, dict)] if out else [], columns=FINDING_COLUMNS[1:])
    df = df.sort_values(["kind", "subject_en", "source_a", "as_written_a"], kind="stable", na_position="last")
    df.insert(0, "finding_id", [f"F{i + 1:03d}" for i in range(len(df))])
    return df.reset_index(drop=True)[FINDING_COLUMNS]


def _kpi_name(pkg: Package, kpi_id: str, lang: str) -> str:
    k = pkg.t("kpi").set_index("kpi_id")
    return str(k.loc[kpi_id, f"name_{lang}"]) if kpi_id in k.index else kpi_id


def _conflicting(df: pd.DataFrame, keys: list[str]):
    """Only the groups whose rows carry more than one distinct value (one vectorised pass, then a loop)."""
    if df.empty:
        return
    n = df.groupby(keys, dropna=False)["value"].transform("nunique")
    sub = df[n > 1]
    if not sub.empty:
        yield from sub.groupby(keys, dropna=False)


def _cross_source(pkg: Package, add) -> list:
    """The same figure given differently by two documents (or two places of one document)."""
    obs = pkg.t("kpi_observation")
    districts = pkg.t("district").set_index("district_id")
    for key, g in _conflicting(obs[obs["value"].notna()], ["kpi_id", "province_id", "district_id", "period"]):
        vals = g.drop_duplicates("value")
        if len(vals) < 2:
            continue
        a, b = vals.iloc[0], vals.iloc[1:]
        for _, o in b.iterrows():
            place_vi = f", {districts.loc[key[2], 'name_vi']}" if isinstance(key[2], str) else ""
            place_en = f", {districts.loc[key[2], 'name_en']}" if isinstance(key[2], str) else ""
            add(
                "cross_source",
                f"{_kpi_name(pkg, key[0], 'vi')}{place_vi}, kỳ {key[3]}",
                f"{_kpi_name(pkg, key[0], 'en')}{place_en}, period {key[3]}",
                (float(a["value"]), a["as_written"], a["source_id"], a["section"]),
                (float(o["value"]), o["as_written"], o["source_id"], o["section"]),
                float(a["value"]) - float(o["value"]),
                0.0,
                "Cùng một số liệu (chỉ tiêu, địa bàn, kỳ) được ghi với hai giá trị khác nhau.",
                "The same figure (indicator, place, period) is given with two different values.",
            )
    dti = pkg.t("dti_observation")
    for key, g in _conflicting(
        dti, ["province_id", "statistic", "year", "pillar_id", "main_index_id", "metric", "rank_scope"]
    ):
        vals = g.drop_duplicates("value")
        if len(vals) < 2:
            continue
        level, sid = subject_of(vals.iloc[0].to_dict())
        a = vals.iloc[0]
        for _, o in vals.iloc[1:].iterrows():
            add(
                "cross_source",
                f"{subject_label(pkg, level, sid, 'vi')} {key[2]} ({key[5]})",
                f"{subject_label(pkg, level, sid, 'en')} {key[2]} ({key[5]})",
                (float(a["value"]), a["as_written"], a["source_id"], a["section"]),
                (float(o["value"]), o["as_written"], o["source_id"], o["section"]),
                float(a["value"]) - float(o["value"]),
                0.0,
                "Cùng một điểm hoặc thứ hạng DTI được ghi với hai giá trị khác nhau.",
                "The same DTI score or rank is given with two different values.",
            )
    tg = pkg.t("target")
    for key, g in _conflicting(
        tg[tg["value"].notna() & tg["kpi_id"].notna()], ["plan_id", "kpi_id", "province_id", "target_year"]
    ):
        vals = g.drop_duplicates("value")
        a = vals.iloc[0]
        for _, o in vals.iloc[1:].iterrows():
            add(
                "cross_source",
                f"Mục tiêu {key[3]}: {_kpi_name(pkg, key[1], 'vi')}",
                f"Target {key[3]}: {_kpi_name(pkg, key[1], 'en')}",
                (float(a["value"]), a["as_written"], a["source_id"], a["section"]),
                (float(o["value"]), o["as_written"], o["source_id"], o["section"]),
                float(a["value"]) - float(o["value"]),
                0.0,
                "Cùng một mục tiêu được ghi với hai giá trị khác nhau.",
                "The same target is given with two different values.",
            )
    return []


def _ratio_and_district(pkg: Package, add) -> list:
    obs = pkg.t("kpi_observation")
    units = pkg.t("kpi").set_index("kpi_id")["unit"]
    percent = set(units[units == "percent"].index)
    cand = obs[
        obs["kpi_id"].isin(percent) & obs["value"].notna() & obs["numerator"].notna() & obs["denominator"].notna()
    ]
    for r in cand.to_dict("records"):
        if not r["denominator"]:
            continue
        ratio = _d(r["numerator"]) / _d(r["denominator"]) * 100
        aw = str(r["as_written"])
        tol = half_ulp(aw) if parse_vi(aw) is not None else Decimal("0.5")
        if abs(ratio - _d(r["value"])) > tol:
            add(
                "ratio",
                f"{_kpi_name(pkg, r['kpi_id'], 'vi')}, kỳ {r['period']}",
                f"{_kpi_name(pkg, r['kpi_id'], 'en')}, period {r['period']}",
                (float(r["value"]), r["as_written"], r["source_id"], r["section"]),
                (
                    float(round(ratio, 2)),
                    f"{r['numerator_as_written']}/{r['denominator_as_written']}",
                    r["source_id"],
                    r["section"],
                ),
                float(round(_d(r["value"]) - ratio, 4)),
                float(tol),
                "Tỷ lệ phần trăm được ghi không bằng tử số chia mẫu số được ghi cùng chỗ.",
                "The stated percentage does not equal the numerator divided by the denominator stated with it.",
            )
    d = obs[obs["district_id"].notna() & obs["value"].notna()]
    for (kpi, period, src, sec), g in d.groupby(["kpi_id", "period", "source_id", "section"]):
        tot = obs[
            (obs["kpi_id"] == kpi)
            & (obs["period"] == period)
            & (obs["source_id"] == src)
            & (obs["section"] == sec)
            & obs["district_id"].isna()
            & obs["value"].notna()
        ]
        s = sum((_d(v) for v in g["value"]), Decimal(0))
        for _, t in tot.iterrows():
            if _d(t["value"]) != s:
                add(
                    "district_total",
                    f"Tổng các huyện: {_kpi_name(pkg, kpi, 'vi')}, kỳ {period}",
                    f"District total: {_kpi_name(pkg, kpi, 'en')}, period {period}",
                    (float(t["value"]), t["as_written"], src, sec),
                    (float(s), None, None, None),
                    float(_d(t["value"]) - s),
                    0.0,
                    f"Tổng số văn bản nêu khác tổng của {len(g)} huyện, thành phố.",
                    f"The total the document states differs from the sum of its {len(g)} districts.",
                )
    return []


def _sub_indicator_counts(pkg: Package, add) -> None:
    """Stated counts against the rows listed, and per-index totals against the overall total."""
    counts = pkg.t("sub_indicator_count")
    listed = pkg.t("sub_indicator_assessment").merge(
        pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]], on="sub_indicator_id"
    )
    mi = pkg.t("main_index").set_index("main_index_id")
    for (prov, year, src), g in counts.groupby(["province_id", "year", "source_id"]):
        per_index = g[g["main_index_id"].notna()]
        overall = g[g["main_index_id"].isna()]
        for ctype in ("total", "no_score", "below_average"):
            parts = per_index[per_index["count_type"] == ctype]
            for _, o in overall[overall["count_type"] == ctype].iterrows():
                if len(parts) and int(parts["value"].sum()) != int(o["value"]):
                    add(
                        "sub_indicator_count",
                        f"Số chỉ số thành phần ({ctype}) năm {year}",
                        f"Sub-indicators ({ctype.replace('_', ' ')}), {year}",
                        (float(o["value"]), o["as_written"], o["source_id"], o["section"]),
                        (float(parts["value"].sum()), None, None, None),
                        float(o["value"] - parts["value"].sum()),
                        0.0,
                        f"Tổng văn bản nêu khác tổng của {len(parts)} chỉ số chính.",
                        f"The overall count the document states differs from the sum over its {len(parts)} main indices.",
                    )
        for m, gm in per_index.groupby("main_index_id"):
            weak = gm[gm["count_type"].isin(["no_score", "below_average"])]
            n_listed = int(
                (
                    (listed["main_index_id"] == m)
                    & (listed["year"] == year)
                    & listed["status"].isin(["no_score", "below_average", "weak"])
                ).sum()
            )
            if len(weak) and n_listed and int(weak["value"].sum()) != n_listed:
                r = weak.iloc[0]
                add(
                    "sub_indicator_count",
                    f"{mi.loc[m, 'name_vi']}: chỉ số thành phần điểm thấp năm {year}",
                    f"{mi.loc[m, 'name_en']}: weak sub-indicators, {year}",
                    (float(weak["value"].sum()), "+".join(weak["as_written"]), r["source_id"], r["section"]),
                    (float(n_listed), None, None, None),
                    float(weak["value"].sum() - n_listed),
                    0.0,
                    "Số chỉ số thành phần không có điểm và dưới trung bình được nêu khác số dòng liệt kê trong bảng.",
                    "The stated number of sub-indicators without a score or below average differs from the rows listed.",
                )


def compute_all(pkg: Package) -> Results:
    sc = scores(pkg)
    rec = recompute(pkg, sc)
    chg = changes(pkg, sc)
    att = attainment(pkg)
    bud = budget(pkg)
    return Results(
        scores=sc,
        recomputed=rec,
        changes=chg,
        attainment=att,
        attainment_summary=attainment_summary(att, pkg),
        status_counts=status_counts(pkg),
        budget=bud,
        findings=findings(pkg, rec, chg, bud),
    )
