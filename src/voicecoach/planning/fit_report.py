"""What a `--minutes` fit changed, in words: the lines `personalized: ...` prints."""

from __future__ import annotations

from voicecoach.routine.model import Rounds, Routine
from voicecoach.text import seconds


def describe_fit(before: Routine, after: Routine, factor: float) -> list[str]:
    """What the fit changed, in words: each rest old -> new, holds and sets."""
    rests: dict[int, set[int]] = {}
    holds: list[str] = []
    reps: list[str] = []
    sets: dict[bool, list[str]] = {True: [], False: []}
    for old, new in zip(before.exercises(), after.exercises(), strict=True):
        for a, b in ((old.rest_ms, new.rest_ms), (old.rest_after_ms, new.rest_after_ms)):
            if a != b:
                rests.setdefault(a, set()).add(b)
        if old.hold_ms != new.hold_ms and old.hold_ms and new.hold_ms:
            holds.append(f"{old.name} {seconds(old.hold_ms)} s -> {seconds(new.hold_ms)} s")
        if old.reps != new.reps and old.reps and new.reps:
            reps.append(f"{old.name} {old.reps} -> {new.reps}")
        if old.sets != new.sets:
            sets[new.sets > old.sets].append(f"{old.name} {old.sets} -> {new.sets}")
    for old_round, new_round in zip(_rounds(before), _rounds(after), strict=True):
        if old_round.rest_ms != new_round.rest_ms:
            rests.setdefault(old_round.rest_ms, set()).add(new_round.rest_ms)
    out = []
    if rests:
        pairs = ", ".join(
            f"{seconds(a)} s -> {' or '.join(f'{seconds(b)} s' for b in sorted(bs))}"
            for a, bs in sorted(rests.items())
        )
        out.append(f"rests x{factor:.2f}: {pairs}" if factor != 1 else f"rests: {pairs}")
    if holds:
        out.append("holds: " + "; ".join(dict.fromkeys(holds)))
    if reps:
        out.append("reps: " + "; ".join(dict.fromkeys(reps)))
    for more, label in ((False, "one set fewer"), (True, "one set more")):
        if sets[more]:
            out.append(f"{label}: " + "; ".join(dict.fromkeys(sets[more])))
    return out


def _rounds(routine: Routine) -> list[Rounds]:
    return [i for s in routine.sections for i in s.items if isinstance(i, Rounds)]
