"""Personalization: a pure Routine -> Routine transform for one person on one day.

Settings come from the routine's ``profile:`` section, and command-line choices win
over it. The weak side, the extra weak-side set and check-ins stay in the profile
(the script builder reads them there). ``level`` and ``minutes`` change the
exercises themselves, so once applied they are cleared from the profile: applying
`personalize` to its own result changes nothing.

``coach`` (quiet, standard, chatty) stays in the profile too: the planner reads it
and decides how much is said (docs/coaching.md).

Level (docs/customizing-cues.md, "Personalize"): ``easy`` multiplies reps and
holds by 0.75 and does one set fewer; ``hard`` multiplies them by 1.25 and does one
set more. Rounding is half up (reps to whole reps, holds to whole seconds). Bounds:
easy never goes below 5 reps, 10 s holds or 1 set (nor raises a smaller value);
hard never goes above 30 reps, 90 s holds or 4 sets (nor lowers a larger value).

Minutes: the routine is planned (with estimated phrase lengths), measured and
adjusted until its length is within 2 % of the target: rests scale by a factor
from 0.5 to 2 (each kept within 5 s to 2 min, and never pushed across that range),
holds by the same factor limited to 0.75-1.5 (kept within 10 s to 90 s), and when
that is not enough every exercise does one set fewer (at least 1) or one more (at
most 4). A target outside what those bounds reach is refused with the range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from math import ceil, floor

from voicecoach.cues.spoken import plural
from voicecoach.errors import VoicecoachError
from voicecoach.library import fit_cues
from voicecoach.routine.model import (
    CoachLevel,
    Exercise,
    Item,
    Level,
    Profile,
    Rounds,
    Routine,
    SideName,
)

# --- level ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRule:
    factor: float  # reps and holds are multiplied by this
    sets: int  # added to the sets


LEVELS: dict[str, LevelRule] = {
    "easy": LevelRule(0.75, -1),
    "normal": LevelRule(1.0, 0),
    "hard": LevelRule(1.25, 1),
}
MIN_REPS, MAX_REPS = 5, 30
MIN_HOLD_MS, MAX_HOLD_MS = 10_000, 90_000
MIN_SETS, MAX_SETS = 1, 4

# --- minutes ----------------------------------------------------------------------------

REST_FACTORS = (0.5, 2.0)
HOLD_FACTORS = (0.75, 1.5)
REST_STEP_MS = 5000
MIN_REST_MS, MAX_REST_MS = 5_000, 120_000
AIM = 0.02  # stop adjusting within 2 % of the target
TOLERANCE = 0.05  # what is promised: within 5 %
_STEPS = 16  # bisection steps on the factor (each one plans the routine once)


@dataclass(frozen=True)
class Choices:
    """Command-line personalization; None means: take the routine's profile."""

    weak_side: SideName | None = None
    extra_weak_set: bool | None = None
    level: Level | None = None
    minutes: float | None = None
    check_ins: bool | None = None
    coach: CoachLevel | None = None


@dataclass(frozen=True)
class Personalized:
    routine: Routine
    changes: tuple[str, ...]  # what was changed, in words, for the user


Measure = Callable[[Routine], int]


def _half_up(value: float) -> int:
    return floor(value + 0.5)


def _secs(ms: int) -> str:
    return f"{ms // 1000} s" if ms % 1000 == 0 else f"{ms / 1000:g} s"


def _clock(ms: int) -> str:
    seconds = (ms + 500) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def estimated_length(seed: int = 0, wpm: int | None = None) -> Measure:
    """A `Measure`: the planned length with phrase lengths estimated from ``wpm``."""
    from voicecoach.cues import load_cue_pack
    from voicecoach.script import build_script
    from voicecoach.timeline import estimate_phrase_ms, plan

    packs: dict[str | None, object] = {}

    def measure(routine: Routine) -> int:
        if routine.cue_pack not in packs:
            packs[routine.cue_pack] = load_cue_pack(routine.cue_pack)
        pack = packs[routine.cue_pack]
        rate = wpm or routine.voice.rate or 160
        script = build_script(routine, seed=seed, pack=pack)  # type: ignore[arg-type]
        return plan(script, lambda text: estimate_phrase_ms(script.spoken(text), rate)).total_ms

    return measure


