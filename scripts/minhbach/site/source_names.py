"""How pages name a source document: its short title as the link text, its full title, issuer and date on hover.

A citizen does not know the internal id (`dn-press-2022`): every link to a document reads its short title
(`short_title_*` of the sources table), else its title; the id is the last resort only.
"""

from __future__ import annotations

from minhbach import fmt

_CACHE: dict[tuple[int, str], dict[str, tuple[str, str]]] = {}


def _names(pkg, lang: str) -> dict[str, tuple[str, str]]:
    k = (id(pkg), lang)
    if k not in _CACHE:
        out = {}
        for s in pkg.t("source").to_dict("records"):
            sid = str(s["source_id"])

            def get(col: str, s=s) -> str:
                v = s.get(f"{col}_{lang}")
                return "" if fmt.missing(v) else str(v).strip()

            title = get("title") or sid
            short = get("short_title") or title
            issued = "" if fmt.missing(s.get("issued")) else str(s.get("issued"))
            tip = ", ".join(x for x in (get("issuer"), fmt.period(issued, lang) if issued else "") if x)
            out[sid] = (short, f"{title} ({tip})" if tip else title)
        _CACHE.clear()
        _CACHE[k] = out
    return _CACHE[k]


def label(pkg, lang: str, source_id: str) -> str:
    """The link text for a document: its short title."""
    return _names(pkg, lang).get(str(source_id), (str(source_id), ""))[0]


def tip(pkg, lang: str, source_id: str, section: str | None = None) -> str:
    """The hover text: full title, issuer and date, then the cited section."""
    full = _names(pkg, lang).get(str(source_id), ("", str(source_id)))[1]
    return f"{full} · {section}" if section else full
