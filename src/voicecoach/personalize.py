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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from math import ceil, floor
from typing import TypeVar

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
AIM = 0.02  # what is promised: within 2 % of the target
CLOSE = 0.01  # one shape's factor and knobs are adjusted until within 1 %
TOLERANCE = 0.05  # what is promised at worst: within 5 %
_STEPS = 12  # bisection steps on the factor (each one plans the routine once)
MAX_MEASURES = 240  # at most this many candidates planned in one fit
FINE_STARTS = 3  # when no shape's factor range holds the target: adjusted ends tried


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
T = TypeVar("T")


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


def fit_minutes(
    routine: Routine, minutes: float, measure: Measure, changes: list[str] | None = None
) -> Routine:
    """The routine adjusted to last about ``minutes`` (within 2 %, at worst 5 %).

    The least change that gets there wins: the rest (and hold) factor alone, then
    one set fewer or more, then (shorter only) `optional: true` parts left out, the
    last first (inside rounds: one round fewer); each followed by single rests,
    sets and holds moved one step at a time. Raises VoicecoachError with the
    reachable range when nothing gets there.
    """
    target = round(minutes * 60_000)
    start = measure(routine)
    if abs(start - target) <= AIM * target:
        if changes is not None:
            changes.append(
                f"fit to {minutes:g} min: already {_clock(start)}, within 2 %; nothing changed"
            )
        return routine
    search = _Search(target, measure)
    shortest, longest = _reach(routine, search)
    fit = None
    if shortest / (1 + TOLERANCE) <= target <= longest / (1 - TOLERANCE):
        fit = search.run(routine, shorter=target < start)
    if fit is None or abs(fit.length - target) > TOLERANCE * target:
        raise _refusal(routine, minutes, shortest, longest)
    if changes is not None:
        changes.append(
            f"fit to {minutes:g} min: planned length {_clock(start)} -> {_clock(fit.length)}"
        )
        changes.extend(_describe_fit(fit.shape.base, fit.routine, fit.factor))
        if fit.shape.left_out:
            changes.append("left out to fit: " + fit.shape.left_out)
    return fit.routine


def _reach(routine: Routine, search: _Search) -> tuple[int, int]:
    """The shortest and the longest the bounds give (optional parts left out,
    shortest rests and holds, one set fewer; longest rests and holds, one set more)."""
    dropped = _without_optional(routine)
    fewest = dropped[-1][0] if dropped else routine
    low, high = (stretch(r, f, s, f) for r, f, s in ((fewest, 0.5, -1), (routine, 2.0, 1)))
    shortest, longest = search.length(low, spare=True), search.length(high, spare=True)
    assert shortest is not None and longest is not None
    return shortest, longest


def _refusal(routine: Routine, minutes: float, shortest: int, longest: int) -> VoicecoachError:
    """The message for a target out of reach, with the range the bounds give."""
    low_f, high_f = REST_FACTORS
    parts = ", optional parts left out" if _without_optional(routine) else ""
    return VoicecoachError(
        f"cannot fit '{routine.name}' into {minutes:g} minute{'' if minutes == 1 else 's'}: "
        "within safe bounds "
        f"(rests x{low_f:g} to x{high_f:g}, reps and holds x{HOLD_FACTORS[0]:g} to "
        f"x{HOLD_FACTORS[1]:g}, one set fewer or more{parts}) it lasts from "
        f"{_clock(shortest)} to {_clock(longest)}. choose minutes from "
        f"{max(1, ceil(shortest / (1 + AIM) / 60_000))} to "
        f"{floor(longest / (1 - AIM) / 60_000)}"
    )


Path = tuple[int, int, int]  # section, item, exercise inside rounds (-1: the item itself)
_REST_FIELDS = ("rest_ms", "rest_after_ms")


@dataclass(frozen=True)
class _Shape:
    """What a fit starts from: the routine with optional parts left out (named in
    ``left_out``), and one set more or fewer (``step``) on the exercises at ``paths``."""

    base: Routine
    step: int = 0
    paths: tuple[Path, ...] = ()
    left_out: str = ""

    def routine(self, factor: float) -> Routine:
        routine = stretch(self.base, factor)
        for path in self.paths:
            ex = _at(routine, path)
            assert isinstance(ex, Exercise)
            routine = _put(routine, path, replace(ex, sets=_sets(ex.sets, self.step)))
        return routine


@dataclass(frozen=True)
class _Fit:
    length: int
    routine: Routine
    shape: _Shape
    factor: float


