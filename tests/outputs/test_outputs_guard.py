"""Outputs never overwrite inputs (issue 8, point 2): the guard, through the CLI.

Each refused case exits 1 with one exact line, before any work, and leaves every
file in the folder byte for byte as it was (and creates none).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.outputs import FileRole, OutputError, guard_outputs, routine_inputs
from voicecoach.routine.loader import load_routine

TINY = "name: Tiny\nexercises:\n  - {name: Bridge, reps: 2, tempo: 1-0-1}\n"
OLD = b"yesterday's bytes\n"
AUDIO_FIX = "choose another output file with -o."


def files(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = p.read_bytes()
        elif p.is_dir():
            out[rel] = "<dir>"
    return out


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(TINY)
    (tmp_path / "song.wav").write_bytes(OLD)
    (tmp_path / "music.yaml").write_text(TINY + "sound: {music: song.wav}\n")
    return tmp_path


def refused(work: Path, args: list[str], message: str) -> None:
    before = files(work)
    result = CliRunner().invoke(cli, ["render", *args, "--engine", "fake", "-q"])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""
    assert files(work) == before  # nothing changed, nothing created (no cache either)


def test_json_transcript_named_like_the_routine(work: Path) -> None:
    (work / "r.json").write_text(TINY)
    refused(
        work,
        ["r.json", "--transcript", "json"],
        "r.json: the JSON transcript would overwrite the routine file. choose another "
        "output name with -o (transcripts are named after it), or leave out --transcript json.",
    )


def test_default_output_is_the_routine_itself(work: Path) -> None:
    (work / "r.mp3").write_text(TINY)
    refused(
        work, ["r.mp3"], f"r.mp3: the audio output would overwrite the routine file. {AUDIO_FIX}"
    )


def test_output_is_the_music(work: Path) -> None:
    refused(
        work,
        ["music.yaml", "-o", "song.wav"],
        f"song.wav: the audio output would overwrite the music file (sound.music). {AUDIO_FIX}",
    )


def test_output_through_a_symlink_to_the_routine(work: Path) -> None:
    (work / "link.mp3").symlink_to("r.yaml")
    refused(
        work,
        ["r.yaml", "-o", "link.mp3"],
        "link.mp3: the audio output would overwrite the routine file r.yaml (the same file "
        f"by another path). {AUDIO_FIX}",
    )


def test_output_hard_linked_to_the_music(work: Path) -> None:
    os.link(work / "song.wav", work / "hard.wav")
    refused(
        work,
        ["music.yaml", "-o", "hard.wav"],
        "hard.wav: the audio output would overwrite the music file (sound.music) "
        f"{work / 'song.wav'} (the same file by another path). {AUDIO_FIX}",
    )


def test_output_spelled_another_way(work: Path) -> None:
    (work / "sub").mkdir()
    (work / "r.mp3").write_text(TINY)
    refused(
        work,
        ["r.mp3", "-o", "sub/../r.mp3"],
        f"sub/../r.mp3: the audio output would overwrite the routine file. {AUDIO_FIX}",
    )


def test_dash_is_not_standard_output(work: Path) -> None:
    refused(
        work,
        ["r.yaml", "-o", "-"],
        "-: the audio output cannot go to standard output; voicecoach writes a file (with "
        "tags, chapters and transcripts beside it). give a file name such as session.mp3.",
    )
    assert not (work / "-.mp3").exists()


def test_sidecar_path_is_a_folder(work: Path) -> None:
    (work / "out.mp3").write_bytes(OLD)
    (work / "out.vtt").mkdir()
    refused(
        work,
        ["r.yaml", "-o", "out.mp3"],
        "out.vtt: the VTT transcript would replace a folder. remove the folder, or choose "
        "another output name with -o (transcripts are named after it), or leave out "
        "--transcript vtt.",
    )


def test_output_is_a_fifo(work: Path) -> None:
    os.mkfifo(work / "pipe.wav")
    refused(
        work,
        ["r.yaml", "-o", "pipe.wav"],
        "pipe.wav: the audio output exists and is not a regular file (a pipe or a device). "
        f"{AUDIO_FIX}",
    )


# --- the guard as a library: cue packs and outputs of one run ---------------------------


def test_cue_pack_and_the_packs_it_extends_are_inputs(work: Path) -> None:
    (work / "base.yaml").write_text("extends: default\ncues: {}\n")
    (work / "mine.yaml").write_text("extends: ./base.yaml  # my tweaks\ncues: {}\n")
    (work / "p.yaml").write_text(TINY + "cue_pack: mine.yaml\n")
    inputs = routine_inputs(load_routine("p.yaml"))
    assert [(r.what, r.path.name) for r in inputs] == [
        ("the routine file", "p.yaml"),
        ("the cue pack (cue_pack)", "mine.yaml"),
        ("the cue pack (cue_pack)", "base.yaml"),
    ]
    with pytest.raises(OutputError) as err:
        guard_outputs([FileRole(work / "base.yaml", "the page", "pick another")], inputs)
    assert str(err.value) == (
        f"{work / 'base.yaml'}: the page would overwrite the cue pack (cue_pack). pick another."
    )


def test_two_outputs_of_one_run_that_are_one_file(work: Path) -> None:
    (work / "a.json").write_text("{}")
    (work / "b.json").symlink_to("a.json")
    outputs = [
        FileRole(Path("a.json"), "the timeline sidecar", "rename it"),
        FileRole(Path("b.json"), "the feed", "choose another feed name"),
    ]
    with pytest.raises(OutputError) as err:
        guard_outputs(outputs)
    assert str(err.value) == (
        "b.json: the feed and the timeline sidecar would be the same file a.json (the same "
        "file by another path). choose another feed name."
    )
    guard_outputs(outputs[:1])  # alone it is fine
