"""Signals that stop the command: one line, an exit code, never a traceback.

Ctrl-C (SIGINT), SIGTERM (`kill`, a service manager) and SIGHUP (the terminal closed)
all stop a render the same way: the cleanup runs (ffmpeg and workers are stopped,
temp files removed), one line goes to stderr, and the exit code is 128 + the signal
number (130, 143, 129).

- While the command starts up (importing numpy, the audio layer and the engines takes
  a few tenths of a second) nothing has been written yet: the quiet handler writes the
  line and leaves at once.
- Once the command runs (`take_over_signals`, called by the CLI inside its error
  handling), the first signal raises KeyboardInterrupt or `Terminated`, so every
  `finally` and context manager cleans up; signals that follow are ignored, so the
  cleanup is not cut short.

The quiet handlers are only installed for the `voicecoach` command (and by cli.py
around its own imports); library users keep their own signal handling.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

INTERRUPTED = "interrupted; nothing was left half-written."

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived; like KeyboardInterrupt, not an Exception."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_message(signum: int) -> str:
    """The one line printed when a signal stops the command."""
    if signum == signal.SIGINT:
        return INTERRUPTED
    return f"stopped by {signal.Signals(signum).name}; nothing was left half-written."


def exit_code(signum: int) -> int:
    return 128 + int(signum)


def _exit_quietly(signum: int, frame: FrameType | None) -> None:
    # nothing has been written yet: leave at once
    try:
        sys.stderr.write(stop_message(signum) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # SIGHUP: the terminal may be gone
        pass
    os._exit(exit_code(signum))


def _ignore_more(signum: int, frame: FrameType | None) -> None:
    """A second signal while the first one's cleanup runs."""


def _stop(signum: int, frame: FrameType | None) -> None:
    for other in STOP_SIGNALS:
        if signal.getsignal(other) is _stop:
            signal.signal(other, _ignore_more)  # the cleanup must not be cut short
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def running_as_command() -> bool:
    """True when the process is the `voicecoach` console script."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name.lower().removesuffix(".exe").removesuffix("-script.py") == "voicecoach"


def _default(signum: int) -> Callable[[int, FrameType | None], Any] | int:
    return signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def quiet_interrupts() -> None:
    """Until `restore_interrupts` or `take_over_signals`: one line and exit at once."""
    if _on_main_thread():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is _default(signum):
                signal.signal(signum, _exit_quietly)


def restore_interrupts() -> None:
    """Put back the defaults (when imported as a library; the command keeps the quiet
    handlers until `take_over_signals`, so no signal finds a gap)."""
    if _on_main_thread() and not running_as_command():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is _exit_quietly:
                signal.signal(signum, _default(signum))


def take_over_signals() -> None:
    """From here on a signal unwinds the command through its cleanup (see above).

    Only the quiet handlers of the command are replaced; elsewhere (tests, library use)
    the handlers stay as they are.
    """
    if _on_main_thread():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is _exit_quietly:
                signal.signal(signum, _stop)


def hand_back_signals() -> None:
    """After the command ran: a late signal only prints its line and exits."""
    if _on_main_thread():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) in (_stop, _ignore_more):
                signal.signal(signum, _exit_quietly)
