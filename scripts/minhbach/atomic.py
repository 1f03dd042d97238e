"""Publish without a window, and keep every temporary file in one folder.

The site is `OUT/site`, a symlink to `OUT/site-<build id>` (the id is the build's start time and process id; the
tree's content is the same for the same inputs). A build renders into a fresh `site-<id>`, makes a new symlink in
`OUT/.minhbach-tmp/` and renames it over `OUT/site`: rename(2) is atomic, so a reader (a web server, rsync) sees the
old site or the new one and never no site. The trees that are no longer published are removed afterwards.

An output folder of the old layout (`OUT/site` a real directory) is migrated by exchanging the directory with the
new symlink in one renameat2(RENAME_EXCHANGE) call. Where the kernel or the filesystem lacks it (not Linux, or
a filesystem such as some network mounts), the fallback is two renames — the directory aside into
`.minhbach-tmp/old-site-<pid>`, then the symlink into place — with a window of microseconds that recover() closes
by putting the directory back; this happens once per output folder, the first build after an upgrade.

Temporary files live in `OUT/.minhbach-tmp/` only (`build-<pid>/` for the staged sources and library scratch
files, `site-link-<pid>`, `old-site-<pid>`); recover() removes what a dead build left there and the folder itself
once it is empty.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from pathlib import Path

from minhbach.errors import Issue

SITE = "site"
TMP = ".minhbach-tmp"
AT_FDCWD = -100
RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _renameat2(src: str, dst: str, flags: int) -> None:
    """The renameat2 system call through libc; OSError(ENOSYS) when libc has no such function."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(errno.ENOSYS, "renameat2 is not available", src) from None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(src), AT_FDCWD, os.fsencode(dst), flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), src, None, dst)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (each takes the other's name); False, with nothing changed, where the
    system or the filesystem cannot, so the caller falls back to its documented two-step way."""
    try:
        _renameat2(str(a), str(b), RENAME_EXCHANGE)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            return False
        raise
    return True


def tmp_dir(out_dir: Path) -> Path:
    """This build's own temporary folder: OUT/.minhbach-tmp/build-<pid>."""
    return out_dir / TMP / f"build-{os.getpid()}"


def new_tree(out_dir: Path) -> Path:
    """Where this build's site is rendered: OUT/site-<start time in ns>-<pid> (not created here)."""
    return out_dir / f"{SITE}-{time.time_ns()}-{os.getpid()}"


def _rmtree(p: Path) -> None:
    if p.is_symlink() or p.is_file():
        os.unlink(p)
    elif p.exists():
        shutil.rmtree(p)


def publish(new: Path, final: Path) -> list[str]:
    """Make `final` (OUT/site) show the tree `new` (OUT/site-<id>, beside it) with no moment without a site;
    then remove the trees no longer published. Returns what was migrated or pruned."""
    out = final.parent
    if new.parent != out:
        raise ValueError(f"{new} is not beside {final}")
    tmp = out / TMP
    tmp.mkdir(exist_ok=True)
    link = tmp / f"site-link-{os.getpid()}"
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(new.name, link)  # relative: the output folder can be moved or synced as a whole
    done = []
    if final.is_symlink() or not os.path.lexists(final):
        os.replace(link, final)  # rename(2): the old link or the new one, never none
    elif exchange(link, final):  # the old layout: a real directory, exchanged with the link in one step
        shutil.rmtree(link)  # the old directory, now under the link's name
        done.append(f"moved {final} to the symlink layout")
    else:  # no renameat2 here: two renames; recover() puts the directory back if a kill falls between them
        old = tmp / f"old-site-{os.getpid()}"
        _rmtree(old)
        os.rename(final, old)
        try:
            os.replace(link, final)
        except BaseException:
            if not os.path.lexists(final):
                os.rename(old, final)
            raise
        shutil.rmtree(old)
        done.append(f"moved {final} to the symlink layout (two renames: no renameat2 on this filesystem)")
    done += prune(out)
    tidy(out)
    return done


def _pid_alive(path: Path) -> bool:
    """Is the build that made `<name>-<pid>` still running (and not this process)?"""
    try:
        pid = int(path.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _published(final: Path) -> Path | None:
    return final.resolve() if final.is_symlink() and final.exists() else None


def shows(final: Path, tree: Path) -> bool:
    """Does `final` (OUT/site) publish `tree` now?"""
    return _published(final) == tree.resolve()


def prune(out_dir: Path) -> list[str]:
    """Remove every `site-*` tree that is not the published one, unless its build is still running."""
    current = _published(out_dir / SITE)
    done = []
    for p in sorted(out_dir.glob(f"{SITE}-*")):
        if p.is_dir() and not p.is_symlink() and p.resolve() != current and not _pid_alive(p):
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed {p.name}, no longer published")
    return done


def recover(out_dir: Path) -> list[str]:
    """Undo what an interrupted build left in out_dir: put the previous site back if a kill fell between the two
    renames of a directory swap (this layout's fallback, or the older `.old-site-<pid>`), then delete what
    builds that are no longer running left (their temporary files and unpublished trees)."""
    done: list[str] = []
    final, tmp = out_dir / SITE, out_dir / TMP
    olds = [*tmp.glob("old-site-*"), *out_dir.glob(".old-site-*")]
    olds = sorted((p for p in olds if p.is_dir() and not _pid_alive(p)), key=lambda p: p.stat().st_mtime)
    if not final.exists() and olds:
        if final.is_symlink():
            os.unlink(final)  # a link whose tree someone removed
        os.rename(olds[-1], final)
        done.append(f"restored the previous site from {olds.pop().name}")
    leftovers = [*olds, *(tmp.iterdir() if tmp.is_dir() else ()), *out_dir.glob(".tmp-build-*")]
    for p in sorted(p for p in leftovers if not _pid_alive(p)):
        if p.is_symlink() or p.is_file():
            p.unlink(missing_ok=True)
        else:
            shutil.rmtree(p, ignore_errors=True)
        done.append(f"removed {p.name}, left by an interrupted build")
    done += [d.replace("no longer published", "left by an interrupted build") for d in prune(out_dir)]
    tidy(out_dir)
    return done


def tidy(out_dir: Path) -> None:
    """Remove OUT/.minhbach-tmp once nothing is left in it (another build may still be using it)."""
    try:
        (out_dir / TMP).rmdir()
    except OSError:
        pass


def output_issue(exc: OSError, final: Path, published: bool = False):
    """An OSError while writing the output as an Issue naming the file: disk full, read-only, no permission."""
    code = {
        errno.ENOSPC: "disk-full",
        errno.EDQUOT: "disk-full",
        errno.EROFS: "output-read-only",
        errno.EACCES: "output-read-only",
        errno.EPERM: "output-read-only",
        errno.EEXIST: "output-not-a-folder",
        errno.ENOTDIR: "output-not-a-folder",
    }.get(exc.errno or 0, "output-error")
    reason = {
        "disk-full": "the disk is full",
        "output-read-only": "the output folder cannot be written (read-only or no permission)",
        "output-not-a-folder": "the output path (or a part of it) is a file, not a folder",
    }.get(code, exc.strerror or str(exc))
    return Issue(
        code,
        f"{reason}; the build stopped and {site_state(final, published)}",
        file=str(exc.filename) if exc.filename else str(final.parent),
        value=exc.strerror or None,
    )


def site_state(final: Path, published: bool = False) -> str:
    """What the reader of the message can count on: the new site, the previous one, or none at all."""
    if published:
        return f"the new site is already published in {final}"
    if final.is_dir():
        return f"the previous site in {final} is unchanged"
    return f"no site was published in {final} (there was none before)"
