"""One real end-to-end render per run: the default pyttsx3 voice, MP3 out, via the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from tests.render.render_helpers import SHORT_ROUTINE
from voicecoach.audio import measure_file, read_chapters
from voicecoach.pipeline import RenderOptions, VoiceChoice, render
from voicecoach.transcript import to_vtt

pytestmark = pytest.mark.real_engine


@pytest.fixture(scope="module")
def real_session(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("real")
    routine = folder / "short.yaml"
    # The defaults: pad under the voice, chimes on.
    routine.write_text(SHORT_ROUTINE.replace("sound: {background: none, chimes: false}\n", ""))
    options = RenderOptions(
        voice=VoiceChoice(engine="pyttsx3"), cache_dir=folder / "cache", transcripts=("vtt",)
    )
    return render(routine, folder / "session.mp3", options)


def test_mp3_meets_loudness_and_peak_defaults(real_session) -> None:
    lufs, peak = measure_file(real_session.path)
    assert -17.0 <= lufs <= -15.0, lufs
    assert peak <= -1.0, peak


def test_mp3_format_tags_and_chapters(real_session) -> None:
    timeline = real_session.timeline
    info: Any = MP3(real_session.path).info  # mutagen leaves it untyped (declared None)
    assert info.sample_rate == 44100 and info.channels == 2
    assert info.bitrate == 128000 and info.bitrate_mode != BitrateMode.VBR
    assert abs(info.length * 1000 - timeline.total_ms) < 60
    tags = ID3(real_session.path)
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Test session"
    assert "short session" in str(tags.getall("COMM")[0])
    expected = [(c.title, c.start_ms, c.end_ms) for c in timeline.chapters]
    assert read_chapters(real_session.path) == expected
    assert len(expected) == 2 and expected[0][1] == 0 and expected[-1][2] == timeline.total_ms
    assert len(tags.getall("CTOC")) == 1


def test_transcript_sidecar_is_the_plan(real_session) -> None:
    vtt = real_session.path.with_suffix(".vtt")
    assert vtt.read_text(encoding="utf-8") == to_vtt(real_session.timeline)


def test_cli_render_with_the_default_engine_keeps_stdout_clean(tmp_path: Path) -> None:
    routine = tmp_path / "cli.yaml"
    routine.write_text(SHORT_ROUTINE)
    out = tmp_path / "cli.mp3"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "voicecoach",
            "render",
            str(routine),
            "-o",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--engine",
            "pyttsx3",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Audio saved" not in proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0].startswith(f"wrote {out} (")
    assert out.stat().st_size > 10_000 and out.with_suffix(".vtt").exists()
