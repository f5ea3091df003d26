"""Locate the ffmpeg binary (the one lookup every caller uses) and run it, bounded.

ffmpeg runs as a separate program (it is never linked). ``$VOICECOACH_FFMPEG`` chooses
the binary; otherwise the one shipped in the ``imageio-ffmpeg`` wheel comes first, so
a plain ``pip install`` is enough and every machine encodes with the ffmpeg the tests
measured (bitrate ranges, AAC padding), and a system ffmpeg on PATH is the fallback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import IO

from voicecoach.childproc import spawn, stop
from voicecoach.errors import AudioError

ENV_VAR = "VOICECOACH_FFMPEG"

# An ffmpeg that makes no progress for this long has stalled and is stopped
# (RenderOptions.ffmpeg_timeout_s, `render --ffmpeg-timeout`).
FFMPEG_TIMEOUT_S = 60.0

_HOW_TO_FIX = (
    "Install ffmpeg and put it on PATH, reinstall voicecoach so its "
    "imageio-ffmpeg binary is present (`pip install imageio-ffmpeg`), "
    f"or set {ENV_VAR} to the ffmpeg program"
)


@functools.lru_cache(maxsize=1)
def find_ffmpeg() -> str:
    """Path of the ffmpeg program: $VOICECOACH_FFMPEG, imageio-ffmpeg's, then PATH."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise AudioError(
            f"{ENV_VAR} names {explicit!r}, which is not an executable file. {_HOW_TO_FIX}."
        )
    try:
        import imageio_ffmpeg

        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception as exc:  # ImportError or imageio's RuntimeError: no binary
        on_path = shutil.which("ffmpeg")
        if on_path:
            return on_path
        raise AudioError(f"ffmpeg was not found ({exc}). {_HOW_TO_FIX}.") from exc
    if not os.path.isfile(exe):
        on_path = shutil.which("ffmpeg")
        if on_path:
            return on_path
        raise AudioError(f"ffmpeg was not found (no file at {exe}). {_HOW_TO_FIX}.")
    return exe


def stalled_error(exe: str, doing: str, what: str) -> AudioError:
    """The error for an ffmpeg that was stopped because it stalled."""
    return AudioError(
        f"ffmpeg stalled while {doing}: {what}, so it was stopped. Check that {exe} is "
        "a working ffmpeg, or give it more time with --ffmpeg-timeout."
    )


def run_ffmpeg(
    args: Sequence[str], *, doing: str, timeout_s: float = FFMPEG_TIMEOUT_S
) -> tuple[int, bytes, bytes]:
    """Run ffmpeg with ``args`` to its end: (exit code, stdout, stderr).

    Bounded: when ffmpeg writes nothing (stdout or stderr) for ``timeout_s`` seconds it
    has stalled; it is stopped and an AudioError names it and what it was ``doing``
    ("decoding the music file x.mp3"). No child is left behind, whatever happens.
    OSError (the program cannot be started) propagates.
    """
    exe = find_ffmpeg()
    kept: list[subprocess.Popen[bytes]] = []
    out: list[bytes] = []
    err: list[bytes] = []
    last = [time.monotonic()]  # when ffmpeg last wrote anything

    def pump(stream: IO[bytes], into: list[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := os.read(stream.fileno(), 1 << 16):
                into.append(chunk)
                last[0] = time.monotonic()

    readers: list[threading.Thread] = []
    try:
        proc = spawn(
            [exe, *args],
            keep=kept.append,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        for stream, into in ((proc.stdout, out), (proc.stderr, err)):
            readers.append(threading.Thread(target=pump, args=(stream, into), daemon=True))
            readers[-1].start()
        while any(r.is_alive() for r in readers):  # until both pipes are at their end
            if time.monotonic() - last[0] > timeout_s:
                raise stalled_error(exe, doing, f"it made no progress for {timeout_s:g} s")
            for reader in readers:
                reader.join(timeout=0.1)
        try:
            code = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:  # closed its output but did not exit
            raise stalled_error(exe, doing, f"it did not exit for {timeout_s:g} s") from None
        return code, b"".join(out), b"".join(err)
    finally:
        for proc in kept:
            if proc.poll() is None:
                stop(proc)
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        for reader in readers:
            reader.join(timeout=1)
