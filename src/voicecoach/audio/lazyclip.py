"""A speech clip held at its engine's rate and made at the mix rate only while it plays.

A session holds each distinct phrase once, at the engine's rate (piper: 22.05 kHz, half
the samples of the 44.1 kHz mix copy), and not in memory: `mixdown` parks the samples
in a `SpillFile`, one private temporary file per mix, and each use reads them back. The
distinct phrases are what grows with a session's length (17 MB of piper samples for
the benchmark's 67-minute circuit), so the render's memory no longer does. The
mix-rate copy is made where it is needed (the loudness profile, the mixer's block that
starts the phrase) and dropped after; reading back and resampling are exact and
deterministic, so every copy is the same array, sample for sample.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import IO

import numpy as np

from voicecoach.audio.resample import resample, resampled_length
from voicecoach.errors import AudioError
from voicecoach.scratch import scratch_dir


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(
            ctypes.util.find_library("c") or "libc.so.6"
        ).malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None


def trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; a no-op
    elsewhere). Called between the render's stages: the temporaries of one stage (the
    speech workers' replies, the loudness profiles) otherwise stay resident under the
    next stage's peak."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class SpillFile:
    """Clips' samples in one temporary file (in the process's scratch folder, deleted
    when closed): memory that does not grow with the number of distinct phrases.

    ``park`` returns a `Parked` handle, or the array itself when the file cannot be
    written (full disk, no temp folder): the mix then holds it in memory, as before.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._lock = threading.Lock()  # one seek-and-read at a time
        self.failed = False

    def park(self, samples: np.ndarray) -> Parked | np.ndarray:
        data = np.ascontiguousarray(samples, dtype=np.float32)
        if self.failed or not data.size:
            return samples
        try:
            with self._lock:
                if self._file is None:  # open until close(): the mix reads it back
                    self._file = tempfile.TemporaryFile(  # noqa: SIM115
                        prefix="clips-", dir=scratch_dir()
                    )
                self._file.seek(self._end)
                self._file.write(data.data)
                offset = self._end
                self._end += data.nbytes
        except OSError:
            self.failed = True  # keep this clip and the next ones in memory
            return samples
        return Parked(self, offset, data.shape)

    def read(self, offset: int, shape: tuple[int, ...]) -> np.ndarray:
        """The samples parked at ``offset`` (a new, read-only array)."""
        size = int(np.prod(shape)) * 4
        try:
            with self._lock:
                if self._file is None:
                    raise OSError("the file is closed")
                self._file.seek(offset)
                data = self._file.read(size)
        except OSError as exc:
            raise AudioError(
                f"cannot read the session's phrases back from their temporary file: {exc}. "
                "Check the temp folder (TMPDIR) and try again."
            ) from exc
        if len(data) != size:
            raise AudioError(
                "the session's temporary phrase file was cut short. "
                "Check the temp folder (TMPDIR) and try again."
            )
        return np.frombuffer(data, dtype=np.float32).reshape(shape)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


class Parked:
    """Samples parked in a SpillFile: ``load()`` reads a fresh copy."""

    __slots__ = ("offset", "shape", "spill")

    def __init__(self, spill: SpillFile, offset: int, shape: tuple[int, ...]) -> None:
        self.spill, self.offset, self.shape = spill, offset, shape

    def __len__(self) -> int:
        return self.shape[0]

    def load(self) -> np.ndarray:
        """A fresh (read-only) copy of the samples."""
        return self.spill.read(self.offset, self.shape)


class LazyClip:
    """A clip (float32 (n, channels) at ``source_rate``, in memory or `Parked`) as the
    mixer sees it at ``rate``.

    ``gain`` is an optional per-group gain (``group`` mix samples per value, each value
    held over its group): the pre-limiter's curve, applied when the clip is made.
    """

    __slots__ = ("_length", "gain", "group", "rate", "source", "source_rate")

    def __init__(
        self,
        source: np.ndarray | Parked,
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

    def samples(self) -> np.ndarray:
        """The source samples at ``source_rate`` (read back if parked)."""
        return self.source.load() if isinstance(self.source, Parked) else self.source

    def audio(self) -> np.ndarray:
        """float32 (n, channels) at ``rate``, the gain applied: a new array on every call."""
        out = resample(self.samples(), self.source_rate, self.rate)
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
