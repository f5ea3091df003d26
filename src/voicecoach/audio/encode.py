"""Stream PCM blocks into ffmpeg, which encodes the session while mixing goes on.

The lead renders into a temporary path and renames it; this module only ever writes
the path it is given, and removes it again when anything fails.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import numpy as np

from voicecoach.audio.bitrate import check_bitrate
from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S, find_ffmpeg, stalled_error
from voicecoach.audio.tags import ffmetadata, write_mp3_tags, write_vorbis_tags
from voicecoach.chapter import Chapter
from voicecoach.childproc import spawn, stop
from voicecoach.errors import AudioError
from voicecoach.scratch import scratch_dir

SUPPORTED_FORMATS: tuple[str, ...] = ("mp3", "wav", "flac", "ogg", "m4a")
_MUXERS = {"mp3": "mp3", "wav": "wav", "flac": "flac", "ogg": "ogg", "m4a": "ipod"}
# ffmpeg stalls when it takes none of the audio offered for FFMPEG_TIMEOUT_S, or does
# not finish that long after the end of the audio (RenderOptions.ffmpeg_timeout_s).
_CHUNK = 1 << 16  # bytes per pipe write: each one that ffmpeg takes is progress
# Blocks waiting for the writer thread: mixing runs ahead of the pipe by this many.
_QUEUE_BLOCKS = 4
_PIPE_BYTES = 1 << 20  # a one-second stereo float block is 353 KB; Linux's default is 64 KB
_F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ (Linux), spelled out for Python < 3.10 stubs


def normalize_format(fmt: str) -> str:
    """'MP3' / '.mp3' -> 'mp3'; unsupported -> AudioError naming the supported ones."""
    name = fmt.lower().lstrip(".")
    if name not in SUPPORTED_FORMATS:
        shown = f".{name}" if name else "(none)"
        known = ", ".join("." + f for f in SUPPORTED_FORMATS)
        raise AudioError(f"unsupported output format {shown}. Use one of: {known}.")
    return name


def format_for_path(path: str | Path) -> str:
    """The output format implied by a file name's suffix."""
    return normalize_format(Path(path).suffix)


def encoder_makeup_db(fmt: str, bitrate: str = "128k") -> float:
    """Gain to add before encoding so the *decoded* file has the measured loudness.

    libmp3lame at 192 kbps and below decodes about 0.45 dB quieter than its input
    (measured with ffmpeg's ebur128 on sines, noise and speech); the other encoders
    keep the level within 0.1 dB.
    """
    if normalize_format(fmt) == "mp3" and int(str(bitrate).rstrip("k")) <= 192:
        return 0.45
    return 0.0


def codec_args(fmt: str, bitrate: str) -> list[str]:
    """ffmpeg's codec options for ``fmt`` at ``bitrate`` (the Encoder's, and the benchmark's)."""
    if fmt == "mp3":
        # CBR, so players compute the right length; the LAME "Info" frame keeps the
        # encoder delay so decoders trim it and the length stays sample-exact.
        return ["-c:a", "libmp3lame", "-b:a", bitrate, "-id3v2_version", "0", "-write_id3v1", "0"]
    if fmt == "wav":
        return ["-c:a", "pcm_s16le"]
    if fmt == "flac":
        return ["-c:a", "flac"]
    if fmt == "ogg":
        return ["-c:a", "libvorbis", "-b:a", bitrate]
    return ["-c:a", "aac", "-b:a", bitrate, "-movflags", "+faststart"]


