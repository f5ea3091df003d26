"""Routine YAML -> the validated, fully resolved `Routine` model.

Every problem in the file is collected (with file, line, column and key path) and
raised together as one `RoutineError`; nothing else escapes for bad input.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voicecoach.errors import Problem, RoutineError
from voicecoach.filekind import special_kind
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import yamlsrc
from voicecoach.routine.builder import RoutineBuilder
from voicecoach.routine.exercise_reader import located_order
from voicecoach.routine.fields import show
from voicecoach.routine.model import Routine
from voicecoach.text import did_you_mean


def load_routine(
    source: str | os.PathLike[str],
    *,
    overrides: Mapping[str, Any] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Routine:
    """Load a routine file, or a built-in routine by name (e.g. ``low-back-reset``).

    ``overrides`` are merged over the file before validation, as if written in it
    (nested mappings, or dotted keys like ``{"profile.weak_side": "left"}``).
    ``limits``: the ceilings the file is checked against.
    """
    from voicecoach.routine.builtins import builtin_names, read_builtin

    path = Path(os.fspath(source))
    label = os.fspath(source)
    kind = special_kind(path)
    if kind is not None:
        raise RoutineError.collect(
            [
                Problem(
                    f"'{label}' is not a regular file: it is {kind}",
                    hint="give the path of a .yaml routine file",
                )
            ]
        )
    if path.is_file():
        try:
            size = path.stat().st_size
            if size > limits.max_file_bytes:  # refuse before reading it all into memory
                raise yamlsrc.too_large(label, size, limits)
            data = path.read_bytes()
        except OSError as exc:
            raise RoutineError.collect(
                [
                    Problem(
                        f"cannot read '{label}': {exc.strerror or exc}",
                        hint="check the file's permissions",
                    )
                ]
            ) from None
        return _load(data, label, path.resolve().parent, label, overrides, limits)
    builtin = read_builtin(label)
    if builtin is not None:
        data, folder = builtin
        return _load(data, f"builtin:{label}", folder, f"builtin:{label}", overrides, limits)
    close = did_you_mean(label, builtin_names())
    hint = "run `voicecoach list` to see built-ins"
    if close:
        hint = f"{close} {hint}"
    raise RoutineError.collect(
        [Problem(f"no such routine file or built-in routine '{label}'", hint=hint)]
    )


def load_routine_text(
    text: str | bytes,
    filename: str = "<memory>",
    *,
    base_dir: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Routine:
    """Load a routine from text. Relative paths (music, cue pack) resolve against
    ``base_dir``, else the folder of ``filename``, else the current folder."""
    if base_dir is None:
        base_dir = Path(filename).parent if not filename.startswith("<") else Path.cwd()
    return _load(text, filename, Path(base_dir).resolve(), filename, overrides, limits)


def _load(
    data: str | bytes,
    file: str,
    base_dir: Path,
    source: str,
    overrides: Mapping[str, Any] | None,
    limits: Limits,
) -> Routine:
    text = yamlsrc.decode(data, file, limits=limits) if isinstance(data, bytes) else data
    root = yamlsrc.parse(text, file, limits=limits)
    if root.kind != "map":
        raise RoutineError.collect(
            [
                Problem(
                    f"the routine must be a mapping of keys, got {show(root)}",
                    file=file,
                    line=root.line,
                    column=root.column,
                    hint="start it with name: My routine, then exercises:",
                )
            ]
        )
    if overrides:
        root = yamlsrc.merge(root, yamlsrc.from_python(overrides, "command line"))
    builder = RoutineBuilder(file, base_dir, limits)
    routine = builder.routine(root, source)
    if builder.problems or routine is None:
        problems = builder.problems or [  # never expected: keep the error located anyway
            Problem("the routine could not be read", file, 1, 1, None, "check its keys")
        ]
        raise RoutineError.collect(located_order(problems, file))
    return routine
