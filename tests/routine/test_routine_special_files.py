"""A FIFO, a device or a folder given as a routine, cue pack or music file is "not a
regular file" (not "not found"), found when the routine loads, and never opened."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.audio.music import load_music
from voicecoach.cli import cli
from voicecoach.errors import AudioError

FORMATS = "mp3, wav, ogg, m4a, flac"
BODY = "exercises:\n  - {name: B, reps: 3}\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="voicecoach")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("which", "kind"),
    [("fifo", "a named pipe (FIFO)"), ("/dev/null", "a character device"), ("dir", "a folder")],
)
def test_routine_that_is_not_a_regular_file(
    tmp_path: Path, fifo: Path, which: str, kind: str
) -> None:
    path = {"fifo": str(fifo), "dir": str(tmp_path)}.get(which, which)
    for command in ("validate", "plan", "render"):
        result = run(command, path)
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: '{path}' is not a regular file: it is {kind}. "
            "give the path of a .yaml routine file.\n"
        )


@pytest.mark.parametrize(
    ("music", "kind"),
    [("pipe.yaml", "a named pipe (FIFO)"), ("/dev/zero", "a character device"), (".", "a folder")],
)
def test_music_that_is_not_a_regular_file_is_refused_on_load(
    tmp_path: Path, fifo: Path, music: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text(f"name: A\nsound: {{music: {music}}}\n{BODY}")
    shown = tmp_path / music if not music.startswith("/") else Path(music)
    expected = (
        f"error: {routine}:2:16: sound.music: music file is not a regular file: {shown} is "
        f"{kind}. give the path of an audio file; it is relative to the routine's folder.\n"
    )
    assert run("validate", str(routine)).stderr == expected
    monkeypatch.chdir(tmp_path)
    result = run("render", str(routine), "-o", "out.wav", "--engine", "fake", "--cache-dir", "c")
    assert result.exit_code == 1 and result.stderr == expected
    assert not (tmp_path / "c").exists()  # refused before any synthesis


def test_cue_pack_that_is_not_a_regular_file(tmp_path: Path, fifo: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text(f"name: A\ncue_pack: pipe.yaml\n{BODY}")
    result = run("validate", str(routine))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {routine}:2:11: cue_pack: cue pack file is not a regular file: {fifo} is "
        "a named pipe (FIFO). give the path of a .yaml cue pack file.\n"
    )


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_load_music_never_opens_a_special_file(tmp_path: Path, fifo: Path, kind: str) -> None:
    """Before, a FIFO was opened to read its header and the call waited forever."""
    path = {"fifo": fifo, "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_music(path)
        except AudioError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the reader so the test process can end
        with open(fifo, "wb"):
            pass
        pytest.fail("load_music blocked on a special file")
    name = {"fifo": "a named pipe (FIFO)", "device": "a character device", "folder": "a folder"}
    assert str(outcome[0]) == (
        f"music file is not a regular file: {path} is {name[kind]}. "
        f"Give the path of an audio file ({FORMATS})."
    )
