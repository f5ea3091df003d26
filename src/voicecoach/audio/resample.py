"""Small numpy helpers: channel layout and sample-rate conversion.

Resampling is a polyphase windowed-sinc FIR (rational L/M), good enough for speech
(22050 Hz -> 44100 Hz) and bundled sounds; long music is resampled by ffmpeg instead.
"""

from __future__ import annotations

import functools
import math

import numpy as np


def as_audio(audio: np.ndarray) -> np.ndarray:
    """Return ``audio`` as float32 shaped (samples, channels)."""
    arr = np.asarray(audio, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"audio must be shaped (samples, channels), got {arr.shape}")
    return arr


def to_stereo(audio: np.ndarray) -> np.ndarray:
    """(n,) / (n,1) / (n,2) -> float32 (n,2); more channels are averaged down."""
    arr = as_audio(audio)
    channels = arr.shape[1]
    if channels == 2:
        return arr
    if channels == 1:
        return np.repeat(arr, 2, axis=1)
    mono = arr.mean(axis=1, keepdims=True)
    return np.repeat(mono, 2, axis=1)


def kaiser_sinc(cutoff: float, half_width: int, beta: float, step: int = 1) -> np.ndarray:
    """Lowpass FIR: sinc with ``cutoff`` (cycles/sample) over +/- half_width, Kaiser window.

    The taps are centred; the filter has ``2 * half_width + 1`` taps.
    """
    n = np.arange(-half_width, half_width + 1, dtype=np.float64)
    h = 2.0 * cutoff * np.sinc(2.0 * cutoff * n)
    return (h * np.kaiser(len(n), beta)).astype(np.float64)


@functools.lru_cache(maxsize=16)
def _polyphase(up: int, down: int, zero_crossings: int) -> tuple[np.ndarray, int]:
    """Filter bank H[phase, tap] for up/down and the number of taps per phase."""
    factor = max(up, down)
    half = zero_crossings * factor
    cutoff = 0.5 / factor * 0.94  # keep a little transition band below Nyquist
    h = kaiser_sinc(cutoff, half, beta=8.6) * up  # zero-stuffing lowers gain by `up`
    taps = math.ceil(len(h) / up)
    padded = np.zeros(taps * up)
    padded[: len(h)] = h
    # H[p, j] = h[p + j * up]
    bank = padded.reshape(taps, up).T.copy()
    return bank, half


def resampled_length(n: int, from_rate: int, to_rate: int) -> int:
    """Number of samples ``resample`` returns for ``n`` input samples."""
    g = math.gcd(from_rate, to_rate)
    up, down = to_rate // g, from_rate // g
    return -(-n * up // down)


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample float audio (samples, channels) from ``from_rate`` to ``to_rate`` Hz.

    The result has ``ceil(n * to_rate / from_rate)`` samples and no time shift.
    """
    arr = as_audio(audio)
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError("sample rates must be positive")
    if from_rate == to_rate or len(arr) == 0:
        unchanged: np.ndarray = arr.copy() if from_rate == to_rate else arr[:0].copy()
        return unchanged
    g = math.gcd(from_rate, to_rate)
    up, down = to_rate // g, from_rate // g
    bank, centre = _polyphase(up, down, 16)
    taps = bank.shape[1]
    n_out = resampled_length(len(arr), from_rate, to_rate)
    pad = taps + 1
    xp = np.concatenate(
        [
            np.zeros((pad, arr.shape[1]), np.float64),
            arr.astype(np.float64),
            np.zeros((pad, arr.shape[1])),
        ]
    )
    out = np.empty((n_out, arr.shape[1]), dtype=np.float32)
    if down == 1:  # integer upsampling (speech 22050 -> 44100): one convolution per phase
        _upsample_into(out, xp, bank, up, centre, pad)
        return out
    offsets = np.arange(taps)
    chunk = max(1, 1_000_000 // taps)
    for s in range(0, n_out, chunk):
        n = np.arange(s, min(n_out, s + chunk), dtype=np.int64)
        pos = n * down + centre  # position in the zero-stuffed signal, filter centred
        k_max = pos // up
        phase = pos - k_max * up
        idx = k_max[:, None] - offsets[None, :] + pad
        np.clip(idx, 0, len(xp) - 1, out=idx)
        coefs = bank[phase]  # (chunk, taps)
        out[s : s + len(n)] = np.einsum("nk,nkc->nc", coefs, xp[idx])
    return out


def _upsample_into(
    out: np.ndarray, xp: np.ndarray, bank: np.ndarray, up: int, centre: int, pad: int
) -> None:
    """The general loop above for down == 1, as ``up`` plain convolutions (~10x faster).

    Output n = up*m + r reads phase (r + centre) % up at input m + (r + centre) // up,
    so every r is one full convolution of the input with that phase's taps.
    """
    n_out = len(out)
    for r in range(min(up, n_out)):
        phase, shift = (r + centre) % up, (r + centre) // up
        count = len(range(r, n_out, up))
        first = shift + pad
        for ch in range(xp.shape[1]):
            full = np.convolve(xp[:, ch], bank[phase])
            out[r::up, ch] = full[first : first + count]
