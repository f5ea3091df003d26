"""Signal generators for the audio tests (all synthetic, offline)."""

from __future__ import annotations

import numpy as np

from tests.wavfiles import write_wav

__all__ = ["SR", "rms_db", "sine", "speechlike", "write_wav"]

SR = 44100


def sine(freq: float, seconds: float, amp: float = 0.5, sr: int = SR) -> np.ndarray:
    t = np.arange(round(seconds * sr)) / sr
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.repeat(x[:, None], 2, axis=1)


def speechlike(seconds: float, seed: int = 0, amp: float = 0.3) -> np.ndarray:
    """Voiced-speech-like test clip: harmonic buzz, syllable envelope, a little noise."""
    rng = np.random.default_rng(seed)
    n = round(seconds * SR)
    t = np.arange(n) / SR
    phase = 2 * np.pi * np.cumsum(120 + 20 * np.sin(2 * np.pi * 0.5 * t)) / SR
    buzz = sum(np.sin(k * phase) / k for k in range(1, 15))
    env = np.clip(np.sin(2 * np.pi * 3 * t), 0, None) ** 0.5
    x = amp * buzz * env + 0.01 * rng.standard_normal(n)
    return x.astype(np.float32)[:, None]


def rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-20))
