"""Synthesize the bundled sounds into audio_assets/ (44.1 kHz, 16-bit, mono WAV).

Run from anywhere: ``uv run python scripts/make_assets.py [OUT_DIR]``.
Everything is computed from formulas (no randomness), so the files are reproducible.
"""

from __future__ import annotations

import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

RATE = 44100
OUT_DIR = Path(__file__).resolve().parents[1] / "audio_assets"


def db(value: float) -> float:
    return float(10.0 ** (value / 20.0))


def seconds(duration: float) -> np.ndarray:
    return np.arange(round(duration * RATE)) / RATE


def fade(x: np.ndarray, in_s: float, out_s: float) -> np.ndarray:
    """Raised-cosine fade in/out so no sound starts or ends with a click."""
    y = x.copy()
    n_in, n_out = round(in_s * RATE), round(out_s * RATE)
    if n_in:
        y[:n_in] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(n_in) / n_in)
    if n_out:
        y[-n_out:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(n_out) / n_out)
    return y


def normalize(x: np.ndarray, peak_db: float) -> np.ndarray:
    return x * (db(peak_db) / np.max(np.abs(x)))


def bell(freq: float, duration: float, decay: float) -> np.ndarray:
    """A soft bell: a few inharmonic partials, higher ones dying faster."""
    t = seconds(duration)
    partials = [(1.0, 1.0, 1.0), (2.0, 0.35, 1.6), (2.76, 0.18, 2.4), (5.4, 0.06, 4.0)]
    x = np.zeros_like(t)
    for ratio, amp, speed in partials:
        x += amp * np.sin(2 * np.pi * freq * ratio * t) * np.exp(-t * speed / decay)
    return fade(x, 0.004, 0.05)


def chime() -> np.ndarray:
    return normalize(bell(880.0, 1.6, 0.55), -8.0)


def beep(freq: float, duration: float) -> np.ndarray:
    t = seconds(duration)
    x = np.sin(2 * np.pi * freq * t) + 0.15 * np.sin(2 * np.pi * 2 * freq * t)
    return fade(x, 0.008, 0.03)


def beep_short() -> np.ndarray:
    return normalize(beep(880.0, 0.14), -10.0)


def beep_end() -> np.ndarray:
    return normalize(beep(1320.0, 0.42), -9.0)


def done() -> np.ndarray:
    """Three rising notes (C5 E5 G5), each a bell, 0.28 s apart."""
    notes = [523.25, 659.26, 783.99]
    step = round(0.28 * RATE)
    total = step * (len(notes) - 1) + round(2.2 * RATE)
    x = np.zeros(total)
    for i, f in enumerate(notes):
        tone = bell(f, 2.2, 0.7)
        x[i * step : i * step + len(tone)] += tone
    return normalize(fade(x, 0.0, 0.2), -8.0)


def tick() -> np.ndarray:
    """A short woodblock-like click: damped 1.9 kHz + 3.1 kHz partials, 30 ms."""
    t = seconds(0.03)
    x = np.sin(2 * np.pi * 1900 * t) * np.exp(-t / 0.004) + 0.4 * np.sin(
        2 * np.pi * 3100 * t
    ) * np.exp(-t / 0.002)
    return normalize(fade(x, 0.0005, 0.005), -10.0)


def pad() -> np.ndarray:
    """A soft A-major-add9 drone, exactly periodic over its 8 s length (seamless loop).

    Every frequency is a multiple of 1/8 Hz and every movement (swell, shimmer) has a
    period dividing 8 s, so sample N equals sample 0 of the next repetition.
    """
    period = 8.0
    t = seconds(period)

    def q(f: float) -> float:  # quantize to the loop's frequency grid
        return round(f * period) / period

    chord = [110.0, 164.81, 220.0, 277.18, 329.63, 493.88]
    weights = [1.0, 0.7, 0.6, 0.45, 0.4, 0.18]
    x = np.zeros_like(t)
    for i, (f, w) in enumerate(zip(chord, weights, strict=True)):
        swell = 0.75 + 0.25 * np.sin(2 * np.pi * t / period * (1 + i % 2) + i)
        for detune in (-0.25, 0.25):  # gentle beating = slow chorus
            x += w * swell * np.sin(2 * np.pi * q(f + detune) * t + i)
    breath = 0.85 + 0.15 * np.sin(2 * np.pi * t / (period / 2))
    return normalize(x * breath, -14.0)


SOUNDS: dict[str, Callable[[], np.ndarray]] = {
    "chime": chime,
    "beep": beep_short,
    "beep_end": beep_end,
    "done": done,
    "tick": tick,
    "pad": pad,
}


def write_wav(path: Path, x: np.ndarray) -> None:
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        path = out / f"{name}.wav"
        x = make()
        write_wav(path, x)
        print(f"{path}  {len(x) / RATE:.2f} s  {path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