def _shapes(routine: Routine, shorter: bool) -> Iterator[_Shape]:
    """The shapes in the order of least change: as written, then one set fewer (or
    more) on one exercise, two, ... all; then (shorter only) the same with more and
    more optional parts left out."""
    bases = [(routine, "")]
    if shorter:
        bases += _without_optional(routine)
    step = -1 if shorter else 1
    for base, left_out in bases:
        order = _set_order(base, step)
        for count in range(len(order) + 1):
            yield _Shape(base, step, tuple(order[:count]), left_out)


def _set_order(routine: Routine, step: int) -> list[Path]:
    """The exercises that can take one set more (``step`` 1) or fewer (-1), in the
    order they do: one set more goes to the key moves first (not optional, fewer
    sets, earlier); one set fewer to the optional ones, more sets, later."""
    ranked = []
    for index, (path, ex) in enumerate(_slots(routine)):
        if isinstance(ex, Exercise) and not ex.fixed and _sets(ex.sets, step) != ex.sets:
            key = (ex.optional, ex.sets, index) if step > 0 else (not ex.optional, -ex.sets, -index)
            ranked.append((key, path))
    return [path for _, path in sorted(ranked)]


@dataclass(frozen=True)
class _Knob:
    """One dosage that the fine adjustment may move, and its bounds."""

    path: Path
    field: str  # rest_ms, rest_after_ms (rounds: rest_ms), sets, reps or hold_ms
    low: int
    high: int

    def next(self, value: int, up: bool) -> int | None:
        """The next value one step up or down (rests: whole 5 s), None at a bound."""
        if self.field in ("sets", "reps"):
            new = value + (1 if up else -1)
        elif self.field == "hold_ms":
            new = value + (1000 if up else -1000)
        elif up:
            new = (value // REST_STEP_MS + 1) * REST_STEP_MS
        else:
            new = (value - 1) // REST_STEP_MS * REST_STEP_MS
        new = min(self.high, max(self.low, new))
        return None if new == value else new


def _slots(routine: Routine) -> Iterator[tuple[Path, Exercise | Rounds]]:
    for si, section in enumerate(routine.sections):
        for ii, item in enumerate(section.items):
            yield (si, ii, -1), item
            if isinstance(item, Rounds):
                for ri, ex in enumerate(item.exercises):
                    yield (si, ii, ri), ex


def _at(routine: Routine, path: Path) -> Exercise | Rounds:
    si, ii, ri = path
    item = routine.sections[si].items[ii]
    return item.exercises[ri] if ri >= 0 and isinstance(item, Rounds) else item


def _put(routine: Routine, path: Path, new: Exercise | Rounds) -> Routine:
    si, ii, ri = path
    section = routine.sections[si]
    item = section.items[ii]
    if ri >= 0 and isinstance(item, Rounds):
        assert isinstance(new, Exercise)
        new = replace(item, exercises=_swap(item.exercises, ri, new))
    sections = _swap(routine.sections, si, replace(section, items=_swap(section.items, ii, new)))
    return replace(routine, sections=sections)


def _swap(items: tuple[T, ...], index: int, new: T) -> tuple[T, ...]:
    return (*items[:index], new, *items[index + 1 :])


def _knobs(base: Routine) -> list[_Knob]:
    """Every dosage of ``base`` the fine adjustment may move (rests first, then sets,
    then reps and holds; `fixed: true` exercises have none), with its bounds."""
    rests, sets, holds = [], [], []
    low_f, high_f = REST_FACTORS
    for path, obj in _slots(base):
        if isinstance(obj, Rounds) or not obj.fixed:
            fields = ("rest_ms",) if isinstance(obj, Rounds) else _REST_FIELDS
            for name in fields:
                ms = getattr(obj, name)
                if ms:
                    rests.append(_Knob(path, name, _rest(ms, low_f), _rest(ms, high_f)))
        if isinstance(obj, Rounds) or obj.fixed:
            continue
        if _sets(obj.sets, -1) < _sets(obj.sets, 1):
            sets.append(_Knob(path, "sets", _sets(obj.sets, -1), _sets(obj.sets, 1)))
        low, high = HOLD_FACTORS
        if obj.reps and _reps(obj.reps, low) < _reps(obj.reps, high):
            holds.append(_Knob(path, "reps", _reps(obj.reps, low), _reps(obj.reps, high)))
        if obj.hold_ms:
            holds.append(_Knob(path, "hold_ms", _hold(obj.hold_ms, low), _hold(obj.hold_ms, high)))
    return rests + sets + holds


def _turn(routine: Routine, base: Routine, knob: _Knob, value: int) -> Routine:
    """``routine`` with ``knob`` at ``value`` (cues fitted to new reps or holds from
    ``base``, so a candidate depends only on its dosage)."""
    now = _at(routine, knob.path)
    if knob.field in ("reps", "hold_ms"):
        first = _at(base, knob.path)
        assert isinstance(first, Exercise) and isinstance(now, Exercise)
        reps, hold = (value, now.hold_ms) if knob.field == "reps" else (now.reps, value)
        held = _with_dosage(first, reps=reps, hold_ms=hold, sets=now.sets)
        new: Exercise | Rounds = replace(held, rest_ms=now.rest_ms, rest_after_ms=now.rest_after_ms)
    elif knob.field == "sets":
        assert isinstance(now, Exercise)
        new = replace(now, sets=value)
    elif knob.field == "rest_after_ms":
        assert isinstance(now, Exercise)
        new = replace(now, rest_after_ms=value)
    else:
        new = replace(now, rest_ms=value)
    return _put(routine, knob.path, new)


def _fingerprint(routine: Routine) -> tuple[object, ...]:
    """What the fit changes, as a key: candidates alike in it plan alike."""
    out: list[object] = []
    for path, obj in _slots(routine):
        if isinstance(obj, Rounds):
            out.append((path, obj.count, obj.rest_ms))
        else:
            dosage = (obj.sets, obj.reps, obj.hold_ms, obj.rest_ms, obj.rest_after_ms)
            out.append((path, obj.name, *dosage))
    return tuple(out)


class _Search:
    """The search for the candidate closest to ``target``; each new candidate is
    measured once (a plan of the routine), at most MAX_MEASURES of them."""

    def __init__(self, target: int, measure: Measure) -> None:
        self.target, self.measure = target, measure
        self.seen: dict[tuple[object, ...], int] = {}
        self.floors: dict[_Knob, int] = {}  # a grown rest: below this, no change

    def length(self, routine: Routine, spare: bool = False) -> int | None:
        """The routine's length; None once the budget is spent (unless ``spare``)."""
        key = _fingerprint(routine)
        if key not in self.seen:
            if len(self.seen) >= MAX_MEASURES and not spare:
                return None
            self.seen[key] = self.measure(routine)
        return self.seen[key]

    def off(self, fit: _Fit | None) -> float:
        return abs(fit.length - self.target) if fit is not None else float("inf")

    def close(self, fit: _Fit | None) -> bool:
        return self.off(fit) <= CLOSE * self.target

    def kept(self, fit: _Fit | None) -> bool:
        return self.off(fit) <= AIM * self.target

    def closer(self, a: _Fit | None, b: _Fit | None) -> _Fit | None:
        return b if self.off(b) < self.off(a) else a

    def at(self, shape: _Shape, factor: float) -> _Fit | None:
        routine = shape.routine(factor)
        length = self.length(routine)
        return None if length is None else _Fit(length, routine, shape, factor)

    def run(self, routine: Routine, shorter: bool) -> _Fit | None:
        """Shapes in order: the first whose factor range holds the target is
        bisected and adjusted. If none gets there (the target falls between two
        shapes), single knobs move from the nearest shapes as written."""
        best: _Fit | None = None
        near: list[tuple[float, int, _Fit]] = []  # each shape's end toward the target
        slack = AIM * self.target
        for order, shape in enumerate(_shapes(routine, shorter)):
            # the end toward the target first: a shape that cannot reach it costs one plan
            far = self.at(shape, REST_FACTORS[0 if shorter else 1])
            if far is None:
                break
            best = self.closer(best, far)
            near.append((self.off(far), order, far))
            short = far.length + slack < self.target
            if (far.length - slack > self.target) if shorter else short:
                continue
            other = self.at(shape, REST_FACTORS[1 if shorter else 0])
            if other is None:
                break
            low, high = (far, other) if shorter else (other, far)
            best = self.closer(best, other)
            if self.holds(low, high):
                best = self.closer(best, self.fine(self.bisect(shape, low, high)))
                if self.kept(best):  # the least change that keeps the promise
                    return best
        return self.bridge(best, [far for *_, far in sorted(near, key=lambda n: n[:2])])

    def bridge(self, best: _Fit | None, ends: list[_Fit]) -> _Fit | None:
        """No shape's factor gets there: single knobs move from the nearest shapes.
        Between two shapes, from each as written and with one set the other way on
        every exercise (sets change the length in big steps); beyond them all (only
        reps and holds reach further), from the nearest end."""
        beyond = all((far.length < self.target) == (ends[0].length < self.target) for far in ends)
        starts: list[_Fit | None] = list(ends[:1]) if beyond else []
        for far in ends[:FINE_STARTS] if not beyond else ():
            shape = far.shape
            back = replace(shape, step=-shape.step, paths=())
            back = replace(back, paths=tuple(_set_order(shape.base, back.step)))
            starts += [self.at(shape, 1.0), self.at(back, 1.0)]
        for start in sorted((s for s in starts if s is not None), key=self.off):
            if self.kept(best):
                break
            best = self.closer(best, self.fine(start))
        return best

    def holds(self, low: _Fit, high: _Fit) -> bool:
        """Whether the range between two lengths (2 % on either side) holds the target."""
        lengths = (low.length, high.length)
        slack = AIM * self.target
        return min(lengths) - slack <= self.target <= max(lengths) + slack

    def bisect(self, shape: _Shape, low: _Fit, high: _Fit) -> _Fit:
        """The factor bisected (the length grows with it, in steps)."""
        best = self.closer(low, high)
        lo, hi = REST_FACTORS
        for _ in range(_STEPS):
            if self.close(best):
                break
            fit = self.at(shape, (lo + hi) / 2)
            if fit is None:
                break
            best = self.closer(best, fit)
            lo, hi = (fit.factor, hi) if fit.length < self.target else (lo, fit.factor)
        assert best is not None
        return best

    def fine(self, fit: _Fit, kick: bool = True) -> _Fit:
        """Move one knob at a time, keeping the move that lands closest, until
        within 1 % or no move helps (a knob that cannot help is not tried again).
        Stuck between two steps of one knob, it goes on once from the step past
        the target, where another knob may move back (5 reps and a longer rest)."""
        knobs = _knobs(fit.shape.base)
        dead: set[tuple[_Knob, bool]] = set()
        self.floors = {}
        while not self.close(fit):
            up = fit.length < self.target
            best: _Fit | None = None
            crossed: _Fit | None = None
            moved_by: _Knob | None = None
            for knob in knobs:
                moved = self.turn(fit, knob, up) if (knob, up) not in dead else None
                if moved is None:
                    dead.add((knob, up))
                elif self.closer(best, moved) is moved:
                    best, moved_by = moved, knob
                if moved is not None and (moved.length > self.target) == up:
                    crossed = self.closer(crossed, moved)
            if best is None or moved_by is None or self.off(best) >= self.off(fit):
                if kick and crossed is not None:
                    return self.closer(fit, self.fine(crossed, kick=False)) or fit
                return fit
            best = self.leap(fit, best, moved_by)
            if [e.sets for e in best.routine.exercises()] != [
                e.sets for e in fit.routine.exercises()
            ]:
                dead.clear()  # a rest between sets may matter now
            fit = best
        return fit

    def leap(self, before: _Fit, after: _Fit, knob: _Knob) -> _Fit:
        """A rep or a second of hold changes the length by about the same each time:
        when one step is far from enough, try as many as the gap asks for at once."""
        step = after.length - before.length
        if knob.field not in ("reps", "hold_ms") or step == 0:
            return after
        steps = round((self.target - before.length) / step)
        now = getattr(_at(after.routine, knob.path), knob.field)
        unit = now - getattr(_at(before.routine, knob.path), knob.field)
        value = min(knob.high, max(knob.low, now + (steps - 1) * unit))
        if steps <= 1 or value == now:
            return after
        routine = _turn(after.routine, after.shape.base, knob, value)
        length = self.length(routine)
        return (
            after
            if length is None
            else self.closer(after, replace(after, length=length, routine=routine)) or after
        )

    def turn(self, fit: _Fit, knob: _Knob, up: bool) -> _Fit | None:
        """``fit`` with ``knob`` one step up or down. A rest that grew to fit what is
        said in it changes nothing until it passes that length: going up, the
        steps go on until the length changes (and the next try starts there)."""
        routine, value = fit.routine, getattr(_at(fit.routine, knob.path), knob.field)
        if up:
            value = max(value, self.floors.get(knob, value))
        while True:
            value = knob.next(value, up)
            if value is None:
                return None
            routine = _turn(routine, fit.shape.base, knob, value)
            length = self.length(routine)
            if length is None:
                return None
            if length != fit.length:
                return replace(fit, length=length, routine=routine)
            if not up or knob.field not in _REST_FIELDS:
                return None
            self.floors[knob] = value


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


def _describe_fit(before: Routine, after: Routine, factor: float) -> list[str]:
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
            holds.append(f"{old.name} {_secs(old.hold_ms)} -> {_secs(new.hold_ms)}")
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
            f"{_secs(a)} -> {' or '.join(_secs(b) for b in sorted(bs))}"
            for a, bs in sorted(rests.items())
        )
        out.append(f"rests x{factor:.2f}: {pairs}")
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
