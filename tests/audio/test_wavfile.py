"""The one WAV reader: 8-, 16- and 32-bit PCM to float32, other widths refused."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.assets import read_wav
from voicecoach.audio.wavfile import SampleWidthError, read_pcm_wav
from voicecoach.errors import AudioError


def pcm_wav(path: Path, frames: np.ndarray, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(8000)
        w.writeframes(frames.tobytes())
    return path


@pytest.mark.parametrize(
    ("width", "frames", "scaled"),
    [
        (1, np.array([0, 128, 255, 64], dtype=np.uint8), [-1.0, 0.0, 127 / 128, -0.5]),
        (2, np.array([-32768, 0, 16384, 32767], dtype="<i2"), [-1.0, 0.0, 0.5, 32767 / 32768]),
        (4, np.array([-(2**31), 0, 2**30, 2**31 - 1], dtype="<i4"), [-1.0, 0.0, 0.5, 1.0]),
    ],
)
def test_reads_integer_pcm_as_float32_frames(
    tmp_path: Path, width: int, frames: np.ndarray, scaled: list[float]
) -> None:
    data, rate = read_pcm_wav(pcm_wav(tmp_path / "x.wav", frames, width, 2), widths=(width,))
    assert rate == 8000 and data.dtype == np.float32 and data.shape == (2, 2)
    assert np.allclose(data.ravel(), scaled)


def test_other_widths_are_refused_with_the_width(tmp_path: Path) -> None:
    path = pcm_wav(tmp_path / "x.wav", np.zeros(4, dtype="<i4"), 4, 1)
    with pytest.raises(SampleWidthError) as err:
        read_pcm_wav(path, widths=(2,))
    assert err.value.width == 4
    with pytest.raises(AudioError) as asset_err:  # the bundled sounds are 16-bit
        read_wav(path)
    assert str(asset_err.value) == (
        f"{path}: expected 16-bit PCM, got 32-bit. Regenerate it with scripts/make_assets.py."
    )
