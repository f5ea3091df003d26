"""Which kind of voicecoach file a path is: a routine, a client file or a program.

`validate` and `render` tell them apart by their top-level keys (before any full
check, so each kind gets its own messages): a program has ``weeks:``, a routine has
``exercises:`` or ``sections:``, and a client file has neither but some of its own
keys (``level:``, ``weak_side:``, ``voice:`` ...).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml

from voicecoach.clients import CLIENT, load_client
from voicecoach.programs import builtin_program_names, load_program

Kind = Literal["routine", "client", "program"]


def kind_of(source: str | os.PathLike[str]) -> Kind:
    """The file's kind; a built-in name is a program or a routine. Anything unreadable
    or unclear is "routine", so the routine loader gives its usual located message."""
    label = os.fspath(source)
    path = Path(label)
    if not path.is_file():
        return "program" if label in builtin_program_names() else "routine"
    try:
        with path.open("rb") as f:
            head = f.read(1_000_000)
        top = yaml.safe_load(head)
    except (OSError, yaml.YAMLError, ValueError):
        return "routine"
    if not isinstance(top, dict):
        return "routine"
    if "weeks" in top:
        return "program"
    if "exercises" in top or "sections" in top:
        return "routine"
    client_only = {key.name for key in CLIENT} - {"name", "author"}
    return "client" if client_only & set(top) or set(top) == {"name"} else "routine"


def check_document(source: str) -> str | None:
    """For `validate`: None for a routine (checked by the caller), else a client file
    or program checked in full (every routine of a program loaded and planned with
    its overrides), described in a few words. Raises RoutineError when invalid."""
    kind = kind_of(source)
    if kind == "client":
        client = load_client(source)
        return f"client file for {client.name}"
    if kind == "program":
        from dataclasses import replace

        from voicecoach.cues.spoken import plural
        from voicecoach.pipeline import plan_routine  # numpy: only when it is needed
        from voicecoach.routine.loader import load_routine

        program = load_program(source)
        for session in program.sessions:
            routine = load_routine(session.routine)
            profile = replace(routine.profile, **session.overrides)
            plan_routine(replace(routine, profile=profile))
        return (
            f"program '{program.name}', {plural(len(program.sessions), 'session')} over "
            f"{plural(program.weeks, 'week')}"
        )
    return None
