"""Loudness (ITU-R BS.1770-4 / EBU R128) and true peak, streamed; a true-peak limiter.

Everything works block by block and keeps only small per-100 ms energies, never the
audio, so measuring an hour costs the same memory as measuring a minute. The filters
and the true-peak interpolation they share with the mixer and the loudness model are
in audio/dsp.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from voicecoach.audio.dsp import (
    PEAK_SEGMENT,
    TP_HALF,
    PeakBound,
    StreamingFIR,
    gated_lufs,
    k_weighting_ir,
    sliding_min,
    tp_gain,
    true_peak_per_sample,
)
from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S, run_ffmpeg
from voicecoach.audio.resample import as_audio
from voicecoach.errors import AudioError

# ---------------------------------------------------------------- the meter


class LoudnessMeter:
    """Streaming BS.1770-4 integrated loudness and true peak.

    ``add`` blocks of float audio (samples, channels) in order; query at any time.
    Keeps one mean square per 100 ms (36 000 floats for an hour), not the audio.
    """

    def __init__(
        self, sample_rate: int = 44100, channels: int = 2, *, true_peak: bool = True
    ) -> None:
        self.sample_rate = sample_rate
        self.measure_peak = true_peak  # False skips the 4x oversampling (loudness only)
        self.channels = channels
        self._filter = StreamingFIR(k_weighting_ir(sample_rate), channels)
        self._step = round(0.1 * sample_rate)
        self._pending = np.zeros((0, channels), dtype=np.float32)
        self._energies: list[np.ndarray] = []  # per 100 ms: sum over channels of mean square
        self._tp_context = np.zeros((2 * TP_HALF, channels), dtype=np.float32)
        self._peak = 0.0
        self.samples = 0

    def add(self, block: np.ndarray) -> None:
        x = as_audio(block)
        if x.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {x.shape[1]}")
        if len(x) == 0:
            return
        self.samples += len(x)
        # true peak (lags the input by TP_HALF samples; the tail is handled at query)
        if self.measure_peak:
            both = np.concatenate([self._tp_context, x])
            self._peak = max(self._peak, float(true_peak_per_sample(both).max(initial=0.0)))
            self._tp_context = both[-2 * TP_HALF :]
        # loudness
        weighted = np.concatenate([self._pending, self._filter.process(x)])
        whole = len(weighted) // self._step * self._step
        if whole:
            frames = weighted[:whole].reshape(-1, self._step * self.channels)
            sums = np.einsum("ij,ij->i", frames, frames, dtype=np.float64)
            self._energies.append(sums / self._step)
        self._pending = weighted[whole:]

    def _gating_blocks(self) -> np.ndarray:
        """Mean square of each 400 ms block, hop 100 ms (75 % overlap)."""
        if not self._energies:
            return np.zeros(0)
        sub = np.concatenate(self._energies)
        if len(sub) < 4:
            return np.zeros(0)
        blocks: np.ndarray = sliding_window_view(sub, 4).mean(axis=1)
        return blocks

    def integrated_lufs(self) -> float:
        """Gated integrated loudness in LUFS (-inf when everything is below -70 LUFS)."""
        return gated_lufs(self._gating_blocks())

    def true_peak(self) -> float:
        """Largest 4x-oversampled magnitude so far (linear)."""
        tail = np.concatenate(
            [self._tp_context, np.zeros((2 * TP_HALF, self.channels), np.float32)]
        )
        return max(self._peak, float(true_peak_per_sample(tail).max(initial=0.0)))

    def true_peak_db(self) -> float:
        """True peak in dBTP (-inf for silence)."""
        peak = self.true_peak()
        return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def integrated_loudness(
    audio: np.ndarray, sample_rate: int = 44100, block_samples: int = 44100
) -> float:
    """Integrated loudness (LUFS) of an in-memory signal, e.g. a music file before use."""
    x = as_audio(audio)
    meter = LoudnessMeter(sample_rate, x.shape[1])
    for i in range(0, len(x), block_samples):
        meter.add(x[i : i + block_samples])
    return meter.integrated_lufs()


def normalization_gain_db(
    measured_lufs: float, target_lufs: float = -16.0, max_gain_db: float = 40.0
) -> float:
    """Gain that brings ``measured_lufs`` to ``target_lufs`` (0 for silence, capped)."""
    if not math.isfinite(measured_lufs):
        return 0.0
    return float(min(target_lufs - measured_lufs, max_gain_db))


# ---------------------------------------------------------------- the limiter


class PeakLimiter:
    """Streaming look-ahead true-peak limiter that keeps timing and length exact.

    The gain at sample n is the mean, over [n - release, n + lookahead], of the
    required gain's sliding minimum over [k - lookahead, k + release]; that is provably
    <= the gain each sample needs, and ramps smoothly (no recursion, all numpy). Output
    lags input internally by lookahead + release (+ a few samples), but every output
    sample is the input sample at the same position times its gain: ``process`` may
    return fewer samples than given, ``flush`` returns the rest, and the total equals
    the input length.
    """

    def __init__(
        self,
        ceiling_db: float = -2.0,
        sample_rate: int = 44100,
        lookahead_ms: float = 5.0,
        release_ms: float = 60.0,
        channels: int = 2,
    ) -> None:
        self.ceiling = 10.0 ** (ceiling_db / 20.0)
        self.lookahead = max(1, round(lookahead_ms * sample_rate / 1000))
        self.release = max(1, round(release_ms * sample_rate / 1000))
        self.channels = channels
        self._reach = self.lookahead + self.release  # needed on each side of an output
        self._margin = self._reach + TP_HALF
        self._buf = np.zeros((self._margin, channels), dtype=np.float32)
        self._emitted = 0
        self._received = 0
        self._flushed = False
        self.max_reduction_db = 0.0
        # Peak bounds per PEAK_SEGMENT (absolute segment _seg_first onwards), while every
        # block came with one; they let _run oversample only where the mix may get close.
        self._bounded = True
        self._seg_first = 0
        self._seg_clips = np.zeros(0)
        self._seg_beds = np.zeros(0)

    def process(self, block: np.ndarray, bound: PeakBound | None = None) -> np.ndarray:
        """Feed a block; returns the limited samples that are ready (possibly none).

        ``bound`` (from ``mixer.mix_blocks_bounded``) only saves work: the output is the
        same with or without it.
        """
        if self._flushed:
            raise RuntimeError("PeakLimiter.process after flush")
        x = as_audio(block)
        if bound is None or not len(x):
            self._bounded = self._bounded and not len(x)
        elif self._bounded:
            self._add_bound(bound)
        self._buf = np.concatenate([self._buf, x])
        self._received += len(x)
        return self._run(self._received - self._margin)

    def flush(self) -> np.ndarray:
        """Return every remaining sample; the stream is complete afterwards."""
        if self._flushed:
            return np.zeros((0, self.channels), dtype=np.float32)
        self._flushed = True
        self._buf = np.concatenate([self._buf, np.zeros((self._margin, self.channels), np.float32)])
        if self._bounded:  # clips ring past the end, where no block reported them
            last = (self._received + self._margin) // PEAK_SEGMENT + 1
            self._add_bound_arrays(
                self._received // PEAK_SEGMENT,
                np.full(last - self._received // PEAK_SEGMENT + 1, np.inf),
                np.zeros(last - self._received // PEAK_SEGMENT + 1),
            )
        return self._run(self._received)

    def _add_bound(self, bound: PeakBound) -> None:
        self._add_bound_arrays(bound.first, bound.clips, bound.beds)

    def _add_bound_arrays(self, first: int, clips: np.ndarray, beds: np.ndarray) -> None:
        # forget segments the limiter can no longer look at
        drop = (self._emitted - self._margin) // PEAK_SEGMENT - 2 - self._seg_first
        if drop > 0:
            self._seg_clips, self._seg_beds = self._seg_clips[drop:], self._seg_beds[drop:]
            self._seg_first += drop
        need = first + len(clips) - self._seg_first - len(self._seg_clips)
        if need > 0:
            self._seg_clips = np.concatenate([self._seg_clips, np.zeros(need)])
            self._seg_beds = np.concatenate([self._seg_beds, np.zeros(need)])
        i = first - self._seg_first
        if i < 0:  # before the first segment kept: cannot happen in a stream in order
            self._bounded = False
            return
        part = slice(i, i + len(clips))
        np.maximum(self._seg_clips[part], clips, out=self._seg_clips[part])
        np.maximum(self._seg_beds[part], beds, out=self._seg_beds[part])

    def _segments(self, values: np.ndarray, ks: np.ndarray, after: float) -> np.ndarray:
        """values for absolute segments ks: inf before the first kept, ``after`` past the end."""
        idx = ks - self._seg_first
        out = np.full(len(ks), after, dtype=np.float64)
        inside = (idx >= 0) & (idx < len(values))
        out[inside] = values[idx[inside]]
        out[idx < 0] = np.inf
        return out

    def _bounded_peaks(self, xs: np.ndarray, origin: int) -> np.ndarray:
        """true_peak_per_sample(xs) where the bounds allow a peak over the ceiling, zeros
        elsewhere (provably under the ceiling there, so the gain is 1 either way)."""
        p0, p1 = origin + TP_HALF, origin + len(xs) - TP_HALF
        peaks = np.zeros(max(p1 - p0, 0), dtype=np.float32)
        if p1 <= p0:
            return peaks
        ks = np.arange(p0 // PEAK_SEGMENT, (p1 - 1) // PEAK_SEGMENT + 1)
        # blocks not received yet cannot matter: no window reaches past the last sample
        clips = self._segments(self._seg_clips, ks, 0.0)
        beds = np.maximum.reduce([self._segments(self._seg_beds, ks + d, 0.0) for d in (-1, 0, 1)])
        bound = clips + tp_gain() * beds
        unsafe = ~(bound < self.ceiling * 0.999)
        if not unsafe.any():
            return peaks
        edges = np.flatnonzero(np.diff(np.concatenate([[0], unsafe.astype(np.int8), [0]])))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            lo = max(int(ks[a]) * PEAK_SEGMENT, p0)
            hi = min(int(ks[b - 1] + 1) * PEAK_SEGMENT, p1)
            peaks[lo - p0 : hi - p0] = true_peak_per_sample(xs[lo - p0 : hi - p0 + 2 * TP_HALF])
        return peaks

    def _run(self, end: int) -> np.ndarray:
        start = self._emitted
        if end <= start:
            return np.zeros((0, self.channels), dtype=np.float32)
        count = end - start
        # buffer index 0 is absolute position start - margin
        xs = self._buf[: count + 2 * self._margin]
        out: np.ndarray = xs[self._margin : self._margin + count].copy()
        # Intersample peaks exceed sample peaks by far less than 6 dB in real audio:
        # blocks that quiet need no oversampling at all.
        if float(np.abs(xs).max(initial=0.0)) * 2.0 < self.ceiling:
            peaks = np.zeros(0, dtype=np.float32)
        elif self._bounded:
            peaks = self._bounded_peaks(xs, start - self._margin)
        else:
            peaks = true_peak_per_sample(xs)  # positions [start - reach, end + reach)
        if float(peaks.max(initial=0.0)) > self.ceiling:
            with np.errstate(divide="ignore"):
                need = np.minimum(1.0, self.ceiling / peaks.astype(np.float64))
            width = self._reach + 1
            held = sliding_min(need, width)  # positions [start - release, end + lookahead)
            sums = np.concatenate([[0.0], np.cumsum(held)])
            gain = (sums[width:] - sums[:-width]) / width  # positions [start, end)
            gain = np.minimum(gain, 1.0)
            out *= gain.astype(np.float32)[:, None]
            self.max_reduction_db = max(
                self.max_reduction_db, -20.0 * math.log10(max(float(gain.min()), 1e-9))
            )
        self._buf = self._buf[count:]
        self._emitted = end
        return out


def limit_blocks(blocks: Iterable[np.ndarray], limiter: PeakLimiter) -> Iterator[np.ndarray]:
    """Run an iterator of blocks through ``limiter``, yielding non-empty output blocks."""
    for block in blocks:
        out = limiter.process(block)
        if len(out):
            yield out
    tail = limiter.flush()
    if len(tail):
        yield tail


# ---------------------------------------------------------------- ffmpeg's opinion


_SUMMARY_I = re.compile(r"^\s*I:\s*(-?[\d.]+|-?inf)\s+LUFS", re.MULTILINE)
_SUMMARY_PEAK = re.compile(r"^\s*Peak:\s*(-?[\d.]+|-?inf)\s+dBFS", re.MULTILINE)


def measure_file(path: str | Path, *, timeout_s: float = FFMPEG_TIMEOUT_S) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of an audio file, by ffmpeg's ebur128 filter."""
    p = Path(path)
    cmd = [
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-progress",  # a line every half second: ffmpeg is making progress
        "pipe:1",
        "-i",
        str(p),
        "-map",
        "0:a:0",
        "-af",
        "ebur128=peak=true",
        "-f",
        "null",
        "-",
    ]
    code, _, stderr = run_ffmpeg(cmd, doing=f"measuring the loudness of {p}", timeout_s=timeout_s)
    text = stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:") :] if "Summary:" in text else ""
    m_i, m_p = _SUMMARY_I.search(summary), _SUMMARY_PEAK.search(summary)
    if code != 0 or not m_i or not m_p:
        last = " | ".join(text.strip().splitlines()[-3:])
        raise AudioError(
            f"cannot measure loudness of {p}: ffmpeg said: {last}. Check that it is an audio file."
        )
    return float(m_i.group(1)), float(m_p.group(1))
