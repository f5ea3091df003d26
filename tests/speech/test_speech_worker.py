"""The worker process protocol and reading what workers write."""

from __future__ import annotations

import struct
import wave

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech.audiofile import read_audio
from voicecoach.speech.process import Timeouts, run_worker

FIX = "Try again, or choose another engine with --engine (see 'voicecoach voices')."


def test_error_while_starting_is_reported():
    seen: list[dict] = []
    with pytest.raises(SpeechError) as err:
        run_worker("nope", {"engine": "nope", "op": "voices"}, [], Timeouts(10, 0), seen.append)
    assert str(err.value) == (
        "speech engine 'nope' failed while starting: ValueError: unknown engine 'nope'. " + FIX
    )
    assert seen == []


def test_reads_16_bit_wav(tmp_path):
    path = tmp_path / "a.wav"
    x = (np.sin(np.arange(2205) / 5) * 16000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(x.tobytes())
    audio, rate = read_audio(path)
    assert rate == 22050 and audio.dtype == np.float32 and audio.size == 2205
    assert np.allclose(audio, x / 32768.0)


def test_reads_float_wav_through_ffmpeg(tmp_path):
    path = tmp_path / "f.wav"
    x = (0.5 * np.sin(2 * np.pi * 300 * np.arange(22050) / 22050)).astype("<f4")
    fmt = struct.pack("<HHIIHH", 3, 1, 22050, 22050 * 4, 4, 32)  # IEEE float, mono
    data = x.tobytes()
    riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data"
    riff += struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(riff)) + riff)
    audio, rate = read_audio(path)
    assert rate == 22050 and abs(audio.size - 22050) <= 1
    assert abs(float(np.max(np.abs(audio))) - 0.5) < 0.01


def test_pool_deals_phrases_to_workers_and_keeps_order(monkeypatch):
    from voicecoach.speech import pool
    from voicecoach.speech.fake import FakeEngine

    fake = FakeEngine()
    calls: list[list[str]] = []

    def one_worker(engine, request, texts, timeouts, progress=None, **kw):
        calls.append(list(texts))
        clips = fake.synthesize(texts)
        for j, clip in enumerate(clips):
            kw["on_clip"](j, clip)
            progress(j + 1)
        return clips

    monkeypatch.setattr(pool, "synthesize_in_worker", one_worker)
    texts = [f"phrase number {i}" for i in range(7)]
    heard: dict[int, object] = {}
    ticks: list[int] = []
    clips = pool.synthesize_pool(
        "fake", {}, texts, Timeouts(1, 1), ticks.append, on_clip=heard.__setitem__, workers=3
    )
    assert sorted(calls) == sorted([texts[0::3], texts[1::3], texts[2::3]])
    assert [c.num_samples for c in clips] == [fake.clip(t).num_samples for t in texts]
    assert sorted(heard) == list(range(7)) and max(ticks) == 7


def test_pool_size_is_bounded(monkeypatch):
    from voicecoach.speech.pool import MAX_WORKERS, worker_count

    monkeypatch.delenv("VOICECOACH_SPEECH_WORKERS", raising=False)
    assert worker_count(3) == 1  # not worth a second model load
    assert 1 <= worker_count(1000) <= MAX_WORKERS
    monkeypatch.setenv("VOICECOACH_SPEECH_WORKERS", "2")
    assert worker_count(1000) == 2


def test_a_failing_worker_stops_its_siblings(monkeypatch, tmp_path):
    from voicecoach.speech import Pyttsx3Engine

    monkeypatch.setenv("VOICECOACH_TEST_WORKER_CRASH", "crash here")
    monkeypatch.setenv("VOICECOACH_SPEECH_WORKERS", "2")
    texts = ["crash here please", *[f"a calm phrase {i}" for i in range(30)]]
    with pytest.raises(SpeechError) as err:
        Pyttsx3Engine().synthesize(texts)
    assert "crashed (exit code 3) on phrase 1 of 16" in str(err.value)


def test_a_silent_phrase_is_tried_once_more(monkeypatch):
    import numpy as np

    from voicecoach.speech import Pyttsx3Engine, process
    from voicecoach.speech.audiofile import read_audio as real

    calls: list[str] = []

    def first_time_silent(path):
        audio, rate = real(path)
        calls.append(str(path))
        return (np.zeros_like(audio), rate) if len(calls) == 2 else (audio, rate)

    monkeypatch.setattr(process, "read_audio", first_time_silent)
    monkeypatch.setenv("VOICECOACH_SPEECH_WORKERS", "1")
    clips = Pyttsx3Engine().synthesize(["Get ready.", "1", "Hold."])
    assert len(calls) == 4  # three phrases, the silent one again
    assert all(float(np.max(np.abs(c.samples))) > 0.01 for c in clips)
