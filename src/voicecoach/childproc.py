"""Child processes that die with us.

A render streams audio into ffmpeg and runs speech engines in workers. If voicecoach
is killed (SIGKILL, the OOM killer) those children must not live on: an orphaned
ffmpeg would finish writing a temporary file after we are gone. On Linux the kernel
can send a child a signal when its parent dies (``PR_SET_PDEATHSIG``); elsewhere
`die_with_parent` is None and the next run's cleanup of stale temp files is the net.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _linux_preexec() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # resolved here, in the parent: the child (after fork) only makes the call
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for subprocess.Popen: the child gets SIGKILL when we die."""
    return _linux_preexec()
