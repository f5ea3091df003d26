"""Ctrl-C while the command starts up: one line and exit 130, never a traceback.

Importing numpy, the audio layer and the speech engines takes a few tenths of a
second. A SIGINT in that window would otherwise print Python's KeyboardInterrupt
traceback. The quiet handler is only installed for the `voicecoach` command (and by
cli.py around its own imports) and is put back to Python's default once the imports
are done, so library users keep their own SIGINT handling.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

INTERRUPTED = "interrupted; nothing was left half-written."


def _exit_quietly(signum: int, frame: FrameType | None) -> None:
    # nothing has been written yet: leave at once
    sys.stderr.write(INTERRUPTED + "\n")
    os._exit(130)


def running_as_command() -> bool:
    """True when the process is the `voicecoach` console script."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name.lower().removesuffix(".exe").removesuffix("-script.py") == "voicecoach"


def quiet_interrupts() -> None:
    """Until `restore_interrupts`, SIGINT exits with one line and 130."""
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    ):
        signal.signal(signal.SIGINT, _exit_quietly)


def restore_interrupts() -> None:
    """Back to KeyboardInterrupt (which the CLI turns into the same line and 130)."""
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is _exit_quietly
    ):
        signal.signal(signal.SIGINT, signal.default_int_handler)
