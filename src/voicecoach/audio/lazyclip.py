"""A speech clip held at its engine's rate and made at the mix rate only while it plays.

A session holds each distinct phrase once. At the engine's rate (piper: 22.05 kHz) that
is half the memory of the 44.1 kHz mix copy, and the phrases are what grows with a
session's length. The mix-rate copy is made where it is needed (the loudness profile,
the mixer's block that starts the phrase) and dropped after; resampling is
deterministic, so every copy is the same array, sample for sample.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from voicecoach.audio.resample import resample, resampled_length


class LazyClip:
    """A clip (float32 (n, channels) at ``source_rate``) as the mixer sees it at ``rate``.

    ``gain`` is an optional per-group gain (``group`` mix samples per value, each value
    held over its group): the pre-limiter's curve, applied when the clip is made.
    """

    __slots__ = ("_length", "gain", "group", "rate", "source", "source_rate")

    def __init__(
        self,
        source: np.ndarray,
        source_rate: int,
        rate: int,
        gain: np.ndarray | None = None,
        group: int = 1,
    ) -> None:
        self.source = source
        self.source_rate = source_rate
        self.rate = rate
        self.gain = gain
        self.group = group
        self._length = resampled_length(len(source), source_rate, rate)

    def __len__(self) -> int:
        return self._length

    def with_gain(self, gain: np.ndarray, group: int) -> LazyClip:
        """The same source with a per-group gain (no samples are copied; the gain is kept
        as float32, the precision it is applied at)."""
        if self.gain is not None:
            raise ValueError("this clip already has a gain")
        return LazyClip(self.source, self.source_rate, self.rate, gain.astype(np.float32), group)

    def audio(self) -> np.ndarray:
        """float32 (n, channels) at ``rate``, the gain applied: a new array on every call."""
        out = resample(self.source, self.source_rate, self.rate)
        if self.gain is not None:
            out *= np.repeat(self.gain, self.group)[: len(out), None]
        return out


ClipLike = np.ndarray | LazyClip


class ClipCache:
    """Mix-rate arrays of the clips in use, least recently used dropped past ``budget``.

    A plain array is its own audio. A LazyClip is made when first asked for and kept
    while the cache holds under ``budget`` bytes (a phrase repeated within a few
    seconds, like a count, is made once); a caller keeps the array it got for as long
    as it needs it, so an eviction never cuts a clip that is playing.
    """

    def __init__(self, budget: int = 4 << 20) -> None:
        self.budget = budget
        self.held: OrderedDict[int, tuple[LazyClip, np.ndarray]] = OrderedDict()
        self.bytes = 0
        self.made = 0  # LazyClips made so far (for tests and benchmarks)

    def get(self, clip: ClipLike) -> np.ndarray:
        if not isinstance(clip, LazyClip):
            return clip
        key = id(clip)
        hit = self.held.get(key)
        if hit is not None:
            self.held.move_to_end(key)
            return hit[1]
        audio = clip.audio()
        self.made += 1
        # the clip itself is kept with its array, so its id is not reused while cached
        self.held[key] = (clip, audio)
        self.bytes += audio.nbytes
        while self.bytes > self.budget and len(self.held) > 1:
            _, (_, old) = self.held.popitem(last=False)
            self.bytes -= old.nbytes
        return audio
