"""Background beds: the user's music (looped or trimmed, faded), the pad drone, silence.

A bed produces any range of samples on demand (``render(start, n)``), so the mixer
can stream a session of any length block by block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from voicecoach.audio.assets import load_asset
from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S, run_ffmpeg
from voicecoach.errors import AudioError
from voicecoach.filekind import special_kind

MIN_MUSIC_SECONDS = 0.5
MUSIC_FORMATS = "mp3, wav, ogg, m4a, flac"

# Leading bytes of containers ffmpeg reads: a file that starts like audio but does not
# decode is corrupt or truncated, anything else is simply not audio.
_AUDIO_MAGIC = (b"ID3", b"RIFF", b"OggS", b"fLaC", b"FORM", b"\x1a\x45\xdf\xa3", b"#!AMR", b"ADIF")


def _looks_like_audio(head: bytes) -> bool:
    if head.startswith(_AUDIO_MAGIC):
        return True
    if len(head) >= 8 and head[4:8] == b"ftyp":  # mp4 / m4a
        return True
    # MPEG audio (mp3) or ADTS (aac) frame sync: 11 set bits.
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0


def load_music(
    path: str | Path,
    sample_rate: int = 44100,
    max_samples: int | None = None,
    *,
    timeout_s: float = FFMPEG_TIMEOUT_S,
) -> np.ndarray:
    """Decode a music file (anything ffmpeg reads) to float32 (samples, 2) at ``sample_rate``.

    ``max_samples`` stops decoding early: a bed never needs more than the session, and a
    long file would otherwise cost 350 KB of memory per second.
    """
    p = Path(path)
    head = _music_head(p)

    cmd = ["-nostdin", "-hide_banner", "-v", "error", "-i", str(p), "-map", "0:a:0"]
    if max_samples is not None:
        cmd += ["-t", f"{max(max_samples, 1) / sample_rate:.6f}"]
    cmd += ["-f", "f32le", "-acodec", "pcm_f32le", "-ac", "2", "-ar", str(sample_rate), "pipe:1"]
    try:  # bounded: an ffmpeg that stalls is stopped (AudioError)
        code, stdout, err = run_ffmpeg(
            cmd, doing=f"decoding the music file {p}", timeout_s=timeout_s
        )
    except OSError as exc:
        raise AudioError(
            f"cannot run ffmpeg to decode {p}: {exc}. Check the ffmpeg installation."
        ) from exc
    stderr = err.decode("utf-8", "replace")
    usable = len(stdout) - len(stdout) % 8
    samples = np.frombuffer(stdout[:usable], dtype="<f4").reshape(-1, 2)

    if len(samples) == 0:
        raise _nothing_decoded(p, code, stderr, head)
    if len(samples) < MIN_MUSIC_SECONDS * sample_rate and (
        max_samples is None or max_samples > len(samples)
    ):
        raise AudioError(
            f"music file is too short ({len(samples) / sample_rate:.2f} s): {p}. "
            f"Use a file of at least {MIN_MUSIC_SECONDS} s."
        )
    out = samples.astype(np.float32)  # writable copy, detached from the bytes buffer
    if max_samples is not None:
        out = out[:max_samples]
    return np.nan_to_num(out, copy=False)


def _music_head(p: Path) -> bytes:
    """The first bytes of the music file ``p``, once it is known to be a readable,
    non-empty regular file (AudioError otherwise)."""
    if not p.exists():
        raise AudioError(f"music file not found: {p}. Check the path given as sound.music.")
    kind = special_kind(p)
    if kind is not None:  # never open a FIFO: the read would wait for a writer forever
        raise AudioError(
            f"music file is not a regular file: {p} is {kind}. "
            f"Give the path of an audio file ({MUSIC_FORMATS})."
        )
    try:
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise AudioError(
            f"cannot read music file {p}: {exc.strerror}. Check its permissions."
        ) from exc
    if not head:
        raise AudioError(f"music file is empty: {p}. Choose an audio file ({MUSIC_FORMATS}).")
    return head


def _nothing_decoded(p: Path, code: int, stderr: str, head: bytes) -> AudioError:
    """Why ffmpeg decoded no audio from ``p`` (exit ``code``, ``stderr``, first bytes)."""
    if "matches no streams" in stderr:
        return AudioError(
            f"music file has no audio stream: {p}. Choose an audio file ({MUSIC_FORMATS})."
        )
    if code != 0 and not _looks_like_audio(head):
        return AudioError(
            f"music file is not audio that ffmpeg can read: {p}. "
            f"Choose an audio file ({MUSIC_FORMATS})."
        )
    return AudioError(
        f"music file is corrupt or truncated, no audio could be decoded: {p}. "
        "Re-export or download it again."
    )


@runtime_checkable
class BackgroundSource(Protocol):
    """Anything that renders background audio for sample range [start, start + n)."""

    def render(self, start: int, n: int) -> np.ndarray:
        """float32 (n, 2); samples outside the session are silent."""
        ...


class SilentBed:
    """No background."""

    def render(self, start: int, n: int) -> np.ndarray:
        return np.zeros((n, 2), dtype=np.float32)


def _ramp(n: int) -> np.ndarray:
    """Equal-power rising curve over n samples (sin of a quarter period)."""
    return np.sin(0.5 * np.pi * (np.arange(n) + 0.5) / n)


class MusicBed:
    """Music laid under the whole session: looped (with a crossfade) or trimmed, faded.

    ``samples`` is float32 (n, 2). When it is shorter than ``total_samples`` it repeats
    with period ``len - crossfade``: the tail of each pass fades out while the head of
    the next fades in, so the loop point does not click or gap.
    """

    def __init__(
        self,
        samples: np.ndarray,
        total_samples: int,
        fade_in_ms: float = 2000.0,
        fade_out_ms: float = 3000.0,
        *,
        sample_rate: int = 44100,
        crossfade_ms: float = 250.0,
    ) -> None:
        data = np.asarray(samples, dtype=np.float32)
        if data.ndim != 2 or data.shape[1] != 2 or len(data) == 0:
            raise ValueError("MusicBed needs non-empty float32 samples shaped (n, 2)")
        self.samples = data
        self.total_samples = int(total_samples)
        self.fade_in = min(round(fade_in_ms * sample_rate / 1000), self.total_samples // 2)
        self.fade_out = min(round(fade_out_ms * sample_rate / 1000), self.total_samples // 2)
        length = len(data)
        self.looping = length < self.total_samples
        self.crossfade = (
            min(round(crossfade_ms * sample_rate / 1000), length // 4) if self.looping else 0
        )
        self.period = length - self.crossfade
        if self.crossfade:
            rise = _ramp(self.crossfade).astype(np.float32)[:, None]
            self._xfade_in, self._xfade_out = rise, rise[::-1].copy()

    def _raw(self, start: int, n: int) -> np.ndarray:
        """Looped music for [start, start+n), start >= 0, no session fades."""
        if not self.looping:
            part: np.ndarray = self.samples[start : start + n].copy()
            return part
        out = np.empty((n, 2), dtype=np.float32)
        pos = start
        while pos < start + n:
            q = pos % self.period
            if pos >= self.period and q < self.crossfade:
                take = min(self.crossfade - q, start + n - pos)
                head = self.samples[q : q + take] * self._xfade_in[q : q + take]
                tail = (
                    self.samples[self.period + q : self.period + q + take]
                    * self._xfade_out[q : q + take]
                )
                out[pos - start : pos - start + take] = head + tail
            else:
                take = min(self.period - q, start + n - pos)
                out[pos - start : pos - start + take] = self.samples[q : q + take]
            pos += take
        return out

    def loop_period(self) -> np.ndarray:
        """One period of the loop as every pass after the first plays it (its head
        crossfaded with the tail of the pass before); the first pass starts clean."""
        source = self.samples[: self.period]
        if self.crossfade:
            source = source.copy()
            source[: self.crossfade] = self._raw(self.period, self.crossfade)
        return source

    def fade_at(self, positions: np.ndarray) -> np.ndarray:
        """The session fade gain at sample positions, as ``render`` applies it."""
        t = np.asarray(positions, dtype=np.float64)
        gain = np.ones(len(t))
        if self.fade_in:
            head = t < self.fade_in
            gain[head] *= (t[head] + 0.5) / self.fade_in
        if self.fade_out:
            tail = t >= self.total_samples - self.fade_out
            gain[tail] *= (self.total_samples - t[tail] - 0.5) / self.fade_out
        gain[(t < 0) | (t >= self.total_samples)] = 0.0
        if not self.looping:
            gain[t >= len(self.samples)] = 0.0
        return gain

    def render(self, start: int, n: int) -> np.ndarray:
        out = np.zeros((n, 2), dtype=np.float32)
        lo, hi = max(start, 0), min(start + n, self.total_samples)
        if hi <= lo:
            return out
        chunk = self._raw(lo, hi - lo)
        if len(chunk) < hi - lo:  # only when not looping: the music simply ended
            hi = lo + len(chunk)
        # fades touch only the first/last seconds: most blocks skip them entirely
        if lo < self.fade_in:
            end = min(hi, self.fade_in)
            ramp = (np.arange(lo, end, dtype=np.float32) + 0.5) / self.fade_in
            chunk[: end - lo] *= ramp[:, None]
        fade_start = self.total_samples - self.fade_out
        if self.fade_out and hi > fade_start:
            begin = max(lo, fade_start)
            ramp = (
                self.total_samples - np.arange(begin, hi, dtype=np.float32) - 0.5
            ) / self.fade_out
            chunk[begin - lo : hi - lo] *= ramp[:, None]
        out[lo - start : hi - start] = chunk
        return out


class PadBed(MusicBed):
    """The bundled pad drone, looped seamlessly (it is exactly periodic) and faded."""

    def __init__(
        self,
        total_samples: int,
        fade_in_ms: float = 3000.0,
        fade_out_ms: float = 3000.0,
        *,
        sample_rate: int = 44100,
    ) -> None:
        super().__init__(
            load_asset("pad", sample_rate),
            total_samples,
            fade_in_ms,
            fade_out_ms,
            sample_rate=sample_rate,
            crossfade_ms=0.0,
        )
