"""Stale-temp cleanup is safe across PID namespaces and hosts (issue 8, point 6), and
$TMPDIR keeps no voicecoach-* entry (point 5's temp part).

A run is judged dead only when its lock can be taken. The simulation: temp names that
carry a PID no process here has (as a render in another container or on another host
would), while a live helper process holds their lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach import scratch
from voicecoach.atomic import STALE_AGE_S
from voicecoach.cli import cli
from voicecoach.outputs import clean_stale_temps
from voicecoach.scratch import clean_stale_scratch

DEAD_PID = 4194303  # above any pid_max: no process here has it
HOLDER = """\
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder() -> Iterator[object]:
    """Start a helper process that holds an flock on a path until the test ends."""
    procs: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
        procs.append(proc)
        return proc

    yield hold
    for proc in procs:
        proc.kill()
        proc.wait()


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_a_locked_temp_with_a_dead_pid_is_kept_and_an_unlocked_one_removed(tmp_path, holder):
    live, dead = f"{DEAD_PID}-aaaaaa", f"{DEAD_PID}-bbbbbb"
    live_files = [f".out.voicecoach-{live}.part.mp3", f".out.voicecoach-{live}.bak.mp3"]
    dead_files = [f".out.voicecoach-{dead}.part.mp3", f".out.voicecoach-{dead}.bak.vtt"]
    for name in [*live_files, *dead_files, f".voicecoach-{dead}.lock"]:
        (tmp_path / name).write_bytes(b"x")
    proc = holder(tmp_path / f".voicecoach-{live}.lock")
    (tmp_path / "out.mp3").write_bytes(b"the user's")

    removed = clean_stale_temps(tmp_path)

    assert sorted(p.name for p in removed) == sorted(dead_files)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*live_files, f".voicecoach-{live}.lock", "out.mp3"])
    proc.kill()  # the live render dies: its lock is free now
    proc.wait()
    assert sorted(p.name for p in clean_stale_temps(tmp_path)) == sorted(live_files)
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp3"]


def test_temps_without_a_lock_file_wait_an_hour(tmp_path):
    young = tmp_path / f".out.voicecoach-{DEAD_PID}.part.mp3"  # an older voicecoach's name
    old = tmp_path / ".old.voicecoach-77.part.wav"
    young.write_bytes(b"x")
    old.write_bytes(b"x")
    age(old, STALE_AGE_S + 60)
    assert clean_stale_temps(tmp_path) == [old]
    assert young.exists()


def test_a_live_render_in_the_same_process_is_never_cleaned(tmp_path):
    from voicecoach.outputs import OutputTransaction

    with OutputTransaction(tmp_path / "a.wav") as tx:
        temp = tx.temp_for(tmp_path / "a.wav")
        temp.write_bytes(b"new")
        assert clean_stale_temps(tmp_path) == []
        assert temp.exists()
    assert (tmp_path / "a.wav").read_bytes() == b"new"


# --- $TMPDIR -------------------------------------------------------------------------------


@pytest.fixture
def tmpdir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(scratch, "_current", None)
    return folder


def test_scratch_folders_of_live_runs_are_kept(tmpdir_env, holder):
    live = tmpdir_env / f"voicecoach-{DEAD_PID}-aaaaaa-x1"
    dead = tmpdir_env / f"voicecoach-{DEAD_PID}-bbbbbb-x2"
    for folder in (live, dead):
        folder.mkdir()
        (folder / "speech-1").mkdir()
        (folder / "speech-1" / "0.wav").write_bytes(b"RIFF")
        (folder / "lock").write_bytes(b"")
    holder(live / "lock")
    legacy_young = tmpdir_env / "voicecoach-speech-abc"
    legacy_old = tmpdir_env / "voicecoach-speech-def"
    meta_old = tmpdir_env / "voicecoach-x1y2.ffmeta"
    for folder in (legacy_young, legacy_old):
        folder.mkdir()
    meta_old.write_text(";FFMETADATA1\n")
    age(legacy_old, STALE_AGE_S + 60)
    age(meta_old, STALE_AGE_S + 60)
    (tmpdir_env / "someone-else").mkdir()

    removed = clean_stale_scratch()

    assert sorted(p.name for p in removed) == sorted([dead.name, legacy_old.name, meta_old.name])
    assert sorted(p.name for p in tmpdir_env.iterdir()) == sorted(
        [live.name, legacy_young.name, "someone-else"]
    )
    assert (live / "speech-1" / "0.wav").exists()


