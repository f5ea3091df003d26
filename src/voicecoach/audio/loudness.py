"""Loudness (ITU-R BS.1770-4 / EBU R128) and true peak, streamed; a true-peak limiter.

Everything works block by block and keeps only small per-100 ms energies, never the
audio, so measuring an hour costs the same memory as measuring a minute.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S, run_ffmpeg
from voicecoach.audio.resample import as_audio, kaiser_sinc
from voicecoach.errors import AudioError

if TYPE_CHECKING:
    from voicecoach.audio.mixer import PeakBound

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
_IR_LENGTH = 4096  # K-weighting impulse response; by then the 38 Hz high-pass is < 1e-10


# ---------------------------------------------------------------- K-weighting


def k_weighting_biquads(sample_rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(b, a) of the BS.1770 pre-filter (high shelf) and RLB high-pass at any rate.

    Derived from the analog prototypes (as libebur128 does), so they match the
    48 kHz coefficients of the standard and stay right at 44.1 kHz.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / sample_rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf_b = np.array(
        [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    )
    shelf_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / sample_rate)
    a0 = 1.0 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])
    return [(shelf_b, shelf_a), (hp_b, hp_a)]


@functools.lru_cache(maxsize=4)
def _k_weighting_ir(sample_rate: int) -> np.ndarray:
    """Impulse response of the K-weighting cascade (computed once per rate)."""
    x = np.zeros(_IR_LENGTH)
    x[0] = 1.0
    for b, a in k_weighting_biquads(sample_rate):
        y = np.zeros_like(x)
        x1 = x2 = y1 = y2 = 0.0
        b0, b1, b2, a1, a2 = b[0], b[1], b[2], a[1], a[2]
        for i, xi in enumerate(x.tolist()):
            yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            y[i] = yi
            x2, x1, y2, y1 = x1, xi, y1, yi
        x = y
    return x


def _fast_size(n: int) -> int:
    """Smallest 2^a * 3^b >= n (FFT sizes that pocketfft handles fastest)."""
    best = 1 << max(n - 1, 0).bit_length()
    three = 1
    while three < best:
        size = three
        while size < n:
            size *= 2
        best = min(best, size)
        three *= 3
    return best


class _StreamingFIR:
    """Overlap-add FFT convolution of consecutive blocks with a fixed impulse response.

    Blocks are cut into segments so every FFT is small (cache-friendly and about
    twice as fast as one FFT over a whole one-second block).
    """

    def __init__(self, ir: np.ndarray, channels: int, fft_size: int = 16384) -> None:
        self.taps = len(ir)
        self.size = max(fft_size, _fast_size(2 * self.taps))
        self.seg = self.size - self.taps + 1
        # single precision halves the FFT work; the energies are summed in float64
        self.spectrum = np.fft.rfft(ir, self.size).astype(np.complex64)
        self.carry = np.zeros((channels, self.taps - 1), dtype=np.float32)

    def process(self, block: np.ndarray) -> np.ndarray:
        """Filter (n, channels) -> (n, channels), continuing from the previous block."""
        n, channels = block.shape
        k = -(-n // self.seg)
        x = np.zeros((channels, k * self.seg), dtype=np.float32)
        x[:, :n] = block.T
        y = np.fft.irfft(
            np.fft.rfft(x.reshape(channels, k, self.seg), self.size, axis=2) * self.spectrum,
            self.size,
            axis=2,
        )
        out = np.zeros((channels, (k + 1) * self.seg), dtype=np.float32)
        out[:, : k * self.seg] = y[:, :, : self.seg].reshape(channels, -1)
        tails = out[:, self.seg :].reshape(channels, k, self.seg)
        tails[:, :, : self.taps - 1] += y[:, :, self.seg :]
        out[:, : self.taps - 1] += self.carry
        self.carry = out[:, n : n + self.taps - 1].copy()
        done: np.ndarray = out[:, :n].T
        return done


# ---------------------------------------------------------------- true peak


OVERSAMPLE = 4
_TP_HALF = 12  # taps each side at the base rate
PEAK_SEGMENT = 1024  # resolution of the mixer's peak bounds (see mixer.PeakBound)


@functools.lru_cache(maxsize=1)
def _tp_matrix() -> np.ndarray:
    """C[t, p]: the value at j + p/4 is sum_t x[j - HALF + t] * C[t, p]."""
    half = OVERSAMPLE * _TP_HALF
    h = kaiser_sinc(0.5 / OVERSAMPLE, half, beta=7.0) * OVERSAMPLE
    c = np.zeros((2 * _TP_HALF + 1, OVERSAMPLE))
    for t in range(2 * _TP_HALF + 1):
        for p in range(OVERSAMPLE):
            idx = OVERSAMPLE * (_TP_HALF - t) + p + half
            if 0 <= idx < len(h):
                c[t, p] = h[idx]
    return c.astype(np.float32)


@functools.lru_cache(maxsize=1)
def tp_gain() -> float:
    """The most an interpolated value can exceed the largest sample in its window.

    |sum_t x[t] * C[t, p]| <= max|x| * sum_t |C[t, p]|: a provable bound (about 2.25).
    """
    return float(np.abs(_tp_matrix().astype(np.float64)).sum(axis=0).max()) * (1.0 + 1e-6)


def true_peak_per_sample(x: np.ndarray) -> np.ndarray:
    """Peak magnitude around each sample of ``x[HALF : len - HALF]``, 4x oversampled.

    ``x`` is (m, channels) with ``_TP_HALF`` samples of context at each end; the result
    (m - 2*HALF,) is the max over channels of |x[j]| and the three intersample values
    after it.
    """
    m = len(x)
    if m <= 2 * _TP_HALF:
        return np.zeros(0, dtype=np.float32)
    n = m - 2 * _TP_HALF
    c = _tp_matrix()[:, 1:]  # phase 0 is the sample itself, taken exactly below
    inner = x[_TP_HALF : m - _TP_HALF]
    # channel by channel: numpy reduces a short contiguous axis slowly
    peaks: np.ndarray = np.abs(inner[:, 0]).astype(np.float32)
    for ch in range(1, x.shape[1]):
        np.maximum(peaks, np.abs(inner[:, ch]), out=peaks)
    acc = np.empty((c.shape[1], n), dtype=np.float32)
    for ch in range(x.shape[1]):
        xc = np.ascontiguousarray(x[:, ch], dtype=np.float32)
        # accumulating outer products is ~4x faster than a matmul over strided windows
        np.multiply(c[0][:, None], xc[None, :n], out=acc)
        for t in range(1, c.shape[0]):
            acc += c[t][:, None] * xc[None, t : t + n]
        np.abs(acc, out=acc)
        np.maximum(peaks, acc.max(axis=0), out=peaks)
    return peaks


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
        self._filter = _StreamingFIR(_k_weighting_ir(sample_rate), channels)
        self._step = round(0.1 * sample_rate)
        self._pending = np.zeros((0, channels), dtype=np.float32)
        self._energies: list[np.ndarray] = []  # per 100 ms: sum over channels of mean square
        self._tp_context = np.zeros((2 * _TP_HALF, channels), dtype=np.float32)
        self._peak = 0.0
        self.samples = 0

    def add(self, block: np.ndarray) -> None:
        x = as_audio(block)
        if x.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {x.shape[1]}")
        if len(x) == 0:
            return
        self.samples += len(x)
        # true peak (lags the input by _TP_HALF samples; the tail is handled at query)
        if self.measure_peak:
            both = np.concatenate([self._tp_context, x])
            self._peak = max(self._peak, float(true_peak_per_sample(both).max(initial=0.0)))
            self._tp_context = both[-2 * _TP_HALF :]
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
            [self._tp_context, np.zeros((2 * _TP_HALF, self.channels), np.float32)]
        )
        return max(self._peak, float(true_peak_per_sample(tail).max(initial=0.0)))

    def true_peak_db(self) -> float:
        """True peak in dBTP (-inf for silence)."""
        peak = self.true_peak()
        return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def gated_lufs(blocks: np.ndarray) -> float:
    """BS.1770 gated loudness from the mean squares of the 400 ms gating blocks."""
    z = np.asarray(blocks, dtype=np.float64)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10.0 * np.log10(z)
    z = z[levels > ABSOLUTE_GATE_LUFS]
    if len(z) == 0:
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(z.mean())) + RELATIVE_GATE_LU
    with np.errstate(divide="ignore"):
        z = z[-0.691 + 10.0 * np.log10(z) > relative]
    if len(z) == 0:
        return -math.inf
    return -0.691 + 10.0 * math.log10(float(z.mean()))


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


def _sliding_min(a: np.ndarray, width: int) -> np.ndarray:
    """min(a[i : i + width]) for every full window, in O(len) (van Herk / Gil-Werman)."""
    n = len(a)
    count = n - width + 1
    if count <= 0:
        return np.zeros(0, dtype=a.dtype)
    if width == 1:
        whole: np.ndarray = a.copy()
        return whole
    padded_len = -(-n // width) * width
    padded = np.full(padded_len, np.inf)
    padded[:n] = a
    blocks = padded.reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    least: np.ndarray = np.minimum(suffix[:count], prefix[width - 1 : width - 1 + count])
    return least


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
        self._margin = self._reach + _TP_HALF
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
        p0, p1 = origin + _TP_HALF, origin + len(xs) - _TP_HALF
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
            peaks[lo - p0 : hi - p0] = true_peak_per_sample(xs[lo - p0 : hi - p0 + 2 * _TP_HALF])
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
            held = _sliding_min(need, width)  # positions [start - release, end + lookahead)
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
