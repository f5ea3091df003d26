"""Temp-file mechanics: names, locks, folder checks and error texts.

Every file voicecoach writes on its way to an output lives beside that output under a
name that carries the run's *tag* (``PID-RANDOM``, unique across PID namespaces and
hosts): ``.STEM.voicecoach-TAG.KIND.SUFFIX``, where KIND is ``part`` (a temp file),
``bak`` (a hard-link backup of a file being replaced) or ``journal`` (see
`voicecoach.outputs`). The name is bounded in length (a long stem is cut and a hash
of the full name added), so any legal output name has a legal temp name.

A run that writes in a folder first holds an OS lock (``flock``) on
``.voicecoach-TAG.lock`` there; the kernel drops it when the process ends however it
ends (on NFS, the server drops it when the client's lease ends). Cleanup
(`voicecoach.outputs.clean_stale_temps`) treats a tag as dead only when it can take
that lock itself, so a render in another container or on another host sharing the
folder is never mistaken for a dead one. A tag without any lock file (written by an
older voicecoach) is removed once all its files are over an hour old.

The transaction that uses these names is `voicecoach.outputs.OutputTransaction`
(this module sits below it and imports nothing of it).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from voicecoach.errors import AudioError

_MARK = ".voicecoach-"
# The longest stem kept in a temp name, in bytes (file names may be 255 bytes).
_STEM_BYTES = 48
_SUFFIX_BYTES = 16
# A tag with no lock file is stale once all its files are this old (seconds).
STALE_AGE_S = 3600.0
KINDS = ("part", "bak", "journal", "lock", "newlock", "newjournal")
# flock errors that mean "this file system has no locks" (some FUSE and SMB mounts)
_NO_LOCKS = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)
_NAME = re.compile(
    r"^\.(?:.*\.)?voicecoach-(?P<tag>[0-9]+(?:-[0-9a-f]+)?)\.(?P<kind>"
    + "|".join(KINDS)
    + r")(?:\..*)?$",
    re.DOTALL,
)


def new_tag() -> str:
    """A run's tag: our PID (for people reading `ls`) and 6 random hex digits."""
    return f"{os.getpid()}-{secrets.token_hex(3)}"


def parse_name(name: str) -> tuple[str, str] | None:
    """(tag, kind) for one of our temp names, else None."""
    found = _NAME.match(name)
    return (found["tag"], found["kind"]) if found else None


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8", "surrogateescape")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def temp_name(target: Path, tag: str, kind: str = "part") -> str:
    """``.STEM.voicecoach-TAG.KIND.SUFFIX``, at most about 100 bytes."""
    stem, suffix = target.stem, target.suffix
    short = _cut(stem, _STEM_BYTES)
    if short != stem or _cut(suffix, _SUFFIX_BYTES) != suffix:
        digest = hashlib.sha1(os.fsencode(target.name)).hexdigest()[:8]
        short = f"{short}~{digest}"
        suffix = _cut(suffix, _SUFFIX_BYTES)
    return f".{short}{_MARK}{tag}.{kind}{suffix}"


def lock_name(tag: str) -> str:
    return f"{_MARK}{tag}.lock"


def temp_path_for(target: Path, tag: str | None = None) -> Path:
    """A temp name beside `target`, ending in the same suffix."""
    return target.with_name(temp_name(target, tag or new_tag()))


# --- locks -----------------------------------------------------------------------------


def _flock(fd: int, *, blocking: bool) -> None:
    """An exclusive flock; ENOSYS where there is none (Windows: judged by age)."""
    try:
        import fcntl
    except ImportError:
        raise OSError(errno.ENOSYS, "no flock on this system") from None
    fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)


def hold_lock(path: Path, side: Path) -> int:
    """Create `path` already locked (flock, exclusive) and return the open descriptor.

    The file is created as `side` (same folder), locked, then renamed into place, so
    no one ever sees it unlocked. `release_lock` lets go.
    """
    fd = os.open(side, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            _flock(fd, blocking=True)
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                raise
            # a file system without locks: the file still marks the run (age rule)
        os.replace(side, path)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            side.unlink()
        raise
    return fd


def try_lock(path: Path) -> int | None:
    """The descriptor of `path` locked by us, or None when another process holds it.

    None too when the file cannot be opened (gone, or not ours to open): then it is
    not ours to judge.
    """
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_RDWR | nofollow)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY | nofollow)
        except OSError:
            return None
    try:
        _flock(fd, blocking=False)
    except OSError as exc:
        if exc.errno in _NO_LOCKS and older_than([path]):
            return fd  # no locks here: judged by age
        os.close(fd)
        return None
    return fd


def release_lock(path: Path, fd: int) -> None:
    """Remove the lock file, then let go of the lock."""
    with contextlib.suppress(OSError):
        path.unlink()
    with contextlib.suppress(OSError):
        os.close(fd)


def older_than(paths: list[Path], age_s: float = STALE_AGE_S) -> bool:
    """True when every path (not following links) was last changed over `age_s` ago."""
    now = time.time()
    for path in paths:
        try:
            if now - path.lstat().st_mtime < age_s:
                return False
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


# --- checks and messages --------------------------------------------------------------------


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
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"{target}: the disk is full. free some space or write elsewhere."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied. choose a folder you can write to."
    if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST) and target.is_dir():
        return f"{target}: is a folder. remove it or choose another output path."
    if exc.errno == errno.ENAMETOOLONG:
        return f"{target}: the file name is too long. choose a shorter output name."
    return f"{target}: could not write the file ({exc.strerror or exc}). check the path."
