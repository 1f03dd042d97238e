"""A cited section path in the page's language: on English pages `PHAN II. ... > V. ... > 1. ...` reads
`Part II › V › 1`, with the document's own Vietnamese path on hover (and for screen readers as the title).

The words that name a part or an annex in the documents, and their English labels, are in the `fmt.section`
strings (no Vietnamese word in code); a part without a number is shown as the catalogue's `unnumbered` mark.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from minhbach.escape import esc

NUMERAL = r"([IVXLC]+|\d+|[a-z])"


def _rules(lang: str, cat) -> tuple[list[tuple[re.Pattern, str]], re.Pattern, str, str]:
    words = cat.raw(lang, "fmt.section.words")
    rules = [
        (re.compile(rf"^\s*(?:{'|'.join(re.escape(w) for w in ws)})\s+{NUMERAL}\b", re.IGNORECASE), label)
        for label, ws in ((cat.raw(lang, f"fmt.section.{kind}"), ws) for kind, ws in words.items())
    ]
    numbered = re.compile(rf"^\s*{NUMERAL}[.)]\s")
    return rules, numbered, cat.raw(lang, "fmt.section.unnumbered"), cat.raw(lang, "fmt.section.separator")


def short(section: str, lang: str, cat) -> str:
    """The path by its numbers in `lang` ('' in the data's own language: the path is shown as the document prints
    it)."""
    if lang == cat.default_lang:
        return ""
    rules, numbered, unnumbered, sep = _rules(lang, cat)
    out = []
    for part in str(section).split(" > "):
        for pattern, label in rules:
            if m := pattern.match(part):
                out.append(label.format(n=m.group(1)))
                break
        else:
            m = numbered.match(part)
            out.append(m.group(1) if m else unnumbered)
    return sep.join(out)


def section(text, lang: str, cat) -> Markup:
    """The section as a page of `lang` shows it: Vietnamese as printed; other languages by its numbers, with the
    printed path on hover."""
    if lang == cat.default_lang or not text:
        return esc(text)
    return Markup(f'<span title="{esc(text)}">{esc(short(text, lang, cat))}</span>')
