"""The command line: thin over the library API.

Each command parses options, calls one library function and turns a
`VoicecoachError` into a clear message on stderr with exit code 1. Exit codes
(README, "Exit codes"): 0 ok, 1 bad input or a fixable failure, 2 usage, 70 internal
error, 130 interrupted. Everything printed goes through `echo`, which shows control
characters escaped.

`app` holds the group and its error handling, `options` the options commands share;
each other module holds commands of one kind, registered on the group when imported.
"""

from __future__ import annotations

from voicecoach.startup import quiet_interrupts, restore_interrupts

quiet_interrupts()  # Ctrl-C during the imports below: one line, exit 130

from voicecoach.cli import browse_cmd, files_cmd, plan_cmd, render_cmd  # noqa: E402
from voicecoach.cli.app import (  # noqa: E402
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    cli,
    echo,
    main,
)

restore_interrupts()

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "browse_cmd",
    "cli",
    "echo",
    "files_cmd",
    "main",
    "plan_cmd",
    "render_cmd",
]
