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

Minutes (`voicecoach.planning.fitting`): the routine is planned, measured (on estimated
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
from typing import TYPE_CHECKING

from voicecoach.cues.spoken import plural
from voicecoach.errors import VoicecoachError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.planning.dosage import (
    SCALED_MAX_HOLD_MS,
    SCALED_MAX_REPS,
    SCALED_MAX_SETS,
    SCALED_MIN_HOLD_MS,
    SCALED_MIN_REPS,
    SCALED_MIN_SETS,
    Measure,
    coach_hold,
    half_up,
    map_exercises,
    with_dosage,
)
from voicecoach.routine.model import (
    CoachLevel,
    Exercise,
    Level,
    Profile,
    Routine,
    SideName,
)
from voicecoach.text import seconds

if TYPE_CHECKING:
    from voicecoach.planning.script import Script

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


ESTIMATE_WPM = 160  # the estimate's rate when neither --rate nor the routine gives one

# For each candidate routine and its script: the planner's phrase lengths.
Lengths = Callable[[Routine, "Script"], Callable[[str], int]]


def planned_length(seed: int, lengths: Lengths, limits: Limits = DEFAULT_LIMITS) -> Measure:
    """A `Measure`: a candidate's planned length, its script planned with the phrase
    lengths ``lengths`` gives for it (each cue pack loaded once)."""
    from voicecoach.cues import CuePack, load_cue_pack
    from voicecoach.planning.script import build_script
    from voicecoach.planning.timeline import plan

    packs: dict[str | None, CuePack] = {}

    def measure(routine: Routine) -> int:
        if routine.cue_pack not in packs:
            packs[routine.cue_pack] = load_cue_pack(routine.cue_pack, limits=limits)
        script = build_script(routine, seed=seed, pack=packs[routine.cue_pack], limits=limits)
        return plan(script, lengths(routine, script), limits=limits).total_ms

    return measure


def estimated_length(
    seed: int = 0, wpm: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> Measure:
    """A `Measure`: the planned length with phrase lengths estimated from ``wpm``."""
    from voicecoach.planning.timeline import estimate_phrase_ms

    def lengths(routine: Routine, script: Script) -> Callable[[str], int]:
        rate = wpm or routine.voice.rate or ESTIMATE_WPM
        return lambda text: estimate_phrase_ms(script.spoken(text), rate)

    return planned_length(seed, lengths, limits)


def personalize(
    routine: Routine,
    choices: Choices | None = None,
    *,
    seed: int = 0,
    wpm: int | None = None,
    measure: Measure | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Personalized:
    """Apply ``choices`` (over the routine's profile). Pure: returns a new routine.

    ``measure`` gives a routine's planned length in ms (default: planned with
    estimated phrase lengths at ``wpm`` within ``limits``); only ``minutes`` uses it.
    """
    choices = choices or Choices()
    changes: list[str] = []
    profile = _profile(routine.profile, choices, changes)
    routine = replace(routine, profile=replace(profile, level="normal", minutes=None))
    if profile.level != "normal":
        routine = apply_level(routine, profile.level, changes)
    if profile.minutes is not None:
        from voicecoach.planning.fitting import fit_minutes

        routine = fit_minutes(
            routine, profile.minutes, measure or estimated_length(seed, wpm, limits), changes
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


def level_dosage(ex: Exercise, level: str) -> tuple[int | None, int | None, int]:
    """(reps, hold_ms, sets) of ``ex`` at ``level``, within the documented bounds."""
    rule = LEVELS[level]
    reps, hold, sets = ex.reps, ex.hold_ms, ex.sets
    if rule.factor < 1:
        if reps is not None:
            reps = min(reps, max(SCALED_MIN_REPS, half_up(reps * rule.factor)))
        if hold is not None:
            hold = min(hold, max(SCALED_MIN_HOLD_MS, coach_hold(hold * rule.factor)))
        sets = min(sets, max(SCALED_MIN_SETS, sets + rule.sets))
    elif rule.factor > 1:
        if reps is not None:
            reps = max(reps, min(SCALED_MAX_REPS, half_up(reps * rule.factor)))
        if hold is not None:
            hold = max(hold, min(SCALED_MAX_HOLD_MS, coach_hold(hold * rule.factor)))
        sets = max(sets, min(SCALED_MAX_SETS, sets + rule.sets))
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
        return with_dosage(ex, reps=reps, hold_ms=hold, sets=sets)

    out = map_exercises(routine, one)
    if changes is not None:
        rule = LEVELS[level]
        what = f"reps and holds x{rule.factor:g}, {rule.sets:+d} set"
        changes.append(f"level {level} ({what}): " + ("; ".join(seen.values()) or "no change"))
    return out


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
]
