"""Speaking rate: measured as words per audible time, and each engine held to it."""

from __future__ import annotations

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech import get_engine
from voicecoach.speech.pace import (
    CALIBRATION_LINES,
    MEASURE_LINES,
    measured_wpm,
    spoken_seconds,
    words,
)
from voicecoach.speech.piper_engine import available as piper_available

RATE = 1000


def burst(silence_s: float, loud_s: float, level: float = 0.5) -> np.ndarray:
    quiet = np.full(round(silence_s * RATE), 0.001, dtype=np.float32)  # -60 dBFS hiss
    return np.concatenate([quiet, np.full(round(loud_s * RATE), level, np.float32), quiet])


def test_lists_are_long_enough_and_separate():
    for lines in (MEASURE_LINES, CALIBRATION_LINES):
        assert len(lines) >= 20 and all(words(t) >= 5 for t in lines)
    assert not set(MEASURE_LINES) & set(CALIBRATION_LINES)


def test_spoken_time_runs_from_first_to_last_sample_above_minus_40_dbfs():
    clip = np.concatenate([burst(0.5, 1.0), burst(0.0, 0.25)])  # a pause inside counts
    assert spoken_seconds(clip, RATE) == pytest.approx(1.0 + 0.5 + 0.25, abs=0.002)
    assert spoken_seconds(burst(1.0, 0.0), RATE) == 0.0  # hiss alone is not speech
    assert spoken_seconds(burst(0.1, 1.0, level=0.0099), RATE) == 0.0  # just under -40


def test_rate_is_total_words_over_total_time():
    texts = ["one two three four five", "six seven eight nine ten"]
    clips = [(burst(0.2, 2.0), RATE), (burst(0.3, 2.0), RATE)]
    assert measured_wpm(texts, clips) == pytest.approx(10 * 60 / 4.0, rel=1e-3)
    with pytest.raises(ValueError):
        measured_wpm(texts, [(burst(1, 0), RATE)] * 2)


@pytest.mark.parametrize(
    ("engine", "rate", "message"),
    [
        ("piper", 100, "Use a rate between 110 and 300 words per minute."),
        ("pyttsx3", 110, "Use a rate between 115 and 400 words per minute."),
    ],
)
def test_each_engine_has_its_own_range(engine, rate, message):
    if engine == "piper" and not piper_available():
        pytest.skip("piper not installed")
    with pytest.raises(SpeechError) as err:
        get_engine(engine, rate=rate)
    assert str(err.value) == f"rate {rate} wpm for engine '{engine}' is out of range. {message}"


ENGINES = [
    pytest.param(
        "piper",
        marks=pytest.mark.skipif(not piper_available(), reason="piper not installed"),
    ),
    "pyttsx3",
]


@pytest.mark.slow
@pytest.mark.real_engine
@pytest.mark.parametrize("engine", ENGINES)
def test_measured_rate_is_within_10_percent_of_asked(engine):
    for asked in (130, 150, 180):
        clips = get_engine(engine, rate=asked, timeout_s=30).synthesize(list(MEASURE_LINES))
        got = measured_wpm(MEASURE_LINES, [(c.samples, c.sample_rate) for c in clips])
        assert abs(got / asked - 1) <= 0.10, f"{engine} at {asked} wpm measured {got:.0f}"
