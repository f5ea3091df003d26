"""The loudness model: predicted loudness equals the meter's, and renders land on target."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from tests.audio.audio_signals import SR, sine, speechlike, write_wav
from voicecoach.audio import (
    Encoder,
    LoudnessMeter,
    MixSpec,
    MusicBed,
    PadBed,
    encoder_makeup_db,
    load_asset,
    load_music,
    master_blocks,
    measure_file,
    mix_blocks,
)
from voicecoach.audio.estimate import LoudnessModel, prelimit_gain
from voicecoach.audio.lazyclip import ClipLike
from voicecoach.audio.mixer import DuckEnvelope

resample_module = importlib.import_module("voicecoach.audio.resample")


def spec_with(beds: list, seconds: int = 40, voice_amp: float = 0.6) -> MixSpec:
    total = seconds * SR
    phrases = [speechlike(2.0 + k * 0.3, seed=k, amp=voice_amp)[:, :1] for k in range(3)]
    voice: list[tuple[int, ClipLike]] = [
        (s * SR - 300, phrases[i % 3]) for i, s in enumerate(range(0, seconds - 3, 4))
    ]
    sounds: list[tuple[int, ClipLike]] = [
        (s * SR + 2 * SR, load_asset("beep")) for s in range(0, seconds - 4, 8)
    ]
    return MixSpec(total_samples=total, voice=voice, sounds=sounds, beds=beds)


def metered(blocks) -> tuple[float, float]:
    meter = LoudnessMeter(SR)
    for block in blocks:
        meter.add(block)
    return meter.integrated_lufs(), meter.true_peak_db()


def beds(kind: str, total: int, tmp_path: Path) -> list:
    if kind == "pad":
        return [(PadBed(total), -6.0)]
    if kind == "music":
        path = write_wav(tmp_path / "m.wav", sine(220, 7.0, 0.4) + speechlike(7.0, seed=9))
        return [(MusicBed(load_music(path), total), -14.0)]
    return []


@pytest.mark.parametrize("kind", ["none", "pad", "music"])
def test_prediction_at_unity_matches_the_meter(kind: str, tmp_path: Path) -> None:
    spec = spec_with(beds(kind, 40 * SR, tmp_path))
    predicted = LoudnessModel(spec).lufs(0.0, None)
    measured, _ = metered(mix_blocks(spec, 0.0))
    assert predicted == pytest.approx(measured, abs=0.05)


@pytest.mark.parametrize("kind", ["none", "pad", "music"])
def test_solved_mix_lands_on_target_under_the_ceiling(kind: str, tmp_path: Path) -> None:
    spec = spec_with(beds(kind, 40 * SR, tmp_path), voice_amp=0.9)
    solution = LoudnessModel(spec).solve(-16.0, -2.0)
    spec.voice, spec.sounds, spec.beds = solution.voice, solution.sounds, solution.beds
    lufs, peak = metered(master_blocks(spec, solution.gain_db, -2.0))
    assert solution.predicted_lufs == pytest.approx(-16.0, abs=0.01)
    assert lufs == pytest.approx(-16.0, abs=0.1)  # the pre-limiting is in the prediction
    assert peak <= -2.0 + 0.05


def test_mp3_of_a_solved_mix_is_within_a_third_of_a_lu(tmp_path: Path) -> None:
    spec = spec_with(beds("pad", 40 * SR, tmp_path), voice_amp=0.9)
    target = -16.0 + encoder_makeup_db("mp3", "128k")
    solution = LoudnessModel(spec).solve(target, -2.0)
    spec.voice, spec.sounds, spec.beds = solution.voice, solution.sounds, solution.beds
    path = tmp_path / "s.mp3"
    with Encoder(path, "mp3") as enc:
        for block in master_blocks(spec, solution.gain_db, -2.0):
            enc.write(block)
    lufs, peak = measure_file(path)
    assert lufs == pytest.approx(-16.0, abs=0.3)
    assert peak <= -1.0


def test_prelimit_gain_keeps_every_group_under_the_ceiling() -> None:
    rng = np.random.default_rng(1)
    peaks = rng.uniform(0.0, 2.0, 5000).astype(np.float32)
    gain = prelimit_gain(peaks, 1.5, 0.8, 220, 2646)
    assert gain is not None and len(gain) == len(peaks)
    assert np.all(peaks * 1.5 * gain <= 0.8 * (1 + 1e-6))
    assert np.all(np.abs(np.diff(gain)) < 0.2)  # ramps, no jumps to the floor
    assert prelimit_gain(peaks, 0.1, 0.8, 220, 2646) is None


def test_duck_gain_at_matches_the_streamed_gain() -> None:
    intervals = [(5000, 20000), (60000, 61000), (90000, 140000)]
    streamed = DuckEnvelope(intervals, 12.0, 3528, 17640)
    blocks = [streamed.gain(b0, 10000) for b0 in range(0, 160000, 10000)]
    full = np.concatenate([np.ones((10000, 1), np.float32) if b is None else b for b in blocks])
    at = DuckEnvelope(intervals, 12.0, 3528, 17640).gain_at(np.arange(160000))
    assert np.allclose(at, full[:, 0], atol=1e-6)


def test_integer_upsampling_fast_path_matches_the_general_resampler() -> None:
    x = speechlike(1.0, seed=3)[:22050, :1]
    fast = resample_module.resample(x, 22050, 44100)
    # the general polyphase loop, forced by an equivalent ratio with down != 1
    slow = resample_module.resample(resample_module.resample(x, 22050, 33075), 33075, 44100)
    assert fast.shape == (44100, 1)
    assert np.max(np.abs(fast[200:-200] - slow[200:-200])) < 0.01
    t = np.arange(22050) / 22050
    tone = resample_module.resample(np.sin(2 * np.pi * 1000 * t)[:, None], 22050, 44100)
    ref = np.sin(2 * np.pi * 1000 * np.arange(44100) / 44100)
    assert np.max(np.abs(tone[200:-200, 0] - ref[200:-200])) < 1e-3
