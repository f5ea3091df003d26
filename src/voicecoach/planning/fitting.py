"""Fitting a routine to a length: the search behind ``--minutes``.

Rests move in whole 5 s and a rest that grows to hold its announcements does not
shrink, so the length is a step function of every dosage. The search goes through
*shapes* in the order of least change (as written; one set fewer, or more, on one
exercise, then two...; shorter only: optional parts left out, the last first, or
one round fewer), bisects the rest factor of the first shape whose range holds the
target, then moves single knobs (a rest or a hold by 5 s, a set, a rep)
keeping the move that lands closest. Each candidate is planned once (`Measure`);
with real phrase lengths a new text is synthesized once and cached. The bounds
are in `voicecoach.planning.dosage` (described in `voicecoach.planning.personalize`'s module docs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from math import ceil, floor

from voicecoach.errors import VoicecoachError
from voicecoach.planning.dosage import (
    HOLD_FACTORS,
    HOLD_STEP_MS,
    REST_FACTORS,
    REST_STEP_MS,
    Measure,
    scaled_hold,
    scaled_reps,
    scaled_rest,
    stepped_sets,
    stretch,
    with_dosage,
)
from voicecoach.planning.fit_report import describe_fit
from voicecoach.planning.routine_edits import Path, item_at, paths, put_item, without_optional
from voicecoach.routine.model import Exercise, Rounds, Routine
from voicecoach.text import minutes_clock

AIM = 0.02  # what is promised: within 2 % of the target
CLOSE = 0.01  # one shape's factor and knobs are adjusted until within 1 %
TOLERANCE = 0.05  # accepted at worst (a target just outside the range): within 5 %
_STEPS = 12  # bisection steps on the factor (each one plans the routine once)
MAX_MEASURES = 240  # at most this many candidates planned in one fit
FINE_STARTS = 3  # between two shapes: the nearest ones the knobs start from


def fit_minutes(
    routine: Routine, minutes: float, measure: Measure, changes: list[str] | None = None
) -> Routine:
    """The routine adjusted to last about ``minutes`` (within 2 %, at worst 5 %).

    The least change that gets there wins: the rest (and hold) factor alone, then
    one set fewer or more on one exercise, two, ...; then (shorter only) `optional:
    true` parts left out, the last first (inside rounds: one round fewer); then
    single rests, sets, reps and holds moved one step at a time. Raises
    VoicecoachError with the reachable range when nothing gets there.
    """
    target = round(minutes * 60_000)
    start = measure(routine)
    if abs(start - target) <= AIM * target:
        if changes is not None:
            changes.append(
                f"fit to {minutes:g} min: already {minutes_clock(start)}, "
                "within 2 %; nothing changed"
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
            f"fit to {minutes:g} min: "
            f"planned length {minutes_clock(start)} -> {minutes_clock(fit.length)}"
        )
        changes.extend(describe_fit(fit.shape.base, fit.routine, fit.factor))
        if fit.shape.left_out:
            changes.append("left out to fit: " + fit.shape.left_out)
    return fit.routine


def _reach(routine: Routine, search: _Search) -> tuple[int, int]:
    """The shortest and the longest the bounds give (optional parts left out, the
    shortest rests, reps and holds, one set fewer; the longest, one set more)."""
    dropped = without_optional(routine)
    fewest = dropped[-1][0] if dropped else routine
    low = stretch(fewest, REST_FACTORS[0], -1, reps_factor=HOLD_FACTORS[0])
    high = stretch(routine, REST_FACTORS[1], 1, reps_factor=HOLD_FACTORS[1])
    shortest, longest = search.length(low, spare=True), search.length(high, spare=True)
    assert shortest is not None and longest is not None
    return shortest, longest


def _refusal(routine: Routine, minutes: float, shortest: int, longest: int) -> VoicecoachError:
    """The message for a target out of reach, with the range the bounds give."""
    low_f, high_f = REST_FACTORS
    parts = ", optional parts left out" if without_optional(routine) else ""
    return VoicecoachError(
        f"cannot fit '{routine.name}' into {minutes:g} minute{'' if minutes == 1 else 's'}: "
        "within safe bounds "
        f"(rests x{low_f:g} to x{high_f:g}, reps and holds x{HOLD_FACTORS[0]:g} to "
        f"x{HOLD_FACTORS[1]:g}, one set fewer or more{parts}) it lasts from "
        f"{minutes_clock(shortest)} to {minutes_clock(longest)}. choose minutes from "
        f"{max(1, ceil(shortest / (1 + AIM) / 60_000))} to "
        f"{floor(longest / (1 - AIM) / 60_000)}"
    )


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
            ex = item_at(routine, path)
            assert isinstance(ex, Exercise)
            routine = put_item(routine, path, replace(ex, sets=stepped_sets(ex.sets, self.step)))
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
        bases += without_optional(routine)
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
    for index, (path, ex) in enumerate(paths(routine)):
        if isinstance(ex, Exercise) and not ex.fixed and stepped_sets(ex.sets, step) != ex.sets:
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
        else:  # rests and holds: whole 5 s, numbers a coach would say
            step = HOLD_STEP_MS if self.field == "hold_ms" else REST_STEP_MS
            new = (value // step + 1) * step if up else (value - 1) // step * step
        new = min(self.high, max(self.low, new))
        return None if new == value else new


def _knobs(base: Routine) -> list[_Knob]:
    """Every dosage of ``base`` the fine adjustment may move (rests first, then sets,
    then reps and holds; `fixed: true` exercises have none), with its bounds."""
    rests, sets, holds = [], [], []
    low_f, high_f = REST_FACTORS
    for path, obj in paths(base):
        if isinstance(obj, Rounds) or not obj.fixed:
            fields = ("rest_ms",) if isinstance(obj, Rounds) else _REST_FIELDS
            for name in fields:
                ms = getattr(obj, name)
                if ms:
                    rests.append(_Knob(path, name, scaled_rest(ms, low_f), scaled_rest(ms, high_f)))
        if isinstance(obj, Rounds) or obj.fixed:
            continue
        if stepped_sets(obj.sets, -1) < stepped_sets(obj.sets, 1):
            sets.append(_Knob(path, "sets", stepped_sets(obj.sets, -1), stepped_sets(obj.sets, 1)))
        low, high = HOLD_FACTORS
        if obj.reps and scaled_reps(obj.reps, low) < scaled_reps(obj.reps, high):
            holds.append(
                _Knob(path, "reps", scaled_reps(obj.reps, low), scaled_reps(obj.reps, high))
            )
        if obj.hold_ms:
            holds.append(
                _Knob(
                    path, "hold_ms", scaled_hold(obj.hold_ms, low), scaled_hold(obj.hold_ms, high)
                )
            )
    return rests + sets + holds


def _turn(routine: Routine, base: Routine, knob: _Knob, value: int) -> Routine:
    """``routine`` with ``knob`` at ``value`` (cues fitted to new reps or holds from
    ``base``, so a candidate depends only on its dosage)."""
    now = item_at(routine, knob.path)
    if knob.field in ("reps", "hold_ms"):
        first = item_at(base, knob.path)
        assert isinstance(first, Exercise) and isinstance(now, Exercise)
        reps, hold = (value, now.hold_ms) if knob.field == "reps" else (now.reps, value)
        held = with_dosage(first, reps=reps, hold_ms=hold, sets=now.sets)
        new: Exercise | Rounds = replace(held, rest_ms=now.rest_ms, rest_after_ms=now.rest_after_ms)
    elif knob.field == "sets":
        assert isinstance(now, Exercise)
        new = replace(now, sets=value)
    elif knob.field == "rest_after_ms":
        assert isinstance(now, Exercise)
        new = replace(now, rest_after_ms=value)
    else:
        new = replace(now, rest_ms=value)
    return put_item(routine, knob.path, new)


def _fingerprint(routine: Routine) -> tuple[object, ...]:
    """What the fit changes, as a key: candidates alike in it plan alike."""
    out: list[object] = []
    for path, obj in paths(routine):
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
            if far.length - slack > self.target if shorter else far.length + slack < self.target:
                continue  # even its far end does not get there
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
        """A rep or 5 s of hold changes the length by about the same each time:
        when one step is far from enough, try as many as the gap asks for at once."""
        step = after.length - before.length
        if knob.field not in ("reps", "hold_ms") or step == 0:
            return after
        steps = round((self.target - before.length) / step)
        now = getattr(item_at(after.routine, knob.path), knob.field)
        unit = now - getattr(item_at(before.routine, knob.path), knob.field)
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
        routine, value = fit.routine, getattr(item_at(fit.routine, knob.path), knob.field)
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


__all__ = ["AIM", "TOLERANCE", "fit_minutes"]
