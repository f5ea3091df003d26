"""Locate the ffmpeg binary and point pydub at it.

ffmpeg runs as a separate program (it is never linked). A system ffmpeg on PATH wins;
otherwise the binary shipped in the ``imageio-ffmpeg`` wheel is used, so a plain
``pip install`` is enough.
"""

from __future__ import annotations

import functools
import os
import shutil
import warnings
from typing import Any

from voicecoach.errors import AudioError

# pydub warns "Couldn't find ffmpeg or avconv" at import time when ffmpeg is not on
# PATH, although we configure it right after. Users must never see that warning.
warnings.filterwarnings("ignore", message=r"Couldn't find ff", category=RuntimeWarning)
warnings.filterwarnings("ignore", message=r"Couldn't find avconv", category=RuntimeWarning)

ENV_VAR = "VOICECOACH_FFMPEG"

_HOW_TO_FIX = (
    "Install ffmpeg and put it on PATH, reinstall voicecoach so its "
    "imageio-ffmpeg binary is present (`pip install imageio-ffmpeg`), "
    f"or set {ENV_VAR} to the ffmpeg program"
)


@functools.lru_cache(maxsize=1)
def find_ffmpeg() -> str:
    """Path of the ffmpeg program: $VOICECOACH_FFMPEG, PATH, then imageio-ffmpeg's."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise AudioError(
            f"{ENV_VAR} names {explicit!r}, which is not an executable file. {_HOW_TO_FIX}."
        )
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        import imageio_ffmpeg

        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception as exc:  # ImportError or imageio's RuntimeError: no binary
        raise AudioError(f"ffmpeg was not found ({exc}). {_HOW_TO_FIX}.") from exc
    if not os.path.isfile(exe):
        raise AudioError(f"ffmpeg was not found (no file at {exe}). {_HOW_TO_FIX}.")
    return exe


def configure_pydub() -> Any:
    """Import pydub with ffmpeg configured and its warnings silenced; return AudioSegment."""
    exe = find_ffmpeg()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    AudioSegment.converter = exe
    return AudioSegment
