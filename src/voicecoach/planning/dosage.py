"""Dosage: an exercise's reps, holds, sets and rests moved within safe bounds.

What `--level` and `--minutes` change, and how far (docs/customizing-cues.md,
"Personalize"; docs/timing.md, "--minutes"). `voicecoach.planning.personalize` applies a
level, `voicecoach.planning.fitting` searches for a length; both move dosages through here,
so the bounds and the rounding to numbers a coach says are written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from math import floor

from voicecoach.routine.cue_fit import fit_cues
from voicecoach.routine.model import Exercise, Item, Rounds, Routine

# `--level` and `--minutes` change a dosage only within these (never past what the
# routine itself wrote); what a routine may write is `Limits` (e.g. max_reps, 1000).
SCALED_MIN_REPS, SCALED_MAX_REPS = 5, 30
SCALED_MIN_HOLD_MS, SCALED_MAX_HOLD_MS = 10_000, 90_000
HOLD_STEP_MS = 5000  # holds changed by --level or --minutes move in whole 5 s
SCALED_MIN_SETS, SCALED_MAX_SETS = 1, 4

REST_FACTORS = (0.5, 2.0)
HOLD_FACTORS = (0.75, 1.5)  # also the bounds of reps moved by --minutes
REST_STEP_MS = 5000
SCALED_MIN_REST_MS, SCALED_MAX_REST_MS = 5_000, 120_000

# A candidate routine's planned length in ms (what the --minutes fitter measures).
Measure = Callable[[Routine], int]


def half_up(value: float) -> int:
    return floor(value + 0.5)


def coach_hold(ms: float) -> int:
    """A changed hold is a length a coach would say: whole 5 s ("Hold for 25 seconds",
    not 23)."""
    return half_up(ms / HOLD_STEP_MS) * HOLD_STEP_MS


def scaled_rest(ms: int, factor: float) -> int:
    """A rest times ``factor``, kept within 5 s to 2 min (never pushed across)."""
    if ms == 0:
        return 0
    low, high = min(ms, SCALED_MIN_REST_MS), max(ms, SCALED_MAX_REST_MS)
    # A changed rest is a length a coach would say: whole 5 s (docs/timing.md).
    step = REST_STEP_MS if ms * factor >= REST_STEP_MS else 1000
    return min(high, max(low, half_up(ms * factor / step) * step))


def scaled_hold(ms: int, factor: float) -> int:
    """A hold times ``factor`` (limited to HOLD_FACTORS), kept within 10 to 90 s."""
    factor = min(HOLD_FACTORS[1], max(HOLD_FACTORS[0], factor))
    if factor == 1:
        return ms
    low, high = min(ms, SCALED_MIN_HOLD_MS), max(ms, SCALED_MAX_HOLD_MS)
    return min(high, max(low, coach_hold(ms * factor)))


def scaled_reps(reps: int, factor: float) -> int:
    """Reps times ``factor`` (limited to HOLD_FACTORS), kept within 5 to 30."""
    factor = min(HOLD_FACTORS[1], max(HOLD_FACTORS[0], factor))
    low, high = min(reps, SCALED_MIN_REPS), max(reps, SCALED_MAX_REPS)
    return min(high, max(low, half_up(reps * factor)))


def stepped_sets(sets: int, step: int) -> int:
    """``step`` sets more (or fewer), kept within 1 to 4 (never pushed across)."""
    if step > 0:
        return max(sets, min(SCALED_MAX_SETS, sets + step))
    if step < 0:
        return min(sets, max(SCALED_MIN_SETS, sets + step))
    return sets


def with_dosage(ex: Exercise, *, reps: int | None, hold_ms: int | None, sets: int) -> Exercise:
    """The exercise with new reps/hold/sets; its cues moved to fit (never an error)."""
    cues = ex.cues
    if reps != ex.reps or hold_ms != ex.hold_ms:
        cues = fit_cues(
            ex.cues,
            old_reps=ex.reps,
            old_hold_ms=ex.hold_ms,
            reps=reps,
            hold_ms=hold_ms,
            sides=ex.sides,
        )
    return replace(ex, reps=reps, hold_ms=hold_ms, sets=sets, cues=cues)


def map_exercises(
    routine: Routine,
    exercise: Callable[[Exercise], Exercise],
    rounds_rest: Callable[[int], int] | None = None,
) -> Routine:
    """``routine`` with ``exercise`` applied to each exercise (`fixed: true` ones
    stay as written) and ``rounds_rest`` to each rounds block's rest."""

    def change(ex: Exercise) -> Exercise:
        return ex if ex.fixed else exercise(ex)

    sections = []
    for section in routine.sections:
        items: list[Item] = []
        for item in section.items:
            if isinstance(item, Rounds):
                rest = rounds_rest(item.rest_ms) if rounds_rest else item.rest_ms
                items.append(
                    replace(item, exercises=tuple(change(e) for e in item.exercises), rest_ms=rest)
                )
            else:
                items.append(change(item))
        sections.append(replace(section, items=tuple(items)))
    return replace(routine, sections=tuple(sections))


def stretch(
    routine: Routine, factor: float, sets_step: int = 0, reps_factor: float = 1.0
) -> Routine:
    """Rests (and holds) scaled by ``factor``, reps by ``reps_factor`` and
    ``sets_step`` sets on every exercise, each within the bounds above."""

    def one(ex: Exercise) -> Exercise:
        hold = scaled_hold(ex.hold_ms, factor) if ex.hold_ms is not None else None
        reps = scaled_reps(ex.reps, reps_factor) if ex.reps is not None else None
        fitted = with_dosage(ex, reps=reps, hold_ms=hold, sets=stepped_sets(ex.sets, sets_step))
        return replace(
            fitted,
            rest_ms=scaled_rest(ex.rest_ms, factor),
            rest_after_ms=scaled_rest(ex.rest_after_ms, factor),
        )

    return map_exercises(routine, one, lambda ms: scaled_rest(ms, factor))
