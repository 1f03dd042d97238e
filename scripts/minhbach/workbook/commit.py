"""Replace the package's CSV files all together or not at all, and finish or undo an interrupted import.

Protocol: a whole new `data/` (a copy of it with the changed tables) is written and fsynced into the staging
folder `.minhbach-import/data` inside the package root; then a journal naming each target with the digests of its
old and new content is renamed into place (the commit point); then the staged tree and `data/` are exchanged in
one renameat2(RENAME_EXCHANGE) call, so git, CI or Excel reading `data/` see every old table or every new one,
never a mix; then the staging folder (holding the old tree) is removed.

Fallback (no renameat2: not Linux, or a filesystem without it; or a table stored outside data/): each staged file
is renamed over its target, one by one; a kill between two of them leaves data/ mixed until the next minhbach
command rolls it forward from the journal.

A run that finds the staging folder without a journal removes it (nothing in data/ was touched); with a journal
it completes the import (the exchange when nothing else in data/ changed since, else file by file), refusing when
a target matches neither digest (someone edited it since). SIGINT/SIGTERM are held off while the swap runs.
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

from minhbach import atomic
from minhbach.errors import Issue
from minhbach.workbook.common import both, wissue

STAGING = ".minhbach-import"
JOURNAL = "journal.json"
TREE = "data"  # the folder swapped as a whole
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
        recorded = json.loads(journal.read_text(encoding="utf-8"))
        entries, tree = recorded["files"], recorded.get("tree") == TREE
        plan = []
        for e in entries:
            target, staged = _inside(root, e["path"]), _inside(stage, e["staged"])
            if target is None or staged is None:
                return conflict(str(e["path"]))
            now = _digest(target)
            if now == e["new"]:
                continue  # renamed before the interruption
            if now != e["old"] or _digest(staged) != e["new"]:
                return conflict(e["path"])
            plan.append((staged, target))
    except (OSError, ValueError, KeyError, TypeError):
        return conflict(str(journal))
    # the whole tree only when no table was swapped yet and nothing else in data/ changed since it was copied
    whole = tree and len(plan) == len(entries) and _same_rest(root / TREE, stage / TREE, {t for _, t in plan})
    _apply(root, stage, plan, whole)
    return sorted(e["path"] for e in entries), []


def _files(folder: Path) -> dict[str, str | None]:
    return {str(p.relative_to(folder)): _digest(p) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def _same_rest(data: Path, staged: Path, targets: set[Path]) -> bool:
    """Is `staged` the same tree as `data` but for the targets (so exchanging them loses no one's edit)?"""
    skip = {str(t.relative_to(data.resolve())) for t in targets if t.is_relative_to(data.resolve())}
    a, b = _files(data), _files(staged)
    return {k: v for k, v in a.items() if k not in skip} == {k: v for k, v in b.items() if k not in skip}


def _apply(root: Path, stage: Path, plan: list[tuple[Path, Path]], whole: bool) -> None:
    """After the commit point: swap the staged data/ in as a whole (or, failing renameat2, file by file)."""
    with _signals_held():
        if whole and atomic.exchange(stage / TREE, root / TREE):
            _fsync_dir(root)  # data/ is the new tree now; the old one sits in the staging folder
        else:
            for staged, target in plan:
                os.replace(staged, target)
            for d in {t.parent for _, t in plan}:
                _fsync_dir(d)
        os.unlink(stage / JOURNAL)  # the import is complete: what remains of the staging folder is litter
        shutil.rmtree(stage, ignore_errors=True)


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
    data_dir = root / TREE
    tree = bool(texts) and data_dir.is_dir() and not data_dir.is_symlink() and all(_in_tree(root, r) for r in texts)
    try:
        if tree:
            shutil.copytree(data_dir, stage / TREE, symlinks=True)
        for i, (rel, text) in enumerate(sorted(texts.items())):
            target = root / rel
            staged_rel = (root / rel).resolve().relative_to(root.resolve()).as_posix() if tree else f"{i}.csv"
            staged = stage / staged_rel
            staged.parent.mkdir(parents=True, exist_ok=True)
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
                {"path": rel, "staged": staged_rel, "old": _digest(target), "new": hashlib.sha256(data).hexdigest()}
            )
            moves.append((staged, target))
        if tree:
            _fsync_tree(stage / TREE)
        tmp = stage / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"files": entries, **({"tree": TREE} if tree else {})}, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, stage / JOURNAL)  # the commit point
        _fsync_dir(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _apply(root, stage, moves, tree)
    return sorted(texts)


def _in_tree(root: Path, rel: str) -> bool:
    target = _inside(root, rel)
    return target is not None and target.is_relative_to((root / TREE).resolve())


def _fsync_tree(folder: Path) -> None:
    """Every copied file and folder on disk before the commit point: after the swap they are data/."""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())
    for d in sorted({folder, *(p.parent for p in folder.rglob("*"))}):
        _fsync_dir(d)


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
