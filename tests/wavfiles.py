"""WAV files for tests: write float audio as 16-bit PCM, read it back (the product's reader)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voicecoach.audio import read_wav

__all__ = ["read_wav", "write_wav"]


def write_wav(path: Path, audio: np.ndarray, sr: int = 44100) -> Path:
    """float audio, (n,) or (n, channels) in [-1, 1], as 16-bit PCM at ``sr``."""
    x = np.asarray(audio)
    if x.ndim == 1:
        x = x[:, None]
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(x.shape[1])
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())
    return path
