"""Faults: kills and failures at every rename of the site swap and of `minhbach release`, a full or read-only
disk, Ctrl-C and SIGTERM, careless string catalogues, and a build under LANG=C without network.

Kills are real: a SIGKILL in a child process at the n-th rename/replace/symlink/unlink/rmdir/renameat2 of the
site swap (atomic.publish, on small fake trees, for every n), os._exit at the n-th rename/replace/unlink of a
release; the state right after each kill and after the next run's recovery is proven on disk. Three tests run
a full build (slow), one all but MkDocs.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import ROOT, copy_package, run_cli
from minhbach import atomic, build
from minhbach.errors import Failed

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "NO_MKDOCS_2_WARNING": "1"}


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fake_site(folder: Path, marker: str) -> dict[str, str]:
    (folder / "assets").mkdir(parents=True)
    (folder / "en").mkdir()
    (folder / "index.html").write_text(f"<p>{marker}</p>", encoding="utf-8")
    (folder / "en" / "index.html").write_text(f"<p>{marker} en</p>", encoding="utf-8")
    (folder / "assets" / "x.css").write_text(marker, encoding="utf-8")
    return tree(folder)


KILLER = """
import os, sys
sys.path.insert(0, {scripts!r})
calls = {{"n": 0}}
def wrap(fn):
    def inner(*a, **kw):
        calls["n"] += 1
        if calls["n"] == {at}:
            os._exit(9)  # a hard kill: no finally, no except
        return fn(*a, **kw)
    return inner
os.rename, os.replace, os.unlink = wrap(os.rename), wrap(os.replace), wrap(os.unlink)
"""


def run_killed(at: int, body: str) -> int:
    code = KILLER.format(scripts=str(ROOT / "scripts"), at=at) + textwrap.dedent(body)
    return subprocess.run([PY, "-c", code], env=ENV, capture_output=True, text=True, timeout=300).returncode


# ------------------------------------------------------------------ site swap

DEAD = 2**22 + 1  # above pid_max's default: no such process

SWAP_KILLER = """
import errno, os, signal, sys
sys.path.insert(0, {scripts!r})
from pathlib import Path
from minhbach import atomic
calls = {{"n": 0}}
def wrap(fn):
    def inner(*a, **kw):
        calls["n"] += 1
        if calls["n"] == {at}:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **kw)
    return inner
os.rename, os.replace, os.unlink, os.rmdir, os.symlink = map(wrap, (os.rename, os.replace, os.unlink, os.rmdir, os.symlink))
def unsupported(src, dst, flags):
    raise OSError(errno.EINVAL, "Invalid argument", src)
