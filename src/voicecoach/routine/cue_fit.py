"""Cues written for one dosage, moved to fit another (`fit_cues`).

A library exercise's cues are written for its own reps or hold; a routine that takes
it with other reps, and the personalizer that scales a dosage, fit them with this.
Part of the routine model (it knows only `TimedCue`), below both the library and the
loader.
"""

from __future__ import annotations

from dataclasses import replace

from voicecoach.routine.model import Sides, TimedCue


def _half_up(value: float) -> int:
    return int(value + 0.5)


def fit_cues(
    cues: tuple[TimedCue, ...],
    *,
    old_reps: int | None,
    old_hold_ms: int | None,
    reps: int | None,
    hold_ms: int | None,
    sides: Sides | None,
) -> tuple[TimedCue, ...]:
    """Cues written for one dosage, moved to fit another; never an error.

    A cue at a rep number or a time moves in proportion (rep 9 of 15 -> rep 6 of 10;
    25 s into a 30 s hold -> 20 s into 24 s). ``half`` and ``last`` stay. ``every N``
    stays while N fits in the set. Cues that cannot mean anything any more are
    dropped: rep cues in a hold, time cues in a counted set, side cues on an
    exercise without that side.
    """
    out: list[TimedCue] = []
    for cue in cues:
        if cue.side is not None and (sides is None or sides not in ("both", cue.side)):
            continue
        if hold_ms is not None:
            if cue.at == "half":
                out.append(cue)
            elif cue.at == "time" and old_hold_ms:
                out.append(replace(cue, value=cue.value * hold_ms // old_hold_ms))
            continue
        if not reps:
            continue
        if cue.at in ("half", "last") or (cue.at == "every" and cue.value <= reps):
            out.append(cue)
        elif cue.at == "rep" and old_reps:
            moved = min(reps, max(1, _half_up(cue.value * reps / old_reps)))
            out.append(replace(cue, value=moved))
    return tuple(out)
