"""The render cache: chart SVGs and PNGs, social cards and the offline chart bundle, kept between builds.

Every cache user goes through `Cache.get` / `Cache.put`, so an entry is trusted only after it has been checked:

- **Named by its inputs.** The caller's key is the hash of what made the entry (spec, locale, renderer and font
  versions); the entry lives at `<root>/<folder>/<key>.<ext>` (`charts/…svg`, `charts/…png`, `social/…png`,
  `…js`).
- **Carrying the hash of its content.** The file starts with one header line,
  `minhbach-cache/1 <kind> <sha256 of the content> <length>\\n`, then the content as rendered. A header rather
  than a sidecar file or a hash in the name: one file appears with one `rename(2)`, so its content and its hash
  can never disagree because two writers or a crash interleaved two files, and a reader finds an entry by its
  name alone (no directory listing per look-up, no stale twins to prune). On read the length and the hash are
  verified, then the content is checked for its kind (an SVG holds no script, event handler or foreign object;
  a PNG is whole; the bundle is text). An entry that fails any check, is empty, cut short, from an older cache
  layout or unreadable is a miss: the caller renders again and `put` replaces it. The kind check also stops an
  edit that recomputed the header: whoever can write the cache still cannot put script into a published SVG.
- **Written atomically.** Content goes to a temporary file in the entry's folder, named with the process id,
  the thread id and random bytes (two builds in two containers may share a pid), then `os.replace` puts it in
  place: a reader sees the old entry or the new one, never part of one; two builds writing the same key at once
  both succeed (their contents are the same). No fsync: an entry torn by a power cut fails its hash and is a miss.
- **Optional.** A cache that cannot be written (read-only, full disk, no permission, the path is a file) is
  given up for the rest of the build, with one warning (`cache-unwritable`) through the build's warning
  channel; the build renders everything itself and still succeeds with the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from minhbach.errors import Issue

MAGIC = b"minhbach-cache/1"
MAX_ENTRY = 64 * 1024 * 1024  # no rendered file comes close; anything larger is not ours
# kind → (folder under the cache root, file extension)
KINDS = {"svg": ("charts", "svg"), "png": ("charts", "png"), "card": ("social", "png"), "bundle": ("", "js")}
_KEY = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,199}")
_BAD_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}
_PNG_SIG = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _svg_ok(data: bytes) -> bool:
    """A whole SVG with nothing active in it: no script-like element, no `on…` handler, no link but to itself or
    to an embedded image. Parsed, not pattern-matched, so a `>` inside an attribute hides nothing."""
    from xml.etree import ElementTree

    text = data.strip()
    if not text.startswith(b"<svg") or b"<!" in text:  # no DOCTYPE, entity or CDATA (vl-convert writes none)
        return False
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return False
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.rsplit("}", 1)[-1].lower() in _BAD_ELEMENTS:
            return False
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if local.startswith("on") or "javascript:" in squeezed:
                return False
            if local == "href" and not squeezed.startswith(("#", "data:image/png", "data:image/jpeg")):
                return False
    return True


def _png_ok(data: bytes) -> bool:
    return data.startswith(_PNG_SIG) and data[12:16] == b"IHDR" and data.endswith(_PNG_END)


def _text_ok(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


CHECKS: dict[str, Callable[[bytes], bool]] = {"svg": _svg_ok, "png": _png_ok, "card": _png_ok, "bundle": _text_ok}


def _stderr(issue: Issue) -> None:
    print(f"warning: {issue.render()}", file=sys.stderr, flush=True)


class Cache:
    """One build's view of the render cache at `root` (None: no cache). Thread-safe; warns at most once."""

    def __init__(self, root: Path | None, warn: Callable[[Issue], None] = _stderr):
        self.root = Path(root) if root is not None else None
        self._warn = warn
        self._lock = threading.Lock()
        self.writable = self.root is not None
        self.warned = False

    def path(self, key: str, kind: str) -> Path:
        if self.root is None:
            raise ValueError("no cache")
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        folder, ext = KINDS[kind]
        return (self.root / folder if folder else self.root) / f"{key}.{ext}"

    def get(self, key: str, kind: str) -> bytes | None:
        """The content stored for `key`, or None when there is none or it does not verify (a miss)."""
        if self.root is None:
            return None
        try:
            with open(self.path(key, kind), "rb") as f:
                raw = f.read(MAX_ENTRY + 1)
        except OSError:
            return None  # absent, unreadable, or the cache path is not a folder: render it
        return self._verify(raw, kind)

    @staticmethod
    def _verify(raw: bytes, kind: str) -> bytes | None:
        head, sep, data = raw.partition(b"\n")
        parts = head.split(b" ")
        if not sep or len(parts) != 4 or parts[0] != MAGIC or parts[1] != kind.encode():
            return None
        if parts[3] != str(len(data)).encode() or not data:
            return None
        if parts[2] != hashlib.sha256(data).hexdigest().encode():
            return None
        return data if CHECKS[kind](data) else None

    def put(self, key: str, kind: str, data: bytes) -> None:
        """Store `data` for `key` atomically; when the cache cannot be written, warn once and stop trying."""
        if not self.writable:
            return
        target = self.path(key, kind)
        header = b" ".join([MAGIC, kind.encode(), hashlib.sha256(data).hexdigest().encode(), str(len(data)).encode()])
        tmp = target.parent / f".{target.name}.{os.getpid()}-{threading.get_ident()}-{secrets.token_hex(6)}.tmp"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "xb") as f:
                f.write(header + b"\n" + data)
            os.replace(tmp, target)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            self._give_up(exc)

    def _give_up(self, exc: OSError) -> None:
        with self._lock:
            self.writable = False
            if self.warned:
                return
            self.warned = True
        reason = exc.strerror or type(exc).__name__
        self._warn(
            Issue(
                code="cache-unwritable",
                message=f"the render cache cannot be written ({reason}); this build renders every chart and card "
                "itself (slower, the same site)",
                file=str(self.root),
                expected="a writable folder with free space (MINHBACH_CACHE_DIR, or OUT/cache)",
            )
        )


def of(cache: Cache | Path | None) -> Cache:
    """A Cache for what a caller passed: a Cache as it is, a folder (warnings to stderr), or None (no cache)."""
    return cache if isinstance(cache, Cache) else Cache(cache)
