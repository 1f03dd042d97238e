"""`minhbach import` and `minhbach template` under faults and hostile input, on a two-table synthetic package.

Kills and failures are injected at each step of the import's commit (os.replace of the journal, the
renameat2 exchange of data/, and in the unit-level tests every rename, unlink, rmdir and renameat2, with a real
SIGKILL in a subprocess): data/ is all old or all new at once (file by file only in the fallback without
renameat2, made whole by the next run), no staging or temporary file remains, and importing again works. Limits: a workbook that inflates past the limit is
refused before it is read (peak memory measured), over-long cells and control characters are refused with
sheet, row and column, in the template and on import.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import (
    NEW,
    OLD,
    edit_both,
    make_package,
    replace_in_members,
    set_cell,
    state,
    stray_files,
)
from minhbach import atomic
from minhbach.errors import Failed
from minhbach.workbook import api as wbmod
from minhbach.workbook import commit as commit_mod
from minhbach.workbook.api import import_workbook, interrupted, make_template

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
PY = sys.executable

# renames of a two-table import: the journal into place (commit point), then the exchange of data/ (renameat2)
REPLACES = 2

RUNNER = r"""
import os, signal, sys, time
sys.path.insert(0, {scripts!r})
from minhbach import atomic
mode, k, pkg, xlsx = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
calls = [0]
def counted(real):
    def step(src, dst, *a, **kw):
        if str(src).startswith(pkg):
            if calls[0] == k:
                if mode == "exit":
                    os._exit(9)
                if mode == "sigint":
                    os.kill(os.getpid(), signal.SIGINT)
            calls[0] += 1
        return real(src, dst, *a, **kw)
    return step
os.replace, atomic._renameat2 = counted(os.replace), counted(atomic._renameat2)
if mode in ("pause", "pause-term"):
    from minhbach.workbook import importer
    validate = importer.validate_package
    def slow(root):
        print("validating", flush=True)
        time.sleep(60)
        return validate(root)
    importer.validate_package = slow
from minhbach.cli import main
sys.exit(main(["import", xlsx, "--data", pkg]))
"""


@pytest.fixture
def setup(tmp_path):
    """(package with OLD tables, workbook edited to NEW)."""
    pkg = make_package(tmp_path / "pkg")
    xlsx = make_template(pkg, tmp_path / "edit.xlsx")
    return pkg, edit_both(xlsx)


def run(mode: str, k: int, pkg: Path, xlsx: Path, **kw) -> subprocess.CompletedProcess:
    script = RUNNER.format(scripts=str(SCRIPTS))
    return subprocess.run(
        [PY, "-c", script, mode, str(k), str(pkg), str(xlsx)], capture_output=True, text=True, timeout=120, **kw
    )


def test_the_edit_is_all_or_nothing_baseline(setup):
    pkg, xlsx = setup
    result = import_workbook(xlsx, pkg)
    assert result.ok, [i.render() for i in result.issues]
    assert result.written == sorted(NEW) and state(pkg) == "new" and stray_files(pkg) == []


@pytest.mark.slow  # costly by design: a real process killed at each replace
@pytest.mark.parametrize("k", range(REPLACES))
def test_killed_at_each_replace_recovers_on_the_next_run(setup, k):
    pkg, xlsx = setup
    p = run("exit", k, pkg, xlsx)
    assert p.returncode == 9, p.stderr
    assert (pkg / commit_mod.STAGING).is_dir()  # the kill left its staging folder
    assert state(pkg) == "old"  # on disk right after the kill, before recovery: never a mix
    # the next run finishes (journal written: k >= 1) or undoes (k == 0) the interrupted import
    done, stuck = wbmod.recover(pkg)
    assert stuck == []
    assert state(pkg) == ("old" if k == 0 else "new")
    assert done == ([] if k == 0 else sorted(NEW))
    assert stray_files(pkg) == []
    again = import_workbook(xlsx, pkg)
    assert again.ok and state(pkg) == "new" and stray_files(pkg) == []
    assert again.written == (sorted(NEW) if k == 0 else [])


@pytest.mark.parametrize("k", range(REPLACES))
def test_a_failing_replace_leaves_old_or_new_never_half(setup, monkeypatch, k):
    """An OSError at replace k (e.g. a disk error) once: before the commit point nothing changes, after it the
    import completes at once."""
    pkg, xlsx = setup
    calls = [0]

    def flaky(real):
        def step(src, dst, *a, **kw):
            if str(src).startswith(str(pkg)):
                calls[0] += 1
                if calls[0] == k + 1:
                    raise OSError(5, "Input/output error (injected)")
            return real(src, dst, *a, **kw)

        return step

    monkeypatch.setattr(os, "replace", flaky(os.replace))
    monkeypatch.setattr(atomic, "_renameat2", flaky(atomic._renameat2))
    result = import_workbook(xlsx, pkg)
    assert stray_files(pkg) == []
    if k == 0:
        assert [i.code for i in result.issues] == ["write-failed"] and state(pkg) == "old"
        assert "injected" in result.issues[0].message
    else:
        assert result.ok and result.written == sorted(NEW) and state(pkg) == "new"


COMMIT_KILLER = r"""
import errno, os, signal, sys
sys.path.insert(0, {scripts!r})
from pathlib import Path
from minhbach import atomic
from minhbach.workbook import commit
calls = [0]
def wrap(fn):
    def inner(*a, **kw):
        calls[0] += 1
        if calls[0] == {at}:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **kw)
    return inner
