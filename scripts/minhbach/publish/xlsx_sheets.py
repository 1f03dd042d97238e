"""The sheets a workbook carries after its data sheet: `Fields` (what each column means, in both languages, with
its type and unit) and, for a published table, the cover sheet `About` (title, source documents with the sections
its rows come from, licence, contact, version, citation, address). The data sheet stays first, with one header
row of field names, so `pandas.read_excel(url)` with its defaults reads the data. Every word comes from the
string catalogue (`workbook_sheets`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from minhbach.context import program_catalogue


@dataclass
class Cover:
    """What the cover sheet of one published table says; `sources`: source_id -> (title vi, title en)."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    version: str
    released: bool
    licence: str
    licence_url: str
    publisher: dict[str, str]
    contact: str
    citation: dict[str, str]
    url: str
    download: str
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)


def _t(key: str, lang: str, **kw) -> str:
    return program_catalogue().get(lang, f"workbook_sheets.{key}", **kw)


def _label(col, lang: str) -> str:
    """A column's header in `lang`: a chart column's title, a workbook column's attribute, else its name."""
    title = getattr(col, "title", None)
    text = title.get(lang, "") if isinstance(title, dict) else getattr(col, lang, "")
    return str(text or col.name)


def add_fields_sheet(wb, columns: list, fields: dict | None) -> None:
    """One row per column: field name, label vi/en, type, unit, description vi/en."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(_t("fields_sheet", "en"))
    keys = ("field", "label_vi", "label_en", "type", "unit", "description_vi", "description_en")
    bold = Font(bold=True)
    for c, key in enumerate(keys, start=1):
        cell = ws.cell(row=1, column=c, value=f"{_t(key, 'en')} / {_t(key, 'vi')}")
        cell.font, cell.number_format = bold, "@"
    for r, col in enumerate(columns, start=2):
        f = (fields or {}).get(col.name) or {}
        en = ((f.get("x-i18n") or {}).get("en") or {}) if f else {}
        kind = str(f.get("type") or getattr(col, "kind", "text"))
        values = (
            col.name,
            _label(col, "vi"),
            _label(col, "en"),
            kind,
            str(getattr(col, "unit", "") or f.get("x-unit") or ""),
            str(f.get("description") or ""),
            str(en.get("description") or ""),
        )
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v or None)
            cell.number_format = "@"
    ws.freeze_panes = "A2"


def _sections(rows: list, columns: list) -> dict[str, list[str]]:
    """source_id -> the sections the table's rows cite, in order of first appearance."""
    names = [c.name for c in columns]
    if "source_id" not in names:
        return {}
    i, j = names.index("source_id"), (names.index("section") if "section" in names else None)
    out: dict[str, list[str]] = {}
    for row in rows:
        values = [row.get(n) for n in names] if isinstance(row, dict) else list(row)
        sid = str(values[i] or "").strip()
        if not sid:
            continue
        sec = str(values[j] or "").strip() if j is not None else ""
        lst = out.setdefault(sid, [])
        if sec and sec not in lst:
            lst.append(sec)
    return out


def add_cover_sheet(wb, cover: Cover, rows: list, columns: list) -> None:
    """The cover sheet: one row per item, label (vi / en) then the value (text cells, never re-typed)."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(_t("cover_sheet", "en"))
    bold = Font(bold=True)
    version = cover.version if cover.released else _t("version_unreleased", "en", version=cover.version)
    items: list[tuple[str, str]] = [
        ("title", cover.title["vi"]),
        ("title", cover.title["en"]),
        ("table", cover.name),
        ("description", cover.description["vi"]),
        ("description", cover.description["en"]),
        ("version", version),
        ("licence", f"{cover.licence} ({cover.licence_url})"),
        ("publisher", cover.publisher["vi"]),
        ("contact", cover.contact),
        ("citation", cover.citation["vi"]),
        ("citation", cover.citation["en"]),
        ("url", cover.url),
        ("download", cover.download),
    ]
    for sid, sections in _sections(rows, columns).items():
        vi, en = cover.sources.get(sid, ("", ""))
        items.append(("source", f"{sid}: {vi}" + (f" / {en}" if en and en != vi else "")))
        items.extend(("section", f"{sid}: {s}") for s in sections)
    for r, (key, value) in enumerate(items, start=1):
        label = ws.cell(row=r, column=1, value=f"{_t(key, 'vi')} / {_t(key, 'en')}")
        label.font, label.number_format = bold, "@"
        cell = ws.cell(row=r, column=2, value=value or None)
        cell.number_format = "@"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
