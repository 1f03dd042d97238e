"""Source documents parsed once: a heading index per document, and per cited section its text and token index.

Plain-text copies of PDF reports print headings in more than one way: Markdown bold or italics kept from the
conversion (`**I. MUC TIEU**`), two headings glued on one line (`Phu luc 5**Ket qua ...**`), numbering as `I.`,
`I -`, `1.`, `1)` or `a)`, and headings wrapped over two or three lines. A citation `A > B > C` names headings
from the outermost; each part is found, in order, at the start of a line or right after the previous part on the
same line (a glued heading). The span ends at the next heading of the same or a higher level than the deepest
numbered part.

Everything is computed once per document (`index_of`) and once per cited section (`DocumentIndex.cited`), so the
provenance check of a row is a dictionary look-up plus a check at the few places its first token occurs.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

# level 0 is "PHAN <n>" / "PHU LUC" with their Vietnamese letters (escapes: no Vietnamese in modules); roman
# and arabic numbers are followed by ". ", ") ", " - " in prose and by a tab in tables ("II<TAB>Phat trien ...")
_HEADING_LEVELS = (
    (0, re.compile("(?:PH\u1ea6N\\s+[IVXLC0-9]+|PH\u1ee4 L\u1ee4C(?:\\s+[IVXLC0-9]+)?)(?!\\w)", re.I)),
    (1, re.compile(r"[IVXLC]+(?:[.)]\s|\t|\s+-\s)")),
    (2, re.compile(r"[0-9]+(?:[.)]\s|\t|\s+-\s)")),
    (3, re.compile("[a-z\u0111]\\)\\s")),
)
_TAGS = re.compile(r"<[^>]{0,40}>")
_BULLET = re.compile(r"^[-+*\u2022]\s+")
_NUMERAL = re.compile(r"^([ivxlc]+|[0-9]+)(?:[.)]|\s+-)?\s+")
# Markdown emphasis kept by PDF-to-text: a marker between two letters/digits glues two headings (a space),
# elsewhere it is dropped
_GLUE = re.compile(r"(?<=\w)(?:\*{1,3}|_{2,3})(?=\w)")
_MARK = re.compile(r"\*{2,3}|_{2,3}|(?<![\w*])\*(?=\w)|(?<=[\w.:)])\*(?![\w*])")
_FOOTNOTE = re.compile(r"^\s*(?:[\u00b9\u00b2\u00b3\u2070-\u2079]+|\ufffd)")
_ATOM = re.compile(r"[0-9]+|[^\W0-9_]+|\S")


def strip_markup(text: str) -> str:
    """Tags and Markdown emphasis removed; glued headings get a space between them."""
    return _MARK.sub("", _GLUE.sub(" ", _TAGS.sub("", text)))


def level(line: str) -> int | None:
    """The heading level of a line (0 = part/appendix ... 3 = lettered item), None for prose."""
    line = strip_markup(line).lstrip(" ")
    for lvl, pat in _HEADING_LEVELS:
        if pat.match(line):
            return lvl
    return None


def clean(text: str) -> str:
    """A heading as compared: markup, bullets, tabs and the mark after a leading number dropped; case folded."""
    text = " ".join(strip_markup(text).split()).casefold()
    return _NUMERAL.sub(r"\1 ", _BULLET.sub("", text))


def _prefix(got: str, part: str) -> bool:
    return got.startswith(part) and (len(got) == len(part) or not got[len(part)].isalnum())


@dataclass
class Cited:
    """A cited section: its text (plus the document's footnotes), white space collapsed, and its tokens."""

    text: str
    flat: str = ""
    atoms: dict[str, list[int]] = field(default_factory=dict)
    _seen: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.flat = " ".join(self.text.split())
        for m in _ATOM.finditer(self.flat):
            self.atoms.setdefault(m.group(), []).append(m.start())

    def contains(self, needle: str) -> bool:
        """`guards.token_in(needle, self.text)`, answered from the token index: the rarest token of the needle
        gives the few places where it can start, and the whole-token rule is checked only there."""
        got = self._seen.get(needle)
        if got is None:
            got = self._seen[needle] = self._contains(needle)
        return got

    def _contains(self, needle: str) -> bool:
        n = " ".join(needle.split())
        if not n:
            return False
        number = n[0].isdigit() or n[0] in "+-"
        atoms = list(_ATOM.finditer(n))
        if number and len(atoms) > 1 and atoms[-1].group().isalpha():
            atoms.pop()  # "5 ha" is in "5 hab": a number's last word may be the start of a longer one
        best: tuple[int, list[int]] | None = None
        for m in atoms:
            where = self.atoms.get(m.group())
            if where is None:
                return False
            if best is None or len(where) < len(best[1]):
                best = (m.start(), where)
        assert best is not None
        if number:
            pat = re.compile(r"(?<![0-9.,])" + re.escape(n) + r"(?![0-9]|[.,][0-9])")
        else:
            pat = re.compile(r"(?<!\w)" + re.escape(n) + (r"(?!\w)" if n[-1].isalnum() else ""))
        off, where = best
        return any(p - off >= 0 and pat.match(self.flat, p - off) for p in where)


@dataclass(frozen=True)
class Heading:
    line: int  # 1-based line number in the document
    offset: int
    level: int | None
    text: str  # as printed, markup removed


class DocumentIndex:
    """One source document: its lines cleaned once, its headings, and the sections already looked up."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.offsets: list[int] = []
        pos = 0
        for line in self.lines:
            self.offsets.append(pos)
            pos += len(line) + 1
        self.cleaned = [clean(line) for line in self.lines]
        self.levels = [level(line) for line in self.lines]
        self._heading_lines = [j for j, lvl in enumerate(self.levels) if lvl is not None]
        # the headings glued after the first one on a line: (offset in the line, cleaned text)
        self._tails = {
            j: [(m.start(), clean(line[m.start() :])) for m in _GLUE.finditer(line)]
            for j, line in enumerate(self.lines)
            if _GLUE.search(line)
        }
        self._footnotes = [j for j, line in enumerate(self.lines) if _FOOTNOTE.match(line)]
        self._spans: dict[str, tuple[int, int] | None] = {}
        self._cited: dict[str, Cited | None] = {}
        self._missing: dict[str, str] = {}
        self._headings: list[Heading] | None = None
        self._whole: Cited | None = None

    # ------------------------------------------------------------------ sections

    def _got(self, j: int) -> str:
        return " ".join(c for c in self.cleaned[j : j + 3] if c)

    def span(self, section: str) -> tuple[int, int] | None:
        """(start, end) offsets of the cited section, or None when one of its parts is not found."""
        if section not in self._spans:
            self._spans[section] = self._span(section)
        return self._spans[section]

    def _span(self, section: str) -> tuple[int, int] | None:
        parts = [clean(p) for p in section.split(" > ") if p.strip()]
        if not parts:
            self._missing[section] = section
            return None
        i, lvl, start, at, rest = 0, None, 0, 0, ""
        for raw, part in zip([p for p in section.split(" > ") if p.strip()], parts, strict=True):
            if rest and _prefix(rest, part):  # glued onto the previous part's line
                rest = rest[len(part) :].lstrip(" :.-")
                continue
            for j in range(i, len(self.lines)):
                line = self.cleaned[j]
                if line and part.startswith(line[:1]) and _prefix(self._got(j), part):
                    i = start = j
                    at = self.offsets[j]
                    lvl = self.levels[j] if self.levels[j] is not None else lvl
                    rest = line[len(part) :].lstrip(" :.-") if _prefix(line, part) else ""
                    break
                tail = next(((o, t) for o, t in self._tails.get(j, ()) if _prefix(t, part)), None)
                if tail is not None:  # the second of two glued headings
                    i = start = j
                    at = self.offsets[j] + tail[0]
                    rest = tail[1][len(part) :].lstrip(" :.-")
                    break
            else:
                self._missing[section] = raw.strip()
                return None
        end = len(self.text)
        if lvl is not None:
            k = bisect.bisect_right(self._heading_lines, start)
            for j in self._heading_lines[k:]:
                if self.levels[j] <= lvl:  # type: ignore[operator]
                    end = self.offsets[j]
                    break
        return at, end

    def cited(self, section: str) -> Cited | None:
        """The text a row may quote: its section, plus the document's footnotes (lines opening with a superscript
        number, or with U+FFFD where the transcription lost the marker), which sit apart from the text they
        annotate."""
        if section not in self._cited:
            span = self.span(section)
            if span is None:
                self._cited[section] = None
            else:
                a, b = span
                notes = [self.lines[j] for j in self._footnotes if not a <= self.offsets[j] < b]
                self._cited[section] = Cited("\n".join([self.text[a:b], *notes]))
        return self._cited[section]

    def whole(self) -> Cited:
        """The whole document, for a row that cites no section."""
        if self._whole is None:
            self._whole = Cited(self.text)
        return self._whole

    # ------------------------------------------------------------------ headings, for people

    def headings(self) -> list[Heading]:
        """Every heading line; a glued line gives one heading per piece."""
        if self._headings is None:
            out = []
            for j, line in enumerate(self.lines):
                stripped = _TAGS.sub("", line).strip()
                bold = stripped.startswith(("**", "__")) or bool(_GLUE.search(stripped))
                if self.levels[j] is None and not bold:
                    continue
                cuts = [0, *(m.start() for m in _GLUE.finditer(line)), len(line)]
                for a, b in zip(cuts, cuts[1:], strict=False):
                    text = " ".join(strip_markup(line[a:b]).split())
                    if text:
                        out.append(Heading(j + 1, self.offsets[j] + a, level(line[a:b]), text))
            self._headings = out
        return self._headings

    def missing_part(self, section: str) -> str | None:
        """The first part of a refused citation that was not found."""
        if self.span(section) is not None:
            return None
        return self._missing.get(section)

    def nearest(self, part: str, n: int = 3) -> list[Heading]:
        """The n headings closest to `part` by edit distance (difflib's ratio on the cleaned text)."""
        want = clean(part)
        scored = []
        for h in self.headings():
            c = clean(h.text)
            scored.append((-difflib.SequenceMatcher(None, want, c[: max(len(want) + 10, 20)]).ratio(), h.line, h))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [h for _, _, h in scored[:n]]

    def suggestion(self, section: str) -> str:
        """For a refused citation: which part was not found and the nearest headings, with their line numbers."""
        part = self.missing_part(section) or section
        near = "; ".join(f"line {h.line}: {h.text[:70]!r}" for h in self.nearest(part))
        return f"'{part[:60]}' is not a heading of this document; nearest headings: {near}"


@lru_cache(maxsize=64)
def index_of(text: str) -> DocumentIndex:
    """The document's index, built once per text (the same text object is looked up by its cached hash)."""
    return DocumentIndex(text)
