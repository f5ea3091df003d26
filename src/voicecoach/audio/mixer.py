"""The streaming mixer: voice, sounds and ducked beds, produced block by block.

Placements are sorted once; each block adds only the clip slices that overlap it, so
the cost is O(session + sum of clip lengths) and memory stays at a few blocks however
long the session is (pydub's ``overlay`` copies the whole track per clip instead).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from voicecoach.audio.dsp import PEAK_SEGMENT, TP_HALF, PeakBound, db_to_gain, true_peak_per_sample
from voicecoach.audio.lazyclip import ClipCache, ClipLike
from voicecoach.audio.music import BackgroundSource

_PEAK_GROUP = 64  # a clip's true peaks are kept per this many samples (1/64 of the clip)


@dataclass
class MixSpec:
    """Everything the mixer needs, in samples at ``sample_rate`` (stereo output).

    voice/sounds: (start sample, clip float32 (n, 1|2) already at ``sample_rate``), or a
    LazyClip, made at ``sample_rate`` (and scaled by its pre-limiting) only while it plays.
    beds: (source, gain dB); beds are ducked by ``duck_db`` while any voice clip plays,
    with the attack ramp finishing at the speech onset and the release starting at its end;
    the bed stays down through pauses up to ``hold_ms`` (a countdown, counts a second apart).
    """

    total_samples: int
    sample_rate: int = 44100
    voice: list[tuple[int, ClipLike]] = field(default_factory=list)
    sounds: list[tuple[int, ClipLike]] = field(default_factory=list)
    beds: list[tuple[BackgroundSource, float]] = field(default_factory=list)
    voice_db: float = 0.0
    sounds_db: float = 0.0
    duck_db: float = 12.0
    attack_ms: float = 150.0
    release_ms: float = 1000.0
    hold_ms: float = 1200.0

    def voice_intervals(self) -> list[tuple[int, int]]:
        """Sorted, merged [start, end) sample ranges where any voice clip sounds."""
        spans = sorted((s, s + len(c)) for s, c in self.voice if len(c))
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged


class _Placer:
    """Adds sorted clips into consecutive blocks, keeping only the clips still sounding.

    A LazyClip is made at the mix rate (through ``cache``) when it starts to sound, and
    its array is let go when it ends.
    """

    def __init__(
        self, clips: Sequence[tuple[int, ClipLike]], gain: float, cache: ClipCache
    ) -> None:
        self.gain = gain
        self.cache = cache
        self.clips = sorted(
            ((int(s), c) for s, c in clips if len(c) and gain != 0.0), key=lambda item: item[0]
        )
        self.next = 0
        self.active: list[tuple[int, np.ndarray]] = []

    def add_into(self, out: np.ndarray, b0: int) -> None:
        b1 = b0 + len(out)
        while self.next < len(self.clips) and self.clips[self.next][0] < b1:
            start, clip = self.clips[self.next]
            self.active.append((start, self.cache.get(clip)))
            self.next += 1
        still: list[tuple[int, np.ndarray]] = []
        for start, clip in self.active:
            end = start + len(clip)
            lo, hi = max(start, b0), min(end, b1)
            if hi > lo:
                piece = clip[lo - start : hi - start]
                if self.gain != 1.0:
                    piece = piece * self.gain
                out[lo - b0 : hi - b0] += piece  # (k,1) broadcasts to both channels
            if end > b1:
                still.append((start, clip))
        self.active = still


class DuckEnvelope:
    """Bed gain for any sample range, from the merged voice intervals.

    Depth d(t) in [0, 1] is 1 during speech, rises over ``attack`` samples before each
    onset and falls over ``release`` samples after each end (raised-cosine shapes);
    intervals closer than attack + release + ``hold`` are joined so the bed does not pump
    between nearby phrases (nor come up between the numbers of a countdown).
    Gain = 10^(-duck_db * d / 20): the ramps are smooth in dB.
    """

    def __init__(
        self,
        intervals: list[tuple[int, int]],
        duck_db: float,
        attack: int,
        release: int,
        hold: int = 0,
    ) -> None:
        self.duck_db = duck_db
        self.attack, self.release = max(attack, 0), max(release, 0)
        joined: list[tuple[int, int]] = []
        for s, e in intervals:
            if joined and s - joined[-1][1] <= self.attack + self.release + max(hold, 0):
                joined[-1] = (joined[-1][0], max(joined[-1][1], e))
            else:
                joined.append((s, e))
        self.intervals = joined
        self.next = 0
        self.full = np.float32(10.0 ** (-duck_db / 20.0))

    def gain(self, b0: int, n: int) -> np.ndarray | None:
        """float32 (n, 1) gain for [b0, b0+n), or None when the bed is not ducked there.

        Blocks must be requested in increasing order (the mixer streams forward).
        """
        if self.duck_db <= 0 or not self.intervals:
            return None
        b1 = b0 + n
        # skip intervals whose release ended before this block
        while self.next < len(self.intervals) and self.intervals[self.next][1] + self.release <= b0:
            self.next += 1
        gain: np.ndarray | None = None
        i = self.next
        while i < len(self.intervals) and self.intervals[i][0] - self.attack < b1:
            if gain is None:
                gain = np.ones((n, 1), dtype=np.float32)
            self._fill(gain[:, 0], b0, b1, *self.intervals[i])
            i += 1
        return gain

    def gain_at(self, positions: np.ndarray) -> np.ndarray:
        """float32 gain at any sorted or unsorted sample positions (for loudness models)."""
        t = np.asarray(positions, dtype=np.float64)
        depth = np.zeros(len(t))
        if self.duck_db <= 0 or not self.intervals or not len(t):
            return np.ones(len(t), dtype=np.float32)
        starts = np.array([s for s, _ in self.intervals], dtype=np.float64)
        ends = np.array([e for _, e in self.intervals], dtype=np.float64)
        i = np.searchsorted(starts, t, side="right") - 1  # the interval begun last
        has = i >= 0
        e = ends[np.maximum(i, 0)]
        depth[has & (t < e)] = 1.0
        if self.release:
            rel = has & (t >= e) & (t < e + self.release)
            x = (t[rel] - e[rel] + 0.5) / self.release
            depth[rel] = 0.5 + 0.5 * np.cos(np.pi * x)
        if self.attack:
            nxt = np.minimum(i + 1, len(starts) - 1)
            a0 = starts[nxt] - self.attack
            att = (i + 1 < len(starts)) & (t >= a0) & (t < starts[nxt])
            x = (t[att] - a0[att] + 0.5) / self.attack
            depth[att] = 0.5 - 0.5 * np.cos(np.pi * x)
        return self._depth_gain(depth)

    def _depth_gain(self, depth: np.ndarray) -> np.ndarray:
        return (10.0 ** (-self.duck_db * depth / 20.0)).astype(np.float32)

    def _fill(self, gain: np.ndarray, b0: int, b1: int, s: int, e: int) -> None:
        """Lower ``gain`` (block [b0, b1)) for the voice interval [s, e) and its ramps.

        Joined intervals are further apart than attack + release, so ramps of different
        intervals never overlap and plain assignment is exact.
        """
        lo, hi = max(s, b0), min(e, b1)
        if hi > lo:
            gain[lo - b0 : hi - b0] = self.full
        if self.attack:
            a0 = s - self.attack
            lo, hi = max(a0, b0), min(s, b1)
            if hi > lo:
                x = (np.arange(lo, hi) - a0 + 0.5) / self.attack
                gain[lo - b0 : hi - b0] = self._depth_gain(0.5 - 0.5 * np.cos(np.pi * x))
        if self.release:
            lo, hi = max(e, b0), min(e + self.release, b1)
            if hi > lo:
                x = (np.arange(lo, hi) - e + 0.5) / self.release
                gain[lo - b0 : hi - b0] = self._depth_gain(0.5 + 0.5 * np.cos(np.pi * x))


def clip_peaks(clip: np.ndarray) -> np.ndarray:
    """A clip's true peak per _PEAK_GROUP samples, over positions [-HALF, n + HALF).

    Its interpolated values ring up to TP_HALF samples outside the clip.
    """
    x = np.asarray(clip, dtype=np.float32)
    context = np.zeros((2 * TP_HALF, x.shape[1]), dtype=np.float32)
    tp = true_peak_per_sample(np.concatenate([context, x, context]))
    tp = np.concatenate([tp, np.zeros(-len(tp) % _PEAK_GROUP, dtype=np.float32)])
    peaks: np.ndarray = tp.reshape(-1, _PEAK_GROUP).max(axis=1)
    return peaks


class _PeakTracker:
    """The clips' share of each segment's PeakBound, for consecutive blocks."""

    def __init__(self, placers: Sequence[_Placer], cache: ClipCache) -> None:
        self.cache = cache
        spans: list[tuple[int, int, ClipLike, float]] = []
        for placer in placers:
            for start, clip in placer.clips:
                spans.append((start - TP_HALF, start + len(clip) + TP_HALF, clip, placer.gain))
        spans.sort(key=lambda item: item[0])
        self.spans = spans
        self.next = 0
        self.active: list[tuple[int, int, ClipLike, float]] = []
        self.peaks: dict[int, np.ndarray] = {}  # per distinct clip, computed when first due

    def add_into(self, bound: np.ndarray, first: int, b0: int, b1: int, scale: float) -> None:
        while self.next < len(self.spans) and self.spans[self.next][0] < b1:
            self.active.append(self.spans[self.next])
            self.next += 1
        still = []
        for span in self.active:
            lo, end, clip, gain = span
            g0 = max(b0 - lo, 0) // _PEAK_GROUP
            g1 = -(-(min(end, b1) - lo) // _PEAK_GROUP)
            if g1 > g0:
                peaks = self.peaks.get(id(clip))
                if peaks is None:
                    peaks = self.peaks[id(clip)] = clip_peaks(self.cache.get(clip))
                values = peaks[g0:g1] * np.float32(gain * scale)
                # a group may straddle two segments: it counts for both
                starts = lo + np.arange(g0, g1) * _PEAK_GROUP
                own = np.zeros(len(bound), dtype=np.float32)
                for edge in (starts, starts + _PEAK_GROUP - 1):
                    seg = np.clip(edge // PEAK_SEGMENT - first, 0, len(bound) - 1)
                    np.maximum.at(own, seg, values)
                bound += own  # overlapping clips (a chime over speech) add up
            if end > b1:
                still.append(span)
        self.active = still


def mix_blocks(
    spec: MixSpec, gain_db: float = 0.0, block_samples: int = 44100
) -> Iterator[np.ndarray]:
    """Yield float32 (n, 2) blocks covering exactly ``spec.total_samples`` samples.

    ``gain_db`` scales the whole mix (the loudness-normalisation gain).
    """
    for block, _ in _mix(spec, gain_db, block_samples, bounds=False):
        yield block


def mix_blocks_bounded(
    spec: MixSpec, gain_db: float = 0.0, block_samples: int = 44100
) -> Iterator[tuple[np.ndarray, PeakBound]]:
    """``mix_blocks`` with each block's PeakBound (for the limiter)."""
    for block, bound in _mix(spec, gain_db, block_samples, bounds=True):
        assert bound is not None
        yield block, bound


