"""Measure each speech engine's speaking rate and fit its native rate setting.

    uv run python scripts/calibrate_rate.py            # fit on CALIBRATION_LINES
    uv run python scripts/calibrate_rate.py --check    # measure MEASURE_LINES at 130/150/180

rate = words / time between the first and last sample above -40 dBFS (see
voicecoach/speech/pace.py). The fit prints the constants that live in the engines:
piper's line 60/wpm = SECONDS_PER_WORD * length_scale + FIXED_SECONDS_PER_WORD
(solved for length_scale) and espeak's linear map (native setting = ESPEAK_SLOPE *
rate + ESPEAK_OFFSET).
"""

from __future__ import annotations

import argparse

import numpy as np

from voicecoach.speech import Timeouts, get_engine
from voicecoach.speech.pace import CALIBRATION_LINES, MEASURE_LINES, measured_wpm
from voicecoach.speech.process import synthesize_in_worker

TIMEOUTS = Timeouts(60.0, 30.0)


def measure_native(engine: str, setting: float, lines: tuple[str, ...]) -> float:
    """Measured wpm with the engine's own knob set directly."""
    voice = get_engine(engine).voice
    knob = "length_scale" if engine == "piper" else "native_rate"
    request = {"engine": engine, "voice": voice, knob: setting}
    clips = synthesize_in_worker(engine, request, list(lines), TIMEOUTS)
    return measured_wpm(lines, [(c.samples, c.sample_rate) for c in clips])


def measure(engine: str, rate: int, lines: tuple[str, ...]) -> float:
    clips = get_engine(engine, rate=rate, timeout_s=30.0).synthesize(list(lines))
    return measured_wpm(lines, [(c.samples, c.sample_rate) for c in clips])


def fit(engine: str) -> None:
    if engine == "piper":
        scales = (1.0, 1.5, 2.0, 2.5)
        points = [(s, measure_native(engine, s, CALIBRATION_LINES)) for s in scales]
        for s, got in points:
            print(f"piper length_scale {s}: {got:.1f} wpm")
        slope, offset = np.polyfit([s for s, _ in points], [60 / g for _, g in points], 1)
        print(f"piper SECONDS_PER_WORD = {slope:.4f}, FIXED_SECONDS_PER_WORD = {offset:.4f}")
        return
    points = [(n, measure_native(engine, n, CALIBRATION_LINES)) for n in (100, 130, 160, 200)]
    for n, got in points:
        print(f"{engine} native {n}: {got:.1f} wpm")
    measured = np.array([g for _, g in points])
    native = np.array([n for n, _ in points], dtype=float)
    slope, offset = np.polyfit(measured, native, 1)
    print(f"{engine} ESPEAK_SLOPE = {slope:.3f}, ESPEAK_OFFSET = {offset:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="measure the calibrated engines")
    parser.add_argument("--engines", default="piper,pyttsx3")
    args = parser.parse_args()
    for name in args.engines.split(","):
        if not args.check:
            fit(name)
            continue
        for rate in (130, 150, 180):
            got = measure(name, rate, MEASURE_LINES)
            print(f"{name} asked {rate} wpm: measured {got:.1f} ({got / rate - 1:+.1%})")


if __name__ == "__main__":
    main()
