"""The one citation builder: every citation the project writes (a page's, a chart's, a dataset's, a release
README's) has the same shape, `Publisher (year). Title. Part. Part.`; the words of each part come from the
catalogues or the descriptor, never from here."""

from __future__ import annotations


def citation(publisher: str, year: str, title: str, *parts: str) -> str:
    """`Publisher (year). Title. Part. …`: empty parts are left out; each part is followed by a full stop."""
    return f"{publisher} ({year}). " + " ".join(f"{p}." for p in (title, *parts) if p)