os.rename, os.replace, os.unlink, os.rmdir = map(wrap, (os.rename, os.replace, os.unlink, os.rmdir))
def unsupported(src, dst, flags):
    raise OSError(errno.EINVAL, "Invalid argument", src)
atomic._renameat2 = wrap(atomic._renameat2 if {exchange} else unsupported)
commit.commit(Path({pkg!r}), {texts!r})
print(calls[0])
"""


def kill_commit(at: int, pkg: Path, exchange: bool) -> subprocess.CompletedProcess:
    code = COMMIT_KILLER.format(scripts=str(SCRIPTS), at=at, exchange=exchange, pkg=str(pkg), texts=NEW)
    return subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.mark.slow  # costly by design: a real process killed at every syscall of the commit
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "fallback"])
def test_sigkill_at_every_syscall_of_the_commit_leaves_data_all_old_or_all_new(tmp_path, exchange):
    """SIGKILL at the n-th rename/replace/unlink/rmdir/renameat2 of the commit, for every n: with renameat2 data/
    is all old or all new at every instant; without it (the documented fallback) a mix can last until the next
    command, which rolls it forward. After recovery: all old or all new, no litter, and importing again works."""
    r = kill_commit(-1, make_package(tmp_path / "count"), exchange)
    assert r.returncode == 0, r.stderr
    steps = int(r.stdout.split()[-1])
    assert steps >= 3, steps  # the journal, the swap, removing the staging folder
    mixed = []
    for at in range(1, steps + 1):
        pkg = make_package(tmp_path / f"k{at}")
        r = kill_commit(at, pkg, exchange)
        assert r.returncode == -signal.SIGKILL, (at, r.stderr)
        now = state(pkg)
        if now == "mixed":
            mixed.append(at)
        done, stuck = wbmod.recover(pkg)
        assert stuck == [] and stray_files(pkg) == [], at
        after = state(pkg)
        assert after in ("old", "new") and not (now == "new" and after == "old"), (at, now, after)
        assert done == ([] if after == "old" else sorted(NEW)) or (now == "new" and done == []), (at, done)
        assert commit_mod.commit(pkg, NEW) == sorted(NEW) and state(pkg) == "new" and stray_files(pkg) == []
    assert mixed == [] if exchange else len(mixed) == 1, mixed  # two tables: one kill point between them


def test_recovery_does_not_swap_away_an_edit_made_after_the_kill(tmp_path):
    """Killed after the commit point, then another file in data/ edited: the roll-forward goes file by file so the
    edit stays."""
    pkg = make_package(tmp_path / "pkg")
    (pkg / "data" / "notes.txt").write_text("before", encoding="utf-8")
    r = kill_commit(2, pkg, True)  # 1: the journal into place, 2: the exchange
    assert r.returncode == -signal.SIGKILL and state(pkg) == "old"
    (pkg / "data" / "notes.txt").write_text("edited meanwhile", encoding="utf-8")
    done, stuck = wbmod.recover(pkg)
    assert (done, stuck) == (sorted(NEW), []) and state(pkg) == "new"
    assert (pkg / "data" / "notes.txt").read_text(encoding="utf-8") == "edited meanwhile"
    assert not (pkg / commit_mod.STAGING).exists()


def test_data_is_swapped_as_one_tree_and_a_table_outside_it_file_by_file(tmp_path, monkeypatch):
    pkg = make_package(tmp_path / "pkg")
    (pkg / "data" / "sources").mkdir()
    (pkg / "data" / "sources" / "s1.txt").write_text("kept", encoding="utf-8")
    os.chmod(pkg / "data" / "beta.csv", 0o600)
    before = os.stat(pkg / "data").st_ino
    exchanged, real = [], atomic.exchange
    monkeypatch.setattr(atomic, "exchange", lambda a, b: exchanged.append((a, b)) or real(a, b))
    assert commit_mod.commit(pkg, NEW) == sorted(NEW)
    assert state(pkg) == "new" and exchanged and os.stat(pkg / "data").st_ino != before  # a new data/ folder
    assert (pkg / "data" / "sources" / "s1.txt").read_text(encoding="utf-8") == "kept"
    assert os.stat(pkg / "data" / "beta.csv").st_mode & 0o777 == 0o600 and stray_files(pkg) == [
        "data/sources",
        "data/sources/s1.txt",
    ]
    exchanged.clear()
    texts = {"data/alpha.csv": OLD["data/alpha.csv"], "extra/gamma.csv": "id\ng1\n"}
    assert commit_mod.commit(pkg, texts) == sorted(texts)
    assert exchanged == [] and (pkg / "extra/gamma.csv").read_text(encoding="utf-8") == "id\ng1\n"
    assert (pkg / "data/alpha.csv").read_text(encoding="utf-8") == OLD["data/alpha.csv"]
    assert not (pkg / commit_mod.STAGING).exists()


def test_journal_conflict_is_reported_not_overwritten(setup):
    pkg, xlsx = setup
    assert run("exit", 1, pkg, xlsx).returncode == 9  # journal written, the new data/ not yet swapped in
    (pkg / "data/beta.csv").write_text("id,label\nb1,edited by hand\n", encoding="utf-8")
    result = import_workbook(xlsx, pkg)
    assert [i.code for i in result.issues] == ["import-interrupted"]
    assert "data/beta.csv" in result.issues[0].message
    assert (pkg / "data/beta.csv").read_text(encoding="utf-8") == "id,label\nb1,edited by hand\n"
    assert (pkg / commit_mod.STAGING / "journal.json").is_file()  # kept for the technical team


def test_leftover_temp_files_are_cleaned(setup):
    pkg, xlsx = setup
    stage = pkg / commit_mod.STAGING
    stage.mkdir()
    (stage / "0.csv").write_text("half", encoding="utf-8")  # stopped before the journal
    (pkg / "data/.alpha.csv.k3j_9x2q.tmp").write_text("half", encoding="utf-8")  # the writer before the journal
    result = import_workbook(xlsx, pkg)
    assert result.ok and state(pkg) == "new" and stray_files(pkg) == []


@pytest.mark.slow  # costly by design: a real process interrupted
@pytest.mark.parametrize("k", range(REPLACES))
def test_sigint_during_the_commit(setup, k):
    """Ctrl-C at the commit point undoes the import (one line, data untouched); during the renames it is held
    off until they are done, so the tables are never half replaced."""
    pkg, xlsx = setup
    p = run("sigint", k, pkg, xlsx)
    assert stray_files(pkg) == []
    if k == 0:
        assert p.returncode == 130 and p.stderr.strip().splitlines() == [interrupted()]
        assert state(pkg) == "old"
    else:
        assert p.returncode == 0, p.stderr
        assert state(pkg) == "new"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_validation_ends_with_one_line(setup, sig):
    pkg, xlsx = setup
    script = RUNNER.format(scripts=str(SCRIPTS))
    proc = subprocess.Popen(
        [PY, "-c", script, "pause", "-1", str(pkg), str(xlsx)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "validating"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines() == [interrupted()] and "Traceback" not in err
    assert state(pkg) == "old" and stray_files(pkg) == []


# ---------------------------------------------------------------- limits


def _bomb(path: Path, size: int, lie: bool = False) -> Path:
    """A zip whose one sheet inflates to `size` bytes of zeros (~1 MB per GB); with lie, its headers say 1 KB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 24)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    if lie:  # the central directory (what readers trust) says the sheet inflates to 1 KB
        data = bytearray(path.read_bytes())
        at = data.rindex(b"PK\x01\x02")  # the last entry: the sheet
        assert data[at + 46 : at + 46 + 24] == b"xl/worksheets/sheet1.xml"
        data[at + 24 : at + 28] = (1024).to_bytes(4, "little")
        path.write_bytes(bytes(data))
        assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    return path


