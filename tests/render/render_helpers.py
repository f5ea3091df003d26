"""Shared helpers for render tests: a short routine and WAV reading/writing."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

SHORT_ROUTINE = """\
name: Test session
description: A short session for render tests.
intro: Hello there. This is a test.
outro: That is all for now.
sound: {background: none, chimes: false}
exercises:
  - name: Bridge
    reps: 3
    tempo: 1-1-1
    sets: 2
    rest: 8s
    rest_after: 8s
  - name: Plank
    hold: 8s
"""


def write_wav(path: Path, samples: np.ndarray, rate: int = 44100) -> Path:
    data = np.clip(samples, -1, 1)
    if data.ndim == 1:
        data = data[:, None]
    pcm = (data * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(pcm.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as src:
        rate, channels = src.getframerate(), src.getnchannels()
        raw = src.readframes(src.getnframes())
    audio = np.frombuffer(raw, dtype="<i2").reshape(-1, channels).astype(np.float32) / 32768
    return audio, rate
