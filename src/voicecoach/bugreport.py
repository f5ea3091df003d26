"""The one line the command prints for an internal error (a bug; exit code 70).

A `VoicecoachError` is the user's to fix (exit 1); anything else that reaches the
command is ours. The line says so, and how to report it: with the traceback that the
same command prints under `--debug`, to the issue tracker the package names (its
`Project-URL: Issues, ...` metadata), if it names one.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from voicecoach.textsafe import printable

_TRACKER_LABELS = ("issues", "bug tracker", "bugs", "issue tracker")


def issue_tracker() -> str | None:
    """The issue tracker's address from the installed package's metadata, if any."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls: list[str] = metadata("voicecoach").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in _TRACKER_LABELS and url.strip():
            return url.strip()
    return None


def internal_error_line(exc: BaseException, args: Sequence[str]) -> str:
    """`error: internal error: ...` for `exc`, raised by `voicecoach ARGS...`."""
    tracker = issue_tracker()
    where = f" at {tracker}" if tracker else ""
    again = shlex.join(["voicecoach", "--debug", *args])
    what = printable(f"{type(exc).__name__}: {exc}", keep_newlines=False)
    return (
        f"error: internal error: {what}. this is a bug in voicecoach, "
        f"not a problem with your input; please report it{where} with the traceback "
        f"that this prints: {printable(again, keep_newlines=False)}"
    )
