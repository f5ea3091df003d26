"""Which kind of voicecoach file a path is: a routine, a client file or a program.

`validate` and `render` tell them apart by their top-level keys (before any full
check, so each kind gets its own messages): a program has ``weeks:``, a routine has
``exercises:`` or ``sections:``, and a client file has neither but some of its own
keys (``level:``, ``weak_side:``, ``voice:`` ...).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

if TYPE_CHECKING:
    from voicecoach.routine.readers import FieldReader
    from voicecoach.routine.yamlsrc import YNode

Kind = Literal["routine", "client", "program"]


def kind_of(source: str | os.PathLike[str]) -> Kind:
    """The file's kind; a built-in name is a program or a routine. Anything unreadable
    or unclear is "routine", so the routine loader gives its usual located message."""
    from voicecoach.programs import builtin_program_names

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
    from voicecoach.clients import CLIENT

    client_only = {key.name for key in CLIENT} - {"name", "author"}
    return "client" if client_only & set(top) or set(top) == {"name"} else "routine"


def check_document(source: str) -> str | None:
    """For `validate`: None for a routine (checked by the caller), else a client file
    or program checked in full (every routine of a program loaded and planned with
    its overrides), described in a few words. Raises RoutineError when invalid."""
    kind = kind_of(source)
    if kind == "client":
        from voicecoach.clients import load_client

        client = load_client(source)
        return f"client file for {client.name}"
    if kind == "program":
        from dataclasses import replace

        from voicecoach.cues.spoken import plural
        from voicecoach.pipeline import plan_routine
        from voicecoach.programs import load_program
        from voicecoach.routine import load_routine

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


def read_document(path: Path, label: str, what: str) -> bytes:
    """The bytes of a client file or program, refusing folders and pipes (never
    opened: a read would wait forever) and files over the routine size limit."""
    from voicecoach.errors import Problem, RoutineError
    from voicecoach.filekind import special_kind
    from voicecoach.routine import limits, yamlsrc

    kind = special_kind(path)
    problem = f"'{label}' is not a regular file: it is {kind}" if kind else None
    if problem is None:
        try:
            if path.stat().st_size > limits.MAX_FILE_BYTES:
                raise yamlsrc.too_large(label, path.stat().st_size)
            return path.read_bytes()
        except OSError as exc:
            problem = f"cannot read {what} '{label}': {exc.strerror or exc}"
    raise RoutineError.collect([Problem(problem, hint=f"give the path of a {what} (.yaml)")])


def document_root(data: bytes, label: str, reader: FieldReader, what: str, hint: str) -> YNode:
    """The parsed top of a client file or program, which must be a mapping of keys
    (else one located problem, raised): ``what`` names it ("a program"), ``hint``
    says how to start one."""
    from voicecoach.errors import RoutineError
    from voicecoach.routine import yamlsrc
    from voicecoach.routine.fields import show

    root = yamlsrc.parse(yamlsrc.decode(data, label), label)
    if root.kind != "map":
        reader.add(root, "", f"{what} must be a mapping of keys, got {show(root)}", hint)
        raise RoutineError.collect(reader.problems)
    return root
