"""`minhbach release VERSION`: freeze the current data as an immutable release with bilingual notes.

A release is a folder releases/<version>/ holding datapackage.json, data/ (tables and source texts) and
release.json (date, human summary, and the changes against the previous release, generated from the diff).
Every release stays published and downloadable; a version is never reused.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date as Date
from pathlib import Path
from typing import Any

from minhbach import address, strings
from minhbach.errors import Failed, Issue
from minhbach.load.package import read_descriptor
from minhbach.publish.run import _version_key, archived_releases, package_base_url, preview_issues
from minhbach.validate.run import validate_package
from minhbach.workbook.common import Diff
from minhbach.workbook.common import read_csv as _read_csv
from minhbach.workbook.diff import merge as _merge
from minhbach.workbook.read import Sheet as _Sheet

# ASCII digits only (`\d` would take full-width and Arabic-Indic digits), no leading zeros, and fullmatch:
# `$` would let a trailing newline through into folder names and catalogue IRIs
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
JOURNAL = ".release-journal.json"


def package_diff(old_root: Path, new_root: Path) -> Diff:
    """Rows added, removed and cells changed between two packages, table by table (by primary key)."""
    new_dp = json.loads((new_root / "datapackage.json").read_text(encoding="utf-8"))
    diff = Diff()
    for res in new_dp["resources"]:
        old = _read_csv(old_root / res["path"])
        header, rows = _read_csv(new_root / res["path"]) or ([], [])
        fields = [f["name"] for f in res["schema"]["fields"]]
        idx = {h: i for i, h in enumerate(header)}
        rows = [[r[idx[f]] if f in idx and idx[f] < len(r) else "" for f in fields] for r in rows]
        sheet = _Sheet(rows=rows, excel_rows=list(range(2, len(rows) + 2)), letters={}, bad_cells=set())
        _, _, tdiff = _merge(res, old, sheet)
        diff.tables[res["name"]] = tdiff
    return diff


def _label(pkg, table: str, row: dict, lang: str) -> str:
    """A reader's name for a changed row: the KPI's or index's name rather than a bare id."""
    names = {
        "kpi_observation": ("kpi", "kpi_id"),
        "target": ("kpi", "kpi_id"),
        "dti_observation": ("main_index", "main_index_id"),
    }
    if table in names:
        ref, col = names[table]
        t = pkg.t(ref).set_index(f"{ref}_id") if f"{ref}_id" in pkg.t(ref).columns else None
        rid = row.get(col)
        if t is not None and rid in t.index:
            return str(t.loc[rid, f"name_{lang}"])
        if table == "dti_observation":
            if row.get("pillar_id"):
                return str(pkg.t("pillar").set_index("pillar_id").loc[row["pillar_id"], f"name_{lang}"])
            return "DTI"
    for k in (f"name_{lang}", f"title_{lang}", f"text_{lang}"):
        if row.get(k):
            return row[k]
    return ""


def notes_from_diff(diff: Diff, pkg, lang: str) -> list[str]:
    """Release notes in `lang` from the changes, worded by the catalogue (site_src/strings/<lang>/release.yml)."""
    cat = strings.load(None)

    def say(which: str, /, **kw) -> str:
        return cat.get(lang, f"release_notes.{which}", **kw)

    out = []
    for t in diff.tables.values():
        if t.empty:
            continue
        years = sorted({r.row.get("year") or (r.row.get("period") or "")[:4] for r in t.added} - {""})
        if t.added:
            if years:
                out.append(say("added_years", table=t.table, n=len(t.added), years=", ".join(years)))
            else:
                out.append(say("added", table=t.table, n=len(t.added)))
        if t.removed:
            out.append(say("removed", table=t.table, n=len(t.removed)))
        for c in t.changed:
            key = " / ".join(c.key)
            if c.column in ("value", "amount", "as_written"):
                schema = pkg.resource(t.table)["schema"]
                row = (
                    pkg.t(t.table).astype(str).set_index(schema["primaryKey"][0]).loc[c.key[0]].to_dict()
                    if schema.get("primaryKey")
                    else {}
                )
                label = _label(pkg, t.table, row, lang)
                kw = dict(
                    table=t.table,
                    key=key,
                    label=(" – " + label) if label else "",
                    column=c.column,
                    old=c.old or "–",
                    new=c.new or "–",
                )
                out.append(
                    say("value_changed_source", source=c.source_id, **kw) if c.source_id else say("value_changed", **kw)
                )
            else:
                out.append(say("changed", table=t.table, key=key, column=c.column))
    return out


