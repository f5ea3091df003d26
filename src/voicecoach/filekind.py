"""What a path is when it is not a regular file, so inputs get the right message.

A folder, a named pipe (FIFO), a device or a socket given as a routine, cue pack or
music file is "not a regular file", not "not found"; and a FIFO is never opened (a
read would wait for a writer forever).
"""

from __future__ import annotations

import os
import stat

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """ "a folder", "a named pipe (FIFO)", ... for an existing path that is not a regular
    file (symlinks followed); None for a regular file or a path that does not exist."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "a special file")