class Encoder:
    """Context manager: ``with Encoder(tmp, "mp3") as enc: enc.write(block) ...``.

    Blocks are float32 (samples, channels) at ``sample_rate``. Metadata keys are
    title/artist/album/genre/comment; chapters are (title, start_ms, end_ms). MP3 gets
    ID3v2.3 tags with CHAP/CTOC after encoding; other formats get them from an
    ffmetadata file at encode time (WAV keeps tags only).
    """

    def __init__(
        self,
        path: str | Path,
        fmt: str | None = None,
        sample_rate: int = 44100,
        channels: int = 2,
        bitrate: str = "128k",
        metadata: Mapping[str, str] | None = None,
        chapters: Sequence[Chapter] | None = None,
        *,
        ffmpeg: str | None = None,
        timeout_s: float = FFMPEG_TIMEOUT_S,
    ) -> None:
        self.path = Path(path)
        self.fmt = normalize_format(fmt if fmt is not None else self.path.suffix)
        self.bitrate = check_bitrate(self.fmt, bitrate)
        self.sample_rate = sample_rate
        self.channels = channels
        self.metadata = dict(metadata or {})
        self.chapters = list(chapters or [])
        self._ffmpeg = ffmpeg
        self.timeout_s = timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: collections.deque[str] = collections.deque(maxlen=12)
        self._drain: threading.Thread | None = None
        self._meta_file: Path | None = None
        self.samples_written = 0
        self._closed = False
        # A writer thread feeds ffmpeg, so the caller computes the next block while the
        # pipe write waits on the encoder (the two run on different cores).
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE_BLOCKS)
        self._writer: threading.Thread | None = None
        # Plain attributes, no locks: a signal's exception in the caller can never leave
        # them held, so abort() always gets the writer to stop.
        self._write_failed = False
        self._stopping = False
        self._offered_since: float | None = None  # a pipe write waits on ffmpeg since

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> Encoder:
        try:
            self.open()
        except BaseException:  # __exit__ will not run: stop a started ffmpeg here
            self.abort()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def open(self) -> None:
        """Start ffmpeg (done by ``__enter__`` or the first ``write``)."""
        if self._proc is not None:
            return
        parent = self.path.parent
        if not parent.is_dir():
            raise AudioError(
                f"output folder does not exist: {parent}. Create it or choose another output path."
            )
        exe = self._ffmpeg or find_ffmpeg()
        cmd = [exe, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y"]
        cmd += [
            "-f",
            "f32le",
            "-ar",
            str(self.sample_rate),
            "-ac",
            str(self.channels),
            "-i",
            "pipe:0",
        ]
        if self.fmt in ("m4a", "wav") and (self.metadata or self.chapters):
            fd, name = tempfile.mkstemp(suffix=".ffmeta", dir=scratch_dir())
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(ffmetadata(self.metadata, self.chapters if self.fmt != "wav" else ()))
            self._meta_file = Path(name)
            cmd += ["-f", "ffmetadata", "-i", name, "-map_metadata", "1", "-map_chapters", "1"]
        cmd += ["-map", "0:a", "-ar", str(self.sample_rate), "-ac", str(self.channels)]
        cmd += codec_args(self.fmt, self.bitrate)
        cmd += ["-f", _MUXERS[self.fmt], str(self.path)]
        try:
            # Ctrl-C reaches only us (abort() then stops ffmpeg); if we are killed,
            # the kernel kills ffmpeg too, so no orphan writes the temp file on
            spawn(
                cmd,
                keep=self._keep,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            self._cleanup_files()
            raise AudioError(
                f"cannot start ffmpeg ({exe}): {exc.strerror or exc}. "
                "Install ffmpeg or reinstall voicecoach with imageio-ffmpeg."
            ) from exc
        assert self._proc is not None
        self._drain = threading.Thread(target=self._read_stderr, name="ffmpeg-stderr", daemon=True)
        self._drain.start()
        _grow_pipe(self._proc.stdin)
        self._writer = threading.Thread(target=self._write_loop, name="ffmpeg-stdin", daemon=True)
        self._writer.start()

    def _keep(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc

    def _write_loop(self) -> None:
        """Feed ffmpeg in chunks; the time a chunk waits on ffmpeg is watched for stalls.

        Ends on None (the end of the audio), on a failed write, or when abort() stops it.
        """
        assert self._proc is not None and self._proc.stdin is not None
        fd = self._proc.stdin.fileno()
        while not self._stopping:
            try:
                data = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue  # waiting for our own mixing is never a stall
            if data is None:
                return
            view = memoryview(data)
            self._offered_since = time.monotonic()
            try:
                while view and not self._stopping:
                    view = view[os.write(fd, view[:_CHUNK]) :]
                    self._offered_since = time.monotonic()
            except OSError:  # ffmpeg exited or was killed
                self._write_failed = True
                return
            finally:
                self._offered_since = None

    def _check_stall(self) -> None:
        since = self._offered_since
        if since is not None and time.monotonic() - since > self.timeout_s:
            self._stalled(f"it accepted no audio for {self.timeout_s:g} s")

    def _put(self, item: bytes | None) -> None:
        """Hand one item to the writer; gives up when the writer is gone."""
        while self._writer is not None and self._writer.is_alive():
            self._check_stall()
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _finish_writer(self) -> None:
        """Wait until everything queued is written (or the writer failed or stalled)."""
        if self._writer is not None:
            self._put(None)
            while self._writer.is_alive():
                self._check_stall()
                self._writer.join(timeout=0.2)
            self._writer = None

    def _read_stderr(self) -> None:
        # Drained continuously so ffmpeg never blocks on a full stderr pipe.
        assert self._proc is not None and self._proc.stderr is not None
        for raw in self._proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self._stderr.append(line)

    def write(self, block: np.ndarray) -> None:
        """Encode one block of float audio shaped (samples, channels)."""
        if self._closed:
            raise RuntimeError("Encoder.write after close")
        self.open()
        assert self._proc is not None and self._proc.stdin is not None
        data = np.asarray(block)
        if data.ndim != 2 or data.shape[1] != self.channels:
            raise ValueError(f"blocks must be shaped (samples, {self.channels}), got {data.shape}")
        if len(data) == 0:
            return
        if not np.isfinite(data).all():  # a bug upstream: every input is checked when read
            at = self.samples_written / self.sample_rate
            raise ValueError(f"NaN or infinite samples in the block at {at:.1f} s; not encoded")
        if self._write_failed:
            self._fail("ffmpeg stopped reading")
        self._put(np.ascontiguousarray(data, dtype="<f4").tobytes())
        self.samples_written += len(data)

    def close(self) -> None:
        """Finish encoding, check ffmpeg's result, then tag (MP3). Raises AudioError."""
        if self._closed:
            return
        self.open()
        assert self._proc is not None and self._proc.stdin is not None
        self._finish_writer()
        if self._write_failed:
            self._fail("ffmpeg stopped reading")
        with contextlib.suppress(OSError):
            self._proc.stdin.close()
        try:  # ffmpeg only finishes the tail after stdin closes
            code = self._proc.wait(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            self._stalled(f"it did not finish within {self.timeout_s:g} s after the audio ended")
        if self._drain is not None:
            self._drain.join(timeout=5)
        if code != 0:
            self._fail(f"exit code {code}")
        if not self.path.is_file() or self.path.stat().st_size == 0:
            self._fail("no output was written")
        self._closed = True
        self._cleanup_files()
        # mutagen tags MP3 (ID3v2.3 + CHAP/CTOC) and OGG/FLAC (Vorbis comments +
        # CHAPTERnnn): ffmpeg's muxers drop chapters there
        writer = {"mp3": write_mp3_tags, "ogg": write_vorbis_tags, "flac": write_vorbis_tags}.get(
            self.fmt
        )
        if writer is not None and (self.metadata or self.chapters):
            try:
                writer(self.path, chapters=self.chapters, **_tag_kwargs(self.metadata))
            except BaseException:
                self._remove_output()
                raise

    def abort(self) -> None:
        """Stop ffmpeg and delete everything written (used on any failure).

        Every wait here is bounded, and none depends on the queue: a signal's exception
        may have hit the caller inside it.
        """
        self._closed = True
        self._stopping = True  # the writer drops whatever is still queued
        proc = self._proc
        if proc is not None:
            stop(proc)  # ffmpeg and anything it started; a pending pipe write fails at once
        if self._writer is not None:
            self._writer.join(timeout=5)
            self._writer = None
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if self._drain is not None:
            self._drain.join(timeout=5)
        self._cleanup_files()
        self._remove_output()

    # -- helpers -----------------------------------------------------------------

    def _fail(self, reason: str) -> NoReturn:
        self.abort()
        said = " | ".join(self._stderr) or "nothing"
        raise AudioError(
            f"ffmpeg failed to write {self.path} ({reason}); ffmpeg said: {said}. "
            "Check free disk space and that the output folder is writable."
        )

    def _stalled(self, what: str) -> NoReturn:
        self.abort()
        raise stalled_error(self._ffmpeg or find_ffmpeg(), f"writing {self.path}", what)

    def _remove_output(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _cleanup_files(self) -> None:
        if self._meta_file is not None:
            with contextlib.suppress(FileNotFoundError):
                self._meta_file.unlink()
            self._meta_file = None


def _grow_pipe(pipe: object) -> None:
    """Enlarge the pipe into ffmpeg (Linux), so a whole block fits without a wait."""
    try:
        import fcntl

        fileno = getattr(pipe, "fileno", None)
        if fileno is not None:
            fcntl.fcntl(fileno(), _F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, OSError, ValueError):
        pass  # not Linux, or over /proc/sys/fs/pipe-max-size: the default pipe works


def _tag_kwargs(metadata: Mapping[str, str]) -> dict[str, str | None]:
    keys = ("title", "artist", "album", "genre", "comment")
    return {k: metadata.get(k) for k in keys}