def personalize(
    routine: Routine,
    choices: Choices | None = None,
    *,
    seed: int = 0,
    wpm: int | None = None,
    measure: Measure | None = None,
) -> Personalized:
    """Apply ``choices`` (over the routine's profile). Pure: returns a new routine.

    ``measure`` gives a routine's planned length in ms (default: planned with
    estimated phrase lengths at ``wpm``); only ``minutes`` uses it.
    """
    choices = choices or Choices()
    changes: list[str] = []
    profile = _profile(routine.profile, choices, changes)
    routine = replace(routine, profile=replace(profile, level="normal", minutes=None))
    if profile.level != "normal":
        routine = apply_level(routine, profile.level, changes)
    if profile.minutes is not None:
        routine = fit_minutes(
            routine, profile.minutes, measure or estimated_length(seed, wpm), changes
        )
    return Personalized(routine, tuple(changes))


def _profile(profile: Profile, choices: Choices, changes: list[str]) -> Profile:
    weak = choices.weak_side or profile.weak_side
    extra = (
        profile.extra_weak_side_set if choices.extra_weak_set is None else choices.extra_weak_set
    )
    if extra and weak is None:
        raise VoicecoachError(
            "an extra weak-side set needs a weak side. add --weak-side left or right "
            "(or weak_side: in the routine's profile)."
        )
    out = replace(  # keeps the keys personalization doesn't touch (author, client, long_intro...)
        profile,
        weak_side=weak,
        extra_weak_side_set=extra,
        level=choices.level or profile.level,
        minutes=choices.minutes if choices.minutes is not None else profile.minutes,
        check_ins=profile.check_ins if choices.check_ins is None else choices.check_ins,
        coach=choices.coach or profile.coach,
    )
    if out.weak_side != profile.weak_side:
        changes.append(f"weak side: {out.weak_side}; per-side exercises start on it")
    if out.extra_weak_side_set and not profile.extra_weak_side_set:
        changes.append(f"one extra set on the {out.weak_side} side of each per-side exercise")
    if out.check_ins != profile.check_ins:
        changes.append("check-ins " + ("on" if out.check_ins else "off"))
    if out.coach != profile.coach:
        changes.append(f"coach: {out.coach}")
    return out


# --- rebuilding the routine ------------------------------------------------------------


def _map(
    routine: Routine,
    exercise: Callable[[Exercise], Exercise],
    rounds_rest: Callable[[int], int] | None = None,
) -> Routine:
    def change(ex: Exercise) -> Exercise:
        return ex if ex.fixed else exercise(ex)  # `fixed: true`: as written

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


def _with_dosage(ex: Exercise, *, reps: int | None, hold_ms: int | None, sets: int) -> Exercise:
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


def level_dosage(ex: Exercise, level: str) -> tuple[int | None, int | None, int]:
    """(reps, hold_ms, sets) of ``ex`` at ``level``, within the documented bounds."""
    rule = LEVELS[level]
    reps, hold, sets = ex.reps, ex.hold_ms, ex.sets
    if rule.factor < 1:
        if reps is not None:
            reps = min(reps, max(MIN_REPS, _half_up(reps * rule.factor)))
        if hold is not None:
            hold = min(hold, max(MIN_HOLD_MS, _half_up(hold * rule.factor / 1000) * 1000))
        sets = min(sets, max(MIN_SETS, sets + rule.sets))
    elif rule.factor > 1:
        if reps is not None:
            reps = max(reps, min(MAX_REPS, _half_up(reps * rule.factor)))
        if hold is not None:
            hold = max(hold, min(MAX_HOLD_MS, _half_up(hold * rule.factor / 1000) * 1000))
        sets = max(sets, min(MAX_SETS, sets + rule.sets))
    return reps, hold, sets


