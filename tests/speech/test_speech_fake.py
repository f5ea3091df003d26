"""The fake engine: deterministic tone bursts with the same framing as real speech."""

from __future__ import annotations

import time

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech import FakeEngine, SpeechEngine
from voicecoach.speech.base import PAD_MS

SR = 22050
PAD = round(PAD_MS * SR / 1000)


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(samples.size, 1 / SR)[np.argmax(spectrum)])


def test_is_a_speech_engine():
    engine = FakeEngine()
    assert isinstance(engine, SpeechEngine)
    assert (engine.name, engine.version, engine.voice, engine.rate) == (
        "fake",
        "fake-1",
        "tone",
        160,
    )


@pytest.mark.parametrize(
    ("text", "tone_ms"),
    [("Go.", 375), ("Squeeze your glutes", 1125), ("a b c d e f g h", 3000), ("x", 375)],
)
def test_length_follows_word_count(text, tone_ms):
    clip = FakeEngine().synthesize([text])[0]
    assert clip.sample_rate == SR and clip.lead == PAD
    assert clip.num_samples == round(tone_ms * SR / 1000) + 2 * PAD
    body = clip.samples[PAD:-PAD, 0]
    assert not clip.samples[:PAD].any() and not clip.samples[-PAD:].any()
    assert 0.29 <= float(np.max(np.abs(body))) <= 0.3
    assert 219 <= dominant_hz(body) <= 441


def test_minimum_length_and_rate():
    assert FakeEngine(rate=400).synthesize(["one"])[0].num_samples == round(0.25 * SR) + 2 * PAD
    slow, fast = FakeEngine(rate=80), FakeEngine(rate=320)
    text = "keep your ribs down and breathe"
    assert slow.synthesize([text])[0].num_samples > fast.synthesize([text])[0].num_samples


def test_deterministic_and_distinct():
    a = FakeEngine().synthesize(["Lift.", "Lower."])
    b = FakeEngine().synthesize(["Lift.", "Lower."])
    assert np.array_equal(a[0].samples, b[0].samples)
    assert np.array_equal(a[1].samples, b[1].samples)
    assert not np.array_equal(a[0].samples, a[1].samples)


def test_blank_phrase_is_silent_pads():
    clip = FakeEngine().synthesize(["   "])[0]
    assert clip.num_samples == 2 * PAD and not clip.samples.any()


def test_records_batches_and_reports_progress():
    engine = FakeEngine()
    seen: list[int] = []
    engine.synthesize(["a", "b", "c"], progress=seen.append)
    engine.synthesize(["d"])
    assert seen == [1, 2, 3]
    assert engine.batches == [["a", "b", "c"], ["d"]]
    assert engine.synthesized == 4


def test_fail_on_raises_like_a_crashed_engine():
    engine = FakeEngine(fail_on="glutes")
    with pytest.raises(SpeechError) as err:
        engine.synthesize(["Ready.", "Squeeze your glutes."])
    assert str(err.value) == (
        "speech engine 'fake' crashed (exit code 3) on phrase 2 of 2 (\"Squeeze your glutes.\"). "
        "Try again, or choose another engine with --engine (see 'voicecoach voices')."
    )


def test_hang_on_times_out_after_the_timeout():
    engine = FakeEngine(hang_on="Ready", timeout_s=0.2)
    start = time.monotonic()
    with pytest.raises(SpeechError) as err:
        engine.synthesize(["Ready."])
    assert 0.2 <= time.monotonic() - start < 1.0
    assert str(err.value) == (
        "speech engine 'fake' timed out after 0.2 s on phrase 1 of 1 (\"Ready.\") and was "
        "stopped. Try again, or choose another engine with --engine (see 'voicecoach voices')."
    )


def test_unknown_voice():
    with pytest.raises(SpeechError) as err:
        FakeEngine(voice="tones")
    assert str(err.value) == (
        "unknown voice 'tones' for engine 'fake'. Did you mean 'tone'? "
        "Run 'voicecoach voices' to list the voices."
    )
