"""Child processes that start safely and die with us.

A render streams audio into ffmpeg and runs speech engines in workers. Every one of
them is started by `spawn`, which closes three gaps:

- A signal while the child starts. Between ``fork`` and ``exec`` the child runs Python
  code (``preexec_fn``); a Ctrl-C to the job there prints "Exception ignored in
  _after_fork" and a traceback on the user's terminal. And a Ctrl-C that interrupts
  the parent inside ``Popen()`` loses the handle, so the cleanup kills nothing and an
  orphaned ffmpeg writes its temporary file after the cleanup ran. `spawn` therefore
  blocks SIGINT, SIGTERM and SIGHUP in the calling thread (the child inherits the
  mask) and, on the main thread, turns their Python handlers into "note it for later"
  until the caller holds the handle; then the noted signals are delivered.
- Our death. If voicecoach is killed (SIGKILL, the OOM killer) its children must not
  live on. On Linux the kernel sends the child SIGKILL when the thread that started
  it ends (``PR_SET_PDEATHSIG``), so call `spawn` from a thread that outlives the
  child (the main thread does). Elsewhere the next run's cleanup of stale temp files
  is the net.
- Terminal signals. The child gets a session of its own: Ctrl-C, Ctrl-Z and a
  hang-up reach only voicecoach, which stops its children itself, in order (ffmpeg
  never finishes a file behind our back), and can kill a child's whole process group.

In the child, after the death signal is set, a held signal that was meant for our job
is discarded, the three signals get their default action back (or stay ignored, under
nohup) and are unblocked, so ffmpeg answers Ctrl-C and SIGTERM as usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import Any

_PR_SET_PDEATHSIG = 1
_SIG_DFL = 0
_SIG_IGN = 1

HELD_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

Keep = Callable[["subprocess.Popen[Any]"], None]


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def _child_setup() -> Callable[[], None] | None:
    """The ``preexec_fn``: die with the parent, then take the held signals again.

    Everything it needs is resolved here, in the parent; the child (after fork) only
    makes the calls.
    """
    if os.name != "posix":
        return None
    libc = _libc()
    prctl = getattr(libc, "prctl", None) if sys.platform.startswith("linux") else None
    reset = getattr(libc, "signal", None)
    if reset is not None:
        reset.argtypes = [ctypes.c_int, ctypes.c_void_p]
        reset.restype = ctypes.c_void_p
    unblock = getattr(signal, "pthread_sigmask", None)
    parent = os.getpid()
    # what the child gets: the default action, unless we ignore the signal (nohup)
    actions = [
        (int(s), _SIG_IGN if signal.getsignal(s) == signal.SIG_IGN else _SIG_DFL)
        for s in HELD_SIGNALS
    ]

    def preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
        if reset is not None:
            # A signal that waits in the mask was sent to our job before the child had
            # a session of its own: ignoring it discards it. Then the C-level action
            # (no Python handler runs in the child before exec).
            for signum, action in actions:
                reset(signum, _SIG_IGN)
                reset(signum, action)
        if unblock is not None:
            unblock(signal.SIG_UNBLOCK, HELD_SIGNALS)

    return preexec


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for subprocess.Popen: the child gets SIGKILL when we die.

    Prefer `spawn`, which also keeps a signal from orphaning a starting child.
    """
    return _child_setup()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP off this thread; deliver them on the way out.

    The mask keeps the kernel from delivering them to this thread (and to a child forked
    here). A process-directed signal may still land on another thread (numpy's BLAS
    threads, say), whose C handler asks the main thread to run the Python handler; so
    on the main thread the Python handlers are swapped for one that only notes the
    signal, and the noted signals are raised again when the block ends.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    noted: list[int] = []
    swapped: dict[int, Any] = {}

    def note(signum: int, frame: FrameType | None) -> None:
        noted.append(signum)

    if threading.current_thread() is threading.main_thread():
        for signum in HELD_SIGNALS:
            handler = signal.getsignal(signum)
            if callable(handler):
                swapped[signum] = handler
                signal.signal(signum, note)
    old_mask = mask(signal.SIG_BLOCK, HELD_SIGNALS) if mask is not None else None
    try:
        yield
    finally:
        for held, handler in swapped.items():
            signal.signal(held, handler)
        if mask is not None and old_mask is not None:
            mask(signal.SIG_SETMASK, old_mask)  # what waited in the mask is delivered now
        for arrived in dict.fromkeys(noted):
            signal.raise_signal(arrived)


def spawn(cmd: Sequence[str], *, keep: Keep, **popen_kwargs: Any) -> subprocess.Popen[Any]:
    """Start ``cmd`` (as subprocess.Popen would) safely; ``keep`` stores the handle.

    ``keep(proc)`` runs before any signal that arrived meanwhile is delivered, so the
    caller's cleanup always finds the child to stop. The child has a session of its
    own and dies with the calling thread (see the module's docstring). OSError from
    Popen (no such program, say) propagates.
    """
    preexec = _child_setup()  # before holding: it may look up libc (a short child)
    with signals_held():
        proc: subprocess.Popen[Any] = subprocess.Popen(
            list(cmd),
            start_new_session=os.name == "posix",
            preexec_fn=preexec,
            **popen_kwargs,
        )
        keep(proc)
    return proc


def stop(proc: subprocess.Popen[Any], wait_s: float = 10.0) -> None:
    """Kill a child from `spawn` and everything it started, and reap it.

    The child leads a process group of its own, so the whole group gets SIGKILL (a
    shell script's `sleep` would otherwise hold its pipes open); then it is waited for,
    at most ``wait_s`` seconds.
    """
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass  # gone already
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=wait_s)
