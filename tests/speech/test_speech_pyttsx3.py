"""The real default engine, end to end, and the worker's time bounds."""

from __future__ import annotations

import os
import re
import subprocess
import time

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech import PhraseCache, Pyttsx3Engine, Timeouts, get_engine, synthesize_all
from voicecoach.speech.base import PAD_MS

pytestmark = pytest.mark.real_engine

FIX = "Try again, or choose another engine with --engine (see 'voicecoach voices')."


@pytest.fixture
def workers(monkeypatch):
    """Every worker process started during the test."""
    started: list[subprocess.Popen[str]] = []
    real = subprocess.Popen

    def spy(*args, **kwargs):
        proc = real(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr("voicecoach.speech.process.subprocess.Popen", spy)
    return started


def assert_gone(procs):
    assert procs
    for proc in procs:
        assert proc.poll() is not None
        with pytest.raises(ProcessLookupError):
            os.kill(proc.pid, 0)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_defaults_are_clear_us_english():
    engine = Pyttsx3Engine()
    assert engine.rate == 150
    assert "en-us" in [lang.lower().replace("_", "-") for lang in engine.voice_info.languages]
    assert engine.version.startswith("pyttsx3 ")


def test_phrase_becomes_speech_and_nothing_reaches_stdout(capfd, tmp_path, workers):
    engine = Pyttsx3Engine()
    texts = ["Squeeze your glutes, not your low back.", "Ten.", ""]
    result = synthesize_all(engine, texts, PhraseCache(tmp_path))
    out, err = capfd.readouterr()
    assert "Audio saved" not in out and "Audio saved" not in err
    assert out == ""
    long, short, blank = (result.clips[t] for t in texts)
    assert 0.5 <= long.duration_ms / 1000 <= 5.0
    assert short.duration_ms < long.duration_ms
    pad = round(PAD_MS * long.sample_rate / 1000)
    assert long.sample_rate == 22050 and long.lead == pad
    assert rms(long.samples[pad:-pad]) > 0.02  # speech, not silence
    assert float(np.max(np.abs(long.samples))) <= 1.0
    assert not blank.samples.any() and blank.num_samples == 2 * pad
    assert result.synthesized == 3
    assert_gone(workers)


def test_rate_changes_the_length():
    text = "Lift your hips and hold for three breaths."
    slow = Pyttsx3Engine(rate=120).synthesize([text])[0]
    fast = Pyttsx3Engine(rate=250).synthesize([text])[0]
    assert slow.duration_ms > 1.5 * fast.duration_ms


def test_voices_and_voice_ids():
    engine = Pyttsx3Engine()
    ids = {v.id for v in engine.voices()}
    assert engine.voice in ids and len(ids) > 10
    assert get_engine("pyttsx3", voice="English (America)").voice == engine.voice


def test_unknown_voice_names_close_ones():
    with pytest.raises(SpeechError) as err:
        get_engine("pyttsx3", voice="en-uss")
    message = str(err.value)
    assert message.startswith("unknown voice 'en-uss' for engine 'pyttsx3'. Did you mean 'en-us'")
    assert message.endswith("? Run 'voicecoach voices' to list the voices.")


def test_hanging_worker_is_killed_within_the_timeout(monkeypatch, workers):
    engine = Pyttsx3Engine(timeouts=Timeouts(startup_s=3.0, per_phrase_s=1.0))
    _ = engine.voice  # probe first, outside the hang
    monkeypatch.setenv("VOICECOACH_TEST_WORKER_HANG", "glutes")
    workers.clear()
    start = time.monotonic()
    with pytest.raises(SpeechError) as err:
        engine.synthesize(["Ready.", "Squeeze your glutes.", "Rest."])
    elapsed = time.monotonic() - start
    # phrase 2 must be done 3 s + 2 x 1 s after the start
    assert 5.0 <= elapsed < 6.5
    assert re.fullmatch(
        r"speech engine 'pyttsx3' timed out after 5\.\d s on phrase 2 of 3 "
        r"\(\"Squeeze your glutes\.\"\) and was stopped\. " + re.escape(FIX),
        str(err.value),
    ), str(err.value)
    assert_gone(workers)


def test_crashing_worker_is_reported_with_its_phrase(monkeypatch, workers):
    engine = Pyttsx3Engine()
    _ = engine.voice
    monkeypatch.setenv("VOICECOACH_TEST_WORKER_CRASH", "Rest")
    with pytest.raises(SpeechError) as err:
        engine.synthesize(["Ready.", "Rest."])
    assert str(err.value) == (
        "speech engine 'pyttsx3' crashed (exit code 3) on phrase 2 of 2 (\"Rest.\"): "
        "test hook: crashing on purpose. " + FIX
    )
    assert_gone(workers)
