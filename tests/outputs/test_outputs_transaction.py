"""One transaction per render (issue 8, point 3), and long output names (point 8).

Yesterday's audio and transcripts stay byte for byte intact on every failure before
the commit; a run killed between renames is finished or undone by the next one.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import wave
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from voicecoach import transaction
from voicecoach.atomic import temp_name
from voicecoach.cli import cli
from voicecoach.errors import AudioError
from voicecoach.outputs import OutputTransaction, clean_stale_temps
from voicecoach.pipeline import RenderOptions, render
from voicecoach.speech import FakeEngine

TINY = "name: Tiny\nexercises:\n  - {name: Bridge, reps: 2, tempo: 1-0-1}\n"
OLD = {"out.wav": b"yesterday's audio\n", "out.vtt": b"WEBVTT\n\nold\n", "out.srt": b"1\nold\n"}


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY)
    for name, data in OLD.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def ours(folder: Path) -> list[str]:
    """Temp files, backups, journals or locks left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if ".voicecoach-" in p.name)


def yesterday_intact(folder: Path) -> None:
    for name, data in OLD.items():
        assert (folder / name).read_bytes() == data, name
    assert ours(folder) == []


def options(work: Path) -> RenderOptions:
    return RenderOptions(cache_dir=work / "cache", transcripts=("vtt", "srt"))


def test_disk_full_at_a_sidecar_keeps_yesterday(work, monkeypatch):
    real = transaction._write_all

    def full_at_srt(fh: Any, data: bytes) -> None:
        if str(fh.name).endswith(".srt"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fh, data)

    monkeypatch.setattr(transaction, "_write_all", full_at_srt)
    with pytest.raises(AudioError) as err:
        render("tiny.yaml", "out.wav", options(work), engine=FakeEngine())
    assert str(err.value) == "out.srt: the disk is full. free some space or write elsewhere."
    yesterday_intact(work)


def test_a_rename_that_fails_after_another_was_done_is_undone(work, monkeypatch):
    calls: list[str] = []

    def second_fails(source: Path, target: Path) -> None:
        calls.append(Path(target).name)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        os.replace(source, target)

    monkeypatch.setattr(transaction, "_replace", second_fails)
    with pytest.raises(AudioError) as err:
        render("tiny.yaml", "out.wav", options(work), engine=FakeEngine())
    assert calls == ["out.vtt", "out.srt"]  # the sidecars first; out.vtt was replaced
    assert str(err.value) == (
        "out.srt: could not write the file (Input/output error). check the path."
    )
    yesterday_intact(work)  # ... and put back


def test_a_sidecar_that_became_a_folder_mid_render(work):
    def make_folder(stage: str, done: int, total: int) -> None:
        if stage == "encode" and not (work / "out.srt").is_dir():
            (work / "out.srt").unlink()
            (work / "out.srt").mkdir()

    with pytest.raises(AudioError) as err:
        render("tiny.yaml", "out.wav", options(work), engine=FakeEngine(), progress=make_folder)
    assert str(err.value) == "out.srt: is a folder. remove it or choose another output path."
    (work / "out.srt").rmdir()
    (work / "out.srt").write_bytes(OLD["out.srt"])
    yesterday_intact(work)


