"""The signal processing that the meter, the limiter, the mixer and the loudness model share.

- K-weighting (ITU-R BS.1770-4): its biquads at any rate, their impulse response, and
  a streaming FFT convolution that applies it block by block;
- true peak: 4x oversampled magnitudes around each sample, and the provable bound
  on how far an interpolated value can exceed the samples around it;
- the BS.1770 gate over 400 ms block energies;
- a sliding minimum (the limiters' gain hold), levels in dB as linear gains, and the
  per-segment peak bounds the mixer hands the limiter.

Plain functions on numpy arrays: no state beyond per-rate caches, no I/O.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from voicecoach.audio.resample import kaiser_sinc

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
IR_LENGTH = 4096  # K-weighting impulse response; by then the 38 Hz high-pass is < 1e-10


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
def k_weighting_ir(sample_rate: int) -> np.ndarray:
    """Impulse response of the K-weighting cascade (computed once per rate)."""
    x = np.zeros(IR_LENGTH)
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


class StreamingFIR:
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
        result: np.ndarray = out[:, :n].T
        return result


# ---------------------------------------------------------------- true peak


OVERSAMPLE = 4
TP_HALF = 12  # taps each side at the base rate
PEAK_SEGMENT = 1024  # resolution of the mixer's peak bounds (see PeakBound)


@functools.lru_cache(maxsize=1)
def _tp_matrix() -> np.ndarray:
    """C[t, p]: the value at j + p/4 is sum_t x[j - HALF + t] * C[t, p]."""
    half = OVERSAMPLE * TP_HALF
    h = kaiser_sinc(0.5 / OVERSAMPLE, half, beta=7.0) * OVERSAMPLE
    c = np.zeros((2 * TP_HALF + 1, OVERSAMPLE))
    for t in range(2 * TP_HALF + 1):
        for p in range(OVERSAMPLE):
            idx = OVERSAMPLE * (TP_HALF - t) + p + half
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

    ``x`` is (m, channels) with ``TP_HALF`` samples of context at each end; the result
    (m - 2*HALF,) is the max over channels of |x[j]| and the three intersample values
    after it.
    """
    m = len(x)
    if m <= 2 * TP_HALF:
        return np.zeros(0, dtype=np.float32)
    n = m - 2 * TP_HALF
    c = _tp_matrix()[:, 1:]  # phase 0 is the sample itself, taken exactly below
    inner = x[TP_HALF : m - TP_HALF]
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


# ---------------------------------------------------------------- gating


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


# ---------------------------------------------------------------- gains


def sliding_min(a: np.ndarray, width: int) -> np.ndarray:
    """min(a[i : i + width]) for every full window, in O(len) (van Herk / Gil-Werman)."""
    n = len(a)
    count = n - width + 1
    if count <= 0:
        return np.zeros(0, dtype=a.dtype)
    if width == 1:
        return np.array(a, copy=True)
    padded_len = -(-n // width) * width
    padded = np.full(padded_len, np.inf)
    padded[:n] = a
    blocks = padded.reshape(-1, width)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[:count], prefix[width - 1 : width - 1 + count])


def db_to_gain(value_db: float) -> float:
    """Linear gain for a level in dB; -inf dB is silence."""
    if value_db == -math.inf:
        return 0.0
    return float(10.0 ** (value_db / 20.0))


# ---------------------------------------------------------------- peak bounds


@dataclass(frozen=True)
class PeakBound:
    """Upper bounds on a block's parts, per PEAK_SEGMENT samples of the session.

    Segment k covers samples [k * PEAK_SEGMENT, (k + 1) * PEAK_SEGMENT). ``clips[i]`` bounds
    the summed true peaks (4x oversampled) of the voice and sounds at every position of
    segment ``first + i`` that this block produced; ``beds[i]`` is the largest sample
    magnitude of the (ducked) beds there. The true peak of the mix at a position is at
    most clips + TP_GAIN * (beds within the interpolation window): the limiter skips its
    oversampling wherever that stays under its ceiling.
    """

    first: int
    clips: np.ndarray
    beds: np.ndarray