def _mix(
    spec: MixSpec, gain_db: float, block_samples: int, *, bounds: bool
) -> Iterator[tuple[np.ndarray, PeakBound | None]]:
    if block_samples <= 0:
        raise ValueError("block_samples must be positive")
    master = db_to_gain(gain_db)
    cache = ClipCache()  # the mix-rate copies of the LazyClips in use
    voice = _Placer(spec.voice, db_to_gain(spec.voice_db), cache)
    sounds = _Placer(spec.sounds, db_to_gain(spec.sounds_db), cache)
    beds = [(bed, db_to_gain(g)) for bed, g in spec.beds if db_to_gain(g) != 0.0]
    sr = spec.sample_rate
    duck = DuckEnvelope(
        spec.voice_intervals(),
        spec.duck_db,
        round(spec.attack_ms * sr / 1000),
        round(spec.release_ms * sr / 1000),
        round(spec.hold_ms * sr / 1000),
    )
    tracker = _PeakTracker([voice, sounds], cache) if bounds else None
    total = max(int(spec.total_samples), 0)
    for b0 in range(0, total, block_samples):
        n = min(block_samples, total - b0)
        out = np.zeros((n, 2), dtype=np.float32)
        if beds:
            for bed, g in beds:
                part = bed.render(b0, n)
                out += part * np.float32(g) if g != 1.0 else part
            env = duck.gain(b0, n)
            if env is not None:
                out *= env
        bound = None
        if tracker is not None:
            first, last = b0 // PEAK_SEGMENT, (b0 + n - 1) // PEAK_SEGMENT
            bed_max = np.zeros(last - first + 1, dtype=np.float32)
            if beds:
                mono = np.maximum(np.abs(out[:, 0]), np.abs(out[:, 1]))
                cuts = np.maximum(np.arange(first, last + 1) * PEAK_SEGMENT - b0, 0)
                bed_max = np.maximum.reduceat(mono, cuts) * np.float32(master)
            clip_max = np.zeros(last - first + 1, dtype=np.float32)
            tracker.add_into(clip_max, first, b0, b0 + n, master)
            bound = PeakBound(first, clip_max, bed_max)
        voice.add_into(out, b0)
        sounds.add_into(out, b0)
        if master != 1.0:
            out *= np.float32(master)
        yield out, bound