def test_scratch_is_removed_at_exit_and_after_sigkill_by_the_next_run(tmpdir_env):
    code = (
        "import os, signal, sys\n"
        "from voicecoach.scratch import scratch_dir\n"
        "(scratch_dir() / 'a.ffmeta').write_text('x')\n"
        "if sys.argv[1] == 'kill': os.kill(os.getpid(), signal.SIGKILL)\n"
        "if sys.argv[1] == 'ctrl-c': raise KeyboardInterrupt\n"
    )
    env = {**os.environ, "TMPDIR": str(tmpdir_env)}
    for how in ("exit", "ctrl-c"):
        proc = subprocess.run([sys.executable, "-c", code, how], env=env, capture_output=True)
        assert proc.returncode == (0 if how == "exit" else -signal.SIGINT)
        assert list(tmpdir_env.iterdir()) == [], how
    proc = subprocess.run([sys.executable, "-c", code, "kill"], env=env)
    assert proc.returncode == -signal.SIGKILL
    [left] = list(tmpdir_env.iterdir())
    assert left.name.startswith("voicecoach-") and (left / "a.ffmeta").exists()
    assert clean_stale_scratch() == [left]
    assert list(tmpdir_env.iterdir()) == []


def test_a_render_leaves_nothing_in_tmpdir(tmpdir_env, tmp_path, monkeypatch):
    """WAV with tags: ffmpeg reads an .ffmeta file, made in the scratch folder."""
    import voicecoach.audio.encode as encode

    (tmp_path / "tiny.yaml").write_text(
        "name: Tiny\nexercises:\n  - {name: Bridge, reps: 2, tempo: 1-0-1}\n"
    )
    made: list[Path] = []

    def spy() -> Path:
        made.append(scratch.scratch_dir())
        return made[-1]

    monkeypatch.setattr(encode, "scratch_dir", spy)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", "tiny.yaml", "-o", "t.wav", "--engine", "fake"])
    assert result.exit_code == 0, result.output
    assert made and made[0].parent == tmpdir_env  # it was used ...
    scratch.remove_scratch()  # what exit does
    assert list(tmpdir_env.iterdir()) == []  # ... and nothing is left
    # the command itself, as a process: its scratch folder goes at exit
    env = {**os.environ, "TMPDIR": str(tmpdir_env)}
    args = ["render", "tiny.yaml", "-o", "t.wav", "--engine", "fake", "-q"]
    proc = subprocess.run([sys.executable, "-m", "voicecoach", *args], env=env, cwd=tmp_path)
    assert proc.returncode == 0
    assert list(tmpdir_env.iterdir()) == []


def test_a_file_system_without_locks_still_works_and_is_cleaned_by_age(tmp_path, monkeypatch):
    import errno

    from voicecoach import atomic
    from voicecoach.outputs import OutputTransaction

    def no_locks(fd: int, *, blocking: bool) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(atomic, "_flock", no_locks)
    with OutputTransaction(tmp_path / "a.txt") as tx:
        tx.write_text(tmp_path / "a.txt", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    dead = [tmp_path / ".voicecoach-5-abcdef.lock", tmp_path / ".a.voicecoach-5-abcdef.part.txt"]
    for path in dead:
        path.write_text("")
    assert clean_stale_temps(tmp_path) == []  # young: maybe alive
    age(dead[0], STALE_AGE_S + 60)
    assert clean_stale_temps(tmp_path) == [dead[1]]
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
