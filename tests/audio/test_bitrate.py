"""A bitrate is what the file gets, or it is refused: never silently clamped.

The ends of each accepted range are encoded for real; the values just outside are
shown to be changed or refused by ffmpeg itself, and are refused by us first.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import mutagen
import numpy as np
import pytest
from click.testing import CliRunner

from voicecoach.audio.bitrate import MP3_KBPS, RANGES_KBPS, check_bitrate
from voicecoach.audio.encode import Encoder
from voicecoach.audio.ffmpeg import find_ffmpeg
from voicecoach.cli import cli
from voicecoach.errors import AudioError

MP3_LIST = ", ".join(f"{k}k" for k in MP3_KBPS)


def _encode(path: Path, fmt: str, bitrate: str) -> None:
    noise = np.random.default_rng(1).uniform(-0.3, 0.3, (44100, 2)).astype(np.float32)
    with Encoder(path, fmt, bitrate=bitrate) as encoder:
        encoder.write(noise)


def _raw_ffmpeg(path: Path, codec: str, bitrate: str) -> subprocess.CompletedProcess[str]:
    """The encoder as ffmpeg runs it, without our check."""
    cmd = [find_ffmpeg(), "-nostdin", "-v", "warning", "-f", "lavfi", "-i", "anoisesrc=d=1"]
    cmd += ["-ac", "2", "-ar", "44100", "-c:a", codec, "-b:a", bitrate, "-y", str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("kbps", [MP3_KBPS[0], 128, MP3_KBPS[-1]])
def test_mp3_rates_are_written_exactly(tmp_path: Path, kbps: int) -> None:
    _encode(tmp_path / "a.mp3", "mp3", f"{kbps}k")
    assert round(mutagen.File(tmp_path / "a.mp3").info.bitrate / 1000) == kbps


def test_mp3_encoder_silently_changes_any_other_rate_so_we_refuse_it(tmp_path: Path) -> None:
    for asked, got in (("16k", 32), ("100k", 96), ("400k", 320)):
        assert _raw_ffmpeg(tmp_path / "raw.mp3", "libmp3lame", asked).returncode == 0
        assert round(mutagen.File(tmp_path / "raw.mp3").info.bitrate / 1000) == got
        with pytest.raises(AudioError) as caught:
            check_bitrate("mp3", asked)
        assert str(caught.value) == (
            f"bitrate {asked} is not one the MP3 encoder can write (it would silently use "
            f"another). Use one of: {MP3_LIST}."
        )


@pytest.mark.parametrize(("fmt", "codec"), [("ogg", "libvorbis"), ("m4a", "aac")])
def test_lossy_ranges_end_where_the_encoder_stops(tmp_path: Path, fmt: str, codec: str) -> None:
    low, high = RANGES_KBPS[fmt]
    for kbps in (low, high):
        _encode(tmp_path / f"ok.{fmt}", fmt, f"{kbps}k")
        assert mutagen.File(tmp_path / f"ok.{fmt}").info.length > 0.9
    for kbps in (low - 1, high + 1):
        raw = _raw_ffmpeg(tmp_path / f"raw.{fmt}", codec, f"{kbps}k")
        if fmt == "ogg":  # libvorbis will not start outside its range
            assert raw.returncode != 0
        elif kbps > high:  # AAC clamps, with only a warning
            assert "clamping to max" in raw.stderr
        with pytest.raises(AudioError) as caught:
            Encoder(tmp_path / f"x.{fmt}", fmt, bitrate=f"{kbps}k")
        assert str(caught.value) == (
            f"bitrate {kbps}k is outside what the {fmt.upper()} encoder supports. "
            f"Use {low}k to {high}k."
        )


def test_lossless_formats_take_any_well_formed_bitrate() -> None:
    assert check_bitrate("wav", "9999k") == "9999k"
    assert check_bitrate("flac", "1k") == "1k"


def test_cli_refuses_an_out_of_range_bitrate_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["render", "low-back-reset", "-o", "s.mp3", "--bitrate", "400k", "--engine", "fake"],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "error: bitrate 400k is not one the MP3 encoder can write (it would silently use "
        f"another). Use one of: {MP3_LIST}.\n"
    )
    assert list(tmp_path.iterdir()) == []
