"""The human files a release zip carries beside datapackage.json: README (both languages), licence, citation.

A data package passed on as one zip has to explain itself without the website: who published it, under which
licence, how to cite it and which file is which. All words come from the string catalogue (release_files).
"""

from __future__ import annotations

from minhbach.load.package import licence, publisher_title, translated_text
from minhbach.publish.xlsx_sheets import Cover
from minhbach.site.cite import compose


def _title(obj: dict, lang: str) -> str:
    return translated_text(obj, "title", lang) or str(obj.get("title") or obj.get("name") or "")


def _description(obj: dict, lang: str) -> str:
    return translated_text(obj, "description", lang) or str(obj.get("description") or "")


def readme(descriptor: dict, cat, base_url: str, preview: bool) -> str:
    """README.md in Vietnamese then English: what the package is, its files and tables, licence and citation."""
    label, url = licence(descriptor)
    v = str(descriptor.get("version") or "")
    parts = []
    for lang in cat.langs:

        def t(key: str, lang: str = lang, **kw) -> str:
            return cat.get(lang, f"release_files.{key}", **kw)

        pub = publisher_title(descriptor, lang)
        parts.append(f"# {_title(descriptor, lang)}\n")
        parts.append(f"{_description(descriptor, lang)}\n")
        parts.append(f"{t('readme_intro')}\n")
        parts.append(f"- {t('readme_publisher')}: {pub}")
        parts.append(f"- {t('readme_version')}: {v}")
        parts.append(f"- {t('readme_licence')}: {label} ({url})")
        if not preview:
            parts.append(f"- {t('readme_site')}: {base_url}")
        parts.append(f"\n## {t('readme_files')}\n")
        parts.append("- datapackage.json")
        parts.append(f"- {t('readme_data')}")
        parts.append(f"- {t('readme_excel')}")
        parts.append("- README.txt, LICENSE.txt, CITATION.cff, release.json")
        parts.append(f"\n## {t('readme_tables')}\n")
        for r in descriptor.get("resources") or []:
            parts.append(f"- `{r['path']}` – {_title(r, lang)}: {_description(r, lang)}")
        parts.append(f"\n{t('readme_open', version=v)}\n")
        parts.append(f"## {t('readme_cite')}\n")
        parts.append(citation_text(descriptor, lang) + "\n")
    return "\n".join(parts)


def citation_text(descriptor: dict, lang: str) -> str:
    year = str(descriptor.get("created") or "")[:4]
    label, _ = licence(descriptor)
    pub, title, v = publisher_title(descriptor, lang), _title(descriptor, lang), descriptor.get("version", "")
    return compose(pub, year, title, v, label)


def licence_file(descriptor: dict, cat) -> str:
    label, url = licence(descriptor)
    out = []
    for lang in cat.langs:
        out.append(f"# {cat.get(lang, 'release_files.licence_title')}\n")
        text = cat.get(
            lang, "release_files.licence_text", licence=label, url=url, publisher=publisher_title(descriptor, lang)
        )
        out.append(text + "\n")
    return "\n".join(out)


def _yaml_str(s: str) -> str:
    import json

    return json.dumps(str(s), ensure_ascii=False)


def citation_cff(descriptor: dict, cat, base_url: str, preview: bool, released: bool = True) -> str:
    """CITATION.cff (Citation File Format 1.2.0), type dataset, the publisher as author (an entity). Data not
    (yet) released carry no version and no release date: they may still change."""
    lic = (descriptor.get("licenses") or [{}])[0]
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml_str(cat.get('en', 'release_files.citation_message'))}",
        "type: dataset",
        f"title: {_yaml_str(_title(descriptor, 'en'))}",
        "authors:",
        f"  - name: {_yaml_str(publisher_title(descriptor, 'vi'))}",
    ]
    if released:
        lines.append(f"version: {_yaml_str(descriptor.get('version', ''))}")
        lines.append(f"date-released: {_yaml_str(str(descriptor.get('created') or '')[:10])}")
    if lic.get("name"):
        lines.append(f"license: {_yaml_str(lic['name'])}")
    if not preview:
        lines.append(f"url: {_yaml_str(base_url)}")
    kws = list(
        dict.fromkeys(
            (descriptor.get("keywords") or []) + ((descriptor.get("x-i18n") or {}).get("en") or {}).get("keywords", [])
        )
    )
    if kws:
        lines.append("keywords:")
        lines.extend(f"  - {_yaml_str(k)}" for k in kws)
    return "\n".join(lines) + "\n"


def table_cover(pub: dict, r: dict, root, base_url: str, folder: str, released: bool, langs: tuple[str, ...]):
    """The cover sheet of one table's workbook (xlsx_sheets.Cover), from the published descriptor and the
    release's own source list (data/source.csv of the frozen folder, so a release's workbook never changes)."""
    import csv

    sources: dict[str, tuple[str, str]] = {}
    src = root / "data" / "source.csv"
    if src.is_file():
        with src.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                sources[row.get("source_id", "")] = (row.get("title_vi", ""), row.get("title_en", ""))
    label, url = licence(pub)
    contact = pub.get("x-contact") or {}
    xlsx = r["path"].replace("data/", "excel/", 1)[:-4] + ".xlsx"
    return Cover(
        name=r["name"],
        title={lang: _title(r, lang) for lang in langs},
        description={lang: _description(r, lang) for lang in langs},
        version=str(pub.get("version") or ""),
        released=released,
        licence=label,
        licence_url=url,
        publisher={lang: publisher_title(pub, lang) for lang in langs},
        contact=str(contact.get("email") or contact.get("url") or base_url),
        citation={lang: citation_text(pub, lang) for lang in langs},
        url=f"{base_url}open-data/{r['name']}/",
        download=f"{base_url}{folder}/{xlsx}",
        sources=sources,
    )


def resource_json(pub: dict, r: dict) -> str:
    """A Frictionless resource descriptor beside a CSV (data/<name>.resource.json): the table's schema, types,
    licence and sources, so the CSV explains itself without the 100 KB datapackage.json."""
    import json

    res = {k: v for k, v in r.items() if k != "path"}
    doc = {
        "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
        "path": r["path"].rsplit("/", 1)[-1],
        **res,
        "licenses": pub.get("licenses") or [],
        "sources": pub.get("sources") or [],
        "x-package": {"name": pub.get("name", ""), "version": pub.get("version", ""), "id": pub.get("id", "")},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
