"""Outputs appear whole or not at all.

Everything is written to a temporary file beside the target (same folder, so the
final `os.replace` is atomic) whose name carries our PID; a later run removes
leftovers whose process is gone (after a SIGKILL, say).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from voicecoach.errors import AudioError

_MARK = ".voicecoach-"


def temp_path_for(target: Path) -> Path:
    """A temp name beside `target`, ending in the same suffix (ffmpeg reads it)."""
    return target.with_name(f".{target.stem}{_MARK}{os.getpid()}.part{target.suffix}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files left by renders that died; returns what was removed."""
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".*{_MARK}*.part*"))
    except OSError:
        return removed
    for path in candidates:
        pid_text = path.name.split(_MARK, 1)[1].split(".part", 1)[0]
        if not pid_text.isdigit() or (_pid_alive(int(pid_text)) and int(pid_text) != os.getpid()):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def check_output_folder(target: Path) -> None:
    """Refuse early (before any work) when the output cannot be written."""
    folder = target.parent
    if not folder.exists():
        raise AudioError(
            f"{target}: the folder {folder} does not exist. create it first or choose "
            "another output path."
        )
    if not folder.is_dir():
        raise AudioError(f"{target}: {folder} is not a folder. choose another output path.")
    if target.exists() and target.is_dir():
        raise AudioError(f"{target}: is a folder. give a file name such as session.mp3.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AudioError(
            f"{target}: the folder {folder} is not writable. choose another output path."
        )


def describe_os_error(target: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"{target}: the disk is full. free some space or write elsewhere."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied. choose a folder you can write to."
    return f"{target}: could not write the file ({exc.strerror or exc}). check the path."


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temp path; on success it replaces `target`, on any failure it is removed."""
    temp = temp_path_for(target)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_target(target) as temp:
        try:
            temp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise AudioError(describe_os_error(target, exc)) from exc
