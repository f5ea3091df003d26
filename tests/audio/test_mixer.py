from __future__ import annotations

import math
import tracemalloc
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from tests.audio.audio_signals import SR, rms_db, sine, speechlike
from voicecoach.audio.lazyclip import ClipLike
from voicecoach.audio.mixer import MixSpec, mix_blocks
from voicecoach.audio.music import MusicBed, PadBed, SilentBed


def mix_all(spec: MixSpec, **kw: object) -> np.ndarray:
    return np.concatenate(list(mix_blocks(spec, **kw)))  # type: ignore[arg-type]


@pytest.mark.parametrize("block", [977, 4096, 44100])
@pytest.mark.parametrize("start", [0, 976, 977, 978, 4095, 4096, 44099, 44100, 44101, 60000])
def test_clip_onset_is_sample_exact_across_block_boundaries(block: int, start: int) -> None:
    clip = np.full((1500, 1), 0.25, dtype=np.float32)
    out = mix_all(MixSpec(total_samples=2 * SR, voice=[(start, clip)]), block_samples=block)
    nonzero = np.flatnonzero(out[:, 0])
    assert nonzero[0] == start
    assert nonzero[-1] == start + 1499
    assert np.allclose(out[start : start + 1500], 0.25)


@pytest.mark.parametrize("total", [1, 999, 44100, 44101, 3 * 44100 + 17])
@pytest.mark.parametrize("block", [1000, 44100])
def test_output_length_is_exact(total: int, block: int) -> None:
    spec = MixSpec(total_samples=total, beds=[(PadBed(total), -20.0)])
    blocks = list(mix_blocks(spec, block_samples=block))
    assert sum(len(b) for b in blocks) == total
    assert all(b.dtype == np.float32 and b.shape[1] == 2 for b in blocks)


def test_clips_are_cut_at_both_session_ends_and_mono_goes_to_both_channels() -> None:
    clip = np.arange(1, 101, dtype=np.float32)[:, None] / 1000
    out = mix_all(MixSpec(total_samples=500, voice=[(-10, clip), (450, clip)]), block_samples=64)
    assert len(out) == 500
    assert out[0, 0] == pytest.approx(0.011)  # sample 10 of the clip at position 0
    assert out[499, 1] == pytest.approx(0.050)
    assert np.array_equal(out[:, 0], out[:, 1])


def test_levels_voice_sounds_and_master_gain() -> None:
    one = np.ones((100, 2), dtype=np.float32) * 0.5
    spec = MixSpec(
        total_samples=400, voice=[(0, one)], sounds=[(200, one)], voice_db=-6.0, sounds_db=-12.0
    )
    out = mix_all(spec, gain_db=6.0)
    assert out[50, 0] == pytest.approx(0.5, rel=1e-3)
    assert out[250, 0] == pytest.approx(0.5 * 10 ** (-6 / 20), rel=1e-3)
    assert np.all(out[100:200] == 0)


def test_overlapping_clips_add() -> None:
    one = np.full((100, 1), 0.1, dtype=np.float32)
    out = mix_all(MixSpec(total_samples=300, voice=[(0, one), (50, one)]), block_samples=33)
    assert out[75, 0] == pytest.approx(0.2)
    assert out[125, 0] == pytest.approx(0.1)


def bed_only_spec(total: int, voice: Sequence[tuple[int, ClipLike]], **kw: Any) -> MixSpec:
    music = MusicBed(sine(440, total / SR, 0.5), total, fade_in_ms=0, fade_out_ms=0)
    return MixSpec(
        total_samples=total, voice=list(voice), beds=[(music, 0.0)], voice_db=-math.inf, **kw
    )


def test_ducking_lowers_music_at_least_10_db_during_speech() -> None:
    total = 20 * SR
    speech = [(3 * SR, speechlike(2.0)), (10 * SR, speechlike(3.0, seed=1))]
    bed = mix_all(bed_only_spec(total, speech))  # voice muted: only the ducked bed
    during = np.concatenate([bed[3 * SR : 5 * SR], bed[10 * SR : 13 * SR]])
    between = np.concatenate([bed[6 * SR : 9 * SR], bed[14 * SR : 19 * SR]])
    assert rms_db(between) - rms_db(during) >= 10.0
    assert rms_db(between) - rms_db(during) == pytest.approx(12.0, abs=0.1)


def test_duck_is_complete_at_onset_and_ramps_smoothly() -> None:
    total = 6 * SR
    onset, length = 2 * SR, SR
    bed = mix_all(
        bed_only_spec(total, [(onset, speechlike(1.0))], duck_db=12.0, attack_ms=80, release_ms=400)
    )
    # compare against the undistorted sine: bed / sine is the ducking gain
    ref = sine(440, total / SR, 0.5)
    mask = np.abs(ref[:, 0]) > 0.2
    gain_db = np.full(total, np.nan)
    gain_db[mask] = 20 * np.log10(np.abs(bed[mask, 0] / ref[mask, 0]))
    assert np.nanmax(gain_db[onset : onset + length]) == pytest.approx(-12.0, abs=0.01)
    assert np.nanmin(gain_db[: onset - round(0.08 * SR) - 1]) == pytest.approx(0.0, abs=0.01)
    release_end = onset + length + round(0.4 * SR)
    assert np.nanmin(gain_db[release_end + 1 :]) == pytest.approx(0.0, abs=0.01)
    idx = np.flatnonzero(mask)
    slope = np.abs(np.diff(gain_db[idx])) / np.diff(idx)
    # raised-cosine attack: at most pi/2 * 12 dB / 3528 samples = 0.0053 dB per sample
    assert slope.max() < 0.006


def test_close_phrases_keep_the_bed_down() -> None:
    total = 6 * SR
    voice = [(SR, speechlike(1.0)), (2 * SR + SR // 4, speechlike(1.0))]  # 250 ms gap
    bed = mix_all(bed_only_spec(total, voice))
    gap = bed[2 * SR : 2 * SR + SR // 4]
    assert rms_db(gap) == pytest.approx(rms_db(bed[SR : 2 * SR]), abs=0.2)


def test_sounds_are_not_ducked() -> None:
    total = 2 * SR
    tone = sine(1000, 0.5, 0.2)
    spec = MixSpec(
        total_samples=total,
        voice=[(0, speechlike(2.0))],
        sounds=[(SR // 2, tone)],
        voice_db=-math.inf,
    )
    out = mix_all(spec)
    assert np.allclose(out[SR // 2 : SR], tone)


def peak_mixing_memory(minutes: int) -> int:
    total = minutes * 60 * SR
    clips = [speechlike(1.5, seed=i) for i in range(10)]
    voice: list[tuple[int, ClipLike]] = [
        (i * 4 * SR, clips[i % 10]) for i in range(total // (4 * SR))
    ]
    spec = MixSpec(total_samples=total, voice=voice, beds=[(SilentBed(), -20.0)])
    tracemalloc.start()
    tracemalloc.reset_peak()
    for _ in mix_blocks(spec):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_is_flat_whatever_the_session_length() -> None:
    short, long = peak_mixing_memory(10), peak_mixing_memory(60)
    assert long <= short * 1.10
    assert long < 5 * 1024 * 1024  # a few one-second blocks, not the session
