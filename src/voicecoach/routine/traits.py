"""What kind of exercise this is, as the coaching lines need to know it.

`exercise_traits(ex)` is the one place that answers: its type (strength, stretch,
mobility) and position (supine, side-lying, ...) as written, whether it is done one
side at a time, whether it is counted reps or a timed hold, and its focus groups.
The cue pack's `when:` conditions are checked against these traits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from voicecoach.routine.focus import normalize_focus
from voicecoach.routine.model import Exercise, ExerciseType, Position

Dosage = Literal["reps", "hold"]


@dataclass(frozen=True)
class Traits:
    type: ExerciseType | None  # None: the exercise does not say
    position: Position | None  # None: the exercise does not say
    per_side: bool  # one side at a time (`sides: both`, `left` or `right`)
    dosage: Dosage
    focus: frozenset[str]  # normalized focus groups ("hip_flexors")


def exercise_traits(exercise: Exercise) -> Traits:
    """The traits of ``exercise``; reps-or-hold and per-side come from its dosage."""
    return Traits(
        type=exercise.kind,
        position=exercise.position,
        per_side=exercise.sides is not None,
        dosage="hold" if exercise.is_hold else "reps",
        focus=frozenset(normalize_focus(f) for f in exercise.focus),
    )


__all__ = ["Dosage", "Traits", "exercise_traits"]
