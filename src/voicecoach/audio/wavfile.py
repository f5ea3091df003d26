"""The one WAV reader: integer PCM WAV files to float32 samples.

Bundled sounds (audio/assets.py) and the speech engines' output (speech/audiofile.py)
both come through here; anything else (AIFF, float WAV) is ffmpeg's to decode.
"""

from __future__ import annotations

import wave
from collections.abc import Collection
from pathlib import Path

import numpy as np

PCM_WIDTHS = (1, 2, 4)  # bytes per sample this reader decodes: 8-, 16- and 32-bit


class SampleWidthError(ValueError):
    """The WAV's sample width (bytes) is not one the caller reads."""

    def __init__(self, width: int) -> None:
        super().__init__(f"unsupported sample width {width}")
        self.width = width


def read_pcm_wav(path: Path, widths: Collection[int] = PCM_WIDTHS) -> tuple[np.ndarray, int]:
    """float32 (samples, channels) in [-1, 1] and the sample rate of an integer PCM WAV.

    Raises OSError (cannot open), wave.Error or EOFError (not a PCM WAV, or cut short),
    and SampleWidthError when its sample width (bytes) is not in ``widths``.
    """
    with wave.open(str(path), "rb") as w:
        width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
        raw = w.readframes(w.getnframes())
    if width not in widths or width not in PCM_WIDTHS:
        raise SampleWidthError(width)
    if width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    else:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    return data.reshape(-1, channels), rate
