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
set more. Rounding is half up (reps to whole reps, holds to whole 5 s). Bounds:
easy never goes below 5 reps, 10 s holds or 1 set (nor raises a smaller value);
hard never goes above 30 reps, 90 s holds or 4 sets (nor lowers a larger value).

Minutes (`voicecoach.fitting`): the routine is planned, measured (on estimated
phrase lengths, or by `render` on the voice's real clips) and adjusted until its
length is within 2 % of the target, with the least change that gets there:
rests scale by one factor from 0.5 to 2 (each kept within 5 s to 2 min, never
pushed across that range, and in whole 5 s) and holds by the same factor limited
to 0.75-1.5 (kept within 10 s to 90 s); then one set fewer (at least 1) or one
more (at most 4) on one exercise, two, ... every one; then, shorter only,
`optional: true` parts are left out, the last first (inside rounds: one round
fewer). Last, single knobs move one step at a time: a rest by 5 s, a set, a rep or
a hold by 5 s, reps and holds within x0.75 to x1.5 of the prescription (reps
within 5 to 30, nor past a value already outside). These bounds reach 1.5x the
length of every built-in, so rounds never gain a round and rests never go past
x2. `fixed: true` exercises are never touched. A target outside what the bounds
reach is refused with the range they give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from math import floor
from typing import TYPE_CHECKING

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
from voicecoach.text import seconds

if TYPE_CHECKING:
    from voicecoach.script import Script

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
HOLD_STEP_MS = 5000  # holds changed by --level or --minutes move in whole 5 s
MIN_SETS, MAX_SETS = 1, 4

# --- minutes ----------------------------------------------------------------------------

REST_FACTORS = (0.5, 2.0)
HOLD_FACTORS = (0.75, 1.5)
REST_STEP_MS = 5000
MIN_REST_MS, MAX_REST_MS = 5_000, 120_000


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


ESTIMATE_WPM = 160  # the estimate's rate when neither --rate nor the routine gives one

# For each candidate routine and its script: the planner's phrase lengths.
Lengths = Callable[[Routine, "Script"], Callable[[str], int]]


def planned_length(seed: int, lengths: Lengths) -> Measure:
    """A `Measure`: a candidate's planned length, its script planned with the phrase
    lengths ``lengths`` gives for it (each cue pack loaded once)."""
    from voicecoach.cues import CuePack, load_cue_pack
    from voicecoach.script import build_script
    from voicecoach.timeline import plan

    packs: dict[str | None, CuePack] = {}

    def measure(routine: Routine) -> int:
        if routine.cue_pack not in packs:
            packs[routine.cue_pack] = load_cue_pack(routine.cue_pack)
        script = build_script(routine, seed=seed, pack=packs[routine.cue_pack])
        return plan(script, lengths(routine, script)).total_ms

    return measure


def estimated_length(seed: int = 0, wpm: int | None = None) -> Measure:
    """A `Measure`: the planned length with phrase lengths estimated from ``wpm``."""
    from voicecoach.timeline import estimate_phrase_ms

    def lengths(routine: Routine, script: Script) -> Callable[[str], int]:
        rate = wpm or routine.voice.rate or ESTIMATE_WPM
        return lambda text: estimate_phrase_ms(script.spoken(text), rate)

    return planned_length(seed, lengths)


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
        from voicecoach.fitting import fit_minutes

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
            hold = min(hold, max(MIN_HOLD_MS, coach_hold(hold * rule.factor)))
        sets = min(sets, max(MIN_SETS, sets + rule.sets))
    elif rule.factor > 1:
        if reps is not None:
            reps = max(reps, min(MAX_REPS, _half_up(reps * rule.factor)))
        if hold is not None:
            hold = max(hold, min(MAX_HOLD_MS, coach_hold(hold * rule.factor)))
        sets = max(sets, min(MAX_SETS, sets + rule.sets))
    return reps, hold, sets


def _dosage_text(reps: int | None, hold: int | None, sets: int) -> str:
    what = plural(reps or 0, "rep") if hold is None else f"{seconds(hold)} s hold"
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
    if factor == 1:
        return ms
    low, high = min(ms, MIN_HOLD_MS), max(ms, MAX_HOLD_MS)
    return min(high, max(low, coach_hold(ms * factor)))


def coach_hold(ms: float) -> int:
    """A changed hold is a length a coach would say: whole 5 s ("Hold for 25 seconds",
    not 23)."""
    return _half_up(ms / HOLD_STEP_MS) * HOLD_STEP_MS


def _reps(reps: int, factor: float) -> int:
    factor = min(HOLD_FACTORS[1], max(HOLD_FACTORS[0], factor))
    low, high = min(reps, MIN_REPS), max(reps, MAX_REPS)
    return min(high, max(low, _half_up(reps * factor)))


def _sets(sets: int, step: int) -> int:
    if step > 0:
        return max(sets, min(MAX_SETS, sets + step))
    if step < 0:
        return min(sets, max(MIN_SETS, sets + step))
    return sets


def stretch(
    routine: Routine, factor: float, sets_step: int = 0, reps_factor: float = 1.0
) -> Routine:
    """Rests (and holds) scaled by ``factor``, reps by ``reps_factor`` and
    ``sets_step`` sets on every exercise, each within the bounds in the module docs."""

    def one(ex: Exercise) -> Exercise:
        hold = _hold(ex.hold_ms, factor) if ex.hold_ms is not None else None
        reps = _reps(ex.reps, reps_factor) if ex.reps is not None else None
        fitted = _with_dosage(ex, reps=reps, hold_ms=hold, sets=_sets(ex.sets, sets_step))
        return replace(
            fitted,
            rest_ms=_rest(ex.rest_ms, factor),
            rest_after_ms=_rest(ex.rest_after_ms, factor),
        )

    return _map(routine, one, lambda ms: _rest(ms, factor))


__all__ = [
    "ESTIMATE_WPM",
    "LEVELS",
    "Choices",
    "Personalized",
    "apply_level",
    "estimated_length",
    "level_dosage",
    "personalize",
    "planned_length",
    "stretch",
]
