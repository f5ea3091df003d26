from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.audio.audio_signals import SR, sine, speechlike, write_wav
from voicecoach.audio.assets import load_asset
from voicecoach.audio.encode import Encoder, encoder_makeup_db
from voicecoach.audio.lazyclip import ClipLike
from voicecoach.audio.loudness import (
    LoudnessMeter,
    PeakLimiter,
    integrated_loudness,
    limit_blocks,
    measure_file,
)
from voicecoach.audio.master import master_blocks, measure_mix, normalized_blocks
from voicecoach.audio.mixer import MixSpec, mix_blocks
from voicecoach.audio.music import PadBed
from voicecoach.errors import AudioError


def program(seconds: int = 20) -> np.ndarray:
    """Speech-like bursts, a quiet stretch and a near-Nyquist intersample peak."""
    x = np.zeros((seconds * SR, 2), dtype=np.float32)
    for i, start in enumerate(range(0, (seconds - 2) * SR, 3 * SR)):
        clip = speechlike(2.0, seed=i, amp=0.4)
        x[start : start + len(clip)] += clip * [1.0, 0.8]
    x[12 * SR : 14 * SR] *= 0.01
    x[5 * SR : 5 * SR + 4] = [[0.6, 0.6], [0.9, 0.9], [-0.9, -0.9], [-0.6, -0.6]]
    return x


def test_meter_agrees_with_ffmpeg_ebur128(tmp_path: Path) -> None:
    x = program()
    path = write_wav(tmp_path / "p.wav", x)
    quantized = np.round(x * 32767) / 32767
    meter = LoudnessMeter(SR)
    for i in range(0, len(x), 10_000):
        meter.add(quantized[i : i + 10_000])
    lufs, peak = measure_file(path)
    assert meter.integrated_lufs() == pytest.approx(lufs, abs=0.5)
    assert meter.true_peak_db() == pytest.approx(peak, abs=0.5)


def test_meter_reference_sine_is_minus_3_lufs_per_channel_pair() -> None:
    # BS.1770: a 0 dBFS 997 Hz sine in both channels reads about +0.0 LUFS (-3.01 + 3.01)
    x = sine(997, 10.0, 1.0)
    assert integrated_loudness(x) == pytest.approx(0.0, abs=0.1)
    assert integrated_loudness(x * 0.1) == pytest.approx(-20.0, abs=0.1)


def test_meter_is_independent_of_block_size() -> None:
    x = program(10)
    values = []
    for block in (1000, 44100, 100_000):
        m = LoudnessMeter(SR)
        for i in range(0, len(x), block):
            m.add(x[i : i + block])
        values.append((m.integrated_lufs(), m.true_peak_db()))
    assert values[0] == pytest.approx(values[1], abs=1e-6)
    assert values[0] == pytest.approx(values[2], abs=1e-6)


def test_gating_ignores_silence() -> None:
    tone = sine(1000, 5.0, 0.1)
    padded = np.concatenate([tone, np.zeros((20 * SR, 2), np.float32)])
    # ungated, 20 s of silence would pull it down 7 dB; gated only the edge blocks count
    assert integrated_loudness(padded) == pytest.approx(integrated_loudness(tone), abs=0.2)
    assert integrated_loudness(np.zeros((SR, 2))) == -math.inf


def test_limiter_keeps_length_and_timing_and_holds_the_ceiling() -> None:
    x = program() * 3.0  # far too loud
    x[15 * SR :] = sine(300, 5.0, 0.05)  # quiet tail, far from any loud sample
    limiter = PeakLimiter(-2.0, SR)
    blocks = [x[i : i + 7000] for i in range(0, len(x), 7000)]
    y = np.concatenate(list(limit_blocks(blocks, limiter)))
    assert y.shape == x.shape
    meter = LoudnessMeter(SR)
    meter.add(y)
    assert meter.true_peak_db() <= -2.0 + 0.1
    # untouched where no gain reduction is needed: same samples at the same positions
    assert np.array_equal(y[16 * SR :], x[16 * SR :])
    assert limiter.max_reduction_db > 6


def test_limiter_passes_quiet_audio_unchanged() -> None:
    x = sine(440, 2.0, 0.1)
    limiter = PeakLimiter(-1.0, SR)
    y = np.concatenate([limiter.process(x[:1234]), limiter.process(x[1234:]), limiter.flush()])
    assert np.array_equal(x, y)


def session(seconds: int = 60) -> MixSpec:
    total = seconds * SR
    voice: list[tuple[int, ClipLike]] = [
        (s * SR, speechlike(2.5, seed=s, amp=0.2)) for s in range(1, seconds - 3, 4)
    ]
    sounds: list[tuple[int, ClipLike]] = [
        (s * SR, load_asset("chime")) for s in range(0, seconds - 2, 12)
    ]
    return MixSpec(total_samples=total, voice=voice, sounds=sounds, beds=[(PadBed(total), -20.0)])


def test_two_pass_mp3_meets_minus_16_lufs_and_minus_1_dbtp(tmp_path: Path) -> None:
    spec = session()
    measured = measure_mix(spec)
    gain = -16.0 - measured + encoder_makeup_db("mp3", "128k")
    path = tmp_path / "s.mp3"
    with Encoder(path, "mp3") as enc:
        for block in master_blocks(spec, gain):
            enc.write(block)
    assert enc.samples_written == spec.total_samples
    lufs, peak = measure_file(path)
    assert lufs == pytest.approx(-16.0, abs=0.5)  # the delivery spec allows +/-1
    assert peak <= -1.0


def test_normalized_blocks_target_is_configurable() -> None:
    spec = session(30)
    meter = LoudnessMeter(SR)
    for block in normalized_blocks(spec, target_lufs=-20.0, ceiling_dbtp=-3.0):
        meter.add(block)
    assert meter.samples == spec.total_samples
    assert meter.integrated_lufs() == pytest.approx(-20.0, abs=0.5)
    assert meter.true_peak_db() <= -3.0 + 0.1


def test_measure_file_on_something_that_is_not_audio(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_text("hello")
    with pytest.raises(AudioError) as err:
        measure_file(path)
    assert str(err.value).startswith(f"cannot measure loudness of {path}: ffmpeg said: ")
    assert str(err.value).endswith(". Check that it is an audio file.")


@pytest.mark.parametrize("gain_db", [6.0, 14.0])
def test_peak_bounds_only_save_work(monkeypatch: pytest.MonkeyPatch, gain_db: float) -> None:
    """The mixer's peak bounds let the limiter skip oversampling, never change a sample:
    at a gain where the limiter works hard and one where it barely touches the voice."""
    import voicecoach.audio.loudness as loudness

    spec = session(40)
    # a chime right over a voice clip: their peaks add up
    spec.sounds.append((spec.voice[2][0] + SR // 4, load_asset("chime")))
    plain = np.concatenate(list(limit_blocks(mix_blocks(spec, gain_db), PeakLimiter(-2.0, SR))))
    counted = [0]
    real = loudness.true_peak_per_sample

    def counting(x: np.ndarray) -> np.ndarray:
        counted[0] += len(x)
        return real(x)

    monkeypatch.setattr(loudness, "true_peak_per_sample", counting)
    bounded = np.concatenate(list(master_blocks(spec, gain_db, -2.0)))
    assert np.array_equal(plain, bounded)
    assert len(bounded) == spec.total_samples
    assert counted[0] < 0.8 * spec.total_samples  # most of the session needed no oversampling
