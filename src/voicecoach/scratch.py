"""One private scratch folder per process in $TMPDIR, and the removal of dead ones.

Everything voicecoach puts in the temp folder (ffmpeg metadata files, the speech
worker's WAVs) goes into ``$TMPDIR/voicecoach-PID-RANDOM/``, made on first use. It
holds a ``lock`` file that this process keeps locked (``flock``) for its whole life,
and is removed when the process exits (normally, after Ctrl-C, or after SIGTERM /
SIGHUP handled like Ctrl-C). A SIGKILL leaves it behind, unlocked: the next run
(`clean_stale_scratch`, called when a scratch folder is made and by each render)
removes every ``voicecoach-*`` folder whose lock it can take, so parallel renders,
in this container or another sharing the folder, never delete each other's work.
Entries without a lock file (made by an older voicecoach: ``voicecoach-*.ffmeta``
files and ``voicecoach-speech-*`` folders) are removed once they are an hour old.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

from voicecoach.atomic import hold_lock, new_tag, older_than, release_lock, try_lock

PREFIX = "voicecoach-"
_LOCK = "lock"
_state_lock = threading.Lock()
_current: tuple[int, Path, int] | None = None  # (pid, folder, lock descriptor)


def scratch_dir() -> Path:
    """This process's private scratch folder in $TMPDIR (made, and locked, on first use)."""
    global _current
    with _state_lock:
        if _current is not None and _current[0] == os.getpid():
            return _current[1]
        clean_stale_scratch()
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{new_tag()}-"))
        try:
            fd = hold_lock(folder / _LOCK, folder / f"{_LOCK}.new")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if _current is None:
            atexit.register(remove_scratch)
        _current = (os.getpid(), folder, fd)
        return folder


def remove_scratch() -> None:
    """Remove this process's scratch folder now (done at exit anyway)."""
    global _current
    with _state_lock:
        if _current is None or _current[0] != os.getpid():
            return
        _pid, folder, fd = _current
        _current = None
    shutil.rmtree(folder, ignore_errors=True)
    release_lock(folder / _LOCK, fd)


def clean_stale_scratch(tmpdir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the ``voicecoach-*`` entries of dead runs from the temp folder."""
    folder = Path(tmpdir if tmpdir is not None else tempfile.gettempdir())
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(PREFIX)]
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for name in names:
        path = folder / name
        try:
            st = path.lstat()
        except OSError:
            continue
        if uid is not None and st.st_uid != uid:
            continue  # another user's: not ours to judge
        if stat.S_ISDIR(st.st_mode):
            if _remove_dead_folder(path):
                removed.append(path)
        elif stat.S_ISREG(st.st_mode) and older_than([path]):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _remove_dead_folder(path: Path) -> bool:
    lock = path / _LOCK
    if os.path.lexists(lock):
        fd = try_lock(lock)
        if fd is None:
            return False  # alive
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            release_lock(lock, fd)
        return not path.exists()
    if not older_than([path]):
        return False  # being made just now, or an older voicecoach's: wait an hour
    shutil.rmtree(path, ignore_errors=True)
    return not path.exists()
