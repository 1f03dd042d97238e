"""Replace the package's CSV files all together or not at all, and finish or undo an interrupted import.

Protocol: every new file is written (and fsynced) into a staging folder inside the package root;
then a journal naming each target with the digests of its old and new content is renamed into place
(the commit point); then each staged file is renamed over its target and the staging folder removed.
A run that finds the staging folder without a journal removes it (nothing in data/ was touched); with
a journal it renames the files still staged (roll forward), refusing when a target matches neither
digest (someone edited it since). SIGINT/SIGTERM are held off while the renames run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import threading
from pathlib import Path

from ..errors import Issue
from .common import both, wissue

STAGING = ".minhbach-import"
JOURNAL = "journal.json"
_LEGACY_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what the writer before the journal left behind


class Busy(Exception):
    """Another import holds the package (its lock or its staging folder)."""


@contextlib.contextmanager
def package_lock(root: Path):
    """An exclusive, non-blocking lock on the package root directory itself (no lock file to leave behind);
    raises Busy when another import or template holds it. Where flock is missing, no lock is taken."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(str(root)) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _inside(root: Path, rel: str) -> Path | None:
    target = (root / rel).resolve()
    return target if target.is_relative_to(root.resolve()) and target != root.resolve() else None


def _clean_legacy(root: Path) -> None:
    data = root / "data"
    for p in data.rglob(".*.tmp") if data.is_dir() else ():
        if p.is_file() and _LEGACY_TEMP.match(p.name):
            p.unlink(missing_ok=True)


def recover(root: Path) -> tuple[list[str], list[Issue]]:
    """(paths an interrupted import completed, issues when it cannot be completed); idempotent."""
    root = Path(root)
    _clean_legacy(root)
    stage = root / STAGING
    if not stage.exists():
        return [], []
    journal = stage / JOURNAL
    if not journal.is_file():
        shutil.rmtree(stage, ignore_errors=True)  # stopped before the commit point: data/ untouched
        return [], []

    def conflict(path: str) -> tuple[list[str], list[Issue]]:
        msg = both("issue.recovery_conflict", file=path, staging=str(stage))
        return [], [wissue("import-interrupted", msg, csv_file=path, value=str(stage))]

    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
        plan = []
        for e in entries:
            target, staged = _inside(root, e["path"]), stage / Path(e["staged"]).name
            if target is None:
                return conflict(str(e["path"]))
            now = _digest(target)
            if now == e["new"]:
                continue  # renamed before the interruption
            if now != e["old"] or _digest(staged) != e["new"]:
                return conflict(e["path"])
            plan.append((staged, target))
    except (OSError, ValueError, KeyError, TypeError):
        return conflict(str(journal))
    with _signals_held():
        for staged, target in plan:
            os.replace(staged, target)
        for d in {t.parent for _, t in plan}:
            _fsync_dir(d)
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(e["path"] for e in entries), []


def commit(root: Path, texts: dict[str, str]) -> list[str]:
    """Write every {relative path: text} into the package, all or none; returns the paths written."""
    root = Path(root)
    stage = root / STAGING
    try:
        stage.mkdir()
    except FileExistsError:
        raise Busy(str(stage)) from None
    entries: list[dict[str, str | None]] = []
    moves: list[tuple[Path, Path]] = []
    try:
        for i, (rel, text) in enumerate(sorted(texts.items())):
            target = root / rel
            staged = stage / f"{i}.csv"
            data = text.encode("utf-8")
            with open(staged, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if target.exists():
                shutil.copymode(target, staged)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(staged, 0o644)
            entries.append(
                {"path": rel, "staged": staged.name, "old": _digest(target), "new": hashlib.sha256(data).hexdigest()}
            )
            moves.append((staged, target))
        tmp = stage / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"files": entries}, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, stage / JOURNAL)  # the commit point
        _fsync_dir(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    with _signals_held():
        for staged, target in moves:
            os.replace(staged, target)
        for d in {t.parent for _, t in moves}:
            _fsync_dir(d)
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(texts)


@contextlib.contextmanager
def _signals_held():
    """Hold SIGINT/SIGTERM off while the renames run (milliseconds), so a stop never splits them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        saved[sig] = signal.signal(sig, lambda s, _f: got.append(s))
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    # dropped on purpose: the renames they would have cut short are done, so the import has finished