def _dosage_text(reps: int | None, hold: int | None, sets: int) -> str:
    what = plural(reps or 0, "rep") if hold is None else f"{_secs(hold)} hold"
    return f"{sets} x {what}"


def apply_level(routine: Routine, level: str, changes: list[str] | None = None) -> Routine:
    """Scale reps, holds and sets by ``level`` (see the module docs for the factors)."""
    seen: dict[str, str] = {}

    def one(ex: Exercise) -> Exercise:
        reps, hold, sets = level_dosage(ex, level)
        before, after = _dosage_text(ex.reps, ex.hold_ms, ex.sets), _dosage_text(reps, hold, sets)
        if before != after:
            seen.setdefault(ex.name, f"{ex.name} {before} -> {after}")
        return _with_dosage(ex, reps=reps, hold_ms=hold, sets=sets)

    out = _map(routine, one)
    if changes is not None:
        rule = LEVELS[level]
        what = f"reps and holds x{rule.factor:g}, {rule.sets:+d} set"
        changes.append(f"level {level} ({what}): " + ("; ".join(seen.values()) or "no change"))
    return out


# --- fitting to a length -------------------------------------------------------------------


def _rest(ms: int, factor: float) -> int:
    if ms == 0:
        return 0
    low, high = min(ms, MIN_REST_MS), max(ms, MAX_REST_MS)
    # A changed rest is a length a coach would say: whole 5 s (docs/timing.md).
    step = REST_STEP_MS if ms * factor >= REST_STEP_MS else 1000
    return min(high, max(low, _half_up(ms * factor / step) * step))


def _hold(ms: int, factor: float) -> int:
    factor = min(HOLD_FACTORS[1], max(HOLD_FACTORS[0], factor))
    low, high = min(ms, MIN_HOLD_MS), max(ms, MAX_HOLD_MS)
    return min(high, max(low, _half_up(ms * factor / 1000) * 1000))


def stretch(routine: Routine, factor: float, sets_step: int = 0) -> Routine:
    """Rests (and holds) scaled by ``factor`` and ``sets_step`` sets on every exercise,
    each within the bounds in the module docs."""

    def one(ex: Exercise) -> Exercise:
        sets = ex.sets
        if sets_step > 0:
            sets = max(sets, min(MAX_SETS, sets + sets_step))
        elif sets_step < 0:
            sets = min(sets, max(MIN_SETS, sets + sets_step))
        hold = _hold(ex.hold_ms, factor) if ex.hold_ms is not None else None
        fitted = _with_dosage(ex, reps=ex.reps, hold_ms=hold, sets=sets)
        return replace(
            fitted,
            rest_ms=_rest(ex.rest_ms, factor),
            rest_after_ms=_rest(ex.rest_after_ms, factor),
        )

    return _map(routine, one, lambda ms: _rest(ms, factor))


def fit_minutes(
    routine: Routine, minutes: float, measure: Measure, changes: list[str] | None = None
) -> Routine:
    """The routine adjusted to last about ``minutes`` (within 2 %, at worst 5 %).

    When that is too short even with the shortest rests, holds and one set fewer,
    `optional: true` exercises are left out, the last first (inside rounds: one
    round fewer). Raises VoicecoachError saying the reachable range when nothing
    gets there.
    """
    target = round(minutes * 60_000)
    first: tuple[Routine, list[str]] | None = None
    refused: VoicecoachError | None = None
    try:
        said: list[str] = []
        fitted = _fit_minutes(routine, minutes, measure, said)
        first = (fitted, said)
        if abs(measure(fitted) - target) <= AIM * target:
            return _said(fitted, said, changes)
    except VoicecoachError as exc:
        refused = exc
    if target < measure(routine):  # only shorter sessions leave parts out
        for dropped, what in _without_optional(routine):
            said = []
            try:
                fitted = _fit_minutes(dropped, minutes, measure, said)
            except VoicecoachError:
                continue
            if first is None or abs(measure(fitted) - target) <= AIM * target:
                return _said(fitted, [*said, "left out to fit: " + what], changes)
    if first is not None:
        return _said(*first, changes)
    assert refused is not None
    raise refused


