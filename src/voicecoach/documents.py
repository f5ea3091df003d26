"""Reading a client file or a program: its bytes (regular files only, within the size
limit) and its parsed top-level mapping.

Shared by `voicecoach.clients` and `voicecoach.programs`; which kind a file is, and
checking one in full, is `voicecoach.document_kinds` (above both).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from voicecoach.routine.readers import FieldReader
    from voicecoach.routine.yamlsrc import YNode


def read_document(path: Path, label: str, what: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a client file or program, refusing folders and pipes (never
    opened: a read would wait forever) and files over the routine size limit."""
    from voicecoach.errors import Problem, RoutineError
    from voicecoach.filekind import special_kind
    from voicecoach.routine import yamlsrc

    kind = special_kind(path)
    problem = f"'{label}' is not a regular file: it is {kind}" if kind else None
    if problem is None:
        try:
            if path.stat().st_size > limits.max_file_bytes:
                raise yamlsrc.too_large(label, path.stat().st_size, limits)
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

    limits = reader.limits
    root = yamlsrc.parse(yamlsrc.decode(data, label, limits=limits), label, limits=limits)
    if root.kind != "map":
        reader.add(root, "", f"{what} must be a mapping of keys, got {show(root)}", hint)
        raise RoutineError.collect(reader.problems)
    return root