MEASURE = r"""
import json, resource, sys
sys.path.insert(0, {scripts!r})
from minhbach.workbook.api import import_workbook
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r = import_workbook(sys.argv[1], sys.argv[2])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"codes": [i.code for i in r.issues], "message": r.issues[0].message if r.issues else "",
                  "before_kb": before, "after_kb": after}}))
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    d = tmp_path_factory.mktemp("wb-bomb")
    return _bomb(d / "honest.xlsx", 1 << 30), _bomb(d / "lying.xlsx", 1 << 30, lie=True)


@pytest.mark.slow  # costly by design: a real process under a memory limit
@pytest.mark.parametrize("which", [0, 1], ids=["declared", "lying-headers"])
def test_a_small_file_that_inflates_to_1_gb_is_refused_in_little_memory(tmp_path, bombs, which):
    pkg = make_package(tmp_path / "pkg")
    xlsx = bombs[which]
    assert xlsx.stat().st_size < 2 * 1024 * 1024  # about 1 MB on disk
    p = subprocess.run(
        [PY, "-c", MEASURE.format(scripts=str(SCRIPTS)), str(xlsx), str(pkg)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    assert got["codes"] == (["workbook-too-large"] if which == 0 else got["codes"])
    assert got["codes"][0] in ("workbook-too-large", "workbook-invalid")
    grown_mb = (got["after_kb"] - got["before_kb"]) / 1024
    assert grown_mb < 64, f"import grew the process by {grown_mb:.0f} MB on a 1 GB bomb"
    print(f"bomb {which}: {got['codes']}, peak RSS {got['after_kb'] / 1024:.0f} MB (+{grown_mb:.0f} MB)")
    assert state(pkg) == "old"


def test_long_cell_in_the_data_gives_a_placed_message_not_a_crash(tmp_path):
    long = "x" * 200_000
    pkg = make_package(tmp_path / "pkg", {**OLD, "data/beta.csv": f"id,label\nb1,one\nb2,{long}\n"})
    with pytest.raises(Failed) as e:
        make_template(pkg, tmp_path / "t.xlsx")
    [issue] = e.value.issues
    assert (issue.code, issue.sheet, issue.excel_row, issue.column_letter, issue.field) == (
        "cell-too-long",
        "beta",
        4,
        "B",
        "label",
    )
    assert (issue.csv_file, issue.csv_row) == ("data/beta.csv", 3) and "200000" in issue.message
    assert not (tmp_path / "t.xlsx").exists()
    # the same through the command line: one message, exit 1, no traceback
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    p = subprocess.run(
        [PY, "-m", "minhbach", "template", "--data", str(pkg), "--out", str(tmp_path / "t.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines()[0].startswith("[cell-too-long] sheet 'beta', row 4, column B (label)")


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "del\x7f"])
def test_control_character_in_the_data_is_refused_by_the_template(tmp_path, text):
    pkg = make_package(tmp_path / "pkg", {**OLD, "data/alpha.csv": f"id,label,value\na1,{text},1.5\n"})
    with pytest.raises(Failed) as e:
        make_template(pkg, tmp_path / "t.xlsx")
    [issue] = e.value.issues
    assert (issue.code, issue.sheet, issue.excel_row, issue.column_letter) == ("control-character", "alpha", 3, "B")


def test_long_cell_in_the_workbook_is_refused_with_its_place(setup):
    pkg, xlsx = setup
    set_cell(xlsx, "beta", "B3", "PLACEHOLDER-LONG")
    replace_in_members(xlsx, b"PLACEHOLDER-LONG", b"y" * 200_000)  # openpyxl itself cuts at 32,767
    result = import_workbook(xlsx, pkg)
    assert [(i.code, i.sheet, i.excel_row, i.column_letter) for i in result.issues] == [
        ("cell-too-long", "beta", 3, "B")
    ]
    assert "200000" in result.issues[0].message and len(result.issues[0].value) < 100
    assert state(pkg) == "old" and stray_files(pkg) == []


@pytest.mark.parametrize(
    "raw,char",
    [
        (b"nul_x0000_here", "U+0000"),
        (b"vt_x000B_here", "U+000B"),
        ("c1\u0085here".encode(), "U+0085"),
        (b"del\x7fhere", "U+007F"),
    ],
)
def test_control_character_in_the_workbook_is_refused_with_its_place(setup, raw, char):
    pkg, xlsx = setup
    set_cell(xlsx, "alpha", "B4", "PLACEHOLDER-CTRL")
    replace_in_members(xlsx, b"PLACEHOLDER-CTRL", raw)
    result = import_workbook(xlsx, pkg)
    got = [(i.code, i.sheet, i.excel_row, i.column_letter, i.field) for i in result.issues]
    assert got == [("control-character", "alpha", 4, "B", "label")]
    assert char in result.issues[0].message
    assert state(pkg) == "old" and stray_files(pkg) == []


def test_line_breaks_and_tabs_stay_text(setup):
    pkg, xlsx = setup
    set_cell(xlsx, "alpha", "B4", "two\nlines\tand a tab")
    result = import_workbook(xlsx, pkg)
    assert result.ok, [i.render() for i in result.issues]
    assert '"two\nlines\tand a tab"' in (pkg / "data/alpha.csv").read_text(encoding="utf-8")


def test_no_vietnamese_letter_and_no_module_over_400_lines():
    viet = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)
    for p in sorted((SCRIPTS / "minhbach" / "workbook").glob("*.py")):
        text = p.read_text(encoding="utf-8")
        assert not viet.search(text), f"{p.name}: {viet.search(text).group()!r}"
        assert text.count("\n") <= 400, p.name


def test_every_word_comes_from_the_catalogue(setup, tmp_path):
    """A changed catalogue string shows in the workbook: the words are not in the code."""
    from minhbach import strings
    from minhbach.workbook import common

    site = tmp_path / "site_src" / "strings"
    for lang in ("vi", "en"):
        (site / lang).mkdir(parents=True)
        text = (ROOT / "site_src/strings" / lang / "workbook.yml").read_text(encoding="utf-8")
        (site / lang / "workbook.yml").write_text(text.replace("Instructions", "Guide"), encoding="utf-8")
    cat = strings.load(tmp_path / "site_src")
    common.catalogue.cache_clear()
    real = common.catalogue
    try:
        common.catalogue = lambda: cat  # type: ignore[assignment]
        assert wbmod.instructions_sheet().endswith("- Guide")
    finally:
        common.catalogue = real
        common.catalogue.cache_clear()


def test_control_character_in_the_descriptor_is_refused_by_the_template(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    dp = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    dp["resources"][0]["title"] = "Alpha\x01"
    (pkg / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    with pytest.raises(Failed) as e:
        make_template(pkg, tmp_path / "t.xlsx")
    assert [(i.code, i.csv_file) for i in e.value.issues] == [("control-character", "datapackage.json")]
    assert not (tmp_path / "t.xlsx").exists()


def test_a_second_import_while_one_runs_is_refused(setup):
    import fcntl

    pkg, xlsx = setup
    fd = os.open(pkg, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running import holds
        result = import_workbook(xlsx, pkg)
        assert [i.code for i in result.issues] == ["import-busy"]
        with pytest.raises(Failed):
            make_template(pkg, pkg.parent / "other.xlsx")
    finally:
        os.close(fd)
    assert state(pkg) == "old" and stray_files(pkg) == []
    assert import_workbook(xlsx, pkg).ok and state(pkg) == "new"
