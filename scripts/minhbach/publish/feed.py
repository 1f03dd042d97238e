"""Atom feeds of releases (one per language) so newsrooms can subscribe to new figures; authored by the
publisher named in datapackage.json, all words from the string catalogue (feed section)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from minhbach import strings
from minhbach.load.package import publisher_title
from minhbach.site.paths import feed_name


def atom(published: list[dict], base_url: str, lang: str, descriptor: dict | None = None) -> str:
    cat = strings.load(None)
    d = descriptor or (published[-1].get("descriptor") if published else {}) or {}
    prefix = "" if lang == "vi" else f"{lang}/"
    pkg_title = (((d.get("x-i18n") or {}).get(lang) or {}).get("title") if lang != "vi" else "") or d.get("title", "")
    title = cat.get(lang, "feed.title", title=pkg_title)
    self_url = f"{base_url}{feed_name(lang)}"
    published = [r for r in published if r.get("released", True)]  # the current, unreleased data is no entry
    updated = max((r["created"] for r in published), default="2000-01-01T00:00:00Z")
    author = publisher_title(d, lang) or cat.get(lang, "catalog.publisher_default")
    email = str((d.get("x-contact") or {}).get("email") or "").strip()
    author_xml = f"<name>{escape(author)}</name><uri>{escape(base_url)}</uri>"
    if email:
        author_xml += f"<email>{escape(email.removeprefix('mailto:'))}</email>"
    entries = []
    for r in reversed(published):
        notes = r.get("notes") or {}
        summary = (notes.get(f"summary_{lang}") or "").strip()
        changes = notes.get(f"changes_{lang}") or []
        body = summary + ("\n" if summary and changes else "") + "\n".join(f"• {c}" for c in changes)
        if not body:
            body = cat.get(lang, "feed.entry_default", version=r["version"])
        link = f"{base_url}{prefix}whats-new/#release-{r['version'].replace('.', '-')}"
        zip_url = f"{base_url}releases/{r['version']}/{r['zip']}"
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(base_url)}releases/{escape(r['version'])}/</id>\n"
            f"    <title>{escape(cat.get(lang, 'feed.entry_title', version=r['version']))}</title>\n"
            f"    <updated>{escape(r['created'])}</updated>\n"
            f'    <link rel="alternate" href={quoteattr(link)}/>\n'
            f'    <link rel="enclosure" type="application/zip" href={quoteattr(zip_url)}/>\n'
            f'    <content type="text">{escape(body)}</content>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">\n'
        f"  <id>{escape(self_url)}</id>\n  <title>{escape(title)}</title>\n"
        f"  <updated>{escape(updated)}</updated>\n"
        f'  <link rel="self" href={quoteattr(self_url)}/>\n'
        f'  <link rel="alternate" href={quoteattr(base_url + prefix + "whats-new/")}/>\n'
        f"  <author>{author_xml}</author>\n" + "".join(entries) + "</feed>\n"
    )
