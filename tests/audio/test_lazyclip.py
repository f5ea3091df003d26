"""A phrase held at its engine's rate and made at the mix rate while it plays."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from voicecoach.audio.lazyclip import ClipCache, LazyClip, Parked, SpillFile
from voicecoach.audio.resample import resample
from voicecoach.errors import AudioError


def _tone(seconds: float, rate: int = 22050) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)[:, None]


def test_a_lazy_clip_is_the_resampled_clip_times_its_group_gain() -> None:
    source = _tone(0.5)
    clip = LazyClip(source, 22050, 44100)
    plain = resample(source, 22050, 44100)
    assert len(clip) == len(plain) == 22050
    np.testing.assert_array_equal(clip.audio(), plain)
    gain = np.linspace(1.0, 0.25, -(-len(plain) // 16))
    limited = clip.with_gain(gain, 16)
    assert limited.source is source and len(limited) == len(clip)
    expected = plain * np.repeat(gain.astype(np.float32), 16)[: len(plain), None]
    np.testing.assert_array_equal(limited.audio(), expected)
    np.testing.assert_array_equal(source, _tone(0.5))  # the engine's clip is never scaled


def test_the_cache_makes_a_clip_once_and_stays_under_its_budget() -> None:
    clips = [LazyClip(_tone(0.25), 22050, 44100) for _ in range(4)]
    size = clips[0].audio().nbytes  # 11025 float32 samples
    cache = ClipCache(budget=2 * size)
    first = cache.get(clips[0])
    assert cache.get(clips[0]) is first and cache.made == 1
    for clip in clips[1:]:
        cache.get(clip)
    assert cache.made == 4 and cache.bytes <= 2 * size and len(cache.held) == 2
    again = cache.get(clips[0])  # evicted: made again, the same samples
    assert cache.made == 5 and again is not first
    np.testing.assert_array_equal(again, first)
    plain = np.zeros((10, 1), dtype=np.float32)
    assert cache.get(plain) is plain and cache.made == 5


def test_a_parked_clip_reads_back_the_same_samples() -> None:
    spill = SpillFile()
    sources = [_tone(0.25), _tone(0.1) * 0.5, _tone(0.4) * -0.25]
    parked = [spill.park(s) for s in sources]
    assert all(
        isinstance(p, Parked) and len(p) == len(s) for p, s in zip(parked, sources, strict=True)
    )
    for p, s in zip(reversed(parked), reversed(sources), strict=True):
        np.testing.assert_array_equal(p.load(), s)
    clip = LazyClip(parked[0], 22050, 44100)
    np.testing.assert_array_equal(clip.audio(), resample(sources[0], 22050, 44100))
    spill.close()
    with pytest.raises(AudioError) as err:
        clip.audio()
    assert str(err.value) == (
        "cannot read the session's phrases back from their temporary file: the file is "
        "closed. Check the temp folder (TMPDIR) and try again."
    )


def test_a_clip_stays_in_memory_when_the_temporary_file_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    spill = SpillFile()
    source = _tone(0.25)
    assert spill.park(source) is source and spill.failed
    assert spill.park(_tone(0.1)).__class__ is np.ndarray  # and every clip after it