def _said(routine: Routine, said: list[str], changes: list[str] | None) -> Routine:
    if changes is not None:
        changes.extend(said)
    return routine


def _without_optional(routine: Routine) -> list[tuple[Routine, str]]:
    """The routine with more and more optional parts left out (the last first)."""
    out: list[tuple[Routine, str]] = []
    current, names = routine, []
    while True:
        step = _drop_last_optional(current)
        if step is None:
            return out
        current, name = step
        names.append(name)
        out.append((current, ", ".join(names)))


def _drop_last_optional(routine: Routine) -> tuple[Routine, str] | None:
    sections = list(routine.sections)
    for si in range(len(sections) - 1, -1, -1):
        items = list(sections[si].items)
        for ii in range(len(items) - 1, -1, -1):
            item = items[ii]
            if isinstance(item, Rounds):
                if item.count > 1 and any(e.optional for e in item.exercises):
                    items[ii] = replace(item, count=item.count - 1)
                    what = f"one round of {item.name or item.exercises[0].name}"
                else:
                    continue
            elif item.optional:
                del items[ii]
                what = item.name
            else:
                continue
            if items:
                sections[si] = replace(sections[si], items=tuple(items))
            else:
                del sections[si]
            if not sections:
                return None
            return replace(routine, sections=tuple(sections)), what
    return None


def _fit_minutes(
    routine: Routine, minutes: float, measure: Measure, changes: list[str] | None = None
) -> Routine:
    target = round(minutes * 60_000)
    start = measure(routine)
    if abs(start - target) <= AIM * target:
        if changes is not None:
            changes.append(
                f"fit to {minutes:g} min: already {_clock(start)}, within 2 %; nothing changed"
            )
        return routine
    low_f, high_f = REST_FACTORS
    step = 1 if target > start else -1
    best: _Fit | None = None
    for sets_step in (0, step):
        if sets_step and stretch(routine, 1.0, sets_step) == stretch(routine, 1.0):
            continue  # no exercise can take one set more (or fewer)
        # The length grows with the factor: check the ends, then bisect between them.
        ends = []
        for factor in (low_f, high_f):
            candidate = stretch(routine, factor, sets_step)
            ends.append(measure(candidate))
            best = _closer(best, (ends[-1], candidate, factor, sets_step), target)
        if not ends[0] - AIM * target <= target <= ends[1] + AIM * target:
            continue
        lo, hi = low_f, high_f
        for _ in range(_STEPS):
            if best is not None and abs(best[0] - target) <= AIM * target:
                break
            mid = (lo + hi) / 2
            candidate = stretch(routine, mid, sets_step)
            length = measure(candidate)
            best = _closer(best, (length, candidate, mid, sets_step), target)
            lo, hi = (mid, hi) if length < target else (lo, mid)
        if best is not None and abs(best[0] - target) <= AIM * target:
            break
    if best is not None and abs(best[0] - target) > AIM * target:
        best = _fine_tune(best, target, measure)
    if best is None or abs(best[0] - target) > TOLERANCE * target:
        shortest = measure(stretch(routine, low_f, -1))
        longest = measure(stretch(routine, high_f, 1))
        raise VoicecoachError(
            f"cannot fit '{routine.name}' into {minutes:g} minute{'' if minutes == 1 else 's'}: "
            "within safe bounds "
            f"(rests x{low_f:g} to x{high_f:g}, holds x{HOLD_FACTORS[0]:g} to "
            f"x{HOLD_FACTORS[1]:g}, one set fewer or more) it lasts from {_clock(shortest)} "
            f"to {_clock(longest)}. choose minutes from "
            f"{max(1, ceil(shortest / (1 + TOLERANCE) / 60_000))} to "
            f"{floor(longest / (1 - TOLERANCE) / 60_000)}"
        )
    length, fitted, factor, sets_step = best
    if changes is not None:
        changes.append(
            f"fit to {minutes:g} min: planned length {_clock(start)} -> {_clock(length)}"
        )
        changes.extend(_describe_fit(routine, fitted, factor, sets_step))
    return fitted