def test_ctrl_c_while_writing_a_sidecar_keeps_yesterday(work, monkeypatch):
    def interrupt(fh: Any, data: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(transaction, "_write_all", interrupt)
    with pytest.raises(KeyboardInterrupt):
        render("tiny.yaml", "out.wav", options(work), engine=FakeEngine())
    yesterday_intact(work)


def test_a_good_render_replaces_all_parts_and_leaves_nothing(work):
    old_inode = (work / "out.wav").stat().st_ino
    result = render("tiny.yaml", "out.wav", options(work), engine=FakeEngine())
    assert result.sidecars == (Path("out.vtt"), Path("out.srt"))
    with wave.open(str(work / "out.wav")) as w:
        assert w.getnframes() > 44100
    assert (work / "out.vtt").read_text().startswith("WEBVTT")
    assert (work / "out.srt").read_text().startswith("1\n00:00:")
    assert (work / "out.wav").stat().st_ino != old_inode
    assert ours(work) == []


# --- long names (point 8) ----------------------------------------------------------------


def test_temp_names_are_bounded():
    target = Path("x" * 251 + ".mp3")  # 255 bytes: the longest legal name
    for kind in ("part", "bak", "journal"):
        assert len(temp_name(target, "4194304-abcdef", kind).encode()) <= 100
    long_a, long_b = Path("a" * 200 + "1.mp3"), Path("a" * 200 + "2.mp3")
    assert temp_name(long_a, "1-abcdef") != temp_name(long_b, "1-abcdef")
    assert temp_name(Path("out.wav"), "12-abcdef") == ".out.voicecoach-12-abcdef.part.wav"


def test_a_legal_long_output_name_renders(work):
    # 240 bytes in UTF-8: the longest sidecar, NAME.timeline.json, still fits in 255,
    # while a temp name built from the whole stem would not
    name = "é" * 60 + "s" * 116 + ".mp3"
    assert len(name.encode()) == 240
    (work / name).write_bytes(b"old")
    result = CliRunner().invoke(
        cli, ["render", "tiny.yaml", "-o", name, "--engine", "fake", "-q", "--cache-dir", "c"]
    )
    assert result.exit_code == 0, result.output
    assert (work / name).stat().st_size > 1000
    assert (work / name).with_suffix(".vtt").read_text().startswith("WEBVTT")
    assert ours(work) == []


# --- a run killed between renames ---------------------------------------------------------

KILLED_RUN = """\
import os, signal, sys
from pathlib import Path
from voicecoach import outputs, transaction

renames = 0
def replace(source, target):
    global renames
    if renames == int(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)
    renames += 1
    os.replace(source, target)

transaction._replace = replace
with outputs.OutputTransaction("out.wav") as tx:
    tx.write_bytes("out.wav", b"new audio")
    tx.write_text("out.vtt", "WEBVTT new")
    tx.write_text("out.srt", "new srt")
    tx.write_text("new.json", "{}")
"""


def killed_after(work: Path, renames: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_RUN), str(renames)],
        cwd=work,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert any(n.endswith(".journal") for n in ours(work))


@pytest.mark.parametrize("renames", [0, 1, 3])
def test_the_next_run_undoes_a_commit_killed_before_the_main_rename(work, renames):
    killed_after(work, renames)
    if renames >= 1:
        assert (work / "out.vtt").read_text() == "WEBVTT new"  # half done, for now
    removed = clean_stale_temps(work)
    assert removed
    yesterday_intact(work)
    assert not (work / "new.json").exists()


def test_the_next_run_finishes_a_commit_killed_after_the_main_rename(work):
    # all 4 renames done (three sidecars, then the audio); killed removing the backups
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(KILLED_RUN).replace(
                "transaction._replace = replace",
                "transaction._replace = os.replace\n"
                "transaction._unlink = lambda path: os.kill(os.getpid(), signal.SIGKILL)",
            ),
            "99",
        ],
        cwd=work,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert any(n.endswith(".journal") for n in ours(work))
    clean_stale_temps(work)
    assert (work / "out.wav").read_bytes() == b"new audio"
    assert (work / "out.vtt").read_text() == "WEBVTT new"
    assert (work / "new.json").read_text() == "{}"
    assert ours(work) == []


def test_a_transaction_that_was_never_committed_leaves_no_trace(work):
    with pytest.raises(RuntimeError), OutputTransaction("out.wav") as tx:
        tx.write_text("out.vtt", "x")
        raise RuntimeError("boom")
    yesterday_intact(work)


def test_parts_in_two_folders_are_undone_from_either_folder(work):
    (work / "pages").mkdir()
    (work / "pages" / "out.html").write_bytes(b"old page")
    script = textwrap.dedent(KILLED_RUN).replace(
        'tx.write_text("out.vtt", "WEBVTT new")', 'tx.write_text("pages/out.html", "new page")'
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "1"], cwd=work, capture_output=True, timeout=60
    )
    assert proc.returncode == -9, proc.stderr.decode()
    assert (work / "pages" / "out.html").read_bytes() == b"new page"  # renamed first
    clean_stale_temps(work / "pages")  # the sidecar's folder holds a copy of the journal
    assert (work / "pages" / "out.html").read_bytes() == b"old page"
    assert ours(work / "pages") == []
    clean_stale_temps(work)
    yesterday_intact(work)
