"""Merge a sheet into the table it came from, keeping the repository's row order, and report the changes."""

from __future__ import annotations

from minhbach.workbook.common import CellChange, Diff, RowChange, TableDiff, fields_of, primary_key, say
from minhbach.workbook.read import Sheet


def merge(res: dict, old, sheet: Sheet) -> tuple[list[list[str]], list[int], TableDiff]:
    """New rows in repository order (existing rows where they were, new ones appended) and the diff."""
    name, fields = res["name"], [f["name"] for f in fields_of(res)]
    pk = primary_key(res) if all(k in fields for k in primary_key(res)) else []
    keycols = [fields.index(k) for k in pk] if pk else list(range(len(fields)))
    src = fields.index("source_id") if "source_id" in fields else None
    oh, orows = old if old is not None else ([], [])
    oidx = {h: i for i, h in enumerate(oh)}
    old_rows = [[r[oidx[n]] if n in oidx and oidx[n] < len(r) else "" for n in fields] for r in orows]

    def key(r):
        return tuple(r[i] for i in keycols)

    positions: dict[tuple, list[int]] = {}
    for i, r in enumerate(old_rows):
        positions.setdefault(key(r), []).append(i)
    used: dict[tuple, int] = {}
    matched, new = [], []
    for r, xr in zip(sheet.rows, sheet.excel_rows, strict=False):
        k = key(r)
        n = used.get(k, 0)
        if n < len(positions.get(k, [])):
            matched.append((positions[k][n], r, xr))
            used[k] = n + 1
        else:
            new.append((r, xr))
    matched.sort(key=lambda t: t[0])
    tdiff = TableDiff(name)
    taken = {m[0] for m in matched}
    for i, r in enumerate(old_rows):
        if i not in taken:
            tdiff.removed.append(
                RowChange(name, key(r), dict(zip(fields, r, strict=False)), r[src] if src is not None else None)
            )
    for i, r, _ in matched:
        o = old_rows[i]
        for c, n in enumerate(fields):
            if o[c] != r[c]:
                tdiff.changed.append(
                    CellChange(name, key(r), n, o[c], r[c], (r[src] or o[src]) if src is not None else None)
                )
    for r, _ in new:
        tdiff.added.append(
            RowChange(name, key(r), dict(zip(fields, r, strict=False)), r[src] if src is not None else None)
        )
    rows = [m[1] for m in matched] + [r for r, _ in new]
    excel_rows = [m[2] for m in matched] + [xr for _, xr in new]
    return rows, excel_rows, tdiff


def _show(v: str, lang: str) -> str:
    if v == "":
        return say(lang, "diff.empty")
    return repr(v if len(v) <= 160 else v[:157] + "...")


def _key(k: tuple) -> str:
    return " / ".join(k)


def render_diff(diff: Diff, lang: str = "vi") -> str:
    """The changes as plain text, in Vietnamese (vi) or English (en)."""
    lang = lang if lang in ("vi", "en") else "en"
    source = say(lang, "diff.source")

    def src(s: str | None) -> str:
        return f" ({source}: {s})" if s else ""

    lines = []
    for t in diff.tables.values():
        if t.empty:
            continue
        lines.append(
            say(lang, "diff.table", table=t.table, added=len(t.added), removed=len(t.removed), changed=len(t.changed))
        )
        for r in t.added:
            lines.append(f"  + {_key(r.key)}" + src(r.source_id))
        for r in t.removed:
            lines.append(f"  - {_key(r.key)}" + src(r.source_id))
        for c in t.changed:
            lines.append(
                f"  ~ {_key(c.key)} · {c.column}: {_show(c.old, lang)} → {_show(c.new, lang)}" + src(c.source_id)
            )
    if not lines:
        lines.append(say(lang, "diff.none"))
    if diff.warnings:
        lines.append(say(lang, "diff.notes"))
        lines += [f"  ! {x}" for x in diff.warnings]
    return "\n".join(lines)