_Fit = tuple[int, Routine, float, int]  # (length, routine, factor, sets step)


def _with_rest_after(routine: Routine, target: Exercise, rest_ms: int) -> Routine:
    moved = replace(target, rest_after_ms=rest_ms)

    def one(ex: Exercise) -> Exercise:
        return moved if ex is target else ex

    return _map(routine, one)


FINE_STEPS = 24  # at most this many one-rest changes after the bisection
FINE_MEASURES = 80  # and at most this many plans for them


def _fine_tune(best: _Fit, target: int, measure: Measure) -> _Fit:
    """Rests move in whole 5 s, so the factor alone may jump over the target: then
    change one rest after an exercise at a time by 5 s (the longest first when
    cutting, the shortest first when adding), keeping each change that brings the
    length closer, until within 2 %."""
    length, routine, factor, sets_step = best
    budget = FINE_MEASURES
    for _ in range(FINE_STEPS):
        if abs(length - target) <= AIM * target:
            break
        longer = length < target
        exercises = [e for e in routine.exercises() if not e.fixed and e.rest_after_ms > 0]
        exercises.sort(key=lambda e: e.rest_after_ms, reverse=not longer)
        improved = False
        # (a rest that grows to fit what is said in it only changes past that length)
        tries = [(ex, k) for k in range(1, 7) for ex in exercises]
        for ex, k in tries:
            new_rest = ex.rest_after_ms + (1 if longer else -1) * k * REST_STEP_MS
            if not MIN_REST_MS <= new_rest <= MAX_REST_MS:
                continue
            if budget <= 0:
                break
            budget -= 1
            candidate = _with_rest_after(routine, ex, new_rest)
            new_length = measure(candidate)
            if abs(new_length - target) < abs(length - target):
                length, routine, improved = new_length, candidate, True
                break
        if not improved:
            break
    return (length, routine, factor, sets_step)


def _closer(best: _Fit | None, candidate: _Fit, target: int) -> _Fit:
    if best is None or abs(candidate[0] - target) < abs(best[0] - target):
        return candidate
    return best


def _describe_fit(before: Routine, after: Routine, factor: float, sets_step: int) -> list[str]:
    rests: dict[int, int] = {}
    holds: list[str] = []
    sets: list[str] = []
    for old, new in zip(before.exercises(), after.exercises(), strict=True):
        for a, b in ((old.rest_ms, new.rest_ms), (old.rest_after_ms, new.rest_after_ms)):
            if a != b:
                rests[a] = b
        if old.hold_ms != new.hold_ms and old.hold_ms and new.hold_ms:
            holds.append(f"{old.name} {_secs(old.hold_ms)} -> {_secs(new.hold_ms)}")
        if old.sets != new.sets:
            sets.append(f"{old.name} {old.sets} -> {new.sets}")
    for old_round, new_round in zip(_rounds(before), _rounds(after), strict=True):
        if old_round.rest_ms != new_round.rest_ms:
            rests[old_round.rest_ms] = new_round.rest_ms
    out = []
    if rests:
        pairs = ", ".join(f"{_secs(a)} -> {_secs(b)}" for a, b in sorted(rests.items()))
        out.append(f"rests x{factor:.2f}: {pairs}")
    if holds:
        out.append("holds: " + "; ".join(dict.fromkeys(holds)))
    if sets:
        label = "one set more" if sets_step > 0 else "one set fewer"
        out.append(f"{label}: " + "; ".join(dict.fromkeys(sets)))
    return out


def _rounds(routine: Routine) -> list[Rounds]:
    return [i for s in routine.sections for i in s.items if isinstance(i, Rounds)]


__all__ = [
    "LEVELS",
    "Choices",
    "Personalized",
    "apply_level",
    "estimated_length",
    "fit_minutes",
    "level_dosage",
    "personalize",
    "stretch",
]