def recover_release(root: Path) -> list[str]:
    """Finish or undo a release that was interrupted. The journal (written before datapackage.json is
    touched) holds the original descriptor: if releases/<v>/ is complete the release is kept, else the
    descriptor is restored; temporary folders are removed either way, so the command can be re-run."""
    root = Path(root).resolve()
    rel_dir, done = root / "releases", []
    journal = rel_dir / JOURNAL
    if journal.is_file():
        try:
            j = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            j = None  # cut short while being written: datapackage.json was not touched yet
        if isinstance(j, dict) and isinstance(j.get("version"), str) and isinstance(j.get("original"), str):
            if (rel_dir / j["version"] / "release.json").is_file():
                done.append(f"release {j['version']} had been completed; kept it")
            else:
                _write_atomic(root / "datapackage.json", j["original"])
                done.append(f"release {j['version']} was interrupted; datapackage.json restored")
        journal.unlink()
    leftovers = [p for p in root.glob(".datapackage.json.*.part")]
    if rel_dir.is_dir():
        leftovers += [p for p in rel_dir.iterdir() if p.name.startswith(".") and p.name.endswith((".tmp", ".part"))]
    for p in sorted(leftovers):
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
        done.append(f"removed {p.name}, left by an interrupted release")
    return done


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def make_release(
    root: Path,
    version: str,
    summary_vi: str = "",
    summary_en: str = "",
    date: str | None = None,
    require_public: bool = False,
) -> dict:
    """Freeze the data as release `version`. `require_public` (the CLI's default) refuses a preview package:
    one without a public address (homepage) or a contact email, whose files would carry unusable identifiers."""
    root = Path(root).resolve()
    bad = address.descriptor_issues(read_descriptor(root))
    if bad:
        raise Failed(bad)  # before anything is stamped: the address is recorded in every released file
    if require_public:
        dp0 = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        problems = preview_issues(dp0, package_base_url(dp0))
        if problems:
            raise Failed(problems)
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        raise Failed(
            [
                Issue(
                    "release-version-invalid",
                    "a version is three numbers in ASCII digits, e.g. 1.2.0 (no spaces, newlines or leading zeros)",
                    value=str(version),
                    expected="MAJOR.MINOR.PATCH",
                )
            ]
        )
    recover_release(root)
    existing = archived_releases(root)
    if any(r.version == version for r in existing):
        raise Failed(
            [
                Issue(
                    "release-version-reused",
                    f"version {version} is already released; releases never change",
                    file=f"releases/{version}/",
                    value=version,
                )
            ]
        )
    if existing and _version_key(version) <= _version_key(existing[-1].version):
        raise Failed(
            [
                Issue(
                    "release-version-order",
                    "a new release needs a higher version than the last one",
                    value=version,
                    expected=f"> {existing[-1].version}",
                )
            ]
        )
    day = date or Date.today().isoformat()
    dp_path = root / "datapackage.json"
    original = dp_path.read_text(encoding="utf-8")
    dp = json.loads(original)
    dp["version"], dp["created"] = version, f"{day}T00:00:00Z"
    (root / "releases").mkdir(exist_ok=True)
    journal = root / "releases" / JOURNAL
    _write_atomic(journal, json.dumps({"version": version, "original": original}, ensure_ascii=False))
    try:
        _write_atomic(dp_path, json.dumps(dp, ensure_ascii=False, indent=2) + "\n")
        notes = _freeze(root, dp, version, day, summary_vi, summary_en, existing)
    except BaseException:
        recover_release(root)  # roll back: restore datapackage.json, drop the partial folder
        raise
    journal.unlink()
    return notes


def _freeze(root: Path, dp: dict, version: str, day: str, summary_vi: str, summary_en: str, existing) -> dict:
    """Validate the stamped package and copy it into releases/<version>/ with one final rename."""
    issues, pkg = validate_package(root)
    if issues or pkg is None:
        raise Failed(issues)
    diff = package_diff(existing[-1].root, root) if existing else None
    notes: dict[str, Any] = {
        "version": version,
        "date": day,
        "summary_vi": summary_vi.strip(),
        "summary_en": summary_en.strip(),
    }
    cat = strings.load(None)
    if diff is None:
        rows = sum(len(pkg.tables[r["name"]]) for r in dp["resources"])
        for lang in ("vi", "en"):
            notes[f"changes_{lang}"] = [cat.get(lang, "release_notes.first", tables=len(dp["resources"]), rows=rows)]
    else:
        for lang in ("vi", "en"):
            notes[f"changes_{lang}"] = notes_from_diff(diff, pkg, lang) or [cat.get(lang, "release_notes.none")]
    dst = root / "releases" / version
    tmp = root / "releases" / f".{version}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "data").mkdir(parents=True)
    shutil.copy2(root / "datapackage.json", tmp / "datapackage.json")
    for r in dp["resources"]:
        (tmp / r["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / r["path"], tmp / r["path"])
    for s in pkg.t("source")["path"]:
        (tmp / "data" / s).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / "data" / s, tmp / "data" / s)
    (tmp / "release.json").write_text(
        json.dumps(notes, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.rename(tmp, dst)
    return notes
