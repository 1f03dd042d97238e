"""Language-neutral lookups over the package and the computed results, shared by the views and the pages.

Lookups are indexed once per build (the first call builds a dict), so a page costs the same whatever the size
of the package.
"""

from __future__ import annotations

from typing import Any

from minhbach import fmt
from minhbach.compute.scores import Results, publisher_province
from minhbach.load.package import Package


class Q:
    """Language-neutral lookups over the package and the results, for templates."""

    # indexes built on first use
    _scores: dict[Any, list[dict]]
    _changes: dict[Any, dict]
    _obs: dict[str, list[dict]]
    _obs_d: dict[str, list[dict]]
    _targets: dict[str, list[dict]]
    _task_orgs: dict[tuple[str, str], list[str]]

    def __init__(self, pkg: Package, res: Results):
        self.pkg, self.res = pkg, res
        pid = publisher_province(pkg)
        self.province = pkg.t("province").set_index("province_id").loc[pid].to_dict() | {"province_id": pid}
        self.org = pkg.t("organisation").set_index("organisation_id")
        self.kpi = pkg.t("kpi").set_index("kpi_id")
        self.mi = pkg.t("main_index").set_index("main_index_id")
        self.pillars = pkg.t("pillar").sort_values("sort_order").to_dict("records")
        self.main_indices = pkg.t("main_index").sort_values("sort_order").to_dict("records")

    def score_rows(
        self, level: str, sid: str, statistic: str = "province", province_id: str | None = None
    ) -> list[dict]:
        sc = self.res.scores
        if sc.empty:
            return []
        province_id = province_id or (self.province["province_id"] if statistic == "province" else None)
        if not hasattr(self, "_scores"):
            self._scores, self._changes = {}, {}
            for r in sc.sort_values("year", kind="stable").to_dict("records"):
                key = (
                    r["level"],
                    r["subject_id"],
                    r["statistic"],
                    r["province_id"] if not fmt.missing(r["province_id"]) else None,
                )
                self._scores.setdefault(key, []).append(r)
            ch = self.res.changes
            for c in [] if ch.empty else ch.to_dict("records"):
                ckey = (
                    c["level"],
                    c["subject_id"],
                    c["statistic"],
                    c["province_id"] if not fmt.missing(c["province_id"]) else None,
                    c["to_year"],
                )
                self._changes[ckey] = c
        out = []
        for r in self._scores.get((level, sid, statistic, province_id), []):
            change = self._changes.get((level, sid, statistic, province_id, r["year"]))
            printed = self.printed_rank_change(level, sid, statistic, province_id, int(r["year"]))
            out.append({**r, "change": change, "printed_change": printed})
        return out

    def printed_rank_change(
        self, level: str, sid: str, statistic: str, province_id: str | None, year: int
    ) -> dict | None:
        """The change of rank a document prints for a subject and year (`metric` rank_change), or None."""
        if not hasattr(self, "_printed_changes"):
            self._printed_changes: dict[tuple, dict] = {}
            obs = self.pkg.t("dti_observation")
            for o in [] if obs.empty else obs[obs["metric"] == "rank_change"].to_dict("records"):
                if not fmt.missing(o.get("main_index_id")):
                    lv, subject = "main_index", o["main_index_id"]
                elif not fmt.missing(o.get("pillar_id")):
                    lv, subject = "pillar", o["pillar_id"]
                else:
                    lv, subject = "total", "dti"
                pid = o["province_id"] if not fmt.missing(o.get("province_id")) else None
                k = (lv, subject, o["statistic"], pid, int(o["year"]))
                self._printed_changes.setdefault(k, o)
        return self._printed_changes.get((level, sid, statistic, province_id, year))

    def latest(self, level: str, sid: str, statistic: str = "province", province_id: str | None = None):
        rows = self.score_rows(level, sid, statistic, province_id)
        return rows[-1] if rows else None

    def region_rank(self, year: int):
        obs = self.pkg.t("dti_observation")
        d = obs[
            (obs["metric"] == "rank")
            & (obs["rank_scope"] == "region")
            & (obs["year"] == year)
            & obs["pillar_id"].isna()
            & obs["main_index_id"].isna()
        ]
        return d.iloc[0].to_dict() if not d.empty else None

    def national_mean(self, year: int):
        sc = self.res.scores
        if sc.empty:
            return None
        d = sc[(sc["statistic"] == "national_mean") & (sc["level"] == "total") & (sc["year"] == year)]
        return d.iloc[0].to_dict() if not d.empty else None

    def strong_weak(self):
        sc = self.res.scores
        if sc.empty:
            return None, None
        d = sc[
            (sc["level"] == "main_index")
            & (sc["statistic"] == "province")
            & (sc["province_id"] == self.province["province_id"])
        ]
        d = d[d["year"] == d["year"].max()].sort_values("value_unit")
        if d.empty:  # a package with the total only: no main index to name
            return None, None
        return d.iloc[-1].to_dict(), d.iloc[0].to_dict()

    def pillars_of(self, main_index_id: str) -> list[dict]:
        link = self.pkg.t("main_index_pillar")
        ids = set(link[link["main_index_id"] == main_index_id]["pillar_id"])
        return [p for p in self.pillars if p["pillar_id"] in ids]

    def members(self, pillar_id: str) -> list[dict]:
        link = self.pkg.t("main_index_pillar")
        ids = set(link[link["pillar_id"] == pillar_id]["main_index_id"])
        return [m for m in self.main_indices if m["main_index_id"] in ids]

    def pillar_max(self, pillar_id: str) -> float:
        return float(sum(m["max_points"] for m in self.members(pillar_id)))

    def org_names(self, ids: list[str], lang: str) -> str:
        return "; ".join(str(self.org.loc[i, f"name_{lang}"]) if i in self.org.index else i for i in ids)

    def assessments(self, main_index_id: str) -> list[dict]:
        sub = self.pkg.t("sub_indicator")
        sub = sub[sub["main_index_id"] == main_index_id]
        a = self.pkg.t("sub_indicator_assessment")
        a = a[a["province_id"] == self.province["province_id"]]
        ao = self.pkg.t("assessment_organisation")
        key = lambda s: tuple(int(x) for x in s.split("."))
        out = []
        for s in sorted(sub.to_dict("records"), key=lambda r: key(r["sub_indicator_id"])):
            rows = a[a["sub_indicator_id"] == s["sub_indicator_id"]].sort_values("year")
            first = rows.iloc[0].to_dict() if not rows.empty else None
            later = rows.iloc[1:].to_dict("records") if len(rows) > 1 else []
            orgs = list(ao[ao["assessment_id"] == first["assessment_id"]]["organisation_id"]) if first else []
            out.append({"sub": s, "first": first, "later": later, "orgs": orgs})
        return out

    def counts(self, main_index_id: str) -> list[dict]:
        c = self.pkg.t("sub_indicator_count")
        return c[(c["main_index_id"] == main_index_id) & (c["province_id"] == self.province["province_id"])].to_dict(
            "records"
        )

    def listed(self, main_index_id: str, year: int) -> int:
        a = self.pkg.t("sub_indicator_assessment").merge(
            self.pkg.t("sub_indicator")[["sub_indicator_id", "main_index_id"]]
        )
        return int(
            (
                (a["main_index_id"] == main_index_id)
                & (a["year"] == year)
                & (a["province_id"] == self.province["province_id"])
            ).sum()
        )

    def kpis_for(self, main_index_id: str | None = None, pillar_id: str | None = None) -> list[dict]:
        k = self.pkg.t("kpi")
        if main_index_id:
            k = k[k["main_index_id"] == main_index_id]
        if pillar_id:
            mids = [m["main_index_id"] for m in self.members(pillar_id)]
            k = k[
                (k["pillar_id"] == pillar_id)
                | (
                    k["main_index_id"].isin(mids)
                    & k["pillar_id"].isna()
                    & (k["main_index_id"] == self.pillar_activity(pillar_id))
                )
            ]
        out = []
        for r in k.sort_values("kpi_id").to_dict("records"):
            r["observations"] = self.observations(r["kpi_id"])
            r["targets"] = self.targets(r["kpi_id"])
            out.append(r)
        return out

    def pillar_activity(self, pillar_id: str) -> str:
        return next(p["activity_main_index_id"] for p in self.pillars if p["pillar_id"] == pillar_id)

    def observations(self, kpi_id: str, with_districts: bool = False) -> list[dict]:
        """Values as facts: the same value for a KPI, place and period is one row with all its sources."""
        if not hasattr(self, "_obs"):
            o = self.pkg.t("kpi_observation")
            o = o[o["province_id"] == self.province["province_id"]].sort_values(["period", "source_id"], kind="stable")
            self._obs, self._obs_d = {}, {}
            merged: dict[tuple, dict] = {}
            for r in o.to_dict("records"):
                v = r["value"] if not fmt.missing(r["value"]) else r["as_written"]
                same = (r["kpi_id"], r["district_id"], r["period"], v)
                if same in merged:
                    merged[same]["sources"].append((r["source_id"], r["section"], r["observation_id"]))
                    continue
                r["sources"] = [(r["source_id"], r["section"], r["observation_id"])]
                merged[same] = r
                self._obs_d.setdefault(r["kpi_id"], []).append(r)
                if fmt.missing(r["district_id"]):
                    self._obs.setdefault(r["kpi_id"], []).append(r)
        return (self._obs_d if with_districts else self._obs).get(kpi_id, [])

    def targets(self, kpi_id: str) -> list[dict]:
        if not hasattr(self, "_targets"):
            self._targets = {}
            att = self.res.attainment
            if not att.empty:
                for r in att.sort_values(["target_year", "plan_id"], kind="stable").to_dict("records"):
                    self._targets.setdefault(r["kpi_id"], []).append(r)
        return self._targets.get(kpi_id, [])

    def tasks_for(self, pillar_id: str | None = None, main_index_id: str | None = None) -> list[dict]:
        """Tasks whose group minhbach classified under this pillar or main index (task_group_topic)."""
        if "task_group_topic" not in self.pkg.tables:
            return []
        topic = self.pkg.t("task_group_topic")
        col, val = ("pillar_id", pillar_id) if pillar_id else ("main_index_id", main_index_id)
        groups = set(topic[topic[col] == val]["task_group_id"])
        tg = self.pkg.t("task_group")
        groups |= set(tg[tg["parent_id"].isin(groups)]["task_group_id"])
        t = self.pkg.t("task")
        return t[t["task_group_id"].isin(groups)].sort_values("number").to_dict("records")

    def district_count(self) -> int:
        d = self.pkg.t("district")
        return int((d["province_id"] == self.province["province_id"]).sum())

    def task_orgs(self, task_id: str, role: str) -> list[str]:
        if not hasattr(self, "_task_orgs"):
            self._task_orgs = {}
            for r in self.pkg.t("task_organisation").to_dict("records"):
                self._task_orgs.setdefault((r["task_id"], r["role"]), []).append(r["organisation_id"])
        return list(self._task_orgs.get((task_id, role), []))

    def attainment(self) -> list[dict]:
        a = self.res.attainment
        return [] if a.empty else a.sort_values(["plan_id", "target_year", "target_id"]).to_dict("records")

    def source_usage(self, source_id: str) -> list[tuple[str, str, int]]:
        out = []
        for res in self.pkg.descriptor["resources"]:
            df = self.pkg.tables[res["name"]]
            if "source_id" in df.columns and res["name"] != "source":
                n = int((df["source_id"] == source_id).sum())
                if n:
                    out.append((res["name"], res, n))
        return out
