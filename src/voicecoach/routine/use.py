"""``use: ID`` in a routine: a library exercise's fields under the ones written.

Used by the routine's builder; the exercise reader below it (which the library
reads its own entries with) knows nothing of the library.
"""

from __future__ import annotations

from voicecoach.library import LibraryEntry, get_entry, library_ids
from voicecoach.limits import Limits
from voicecoach.routine.durations import DurationError, parse_tempo
from voicecoach.routine.exercise_reader import ExerciseReader
from voicecoach.routine.fields import duration_source, show
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import cut, did_you_mean


def resolve_use(
    reader: ExerciseReader, node: YNode, path: str
) -> tuple[YNode, LibraryEntry] | None:
    """The merged mapping and the entry of ``use: ID``, or None (a problem added)."""
    id_node = node.value["use"]
    value = id_node.value if id_node.kind == "scalar" else None
    if not isinstance(value, str) or not value.strip():
        reader.add(
            id_node,
            f"{path}.use",
            f"must be the id of a library exercise, got {show(id_node)}",
            "write it like use: glute-bridge. run `voicecoach library` to see them all",
        )
        return None
    entry = get_entry(value.strip().lower())
    if entry is None:
        close = did_you_mean(value.strip(), library_ids())
        hint = "run `voicecoach library` to see them all"
        reader.add(
            id_node,
            f"{path}.use",
            f"unknown exercise '{cut(value)}' in the library",
            f"{close} {hint}" if close else hint,
        )
        return None
    return _merge_use(entry, node, reader.limits), entry


def _merge_use(entry: LibraryEntry, written: YNode, limits: Limits) -> YNode:
    """The library entry's keys with the routine's written keys on top, field by field.

    Library cues and corrections stay out (the builder fits them to the final dosage);
    a written ``hold`` drops the library's reps and tempo, a written ``reps`` its hold,
    and a written tempo with another number of phases the library's tempo words.
    """
    given = {k for k, v in written.value.items() if not (v.kind == "scalar" and v.value is None)}
    skip = {"cues", "corrections"}
    if "hold" in given:
        skip |= {"reps", "tempo", "tempo_words"}
    if "reps" in given:
        skip.add("hold")
    if "tempo" in given and "tempo_words" not in given:
        tempo = written.value["tempo"]
        try:
            source = tempo.to_python() if tempo.kind == "seq" else duration_source(tempo)
            phases = parse_tempo(source, limits)
        except DurationError:
            phases = ()  # reported when the tempo is read
        if len(phases) != len(entry.exercise.tempo.phases_ms):
            skip.add("tempo_words")
    out = YNode(
        "map", {}, written.line, written.column, key_at=dict(written.key_at), origin=written.origin
    )
    for key, value in entry.node.value.items():
        if key not in skip and key not in written.value:
            out.value[key] = value
            out.key_at[key] = entry.node.key_at.get(key, (value.line, value.column))
    out.value.update(written.value)
    return out
