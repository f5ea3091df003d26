from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.audio.audio_signals import SR, sine
from voicecoach.audio.encode import SUPPORTED_FORMATS, Encoder, format_for_path
from voicecoach.audio.ffmpeg import ENV_VAR, find_ffmpeg
from voicecoach.audio.music import load_music
from voicecoach.audio.tags import read_chapters, read_tags, write_mp3_tags
from voicecoach.chapter import Chapter
from voicecoach.errors import AudioError

CHAPTERS = [
    ("Glute bridge", 0, 1500),
    ("Clamshell (left)", 1500, 2750),
    ("Rest; breathe = easy", 2750, 4000),
]
META = {
    "title": "Low-back reset",
    "artist": "voicecoach",
    "album": "Warm-ups",
    "genre": "Fitness",
    "comment": "Glutes, not low back.",
}


def encode(path: Path, fmt: str | None = None, seconds: float = 4.0, **kw: object) -> Encoder:
    x = sine(440, seconds, 0.3)
    with Encoder(path, fmt, **kw) as enc:  # type: ignore[arg-type]
        for i in range(0, len(x), 10_000):
            enc.write(x[i : i + 10_000])
    return enc


@pytest.mark.parametrize("fmt", SUPPORTED_FORMATS)
def test_every_format_round_trips_with_the_right_length(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    enc = encode(path)
    assert enc.samples_written == 4 * SR
    decoded = load_music(path)
    assert abs(len(decoded) - 4 * SR) <= SR // 100  # within 10 ms (mp3/flac/wav: exact)
    assert float(np.abs(decoded[SR : 2 * SR]).max()) == pytest.approx(0.3, abs=0.03)


@pytest.mark.parametrize("fmt", ["mp3", "wav", "flac"])
def test_lossless_and_cbr_mp3_lengths_are_sample_exact(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    encode(path, seconds=3.3)
    assert len(load_music(path)) == round(3.3 * SR)


def test_mp3_is_cbr_128k_44k_stereo(tmp_path: Path) -> None:
    from mutagen.mp3 import MP3, BitrateMode

    path = tmp_path / "out.mp3"
    encode(path, seconds=10.0)
    info: Any = MP3(path).info  # mutagen leaves it untyped (declared None)
    assert (info.sample_rate, info.channels, info.bitrate) == (44100, 2, 128000)
    assert info.bitrate_mode in (BitrateMode.CBR, BitrateMode.UNKNOWN)
    assert info.length == pytest.approx(10.0, abs=0.05)


def test_mp3_tags_and_chapters_read_back_exactly(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    path = tmp_path / "out.mp3"
    encode(path, metadata=META, chapters=CHAPTERS)
    assert read_chapters(path) == CHAPTERS
    assert read_tags(path) == META
    tags = ID3(path)
    assert tags.version[:2] == (2, 3)
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert [
        (c.start_time, c.end_time) for c in sorted(tags.getall("CHAP"), key=lambda c: c.element_id)
    ] == [(s, e) for _, s, e in CHAPTERS]


def test_write_mp3_tags_replaces_old_chapters(tmp_path: Path) -> None:
    path = tmp_path / "out.mp3"
    encode(path, chapters=CHAPTERS)
    write_mp3_tags(path, title="Again", chapters=[Chapter("Only", 0, 4000)])
    assert read_chapters(path) == [("Only", 0, 4000)]
    assert read_tags(path)["title"] == "Again"


@pytest.mark.parametrize("fmt", ["m4a", "ogg", "flac"])
def test_other_formats_carry_tags_and_chapter_starts(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    encode(path, metadata=META, chapters=CHAPTERS)
    chapters = read_chapters(path)
    assert [(t, s) for t, s, _ in chapters] == [(t, s) for t, s, _ in CHAPTERS]
    assert read_tags(path)["title"] == META["title"]


def test_wav_keeps_title(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    encode(path, metadata=META, chapters=CHAPTERS)
    assert read_tags(path)["title"] == META["title"]


def test_format_comes_from_the_suffix_or_is_given(tmp_path: Path) -> None:
    assert format_for_path("a/B.MP3") == "mp3"
    tmp = tmp_path / "out.mp3.part"
    encode(tmp, "mp3")
    assert len(load_music(tmp)) == 4 * SR


def test_unsupported_suffix() -> None:
    with pytest.raises(AudioError) as err:
        format_for_path("session.aiff")
    assert (
        str(err.value)
        == "unsupported output format .aiff. Use one of: .mp3, .wav, .flac, .ogg, .m4a."
    )


def test_bad_bitrate(tmp_path: Path) -> None:
    with pytest.raises(AudioError) as err:
        Encoder(tmp_path / "x.mp3", bitrate="fast")
    assert str(err.value) == "invalid bitrate 'fast'. Give kilobits per second like 128k."


def test_missing_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "no" / "such"
    with pytest.raises(AudioError) as err:
        encode(folder / "out.mp3")
    assert (
        str(err.value)
        == f"output folder does not exist: {folder}. Create it or choose another output path."
    )


def test_ffmpeg_that_fails_leaves_no_file(tmp_path: Path) -> None:
    fake = tmp_path / "ffmpeg"
    out = tmp_path / "out.mp3"
    fake.write_text(
        f"#!/bin/sh\necho 'disk on fire' >&2\necho partial > '{out}'\ncat >/dev/null\nexit 1\n"
    )
    fake.chmod(0o755)
    with pytest.raises(AudioError) as err:
        encode(out, ffmpeg=str(fake))
    assert str(err.value) == (
        f"ffmpeg failed to write {out} (exit code 1); ffmpeg said: disk on fire. "
        "Check free disk space and that the output folder is writable."
    )
    assert not out.exists()


def test_ffmpeg_that_dies_early_is_reported_while_writing(tmp_path: Path) -> None:
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'cannot encode' >&2\nexit 3\n")
    fake.chmod(0o755)
    out = tmp_path / "out.wav"
    with pytest.raises(AudioError) as err:
        encode(out, ffmpeg=str(fake), seconds=30.0)
    assert "ffmpeg said: cannot encode" in str(err.value)
    assert not out.exists()


def test_missing_ffmpeg_program(tmp_path: Path) -> None:
    with pytest.raises(AudioError) as err:
        encode(tmp_path / "out.mp3", ffmpeg=str(tmp_path / "nothing"))
    assert str(err.value).startswith(f"cannot start ffmpeg ({tmp_path / 'nothing'}): ")
    assert not (tmp_path / "out.mp3").exists()


def test_exception_inside_the_with_block_kills_ffmpeg_and_deletes(tmp_path: Path) -> None:
    out = tmp_path / "out.mp3"
    with pytest.raises(KeyError), Encoder(out) as enc:
        enc.write(sine(440, 1.0))
        raise KeyError("boom")
    assert enc._proc is not None and enc._proc.poll() is not None
    assert not out.exists()


def test_ffmpeg_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    find_ffmpeg.cache_clear()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    try:
        with pytest.raises(AudioError) as err:
            find_ffmpeg()
        assert str(err.value).startswith(
            f"{ENV_VAR} names '{tmp_path / 'missing'}', which is not an executable file. "
        )
    finally:
        monkeypatch.delenv(ENV_VAR)
        find_ffmpeg.cache_clear()
    assert os.path.isfile(find_ffmpeg())


def test_no_module_changes_the_warning_filters_at_import() -> None:
    """A program embedding voicecoach keeps its own warning filters (audio/ffmpeg.py once
    silenced pydub's at import; pydub is the benchmark's now, docs/dependencies.md)."""
    code = """if True:
        import importlib, pkgutil, warnings
        import numpy  # adds filters of its own at import: not ours
        before = list(warnings.filters)
        package = importlib.import_module("voicecoach")
        walk = pkgutil.walk_packages(package.__path__, "voicecoach.")
        for name in ["voicecoach", *(info.name for info in walk)]:
            importlib.import_module(name)
            if warnings.filters != before:
                print(name)
                break
    """
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


def test_pydub_is_not_a_runtime_dependency() -> None:
    requires = importlib.metadata.requires("voicecoach") or []
    assert [r for r in requires if r.lower().startswith("pydub")] == []
