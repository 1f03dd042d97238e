"""Every test helper in one place: paths, the shipped package copied and bumped, the CLI run in this process,
the hostile-input payloads, small packages for the finding checks, the two-table workbook package, and the
synthetic packages of other shapes (`make(dst, SHAPES[name])`).

Tests import from here; conftest.py only holds fixtures (and re-exports the package helpers it always had).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from minhbach.findings.run import compute_all
from minhbach.load.package import Package, load_package
from minhbach.numbers import parse_vi

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------ the shipped package, copied to mutate


def copy_package(dst: Path, releases: bool = True) -> Path:
    """A private copy of the shipped data package (datapackage.json, data/ and, unless told not to, the
    archived releases/) to mutate."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "datapackage.json", dst / "datapackage.json")
    shutil.copytree(ROOT / "data", dst / "data", ignore=shutil.ignore_patterns("staging"))
    if releases and (ROOT / "releases").is_dir():
        shutil.copytree(ROOT / "releases", dst / "releases")
    return dst


CONTACT_EMAIL = "opendata@example.gov.vn"


def with_contact(pkg: Path, email: str = CONTACT_EMAIL) -> Path:
    """Fill in the package's contact email (`x-contact.email`): a public build refuses a package without one, and
    the shipped package, a preview, names none yet."""
    dp_file = pkg / "datapackage.json"
    dp = json.loads(dp_file.read_text(encoding="utf-8"))
    dp["x-contact"] = {**(dp.get("x-contact") or {}), "email": email}
    dp_file.write_text(json.dumps(dp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pkg


def bump_version(pkg: Path) -> str:
    """Give the package the next minor version after its own and every archived one, as staff do before
    publishing changed data (a changed package under a released version is refused)."""
    dp_file = pkg / "datapackage.json"
    dp = json.loads(dp_file.read_text(encoding="utf-8"))
    releases = pkg / "releases"
    known = [dp["version"]] + ([d.name for d in releases.glob("*.*.*")] if releases.is_dir() else [])
    major, minor, _ = max(tuple(int(x) for x in v.split(".")) for v in known)
    dp["version"] = f"{major}.{minor + 1}.0"
    dp_file.write_text(json.dumps(dp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return dp["version"]


# words that belong to the shipped package only: its name, ids and documents (SHIPPED_WORDS), and its region and
# districts (SHIPPED_PLACES); a site built from another package holds none of them
SHIPPED_WORDS = (
    "Đắk Nông",
    "Dak Nong",
    "dak-nong",
    "dn-dti2021",
    "dn-2022-results",
    "dn-plan-2022",
    "dn-press-2022",
    "231/QĐ-UBND",
)
SHIPPED_PLACES = ("Tây Nguyên", "Central Highlands", "Gia Nghĩa", "Đắk Mil", "Krông Nô", "Đắk Glong")


def run_cli(*args: str) -> tuple[int, str, str]:
    """`minhbach ARGS` in this process, from the repository root: (exit code, stdout, stderr). For every test
    where the process boundary is not what is tested (the kill and signal tests run a real process)."""
    from minhbach import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main(list(args))
    return rc, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ hostile input: every free-text cell carries a payload
#
# Helpers for the hostile-input corpus: packages whose every free-text cell carries a payload.

# every context a label can reach: element text, both kinds of quoted attribute, <title>, <script> (JSON-LD),
# <textarea> (citations), Markdown, Jinja expressions and statements, and invisible characters (bidi override,
# zero width) that must stay text
PAYLOAD = (
    "</title><script>window.__x=1</script><img src=x onerror=window.__x=2>{{ 7*7 }}[x](javascript:alert(1))**b**"
    "\"><script>window.__x=3</script>'><svg onload=window.__x=4></script></textarea><b>&amp;"
    "{% if 1 %}window.__x5{% endif %}\u202e\u200b"
)
PAYLOADS = (
    "</title><script>window.__x=1</script>",
    "<img src=x onerror=window.__x=2>",
    "{{ 7*7 }}",
    "[x](javascript:alert(1))",
    "**b**",
    '"><script>window.__x=3</script>',
    "'><svg onload=window.__x=4>",
    "</script></textarea><b>&amp;",
    "{% if 1 %}window.__x5{% endif %}",
)
# text columns that are provenance or paths, not labels: they must match the source or the disk
NOT_LABELS = {"section", "path", "as_written", "issued", "period", "term"}


def label_columns(resource: dict) -> list[str]:
    """String fields that hold free text: no pattern, no enum, not a key, not provenance."""
    schema = resource["schema"]
    keys = set(schema.get("primaryKey") or [])
    for fk in schema.get("foreignKeys") or []:
        keys.update([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    out = []
    for f in schema["fields"]:
        c = f.get("constraints") or {}
        name = f["name"]
        if f.get("type", "string") != "string" or "pattern" in c or "enum" in c or name in keys:
            continue
        if name in NOT_LABELS or name.endswith("_as_written"):
            continue
        out.append(name)
    return out


def poison_every_label(root: Path) -> dict[str, list[str]]:
    """Prefix every non-empty label cell of every table, and every title and description of the descriptor
    (package, resources, publisher, in both languages), with PAYLOAD; returns {table: columns poisoned}."""
    dp = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    _poison_titles(dp)
    (root / "datapackage.json").write_text(json.dumps(dp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    done = {}
    for res in dp["resources"]:
        cols = label_columns(res)
        if not cols:
            continue
        path = root / res["path"]
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header, rows = list(reader.fieldnames or []), list(reader)
        for row in rows:
            for c in cols:
                if row.get(c):
                    row[c] = f"{PAYLOAD} {row[c]}"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        done[res["name"]] = cols
    return done


def _poison_titles(node) -> None:
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if k in ("title", "description") and isinstance(v, str) and v:
                node[k] = f"{PAYLOAD} {v}"
            elif k != "licenses":
                _poison_titles(v)
    elif isinstance(node, list):
        for v in node:
            _poison_titles(v)


# ------------------------------------------------------------------ small packages for the finding checks
#
# Small synthetic packages for the finding checks: the shipped schema and dimensions, tiny fact tables.

FACTS = [
    "kpi_observation",
    "kpi_change",
    "context_figure",
    "target",
    "budget_item",
    "budget_table",
    "dti_observation",
    "sub_indicator_count",
    "sub_indicator_assessment",
]
_BASE: list[Package] = []


def base() -> Package:
    if not _BASE:
        _BASE.append(load_package(ROOT))
    return _BASE[0]


def empty_like(pkg: Package, name: str) -> pd.DataFrame:
    return pkg.t(name).iloc[0:0].copy()


def frame(pkg: Package, name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows with the table's own columns and dtypes (missing cells empty)."""
    e = empty_like(pkg, name)
    if not rows:
        return e
    df = pd.DataFrame([{c: r.get(c, pd.NA) for c in e.columns} for r in rows])
    for c in e.columns:
        try:
            df[c] = df[c].astype(e[c].dtype)
        except (TypeError, ValueError):
            pass
    return df


KPIS = [
    ("k-pct", "percent", None),
    ("k-cnt", "count", None),
    ("k-a", "percent", None),
    ("k-b", "percent", None),
    ("k-comb", "percent", "k-a k-b"),
]


def mini(**tables: list[dict]) -> Package:
    """The shipped package with every fact table emptied, a few synthetic KPIs, and the given rows."""
    src = base()
    p = copy.copy(src)
    p.tables = dict(src.tables)
    for name in FACTS:
        p.tables[name] = empty_like(src, name)
    kpi = [
        {
            "kpi_id": k,
            "name_vi": f"Chỉ tiêu {k}",
            "name_en": f"Indicator {k}",
            "unit": unit,
            "main_index_id": "awareness",
            "direction": "higher_is_better",
            "combines": comb,
        }
        for k, unit, comb in KPIS
    ]
    p.tables["kpi"] = frame(src, "kpi", kpi)
    for name, rows in tables.items():
        p.tables[name] = frame(src, name, rows)
    return p


_N = [0]


def obs(kpi, period, aw, src="dn-2022-results", sec="S", num=None, den=None, district=None, **kw) -> dict:
    """A KPI observation whose value is its printed text read strictly (ratios as numerator/denominator)."""
    _N[0] += 1
    row = {
        "observation_id": f"o{_N[0]}",
        "kpi_id": kpi,
        "province_id": "dak-nong",
        "district_id": district,
        "period": period,
        "value": float(parse_vi(aw)),
        "qualifier": "exact",
        "source_id": src,
        "section": sec,
        "as_written": aw,
    }
    if num is not None:
        row.update(
            numerator=float(parse_vi(num)),
            denominator=float(parse_vi(den)),
            numerator_as_written=num,
            denominator_as_written=den,
        )
    return {**row, **kw}


def change(kpi, aw, direction="increase", src="dn-2022-results", sec="S", change_type="difference") -> dict:
    _N[0] += 1
    return {
        "change_id": f"c{_N[0]}",
        "kpi_id": kpi,
        "province_id": "dak-nong",
        "from_period": "2021",
        "to_period": "2022",
        "change_type": change_type,
        "direction": direction,
        "value": float(parse_vi(aw)),
        "source_id": src,
        "section": sec,
        "as_written": aw,
    }


def findings_of(pkg: Package, kind: str | None = None) -> pd.DataFrame:
    f = compute_all(pkg).findings
    return f if kind is None else f[f["kind"] == kind]


# ------------------------------------------------------------------ a two-table package and workbook edits for the workbook fault tests
#
# A two-table synthetic package and workbook edits for the workbook fault tests (fast: real validation in ~1 s).

DESCRIPTOR = {
    "name": "syn",
    "title": "Synthetic",
    "version": "0.1.0",
    "created": "2026-01-01T00:00:00Z",
    "resources": [
        {
            "name": "alpha",
            "path": "data/alpha.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True}},
                    {"name": "label", "type": "string"},
                    {"name": "value", "type": "number"},
                ],
                "primaryKey": ["id"],
            },
        },
        {
            "name": "beta",
            "path": "data/beta.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "string", "constraints": {"required": True}},
                    {"name": "label", "type": "string"},
                ],
                "primaryKey": ["id"],
            },
        },
    ],
}
OLD = {"data/alpha.csv": "id,label,value\na1,first,1.5\na2,second,2\n", "data/beta.csv": "id,label\nb1,one\nb2,two\n"}
NEW = {
    "data/alpha.csv": "id,label,value\na1,changed,1.5\na2,second,2\n",
    "data/beta.csv": "id,label\nb1,one\nb2,deux\n",
}


def make_package(root: Path, tables: dict[str, str] | None = None) -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps(DESCRIPTOR, indent=2), encoding="utf-8")
    for rel, text in (tables or OLD).items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def state(root: Path) -> str:
    """'old', 'new' or 'mixed' for the two tables on disk."""
    now = {rel: (root / rel).read_text(encoding="utf-8") for rel in OLD}
    if now == OLD:
        return "old"
    if now == NEW:
        return "new"
    return "mixed"


def stray_files(root: Path) -> list[str]:
    """Anything besides the package's own files: staging folders, temporary files."""
    keep = {"datapackage.json", *OLD}
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if str(p.relative_to(root)) not in keep and p != root / "data"
    )


def edit_both(xlsx: Path) -> Path:
    """The edit that turns OLD into NEW: one label in each table."""
    wb = load_workbook(xlsx)
    wb["alpha"]["B3"] = "changed"
    wb["beta"]["B4"] = "deux"
    wb.save(xlsx)
    return xlsx


def set_cell(xlsx: Path, sheet: str, ref: str, value) -> Path:
    wb = load_workbook(xlsx)
    wb[sheet][ref] = value
    wb.save(xlsx)
    return xlsx


def replace_in_members(xlsx: Path, old: bytes, new: bytes) -> Path:
    """Rewrite the .xlsx with `old` replaced by `new` in its XML (for text openpyxl will not write itself)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename).replace(old, new))
    xlsx.write_bytes(out.getvalue())
    return xlsx


# ------------------------------------------------------------------ synthetic packages of other shapes than the shipped one
#
# Synthetic data packages of other shapes than the shipped one, written from scratch (no Đắk Nông row).
#
# A `Shape` says what differs: the scale scores are printed on, the years and how many provinces each year is
# ranked out of, the provinces in the package, a ninth main index, which optional tables are present, the target
# years. `make(dst, shape)` writes datapackage.json (the shipped schemas, only the resources the shape has),
# data/*.csv and the one source text every value is transcribed from, so the package validates like a real one.

OPTIONAL = (
    "district",
    "plan",
    "target",
    "kpi_observation",
    "task_group",
    "task_group_topic",
    "task",
    "task_organisation",
    "budget_table",
    "budget_item",
    "sub_indicator_count",
    "glossary",
)
# optional tables the generator never writes (a package without them must build)
ABSENT = ("kpi_change", "context_figure")
SOURCE = "synthetic-report"


@dataclass
class Province:
    province_id: str
    name_vi: str
    name_en: str
    region_vi: str = "Tây Nguyên"
    region_en: str = "Central Highlands"


@dataclass
class Shape:
    provinces: list[Province] = field(default_factory=lambda: [Province("lam-dong", "Lâm Đồng", "Lam Dong")])
    years: tuple[int, ...] = (2023, 2024, 2025)
    out_of: dict[int, int] = field(default_factory=lambda: {2023: 63, 2024: 63, 2025: 34})
    scale: str = "points"  # how the document prints scores: points | unit_interval
    ninth_index: bool = False  # a later framework's main index with no sub-indicator and 0 points
    tables: tuple[str, ...] = OPTIONAL  # optional tables present
    target_years: tuple[int, ...] = (2027, 2030)
    statuses: tuple[str, ...] = ("achieved", "not_achieved", "partly_achieved", "not_assessed")
    seed: int = 7
    district_kpi: bool = False  # every province with two districts and a district table of digital firms
    # the latest online-services figure printed with counts that contradict it (10 of 100, printed above the target
    # of its year): a major `ratio` finding disputes the one figure that would otherwise meet its target
    disputed: bool = False
    # what the document printed, kept beside the number: digital firms falling from their baseline (a target above
    # them is moved away from, no share of the way), the latest online-services figure printed as "duoi" (under)
    printed: bool = False


def _vi(x: float, decimals: int) -> str:
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def _read(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class _Writer:
    def __init__(self, dst: Path, descriptor: dict):
        self.dst, self.fields = (
            dst,
            {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]},
        )
        self.lines: dict[str, list[str]] = {}

    def write(self, name: str, rows: list[dict]) -> None:
        with open(self.dst / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=self.fields[name], lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)

    def cite(self, section: str, text: str) -> dict:
        """Record `text` as printed in `section` of the source; returns the provenance columns."""
        self.lines.setdefault(section, []).append(text)
        return {"source_id": SOURCE, "section": section, "as_written": text}


def make(dst: Path, shape: Shape | None = None) -> Path:
    shape = shape or Shape()
    rnd = random.Random(shape.seed)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "data" / "sources").mkdir(parents=True, exist_ok=True)
    shipped = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    keep = [
        r
        for r in shipped["resources"]
        if r["name"] not in ABSENT and (r["name"] not in OPTIONAL or r["name"] in shape.tables)
    ]
    publisher = shape.provinces[0]
    descriptor = {
        **{k: v for k, v in shipped.items() if k not in ("resources", "x-temporal", "x-spatial")},
        "name": f"minhbach-{publisher.province_id}-dti",
        "title": f"Chuyển đổi số tỉnh {publisher.name_vi}",
        "description": f"Số liệu chuyển đổi số của tỉnh {publisher.name_vi} (bộ dữ liệu thử nghiệm).",
        "x-i18n": {
            "en": {
                "title": f"{publisher.name_en} digital transformation",
                "description": f"Digital-transformation figures of {publisher.name_en} (test package).",
            }
        },
        "version": "1.0.0",
        "created": f"{max(shape.years) + 1}-01-15T00:00:00Z",
        "keywords": ["DTI", publisher.name_vi],
        "contributors": [
            {
                "title": f"Sở Khoa học và Công nghệ tỉnh {publisher.name_vi}",
                "role": "publisher",
                "x-i18n": {"en": {"title": f"{publisher.name_en} Department of Science and Technology"}},
            }
        ],
        "sources": [{"title": "Synthetic report"}],
        "x-province": publisher.province_id,
        "x-contact": {"email": "opendata@example.org"},  # a public build refuses a package without one
        "resources": keep,
    }
    w = _Writer(dst, descriptor)
    last = max(shape.years)
    w.write(
        "source",
        [
            {
                "source_id": SOURCE,
                "title_vi": f"Báo cáo chuyển đổi số tỉnh {publisher.name_vi} {last}",
                "title_en": f"{publisher.name_en} digital transformation report {last}",
                "issuer_vi": f"UBND tỉnh {publisher.name_vi}",
                "issuer_en": f"{publisher.name_en} Provincial People's Committee",
                "issued": f"{last}-12",
                "document_type": "report",
                "path": f"sources/{SOURCE}.txt",
            }
        ],
    )
    w.write(
        "province",
        [
            # today's count (34 after the 2025 merger); earlier ranks print their own base ("24/63")
            {**p.__dict__, "provinces_in_country": shape.out_of[max(shape.years)], "provinces_in_region": 5}
            for p in shape.provinces
        ],
    )
    mis = _read("main_index")
    if shape.ninth_index:
        mis.append(
            {
                "main_index_id": "data-index",
                "number": "9",
                "group": "foundation",
                "max_points": "0",
                "name_vi": "Dữ liệu số",
                "name_en": "Digital data",
                "sort_order": "9",
            }
        )
    w.write("main_index", mis)
    w.write("pillar", _read("pillar"))
    links = _read("main_index_pillar")
    if shape.ninth_index:
        links += [{"main_index_id": "data-index", "pillar_id": p["pillar_id"]} for p in _read("pillar")]
    w.write("main_index_pillar", links)
    w.write(
        "organisation",
        [
            {
                "organisation_id": "so-khcn",
                "name_vi": "Sở Khoa học và Công nghệ",
                "name_en": "Department of Science and Technology",
                "short_vi": "Sở KH&CN",
                "kind": "department",
            }
        ],
    )
    maxp = {m["main_index_id"]: float(m["max_points"]) for m in mis}
    pillar_members: dict[str, list[str]] = {}
    for link in links:
        pillar_members.setdefault(link["pillar_id"], []).append(link["main_index_id"])

    # ---- DTI scores and ranks, consistent sums, printed on the shape's scale
    dti = []
    for y in shape.years:
        sec = f"I. KẾT QUẢ CHỈ SỐ DTI NĂM {y}"
        totals = {}
        for p in shape.provinces:
            pts = {m: round(rnd.uniform(0.2, 0.8) * maxp[m], 2) for m in maxp}
            subjects = [("", m, pts[m], maxp[m]) for m in maxp]
            subjects += [
                (pl, "", round(sum(pts[m] for m in ms), 2), sum(maxp[m] for m in ms))
                for pl, ms in pillar_members.items()
            ]
            total = round(sum(pts.values()), 2)
            totals[p.province_id] = total
            subjects.append(("", "", total, sum(maxp.values())))
            for pl, m, v, mx in subjects:
                if mx == 0:
                    continue
                if shape.scale == "points":
                    value, aw = v, _vi(v, 2)
                else:
                    value = round(v / mx, 4)
                    aw = _vi(value, 4)
                dti.append(
                    {
                        "observation_id": f"{p.province_id}-{y}-{pl or m or 'total'}-score",
                        "province_id": p.province_id,
                        "year": y,
                        "pillar_id": pl,
                        "main_index_id": m,
                        "statistic": "province",
                        "metric": "score",
                        "value": value,
                        "scale": shape.scale,
                        **w.cite(sec, aw),
                    }
                )
        ranked = sorted(totals, key=lambda k: -totals[k])
        for i, pid in enumerate(ranked):
            rank = 3 + 4 * i if shape.out_of[y] > len(ranked) else i + 1
            if shape.out_of[y] > 40:  # out of 63: lower, and one place better each year (1 place, singular)
                rank += 21 - (y - min(shape.years))
            dti.append(
                {
                    "observation_id": f"{pid}-{y}-total-rank",
                    "province_id": pid,
                    "year": y,
                    "metric": "rank",
                    "statistic": "province",
                    "value": rank,
                    "scale": "rank",
                    "out_of": shape.out_of[y],
                    "rank_scope": "national",
                    **w.cite(sec, f"{rank}/{shape.out_of[y]}"),
                }
            )
    w.write("dti_observation", dti)

    # ---- sub-indicators (none for a ninth index) and their assessments
    subs = [s for s in _read("sub_indicator") if s["main_index_id"] in maxp][:12]
    sec = "II. ĐÁNH GIÁ CHỈ SỐ THÀNH PHẦN"
    w.write("sub_indicator", [{**s, **w.cite(sec, s["code_as_written"])} for s in subs])
    ass = []
    for i, s in enumerate(subs):
        st = shape.statuses[i % len(shape.statuses)]
        ass.append(
            {
                "assessment_id": f"{publisher.province_id}-{last}-{s['sub_indicator_id']}",
                "sub_indicator_id": s["sub_indicator_id"],
                "province_id": publisher.province_id,
                "year": last,
                "status": st,
                **w.cite(sec, st),
            }
        )
    w.write("sub_indicator_assessment", ass)
    w.write(
        "assessment_organisation", [{"assessment_id": a["assessment_id"], "organisation_id": "so-khcn"} for a in ass]
    )
    if "sub_indicator_count" in shape.tables:
        w.write("sub_indicator_count", [])

    # ---- KPIs with two years of values and targets in later years
    kpis = [
        {
            "kpi_id": "online-services",
            "name_vi": "Tỷ lệ dịch vụ công trực tuyến toàn trình",
            "name_en": "Share of end-to-end online public services",
            "unit": "percent",
            "main_index_id": "government-activity",
            "direction": "higher_is_better",
            "definition_vi": "Tỷ lệ dịch vụ công",
            "definition_en": "Share of public services",
        },
        {
            "kpi_id": "digital-firms",
            "name_vi": "Số doanh nghiệp công nghệ số",
            "name_en": "Digital technology firms",
            "unit": "count",
            "main_index_id": "economy-activity",
            "direction": "higher_is_better",
            "definition_vi": "Số doanh nghiệp",
            "definition_en": "Number of firms",
        },
    ]
    w.write("kpi", kpis)
    years = shape.years[-2:]
    if "kpi_observation" in shape.tables:
        obs = []
        for k, base in (("online-services", 41.5), ("digital-firms", 212)):
            for j, y in enumerate(years):
                v = base * (1 - 0.1 * j if shape.printed and k == "digital-firms" else 1 + 0.1 * j)
                text = (_vi(v, 1) + "%") if k == "online-services" else _vi(round(v), 0)
                row = {
                    "observation_id": f"{k}-{y}",
                    "kpi_id": k,
                    "province_id": publisher.province_id,
                    "period": y,
                    "value": round(v, 1) if k == "online-services" else round(v),
                    "qualifier": "less_than"
                    if shape.printed and k == "online-services" and y == years[-1]
                    else "exact",
                    **w.cite(f"III. CHỈ TIÊU NĂM {y}", text),
                }
                if shape.disputed and k == "online-services" and y == years[-1]:
                    w.cite(f"III. CHỈ TIÊU NĂM {y}", "10 / 100")
                    row.update(numerator=10, denominator=100, numerator_as_written="10", denominator_as_written="100")
                obs.append(row)
        if shape.district_kpi:  # one table of the document lists every province's districts and total
            for y in years:
                for n, p in enumerate(shape.provinces):
                    parts = [10 + n, 20 + 2 * n]
                    for i, v in [(0, sum(parts)), (1, parts[0]), (2, parts[1])]:
                        obs.append(
                            {
                                "observation_id": f"digital-firms-{p.province_id}-{y}" + (f"-d{i}" if i else ""),
                                "kpi_id": "digital-firms",
                                "province_id": p.province_id,
                                "district_id": f"{p.province_id}-d{i}" if i else "",
                                "period": y,
                                "value": v,
                                "qualifier": "exact",
                                **w.cite(f"V. DOANH NGHIỆP THEO HUYỆN NĂM {y}", str(v)),
                            }
                        )
        w.write("kpi_observation", obs)
    if "plan" in shape.tables:
        w.write(
            "plan",
            [
                {
                    "plan_id": "plan-2030",
                    "name_vi": "Kế hoạch chuyển đổi số đến năm 2030",
                    "name_en": "Digital transformation plan to 2030",
                    "issued": f"{last}-03",
                    "source_id": SOURCE,
                    "section": "IV. MỤC TIÊU",
                }
            ],
        )
    if "target" in shape.tables and "plan" in shape.tables:
        tg = []
        for ty in shape.target_years:
            low = shape.disputed and ty == last  # a target the disputed figure would meet
            for k, v in (
                ("online-services", 40 if low else 80 if ty < 2030 else 100),
                ("digital-firms", 400 if ty < 2030 else 800),
            ):
                text = f"{v}%" if k == "online-services" else str(v)
                tg.append(
                    {
                        "target_id": f"plan-2030-{k}-{ty}",
                        "plan_id": "plan-2030",
                        "kpi_id": k,
                        "province_id": publisher.province_id,
                        "target_year": ty,
                        "comparator": "at_least",
                        "value": v,
                        "text_vi": f"Đến năm {ty} đạt {text}",
                        "text_en": f"{text} by {ty}",
                        **w.cite("IV. MỤC TIÊU", text),
                    }
                )
        w.write("target", tg)
    if "district" in shape.tables:
        w.write(
            "district",
            [
                {
                    "district_id": f"{p.province_id}-d{i}",
                    "province_id": p.province_id,
                    "name_vi": f"Huyện Thử {i}" + (f" {p.name_vi}" if p is not publisher else ""),
                    "name_en": f"Test District {i}" + (f" {p.name_en}" if p is not publisher else ""),
                    "kind": "district",
                    "sort_order": i,
                }
                for p in (shape.provinces if shape.district_kpi else [publisher])
                for i in (1, 2)
            ],
        )
    for name in ("task_group", "task_group_topic", "task", "task_organisation", "budget_table", "budget_item"):
        if name in shape.tables:
            w.write(name, [])
    if "glossary" in shape.tables:
        w.write(
            "glossary",
            [
                {
                    "term": "DTI",
                    "expansion_vi": "chỉ số chuyển đổi số",
                    "expansion_en": "digital transformation index",
                    "abbreviation_en": "DTI",
                }
            ],
        )

    text = [f"BÁO CÁO CHUYỂN ĐỔI SỐ TỈNH {publisher.name_vi.upper()}", ""]
    for section, values in w.lines.items():
        text += [section, " ; ".join(values), ""]
    (dst / "data" / "sources" / f"{SOURCE}.txt").write_text("\n".join(text), encoding="utf-8")
    (dst / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return dst


SHAPES = {
    # scores printed in points, ranked out of 63 before the 2025 merger and out of 34 after, three years
    "points-34": Shape(),
    # no district, budget, plan or task tables at all (absent from the descriptor), scores on 0-1
    "no-optional": Shape(
        scale="unit_interval", tables=("kpi_observation", "glossary"), years=(2022, 2023), out_of={2022: 63, 2023: 63}
    ),
    # a later framework: a ninth main index with no sub-indicator and no points yet
    # after the 2025 merger: no district tier, three years ranked out of 63, 63, then 34
    "ninth-index": Shape(
        ninth_index=True,
        scale="unit_interval",
        years=(2023, 2024, 2025),
        out_of={2023: 63, 2024: 63, 2025: 34},
        tables=tuple(t for t in OPTIONAL if t != "district"),
    ),
    # three provinces of one region in one package
    "three-provinces": Shape(
        provinces=[
            Province("lam-dong", "Lâm Đồng", "Lam Dong"),
            Province("gia-lai", "Gia Lai", "Gia Lai"),
            Province("dak-lak", "Đắk Lắk", "Dak Lak"),
        ],
        years=(2024, 2025),
        out_of={2024: 63, 2025: 34},
    ),
}
