"""The bundled exercise library: reusable exercises a routine takes with `use: ID`.

Each entry is an exercise mapping (the same keys as a routine's exercise) plus a
one-line ``summary`` and its ``corrections``. Entries are validated by the routine
loader itself, so a library exercise is exactly what a routine could have written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from voicecoach.cues.spoken import plural
from voicecoach.errors import Problem, RoutineError
from voicecoach.routine import yamlsrc
from voicecoach.routine.exercise_reader import exercise_from_node
from voicecoach.routine.model import Exercise, TimedCue
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import seconds

LIBRARY_FILE = "library:exercises.yaml"  # how library locations are named in messages
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_TOP_KEYS = ("version", "exercises")
_LIBRARY_ONLY = ("summary",)  # keys an entry has beyond a routine's exercise keys


@dataclass(frozen=True)
class LibraryEntry:
    id: str
    summary: str
    exercise: Exercise  # its default dosage, with cues then corrections in ``cues``
    cues: tuple[TimedCue, ...]  # mind-body cues
    corrections: tuple[TimedCue, ...]  # "if you feel it in X, do Y"
    node: YNode  # the entry as written (without summary), merged under a routine's keys

    @property
    def dosage(self) -> str:
        """'2 x 15 reps at 2-1-2' or '2 x 30 s hold' (what `voicecoach library` shows)."""
        ex = self.exercise
        if ex.hold_ms is not None:
            what = f"{seconds(ex.hold_ms)} s hold"
        else:
            tempo = "-".join(seconds(p) for p in ex.tempo.phases_ms)
            what = f"{plural(ex.reps or 0, 'rep')} at {tempo}"
        sides = {"both": ", each side", "left": ", left side", "right": ", right side"}
        kind = ", ".join(t for t in (ex.kind, ex.position) if t)
        return (
            f"{ex.sets} x {what}" + sides.get(ex.sides or "", "") + (f" ({kind})" if kind else "")
        )


def _fail(node: YNode, key: str, message: str, hint: str) -> RoutineError:
    return RoutineError.collect([Problem(message, LIBRARY_FILE, node.line, node.column, key, hint)])


def _set_origin(node: YNode) -> None:
    """Mark every node as coming from the library, so problems name the library file."""
    node.origin = LIBRARY_FILE
    children = node.value.values() if node.kind == "map" else node.value
    for child in children if node.kind != "scalar" else ():
        _set_origin(child)


def read_library(text: str) -> dict[str, LibraryEntry]:
    """Library YAML -> entries by id. Raises RoutineError located in the library."""
    root = yamlsrc.parse(text, LIBRARY_FILE)
    _set_origin(root)
    if root.kind != "map" or root.value.get("exercises") is None:
        raise _fail(root, "", "the library must have an exercises: mapping", "see the header")
    for key in root.value:
        if key not in _TOP_KEYS:
            raise _fail(root, key, f"unknown key '{key}'", "use version and exercises")
    found = root.value["exercises"]
    if found.kind != "map":
        raise _fail(found, "exercises", "must be a mapping of id -> exercise", "see the header")
    out: dict[str, LibraryEntry] = {}
    for entry_id, node in found.value.items():
        path = f"exercises.{entry_id}"
        if not _ID.fullmatch(entry_id):
            raise _fail(node, path, f"'{entry_id}' is not a valid id", "use lowercase-with-dashes")
        if node.kind != "map":
            raise _fail(node, path, "must be a mapping of exercise keys", "see glute-bridge")
        if "use" in node.value:
            raise _fail(node, f"{path}.use", "a library entry cannot use another", "copy it")
        summary = node.value.get("summary")
        if summary is None or summary.kind != "scalar" or not isinstance(summary.value, str):
            raise _fail(node, f"{path}.summary", "needs a summary line", "add summary: ...")
        body = YNode(
            "map",
            {k: v for k, v in node.value.items() if k not in _LIBRARY_ONLY},
            node.line,
            node.column,
            key_at={k: v for k, v in node.key_at.items() if k not in _LIBRARY_ONLY},
            origin=LIBRARY_FILE,
        )
        exercise = exercise_from_node(body, LIBRARY_FILE, path)
        for key in ("type", "position"):
            if key not in body.value:
                raise _fail(node, f"{path}.{key}", f"needs a {key}", "the cue lines fit by it")
        written = body.value.get("cues")
        count = len(written.value) if written is not None and written.kind == "seq" else 0
        out[entry_id] = LibraryEntry(
            entry_id,
            " ".join(summary.value.split()),
            exercise,
            exercise.cues[:count],
            exercise.cues[count:],
            body,
        )
    return out


@cache
def library() -> dict[str, LibraryEntry]:
    """The bundled library (read once)."""
    entry = resources.files("voicecoach") / "library" / "exercises.yaml"
    return read_library(entry.read_text(encoding="utf-8"))


def library_ids() -> list[str]:
    return list(library())


def get_entry(entry_id: str) -> LibraryEntry | None:
    return library().get(entry_id)