atomic._renameat2 = wrap(atomic._renameat2 if {exchange} else unsupported)
atomic.publish(Path({new!r}), Path({final!r}))
print(calls["n"])
"""


def fake_tree(out: Path, marker: str, pid: int = DEAD) -> tuple[Path, dict[str, str]]:
    """A small site in OUT/site-<id>, as a build of process `pid` renders it."""
    folder = out / f"site-{time.time_ns()}-{pid}"
    return folder, fake_site(folder, marker)


def fake_published(out: Path, marker: str) -> dict[str, str]:
    """OUT/site published the way a build does: a symlink to its tree."""
    folder, files = fake_tree(out, marker)
    os.symlink(folder.name, out / "site")
    return files


def whole(site: Path) -> dict[str, str] | None:
    """The site's files when it resolves to a whole site (both home pages), else None."""
    ok = (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    return tree(site) if ok else None


def swap_case(out: Path, layout: str) -> tuple[dict[str, str], Path, dict[str, str]]:
    old = fake_published(out, "old") if layout == "link" else fake_site(out / "site", "old")
    new_dir, new = fake_tree(out, "new")
    return old, new_dir, new


def kill_swap(at: int, new_dir: Path, out: Path, exchange: bool) -> subprocess.CompletedProcess:
    code = SWAP_KILLER.format(
        scripts=str(ROOT / "scripts"), at=at, exchange=exchange, new=str(new_dir), final=str(out / "site")
    )
    return subprocess.run([PY, "-c", code], env=ENV, capture_output=True, text=True, timeout=60)


def listing(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


@pytest.mark.parametrize("layout", ["link", "dir", "dir-no-exchange"])
def test_sigkill_at_every_syscall_of_the_swap_always_leaves_a_whole_site(tmp_path, layout):
    """SIGKILL at the n-th rename/replace/symlink/unlink/rmdir/renameat2 of the swap, for every n: OUT/site is the
    whole old site or the whole new one at once (the directory fallback without renameat2 has one window, put
    right by the next run), and the next run leaves only OUT/site and the tree it shows, then swaps again."""
    exchange = layout != "dir-no-exchange"
    out = tmp_path / "count"
    out.mkdir()
    _, new_dir, new = swap_case(out, layout)
    r = kill_swap(-1, new_dir, out, exchange)
    assert r.returncode == 0, r.stderr
    steps = int(r.stdout.split()[-1])
    assert steps >= (2 if layout == "link" else 3), steps
    assert whole(out / "site") == new and listing(out) == ["site", new_dir.name]
    windows = []
    for at in range(1, steps + 1):
        out = tmp_path / f"k{at}"
        out.mkdir()
        old, new_dir, new = swap_case(out, layout)
        r = kill_swap(at, new_dir, out, exchange)
        assert r.returncode == -signal.SIGKILL, (at, r.stderr)
        now = whole(out / "site")
        if now is None:
            windows.append(at)
        else:
            assert now in (old, new), at
        done = atomic.recover(out)
        after = whole(out / "site")
        assert after in (old, new), (at, done)
        if now is not None:
            assert after == now, at  # recovery never goes back on what readers already saw
        shown = [(out / "site").resolve().name] if (out / "site").is_symlink() else []
        assert listing(out) == ["site", *shown], (at, done)
        newer_dir, newer = fake_tree(out, "newer", os.getpid())
        atomic.publish(newer_dir, out / "site")
        assert whole(out / "site") == newer and listing(out) == ["site", newer_dir.name], at
    assert windows == ([] if exchange else windows[:1]), windows  # the fallback: at most one kill point


@pytest.mark.parametrize("layout", ["link", "dir"])
def test_interruption_at_each_step_of_the_swap_keeps_a_whole_site(tmp_path, monkeypatch, layout):
    """Ctrl-C (KeyboardInterrupt) inside publish at each call: a whole site, old or new, and no window."""
    for at in range(1, 12):
        out = tmp_path / f"i{at}"
        out.mkdir()
        old, new_dir, new = swap_case(out, layout)
        calls = {"n": 0}

        def wrap(fn, calls=calls, at=at):
            def inner(*a, **kw):
                calls["n"] += 1
                if calls["n"] == at:
                    raise KeyboardInterrupt("SIGTERM")
                return fn(*a, **kw)

            return inner

        for name in ("rename", "replace", "symlink", "unlink", "rmdir"):
            monkeypatch.setattr(os, name, wrap(getattr(os, name)))
        monkeypatch.setattr(atomic, "_renameat2", wrap(atomic._renameat2))
        try:
            atomic.publish(new_dir, out / "site")
            interrupted = False
        except KeyboardInterrupt:
            interrupted = True
        monkeypatch.undo()
        assert whole(out / "site") in (old, new), at
        if not interrupted:
            assert whole(out / "site") == new
            break
    else:
        raise AssertionError("publish never finished within 11 calls")


def test_output_issue_says_whether_there_was_a_previous_site(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    exc = OSError(errno.ENOSPC, "No space left on device", str(out / "x"))
    assert "there was none before" in atomic.output_issue(exc, out / "site").message
    fake_published(out, "old")
    assert "previous site in" in atomic.output_issue(exc, out / "site").message
    assert "new site is already published" in atomic.output_issue(exc, out / "site", published=True).message


def test_a_refused_first_build_says_there_was_no_previous_site(tmp_path):
    proj = project_copy(tmp_path)
    _key_in_one_language(proj)
    out = tmp_path / "out"
    r = cli("build", "--data", str(ROOT), "--project", str(proj), "--out", str(out), "--quiet")
    assert r.returncode == 1 and "[strings]" in r.stderr, r.stderr
    assert "there was none before" in r.stderr and "previous site" not in r.stderr
    assert listing(out) == []  # no site, no unpublished tree, no .minhbach-tmp
    fake_published(out, "old")
    r = cli("build", "--data", str(ROOT), "--project", str(proj), "--out", str(out), "--quiet")
    assert r.returncode == 1 and f"the previous site in {out / 'site'} is unchanged" in r.stderr


def test_recover_cleans_dead_builds_and_spares_live_ones(tmp_path):
    out = tmp_path / "out"
    (out / atomic.TMP).mkdir(parents=True)
    fake_published(out, "current")
    shown = (out / "site").resolve().name
    dead = 2**22 + 12345
    for name in (f".tmp-build-{dead}", f".old-site-{dead}", ".tmp-build-garbage"):  # the layout before symlinks
        fake_site(out / name, "leftover")
    for name in (f"build-{dead}", f"old-site-{dead}"):
        fake_site(out / atomic.TMP / name, "leftover")
    os.symlink(f"site-1-{dead}", out / atomic.TMP / f"site-link-{dead}")
    unpublished, _ = fake_tree(out, "half")
    live = subprocess.Popen([PY, "-c", "import time; time.sleep(30)"])
    try:
        fake_site(out / atomic.TMP / f"build-{live.pid}", "running")
        running, _ = fake_tree(out, "running", live.pid)
        done = atomic.recover(out)
        assert listing(out) == sorted([atomic.TMP, "site", shown, running.name]), done
        assert listing(out / atomic.TMP) == [f"build-{live.pid}"]
        assert not unpublished.exists() and any(unpublished.name in d for d in done)
    finally:
        live.kill()
        live.wait()
    atomic.recover(out)  # the live build has ended
    assert listing(out) == ["site", shown]


@pytest.mark.parametrize("where", [".old-site-{}", ".minhbach-tmp/old-site-{}"], ids=["legacy", "fallback"])
def test_next_build_restores_a_site_lost_between_the_renames(tmp_path, where):
    """The up-to-date path of build_site runs recovery first: a kill between the two renames of a directory swap
    (the layout before symlinks, or the fallback without renameat2) costs nothing."""
    out = tmp_path / "out"
    site = fake_site(out / where.format(2**22 + 7), "previous")
    fake_site(out / atomic.TMP / f"build-{2**22 + 7}", "half")
    fake_site(out / f".tmp-build-{2**22 + 7}", "half")
    fp = build.input_fingerprint(ROOT, ROOT, None)
    (out / ".last-build.json").write_text(json.dumps({"fingerprint": fp, "pages": 1, "charts": 0, "findings": 0}))
    rep = build.build_site(ROOT, out, ROOT)
    assert rep.up_to_date
    assert tree(out / "site") == site
    assert listing(out) == [".last-build.json", "site"]


@pytest.mark.slow
def test_real_builds_publish_by_symlink_byte_identical_and_leave_no_litter(tmp_path):
    """A real build over the old layout (OUT/site a directory) moves it to the symlink layout; a forced rebuild
    publishes a new tree with the same bytes; each time only OUT/site, its tree, the stamp, the kept stage and the
    cache remain: no temporary folder, no earlier tree."""
    out = tmp_path / "out"
    fake_site(out / "site", "old layout")
    build.build_site(ROOT, out, ROOT)
    first = (out / "site").resolve()
    assert (out / "site").is_symlink() and (first.parent, first.name.startswith("site-")) == (out, True)
    assert whole(out / "site") is not None
    files = tree(out / "site")
    keep = {".last-build.json", "stage", "site"} | ({"cache"} if (out / "cache").is_dir() else set())
    assert set(listing(out)) == keep | {first.name}
    build.build_site(ROOT, out, ROOT, force=True)
    second = (out / "site").resolve()
    assert second != first and not first.exists()
    assert tree(out / "site") == files  # the tree's name changes, never its content
    assert set(listing(out)) == keep | {second.name}


@pytest.mark.slow
def test_interruption_just_after_the_switch_keeps_the_new_site(tmp_path, monkeypatch):
    """Ctrl-C after OUT/site was switched (while the old trees are pruned): the build's clean-up must not remove
    the tree it has just published."""
    out = tmp_path / "out"
    fake_published(out, "old")

    def render(config_file, docs, site_tmp, *a):
        fake_site(site_tmp, "new")

    real_prune, calls = atomic.prune, []

    def prune(out_dir):
        calls.append(out_dir)
        if len(calls) == 2:  # the first is the start's recovery, the second the one after the switch
            raise KeyboardInterrupt("SIGINT")
        return real_prune(out_dir)

    from minhbach import stages

    monkeypatch.setattr(stages, "render_site", render)
    monkeypatch.setattr(atomic, "prune", prune)
    with pytest.raises(KeyboardInterrupt):
        build.build_site(ROOT, out, ROOT, force=True)
    monkeypatch.undo()
    assert len(calls) == 2
    assert whole(out / "site") == fake_site(tmp_path / "expected", "new")
    assert not (out / atomic.TMP).exists()
    atomic.recover(out)  # the next run prunes what the interrupted one could not
    assert listing(out) == sorted(
        ["site", (out / "site").resolve().name, "stage"] + (["cache"] * (out / "cache").is_dir())
    )


def test_truncated_build_stamp_means_rebuild_not_crash(tmp_path, monkeypatch):
    out = tmp_path / "out"
    fake_site(out / "site", "x")
    (out / ".last-build.json").write_text('{"fingerprint": "ab', encoding="utf-8")
    monkeypatch.setattr("minhbach.validate.run.validate_package", lambda *a, **k: (_ for _ in ()).throw(Failed([])))
    with pytest.raises(Failed):  # it went on to validate: the stamp did not crash it
        build.build_site(ROOT, out, ROOT)


# ------------------------------------------------------------------ disk full, read-only output, Ctrl-C


def cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """`minhbach ARGS`: in this process unless the test gives an environment of its own (the process boundary
    is what the signal and locale tests test; the refusals are the same in either)."""
    if env is None:
        rc, out, err = run_cli(*args)
        return subprocess.CompletedProcess(args, rc, out, err)
    return subprocess.run(
        [PY, "-m", "minhbach", *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def in_process_build(monkeypatch, tmp_path, out: Path, fail) -> tuple[int, str]:
    """`minhbach build` in this process with `fail(path)` deciding which writes raise; (exit code, stderr)."""
    import contextlib
    import io

    from minhbach import cli as cli_mod

    real_open, real_mkdir = Path.open, Path.mkdir

    def open_(self, mode="r", *a, **kw):
        if any(m in mode for m in "wax+") and (exc := fail(self)):
            raise exc
        return real_open(self, mode, *a, **kw)

    def mkdir(self, *a, **kw):
        if exc := fail(self):
            raise exc
        return real_mkdir(self, *a, **kw)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = cli_mod.main(["build", "--data", str(ROOT), "--project", str(ROOT), "--out", str(out), "--force"])
    monkeypatch.undo()
    return rc, err.getvalue()


def test_disk_full_gives_a_message_and_keeps_the_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = fake_site(out / "site", "previous")

    def full(p: Path):
        return OSError(errno.ENOSPC, "No space left on device", str(p)) if atomic.TMP in str(p) else None

    rc, err = in_process_build(monkeypatch, tmp_path, out, full)
    assert rc == 1
    assert "[disk-full]" in err and "the disk is full" in err and atomic.TMP in err
    assert f"previous site in {out / 'site'} is unchanged" in err
    assert "Traceback" not in err
    assert tree(out / "site") == before
    assert {p.name for p in out.iterdir()} - {"cache"} == {"site"}


def test_read_only_output_gives_a_message_and_keeps_the_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = fake_site(out / "site", "previous")

    def read_only(p: Path):
        return OSError(errno.EROFS, "Read-only file system", str(p)) if str(p).startswith(str(out)) else None

    rc, err = in_process_build(monkeypatch, tmp_path, out, read_only)
    assert rc == 1 and "Traceback" not in err
    assert "[output-read-only]" in err and "cannot be written" in err
    assert tree(out / "site") == before


def test_output_that_is_a_file_gives_a_message(tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    r = cli("build", "--data", str(ROOT), "--out", str(out), "--quiet")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "[output-not-a-folder]" in r.stderr and str(out) in r.stderr
    assert out.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.slow  # costly by design: a real build process signalled
@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_signal_during_a_build_ends_cleanly_with_one_line(tmp_path, sig, code):
    out = tmp_path / "out"
    before = fake_site(out / "site", "previous")
    p = subprocess.Popen(
        [PY, "-m", "minhbach", "build", "--data", str(ROOT), "--project", str(ROOT), "--out", str(out), "--force"],
        env=ENV,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert p.stderr is not None
    lines = []
    for line in p.stderr:  # wait until it is working inside the temporary folder
        lines.append(line)
        if line.startswith("· compute …"):
            break
    time.sleep(0.5)
    p.send_signal(sig)
    rest, _ = p.communicate(timeout=120)
    err = "".join(lines) + (_ or "")
    assert p.returncode == code, err
    tail = [ln for ln in err.splitlines() if not ln.startswith("·")]
    assert len(tail) == 1 and "interrupted" in tail[0] and sig.name in tail[0], err
    assert "Traceback" not in err
    assert tree(out / "site") == before
    assert {p.name for p in out.iterdir()} - {"cache"} == {"site"}


# ------------------------------------------------------------------ careless string catalogues


def project_copy(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", proj / "site_src")
    return proj


def _yaml_error(proj: Path):
    f = proj / "site_src/strings/en/ui.yml"
    f.write_text(
        f.read_text(encoding="utf-8").replace('  source: "Source"', '  source: "Source\n  : ['), encoding="utf-8"
    )
    return "site_src/strings/en/ui.yml", None


def _key_in_one_language(proj: Path):
    f = proj / "site_src/strings/en/ui.yml"
    f.write_text(f.read_text(encoding="utf-8").replace('  source: "Source"\n', ""), encoding="utf-8")
    return "ui.yml", "common.source"


def _class_field(proj: Path):
    f = proj / "site_src/strings/en/ui.yml"
    text = f.read_text(encoding="utf-8").replace('  source: "Source"', '  source: "Source {0.__class__}"')
    f.write_text(text, encoding="utf-8")
    return "site_src/strings/en/ui.yml", "common.source"


def _positional_field(proj: Path):
    f = proj / "site_src/strings/vi/ui.yml"
    text = f.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("  source:"))
    f.write_text(text.replace(line, '  source: "{}"'), encoding="utf-8")
    return "site_src/strings/vi/ui.yml", "common.source"


@pytest.mark.parametrize(
    "case", [_yaml_error, _key_in_one_language, _class_field, _positional_field], ids=lambda f: f.__name__
)
def test_careless_string_catalogue_refuses_the_build_naming_file_and_key(tmp_path, case):
    proj = project_copy(tmp_path)
    file, key = case(proj)
    out = tmp_path / "out"
    before = fake_site(out / "site", "previous")
    t0 = time.perf_counter()
    r = cli("build", "--data", str(ROOT), "--project", str(proj), "--out", str(out), "--quiet")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "[strings]" in r.stderr and file in r.stderr
    if key:
        assert key in r.stderr
    assert time.perf_counter() - t0 < 60  # refused before validation, compute and charts
    assert tree(out / "site") == before


# ------------------------------------------------------------------ locale and network


@pytest.mark.slow
def test_build_under_lang_c_without_network(tmp_path):
    """The CLI build under LANG=C/LC_ALL=C (ASCII locale) and, where unshare works, in a namespace with no
    network at all: it must succeed and write the same site as a normal build would."""
    env = {**ENV, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "", "PYTHONUTF8": "0"}
    cmd = [PY, "-m", "minhbach", "build", "--data", str(ROOT), "--project", str(ROOT), "--out", str(tmp_path / "o")]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-n", *cmd]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    site = tmp_path / "o" / "site"
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert "Đắk Nông" in (site / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ release: versions and interruptions


def next_version(pkg: Path) -> str:
    from minhbach.publish.run import _version_key, archived_releases

    rel = archived_releases(pkg)
    current = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["version"]
    top = max([current] + [r.version for r in rel], key=_version_key)
    major, minor, _ = (int(x) for x in top.split("."))
    return f"{major}.{minor + 1}.0"


@pytest.mark.parametrize(
    "version",
    ["1.9.0\n", "1.9.0 ", " 1.9.0", "１.９.０", "١.٩.٠", "1.9", "01.9.0", "1.9.0/../../x", "1.9.0.", ""],
    ids=["newline", "space", "lead-space", "fullwidth", "arabic", "two-parts", "zero", "path", "dot", "empty"],
)
def test_release_version_must_be_ascii_semver(tmp_path, version):
    from minhbach.release import make_release

    pkg = copy_package(tmp_path / "pkg")
    before = tree(pkg)
    with pytest.raises(Failed) as exc:
        make_release(pkg, version, date="2026-12-01")
    assert [i.code for i in exc.value.issues] == ["release-version-invalid"]
    assert repr(version) in exc.value.issues[0].render()
    assert tree(pkg) == before


RELEASE = """
from pathlib import Path
from minhbach.release import make_release
make_release(Path({pkg!r}), {version!r}, summary_en="x", summary_vi="x", date="2026-12-01")
"""


def count_release_steps(tmp_path: Path) -> int:
    """How many rename/replace/unlink calls one release makes (the kill points)."""
    pkg = copy_package(tmp_path / "count")
    code = (
        KILLER.format(scripts=str(ROOT / "scripts"), at=-1)
        + RELEASE.format(pkg=str(pkg), version=next_version(pkg))
        + "\nprint(calls['n'])"
    )
    r = subprocess.run([PY, "-c", code], env=ENV, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return int(r.stdout.split()[-1])


@pytest.mark.slow
def test_kill_at_each_step_of_a_release_is_rolled_back_or_kept(tmp_path):
    from minhbach.release import make_release, recover_release

    steps = count_release_steps(tmp_path)
    assert steps >= 4  # journal, descriptor, folder rename, journal removal
    for at in range(1, steps + 1):
        pkg = copy_package(tmp_path / f"k{at}")
        version = next_version(pkg)
        dp_before = (pkg / "datapackage.json").read_bytes()
        data_before = tree(pkg / "data")
        rc = run_killed(at, RELEASE.format(pkg=str(pkg), version=version))
        assert rc == 9, at
        recover_release(pkg)
        hidden = [p.name for p in (pkg / "releases").iterdir() if p.name.startswith(".")]
        assert not hidden and not list(pkg.glob(".datapackage.json.*")), (at, hidden)
        done = (pkg / "releases" / version / "release.json").is_file()
        dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
        if done:  # killed after the final rename: the release is whole and the descriptor says so
            assert dp["version"] == version and at >= steps - 1
        else:  # rolled back: byte for byte as before, and the same command now succeeds
            assert (pkg / "datapackage.json").read_bytes() == dp_before, at
            assert not (pkg / "releases" / version).exists()
            make_release(pkg, version, date="2026-12-01")
            assert (pkg / "releases" / version / "release.json").is_file()
        assert tree(pkg / "data") == data_before


def test_interrupted_release_rolls_back_at_once(tmp_path, monkeypatch):
    from minhbach import release

    pkg = copy_package(tmp_path / "pkg")
    before = tree(pkg)
    real, version = os.rename, next_version(pkg)

    def rename(a, b):
        if str(b).endswith(version):
            raise KeyboardInterrupt("SIGTERM")
        return real(a, b)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        release.make_release(pkg, version, date="2026-12-01")
    monkeypatch.undo()
    assert tree(pkg) == before  # descriptor restored, partial folder and journal gone


def test_leftover_hidden_release_folder_does_not_block_a_rerun(tmp_path):
    from minhbach.release import make_release

    pkg = copy_package(tmp_path / "pkg")
    version = next_version(pkg)
    part = pkg / "releases" / f".{version}.tmp"
    (part / "data").mkdir(parents=True)
    shutil.copy2(pkg / "datapackage.json", part / "datapackage.json")
    notes = make_release(pkg, version, date="2026-12-01")
    assert notes["version"] == version and not part.exists()
