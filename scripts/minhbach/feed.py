"""Atom feeds of releases (one per language) so newsrooms can subscribe to new figures."""

from __future__ import annotations

from xml.sax.saxutils import escape


def atom(published: list[dict], base_url: str, lang: str) -> str:
    prefix = "" if lang == "vi" else "en/"
    title = "Các bản phát hành dữ liệu" if lang == "vi" else "Data releases"
    self_url = f"{base_url}{'feed.xml' if lang == 'vi' else 'feed-en.xml'}"
    updated = max((r["created"] for r in published), default="2000-01-01T00:00:00Z")
    entries = []
    for r in reversed(published):
        notes = r.get("notes") or {}
        summary = (notes.get(f"summary_{lang}") or "").strip()
        changes = notes.get(f"changes_{lang}") or []
        body = summary + ("\n" if summary and changes else "") + "\n".join(f"• {c}" for c in changes)
        if not body:
            body = f"Bản phát hành {r['version']}." if lang == "vi" else f"Release {r['version']}."
        link = f"{base_url}{prefix}whats-new/#release-{r['version'].replace('.', '-')}"
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(base_url)}releases/{escape(r['version'])}/</id>\n"
            f"    <title>{escape(('Phát hành ' if lang == 'vi' else 'Release ') + r['version'])}</title>\n"
            f"    <updated>{escape(r['created'])}</updated>\n"
            f'    <link rel="alternate" href="{escape(link)}"/>\n'
            f'    <link rel="enclosure" type="application/zip" href="{escape(base_url)}releases/'
            f'{escape(r["version"])}/{escape(r["zip"])}"/>\n'
            f'    <content type="text">{escape(body)}</content>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">\n'
        f"  <id>{escape(self_url)}</id>\n  <title>{escape(title)}</title>\n"
        f"  <updated>{escape(updated)}</updated>\n"
        f'  <link rel="self" href="{escape(self_url)}"/>\n'
        f'  <link rel="alternate" href="{escape(base_url)}{prefix}whats-new/"/>\n'
        f"  <author><name>minhbach</name></author>\n" + "".join(entries) + "</feed>\n"
    )
