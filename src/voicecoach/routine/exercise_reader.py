"""One exercise mapping -> the `Exercise` model: dosage, tempo, cues, and ``use:``.

``use: ID`` brings a library entry's fields under the ones written; the library's
cues the routine did not replace are fitted to the final dosage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from voicecoach.errors import Problem, RoutineError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine.cue_fit import fit_cues
from voicecoach.routine.cue_reader import TimedCueReader
from voicecoach.routine.fields import Fields
from voicecoach.routine.model import Exercise, Sides, Tempo, TimedCue, Where
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import plural

if TYPE_CHECKING:  # the library reads its entries with this reader
    from voicecoach.library import LibraryEntry


@dataclass
class Defaults:
    """The routine's `defaults:`, applied to every exercise that leaves a key out."""

    rest_ms: int = 30_000
    rest_after_ms: int = 30_000
    tempo: tuple[int, ...] = (2000, 1000, 2000)
    words: tuple[str, ...] = ()
    reps: int | None = None
    sets: int = 1
    switch_rest_ms: int | None = None


class ExerciseReader(TimedCueReader):
    """Builds exercises from checked mappings, counting them for the routine's limit."""

    def __init__(self, file: str, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(file, limits)
        self.exercise_count = 0

    def exercise(self, node: YNode, path: str, defaults: Defaults) -> Exercise | None:
        self.exercise_count += 1
        entry = None
        if node.kind == "map" and "use" in node.value:
            used = self.use(node, path)
            if used is None:
                return None
            node, entry = used
        found = self.fields(node, "exercise", path)
        if found is None:
            return None
        dosage = self.dosage(found, node, path, defaults)
        if dosage is None:
            return None
        reps, hold = dosage
        tempo = self.exercise_tempo(found, path, defaults, is_hold=found.has("hold"))
        sides = found.get("sides")
        cues = self.cues(found, path, reps=reps, hold=hold, sides=sides)
        fixes = self.cues(found, path, reps=reps, hold=hold, sides=sides, key="corrections")
        if self.bad(found) or tempo is None or cues is None or fixes is None:
            return None
        if not found.ok("name"):
            return None
        if entry is not None:  # library cues the routine did not replace, fitted to its dosage
            cues, fixes = _library_cues(entry, found, cues, fixes, reps, hold, sides)
        return _exercise(found, self.where(node, path), defaults, tempo, reps, hold, cues + fixes)

    def dosage(
        self, found: Fields, node: YNode, path: str, defaults: Defaults
    ) -> tuple[int | None, int | None] | None:
        """(reps, hold_ms) as written, or the default reps; None after a problem."""
        reps, hold = found.get("reps"), found.get("hold")
        if found.has("reps") and found.has("hold"):
            self.add_at_key(
                node,
                "hold",
                path,
                "has both reps and hold",
                "keep reps for a counted move or hold for a timed one",
            )
            return None
        if not found.has("reps") and not found.has("hold"):
            if defaults.reps is None:
                self.add(
                    node,
                    path,
                    "needs reps or hold",
                    "add reps: 12 for a counted move, or hold: 30s for a timed one",
                )
                return None
            reps = defaults.reps
        return reps, hold

    def exercise_tempo(
        self, found: Fields, path: str, defaults: Defaults, *, is_hold: bool
    ) -> Tempo | None:
        for key in ("tempo", "tempo_words"):
            if is_hold and found.has(key):
                self.add_at_key(
                    found.node,
                    key,
                    f"{path}.{key}",
                    f"{key} only applies to reps, and this exercise is a hold",
                    f"remove {key}, or use reps instead of hold",
                )
                return None
        if not found.ok("tempo") and found.has("tempo"):
            return None
        phases = found.get("tempo", defaults.tempo)
        words = found.get("tempo_words", defaults.words)
        if found.has("tempo_words") and not found.ok("tempo_words"):
            return None
        if words and len(words) != len(phases) and not is_hold:
            if not found.has("tempo") and not found.has("tempo_words"):
                return None  # the defaults' mismatch is reported once, at defaults
            self.tempo_words_mismatch(found, path, phases, words)
            return None
        return Tempo(phases, words if len(words) == len(phases) else ())

    def tempo_words_mismatch(
        self, found: Fields, path: str, phases: tuple[int, ...], words: tuple[str, ...]
    ) -> None:
        if found.has("tempo_words"):
            self.add(
                found.nodes["tempo_words"],
                f"{path}.tempo_words",
                f"has {plural(len(words), 'word')} but the tempo has {len(phases)} phases",
                "give one word per phase ('' for silence)",
            )
        else:
            self.add(
                found.nodes["tempo"],
                f"{path}.tempo",
                f"has {len(phases)} phases but defaults.tempo_words has "
                f"{plural(len(words), 'word')}",
                "add tempo_words with one word per phase to this exercise",
            )

    def use(self, node: YNode, path: str) -> tuple[YNode, LibraryEntry] | None:
        """``use: ID``: a routine's builder (`routine.builder`) takes the entry from the
        library; an exercise read on its own (a library entry) cannot use another."""
        self.add(
            node.value["use"],
            f"{path}.use",
            "a library exercise cannot use another",
            "copy the fields you need instead",
        )
        return None


def _exercise(
    found: Fields,
    where: Where,
    defaults: Defaults,
    tempo: Tempo,
    reps: int | None,
    hold: int | None,
    cues: tuple[TimedCue, ...],
) -> Exercise:
    """The model from an exercise's checked fields, with the routine's defaults."""
    return Exercise(
        name=found.get("name"),
        reps=reps if hold is None else None,
        hold_ms=hold,
        tempo=tempo,
        sets=found.get("sets", defaults.sets),
        rest_ms=found.get("rest", defaults.rest_ms),
        rest_after_ms=found.get("rest_after", defaults.rest_after_ms),
        sides=found.get("sides"),
        focus=found.get("focus", ()),
        kind=found.get("type"),
        position=found.get("position"),
        setup=found.get("setup"),
        cues=cues,
        cue_overrides=found.get("phrases", ({}, {}))[0],
        where=where,
        switch_rest_ms=found.get("switch_rest", defaults.switch_rest_ms),
        alternate_sides=found.get("alternate_sides", False),
        extra_weak_side_set=found.get("extra_weak_side_set"),
        fixed=found.get("fixed", False),
        optional=found.get("optional", False),
    )


def _library_cues(
    entry: LibraryEntry,
    found: Fields,
    cues: tuple[TimedCue, ...],
    fixes: tuple[TimedCue, ...],
    reps: int | None,
    hold: int | None,
    sides: Sides | None,
) -> tuple[tuple[TimedCue, ...], tuple[TimedCue, ...]]:
    """(cues, corrections): the library entry's where the routine wrote none, fitted
    to the exercise's final dosage."""
    fit = partial(
        fit_cues,
        old_reps=entry.exercise.reps,
        old_hold_ms=entry.exercise.hold_ms,
        reps=reps if hold is None else None,
        hold_ms=hold,
        sides=sides,
    )
    if not found.has("cues"):
        cues = tuple(replace(c, origin="library") for c in fit(entry.cues))
    if not found.has("corrections"):
        fixes = tuple(replace(c, origin="correction") for c in fit(entry.corrections))
    return cues, fixes


def located_order(problems: list[Problem], file: str) -> list[Problem]:
    """Problems in ``file`` first, by line and column; then those located elsewhere."""
    return sorted(problems, key=lambda p: (p.file != file, p.line or 0, p.column or 0))


def exercise_from_node(
    node: YNode, file: str, path: str, limits: Limits = DEFAULT_LIMITS
) -> Exercise:
    """One exercise mapping (e.g. a library entry) -> the model, with the routine
    defaults. Raises RoutineError with every problem."""
    reader = ExerciseReader(file, limits)
    exercise = reader.exercise(node, path, Defaults())
    if reader.problems or exercise is None:
        problems = reader.problems or [Problem("the exercise could not be read", file)]
        raise RoutineError.collect(located_order(problems, file))
    return exercise
