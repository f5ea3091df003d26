"""A routine's rough length (work plus rests, no speech), to refuse absurd sessions
on load, before anything is planned."""

from __future__ import annotations

from voicecoach.routine.model import Exercise, Rounds, Routine


def _exercise_ms(exercise: Exercise, extra_set: bool) -> int:
    work = (
        exercise.hold_ms
        if exercise.hold_ms is not None
        else ((exercise.reps or 0) * exercise.tempo.rep_ms)
    )
    blocks = exercise.sets * (2 if exercise.sides == "both" else 1)
    if extra_set and exercise.sides is not None:
        blocks += 1
    return blocks * work + (blocks - 1) * exercise.rest_ms + exercise.rest_after_ms


def rough_length_ms(routine: Routine) -> int:
    """Work plus rests, without speech: a quick lower bound to refuse absurd sessions."""
    extra = routine.profile.extra_weak_side_set
    total = 0
    for section in routine.sections:
        for item in section.items:
            if isinstance(item, Rounds):
                one = sum(_exercise_ms(e, extra) for e in item.exercises)
                total += item.count * one + (item.count - 1) * item.rest_ms
            else:
                total += _exercise_ms(item, extra)
    return total
