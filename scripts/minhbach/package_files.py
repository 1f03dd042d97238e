"""The human files a release zip carries beside datapackage.json: README (both languages), licence, citation.

A data package passed on as one zip has to explain itself without the website: who published it, under which
licence, how to cite it and which file is which. All words come from the string catalogue (release_files).
"""

from __future__ import annotations

from .load import licence, publisher_title

LANGS = ("vi", "en")


def _en(obj: dict, key: str) -> str:
    return str(((obj.get("x-i18n") or {}).get("en") or {}).get(key) or "").strip()


def _title(obj: dict, lang: str) -> str:
    return (_en(obj, "title") if lang == "en" else "") or str(obj.get("title") or obj.get("name") or "")


def _description(obj: dict, lang: str) -> str:
    return (_en(obj, "description") if lang == "en" else "") or str(obj.get("description") or "")


def readme(descriptor: dict, cat, base_url: str, preview: bool) -> str:
    """README.md in Vietnamese then English: what the package is, its files and tables, licence and citation."""
    label, url = licence(descriptor)
    v = str(descriptor.get("version") or "")
    parts = []
    for lang in LANGS:

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
    return f"{pub} ({year}). {title}. {v}. {label}."


def licence_file(descriptor: dict, cat) -> str:
    label, url = licence(descriptor)
    out = []
    for lang in LANGS:
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
