"""What a reader sees on a 390 x 844 phone: the home brief's lines within the first two screens, each page's height.

The expected figures are read from the package and the computed results here, not from the site's views: the
overall score and rank of the latest year, the previous comparable year's printed rank, the per-plan count of
targets met (the plan's own targets of its latest judged year, a disputed one never met) and the largest itemised
budget table's stated total in tỷ đồng.
"""

from __future__ import annotations

import math
from pathlib import Path

PHONE = {"width": 390, "height": 844}
SCREENS = 15  # no page longer than this many screens before the reader opens something
JUDGED = ("achieved", "not_achieved", "disputed")


def number(v: float, lang: str, decimals: int) -> str:
    text = f"{v:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def unit_decimals(as_written, scale, max_points) -> int:
    """The decimals a 0-1 score shows: those printed, or, for a score printed in points, the printed ones plus the
    digits of its maximum (247 of 650 points is 0,380; 454,86 of 1.000 is 0,45486); 4 when nothing was printed."""
    aw = "" if as_written is None or str(as_written) in ("nan", "<NA>", "None") else str(as_written).strip()
    if not aw:
        return 4
    printed = len(aw.split(",")[1]) if "," in aw else 0
    if scale != "points":
        return printed
    return printed + math.ceil(math.log10(float(max_points)))


def expected(pkg, res) -> dict:
    """{'score': str per lang, 'rank': (rank, out_of), 'from': (year, rank) | None, 'plans': {plan_id: (met, of)},
    'money': total in tỷ đồng | None}."""
    from minhbach.compute.scores import publisher_province

    sc = res.scores
    pid = publisher_province(pkg)
    tot = sc[(sc["level"] == "total") & (sc["statistic"] == "province") & (sc["province_id"] == pid)]
    out: dict = {"score": None, "rank": None, "from": None, "plans": {}, "money": None}
    if not tot.empty:
        last = tot.sort_values("year").iloc[-1]
        dec = unit_decimals(last["as_written"], last["scale"], last["max_points"])
        out["score"] = {lang: number(float(last["value_unit"]), lang, dec) for lang in ("vi", "en")}
        if str(last["rank"]) not in ("<NA>", "nan", "None"):
            out["rank"] = (int(last["rank"]), int(last["rank_out_of"]))
            obs = pkg.t("dti_observation")
            prev = obs[
                (obs["metric"] == "rank")
                & (obs["province_id"] == pid)
                & (obs["rank_scope"] == "national")
                & obs["pillar_id"].isna()
                & obs["main_index_id"].isna()
                & (obs["year"] < int(last["year"]))
            ].sort_values("year")
            if not prev.empty and int(prev.iloc[-1]["out_of"]) == int(last["rank_out_of"]):
                out["from"] = (int(prev.iloc[-1]["year"]), int(prev.iloc[-1]["value"]))
    a = res.attainment
    if a is not None and not a.empty:
        for plan_id, g in a[a["status"].isin(JUDGED)].groupby("plan_id"):
            year = int(g["target_year"].max())
            y = g[g["target_year"] == year]
            out["plans"][str(plan_id)] = (int((y["status"] == "achieved").sum()), len(y))
    if "budget_item" in pkg.tables and "budget_table" in pkg.tables:
        scale = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}
        items, tables = pkg.t("budget_item"), pkg.t("budget_table").set_index("budget_table_id")
        best = None
        for tid, g in items.groupby("budget_table_id"):
            unit = str(tables.loc[tid, "unit"])
            if unit not in scale or (g["row_type"] == "item").sum() == 0:
                continue
            stated = g[g["row_type"] == "stated_total"]["amount"].dropna()
            total = float(stated.iloc[0]) if len(stated) else float(g[g["row_type"] == "item"]["amount"].sum())
            vnd = total * scale[unit]
            best = vnd if best is None or vnd > best else best
        out["money"] = None if best is None else best / 1e9
    return out


def brief_lines(page) -> dict[str, list[tuple[str, float, str]]]:
    """{kind: [(text, bottom in px from the top of the page, data-plan)]} of the home brief."""
    rows = page.eval_on_selector_all(
        "ul.mb-brief > li",
        """els => els.map(e => [e.dataset.brief, e.innerText, e.getBoundingClientRect().bottom + window.scrollY,
                             e.dataset.plan || ''])""",
    )
    out: dict[str, list] = {}
    for kind, text, bottom, plan in rows:
        out.setdefault(kind, []).append((" ".join(text.split()), bottom, plan))
    return out


def check_home(page, url: str, lang: str, exp: dict, plan_ids: dict[str, str]) -> list[str]:
    """Problems with the brief at `url` (empty: each expected line is there, within two screens, with its number)."""
    page.goto(url, wait_until="load")
    lines, limit, problems = brief_lines(page), 2 * PHONE["height"], []

    def line(kind: str, *needles: str, plan: str | None = None):
        found = [x for x in lines.get(kind, []) if plan is None or x[2] == plan]
        if not found:
            problems.append(f"{url}: no {kind} line{' for ' + plan if plan else ''}")
            return
        text, bottom, _ = found[0]
        if bottom > limit:
            problems.append(f"{url}: the {kind} line ends at {bottom:.0f} px, below the first two screens")
        problems.extend(f"{url}: {kind} line lacks {n!r}: {text}" for n in needles if n not in text)

    if exp["score"]:
        line("score", exp["score"][lang])
    if exp["rank"]:
        rank, n = exp["rank"]
        if exp["from"]:
            year, before = exp["from"]
            change = before - rank
            line("rank", str(rank), str(n), str(year), str(before), str(abs(change)) if change else "")
        else:
            line("rank", str(rank), str(n))
    for plan_id, (met, of) in exp["plans"].items():
        line("targets", str(met), str(of), plan=plan_ids.get(plan_id, plan_id))
    if exp["money"] is not None:
        places = next(d for d in range(4) if d == 3 or abs(round(exp["money"], d) - exp["money"]) < 1e-9)
        line("money", number(exp["money"], lang, places))
    elif "money" in lines:
        problems.append(f"{url}: a money line although the package has no itemised budget")
    return problems


def heights(page, base: str, paths: list[str]) -> dict[str, int]:
    out = {}
    for p in paths:
        page.goto(base + p, wait_until="load")
        out[p] = int(page.evaluate("document.documentElement.scrollHeight"))
    return out


def page_paths(site: Path, skip=("releases", "latest", "downloads", "assets", "embed")) -> list[str]:
    out = []
    for index in sorted(site.rglob("index.html")):
        parts = index.relative_to(site).parts[:-1]
        lang_parts = parts[1:] if parts[:1] == ("en",) else parts
        if lang_parts and lang_parts[0] in skip:
            continue
        out.append("".join(p + "/" for p in parts))
    return out
