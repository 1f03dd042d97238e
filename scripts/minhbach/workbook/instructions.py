"""The instructions sheet: the layout lives here, every word in the `workbook.instructions` strings."""

from __future__ import annotations

from minhbach.workbook.common import say, sheet_name

# (style, key): "data:*" lines come from the descriptor, "" is an empty line
_LAYOUT: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("text", "data:title"),
    ("text", "version"),
    ("", ""),
    ("head", "sheets_head"),
    ("text", "sheets_1"),
    ("text", "sheets_2"),
    ("", ""),
    ("head", "fill_head"),
    ("text", "fill_1"),
    ("text", "fill_2"),
    ("text", "fill_3"),
    ("text", "fill_4"),
    ("text", "fill_5"),
    ("text", "fill_6"),
    ("", ""),
    ("head", "numbers_head"),
    ("text", "numbers_1"),
    ("text", "numbers_2"),
    ("text", "numbers_3"),
    ("text", "numbers_4"),
    ("", ""),
    ("head", "as_written_head"),
    ("text", "as_written_1"),
    ("", ""),
    ("head", "ids_head"),
    ("text", "ids_1"),
    ("text", "ids_2"),
    ("", ""),
    ("head", "year_head"),
    ("text", "year_1"),
    ("text", "year_2"),
    ("", ""),
    ("head", "import_head"),
    ("text", "import_1"),
    ("", ""),
    ("head", "list_head"),
)


def _line(key: str, lang: str, descriptor: dict) -> str:
    if not key:
        return ""
    if key == "data:title":
        if lang == "en":
            return str(descriptor.get("x-i18n", {}).get("en", {}).get("title", ""))
        return str(descriptor.get("title", ""))
    return say(lang, f"instructions.{key}", version=descriptor.get("version", ""))


def write_instructions(ws, descriptor: dict, resources: list[dict], data: dict) -> None:
    from openpyxl.styles import Alignment, Font

    bold, big = Font(bold=True), Font(bold=True, size=14)
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for style, key in _LAYOUT:
        vi, en_text = _line(key, "vi", descriptor), _line(key, "en", descriptor)
        a, b = ws.cell(r, 1, vi or None), ws.cell(r, 2, en_text or None)
        for c in (a, b):
            c.alignment = wrap
            if c.value is not None:
                c.data_type = "s"
            if style == "title":
                c.font = big
            elif style == "head":
                c.font = bold
        r += 1

    def w(key: str, lang: str) -> str:
        return say(lang, f"instructions.{key}")

    heads = (
        f"{w('list_sheet', 'vi')} / {w('list_sheet', 'en')}",
        w("list_table", "vi"),
        w("list_table", "en"),
        f"{w('list_rows', 'vi')} / {w('list_rows', 'en')}",
        w("list_description", "vi"),
        w("list_description", "en"),
    )
    for j, h in enumerate(heads, start=1):
        ws.cell(r, j, h).font = bold
    r += 1
    for res in resources:
        ren = res.get("x-i18n", {}).get("en", {})
        vals = (
            sheet_name(res["name"]),
            res.get("title", ""),
            ren.get("title", ""),
            len(data[res["name"]]),
            res.get("description", ""),
            ren.get("description", ""),
        )
        for j, v in enumerate(vals, start=1):
            c = ws.cell(r, j, v if v != "" else None)
            c.alignment = wrap
            if isinstance(v, str) and v:
                c.data_type = "s"
        r += 1
    for letter, width in zip("ABCDEF", (70, 70, 28, 14, 50, 50), strict=True):
        ws.column_dimensions[letter].width = width
