"""The script: a routine expanded into what is said, in order, with every text rendered.

Sections, rounds, sides and sets are unrolled into alternating steps:
``Gap, Work, Gap, Work, ..., Gap``. A `Gap` is the time between two work blocks
(announcements, rests, countdowns); a `Work` is one set of reps or one hold, with
its counts and the coaching cues that want to be said inside it. The planner only
decides *when*; every *what* is decided here, deterministically from the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from math import ceil
from typing import Literal

from voicecoach.cues import (
    CuePack,
    VariantPicker,
    lines_for,
    load_cue_pack,
    most_specific_lines,
    normalize_focus,
    pronounce,
    render,
)
from voicecoach.cues.spoken import plural
from voicecoach.cues.template import with_client
from voicecoach.errors import PlanError, Problem
from voicecoach.routine.model import (
    CoachLevel,
    Exercise,
    Rounds,
    Routine,
    Section,
    SideName,
    Standalone,
    Tempo,
    TimedCue,
    Where,
)
from voicecoach.text import seconds_text

SpokenKind = Literal["speech", "cue", "count"]
# Who a spoken line speaks for (docs/plan-json.md, "Roles"): the routine's own words,
# the exercise library's cues or corrections, the cue pack's generic banks, or the
# session's structure (announcements, counts, halfway, last rep, rests, switches).
Role = Literal["routine", "library", "correction", "bank", "structural"]
FOCUS_KEY = "focus."

FOCUS_EVERY_MS = 15_000  # about one mind-body line per 15 s of work
FOCUS_MIN_WORK_MS = 8_000  # shorter sets get no mind-body line
HALFWAY_MIN_REPS = 6
LAST_REP_MIN_REPS = 3
HOLD_HALFWAY_MIN_MS = 20_000
COUNTDOWN_SECONDS = 3
MAX_SCRIPT_REPS = 200_000  # guards memory before the planner's exact limits apply
# Rests (docs/timing.md): what comes next is said in the last part of a rest between
# exercises, after at least this share of it has passed in quiet; a rest of
# REST_CALL_MIN_MS or more gets a call REST_CALL_S seconds before the work.
QUIET_SHARE = 0.4
CHECK_IN_ANSWER_MS = 4000  # quiet after a check-in the routine asks, to answer it
REST_CALL_MIN_MS = 30_000
REST_CALL_S = 10
COACH_STEP_MS = 5000  # a time a coach calls out (time left in a hold) is whole 5 s


@dataclass(frozen=True)
class Context:
    """What an event belongs to. `SESSION` (all None) for session-level lines."""

    exercise: str | None = None
    side: SideName | None = None
    set: int | None = None
    sets: int | None = None
    round: int | None = None
    rounds: int | None = None
    chapter: int = 0


SESSION = Context()


@dataclass(frozen=True)
class Line:
    """A phrase (or, with ``sound``, a tone that reserves time) said in a gap."""

    text: str | None
    key: str | None
    kind: SpokenKind = "speech"
    required: bool = True  # required lines extend the gap; others are dropped if no room
    ctx: Context = SESSION
    sound: str | None = None
    role: Role = "structural"
    alternatives: tuple[str, ...] = ()  # other phrasings, when ``text`` would repeat
    # A rest announcement ("Rest 30 seconds."): the rest it names, counted from the
    # end of this line to the first beat of the work; ``retext`` gives the phrasings
    # (the same order as text + alternatives) for another length when the rest grows.
    rest_ms: int | None = None
    retext: Callable[[int], tuple[str, ...]] | None = field(default=None, compare=False)
    quiet_share: float = 0.0  # how much of the rest is kept quiet before what comes next
    after_ms: int = 0  # quiet kept after the line (a check-in's time to answer)
    opens_chapter: bool = False  # a new chapter starts here, not at the gap's tails
    # The user wrote this key's phrasings (the routine's `phrases:`, an exercise's, or
    # their own cue pack): only such a line is warned about when it has no room.
    own: bool = False


@dataclass(frozen=True)
class Countdown:
    """Numbers said on the last seconds before work: ``numbers[k - 1]`` at k s before."""

    numbers: tuple[str, ...]
    key: str
    required: bool
    ctx: Context
    go: str | None = None  # said one second after the last number, a second before reps


@dataclass(frozen=True)
class Gap:
    """The time between two work blocks (or before the first / after the last).

    ``rest_ms`` is the clock: the gap lasts exactly that long unless its required
    lines need more. Heads are said from the start of the gap, tails end just before
    the countdown into the next work.
    """

    rest_ms: int
    heads: tuple[Line, ...] = ()
    tails: tuple[Line, ...] = ()
    countdown: Countdown | None = None
    ctx: Context = SESSION  # the rest span's context: the work that follows
    new_chapter: bool = False
    final: bool = False  # the closing gap: no work follows
    call: Line | None = None  # "10 seconds", said 10 s before work when the rest is 30 s+


@dataclass(frozen=True)
class CueRequest:
    """A coaching line that wants to be said ``at_ms`` or later into a work block."""

    text: str
    key: str | None
    at_ms: int
    label: str  # names the cue in warnings
    alternatives: tuple[str, ...] = ()  # tried in order when ``text`` does not fit
    role: Role = "structural"
    deadline_ms: int | None = None  # must end by then (e.g. "last one" before the final rep)


@dataclass(frozen=True)
class Work:
    """One set of reps or one hold."""

    ctx: Context
    reps: int | None = None
    tempo: Tempo = field(default_factory=Tempo)
    hold_ms: int | None = None
    counts: tuple[str, ...] = ()  # one per rep; "" = silent
    words: tuple[str, ...] = ()  # one per tempo phase; "" = none
    opening: Line | None = None  # hold_start, said as the hold starts
    closing: tuple[str, ...] = ()  # hold countdown: closing[k - 1] at k s before the end
    cues: tuple[CueRequest, ...] = ()  # in priority order

    @property
    def duration_ms(self) -> int:
        if self.hold_ms is not None:
            return self.hold_ms
        return (self.reps or 0) * self.tempo.rep_ms


Step = Gap | Work


@dataclass(frozen=True)
class Script:
    title: str
    steps: tuple[Step, ...]
    chapters: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    coach: CoachLevel = "standard"
    pronunciations: tuple[tuple[str, str], ...] = ()  # written -> said (pack, then routine)

    def spoken(self, text: str) -> str:
        """What the speech engine is given for ``text`` (transcripts keep ``text``)."""
        return pronounce(text, dict(self.pronunciations))

    def works(self) -> list[Work]:
        return [s for s in self.steps if isinstance(s, Work)]

    def phrases(self) -> list[str]:
        """Every distinct text that may be spoken, in first-use order."""
        seen: dict[str, None] = {}

        def add(text: str | None) -> None:
            if text:
                seen.setdefault(text, None)

        for step in self.steps:
            if isinstance(step, Gap):
                for line in step.heads + step.tails:
                    if line.sound is None:
                        for text in (line.text, *line.alternatives):
                            add(text)
                if step.countdown:
                    for number in (*step.countdown.numbers, step.countdown.go):
                        add(number)
                if step.call is not None:
                    add(step.call.text)
            else:
                for text in step.counts + step.words + step.closing:
                    add(text)
                if step.opening:
                    for text in (step.opening.text, *step.opening.alternatives):
                        add(text)
                for cue in step.cues:
                    for text in (cue.text, *cue.alternatives):
                        add(text)
        return list(seen)


# --- building ------------------------------------------------------------------------


def _intro_key(ex: Exercise) -> tuple[str, dict[str, object]]:
    """The key that introduces ``ex`` and its values."""
    if ex.is_hold:
        secs = seconds_text(ex.hold_ms or 0)
        if ex.sets > 1:
            return "exercise_intro_hold", {"exercise": ex.name, "sets": ex.sets, "seconds": secs}
        return "exercise_intro_hold_one_set", {"exercise": ex.name, "seconds": secs}
    if ex.sets > 1:
        return "exercise_intro", {"exercise": ex.name, "sets": ex.sets, "reps": ex.reps}
    return "exercise_intro_one_set", {"exercise": ex.name, "reps": ex.reps}


def _says_time(template: str) -> bool:
    """The template says a length of time ("{duration} to go")."""
    return "{seconds}" in template or "{duration}" in template


@dataclass(frozen=True)
class _Occurrence:
    """One exercise as it is done: in its section, in its round."""

    ex: Exercise
    section: Section
    first_in_section: bool
    group: int  # index of the Rounds item (or exercise) in the routine
    round: int | None = None
    rounds: int | None = None
    round_rest_ms: int = 0
    first_in_round: bool = False
    last_in_round: bool = False
    before: tuple[Standalone, ...] = ()  # standalone items said before it
    after: tuple[Standalone, ...] = ()  # standalone items after it (a rest: the rest)


@dataclass(frozen=True)
class _Slot:
    occ: _Occurrence
    index: int  # occurrence index
    side: SideName | None
    set: int
    sets: int
    chapter: int


def session_opening(routine: Routine) -> list[Line]:
    """After the welcome: the long intro, when asked for."""
    if routine.profile.long_intro and routine.intro_long:
        return [Line(routine.intro_long, None)]
    return []


def session_safety(routine: Routine, safety: list[Line]) -> list[Line]:
    """When to stop, said once: the pack's ``safety``, the routine's own text, or
    nothing with ``safety: false``. It comes after the first exercise's setup, just
    before the first effort, so the first instruction comes within seconds."""
    out: list[Line] = []
    if isinstance(routine.safety, str):
        out.append(Line(routine.safety, "safety"))
    elif routine.safety:
        out += safety
    return out


def _problem(message: str, where: Where, hint: str) -> PlanError:
    problem = Problem.at(where, message, hint)
    return PlanError(problem.format(), problems=[problem])


def _check_exercise(ex: Exercise) -> None:
    if ex.sets < 1:
        raise _problem(f"{ex.name}: sets must be at least 1", ex.where, "set sets: 1 or more")
    if min(ex.rest_ms, ex.rest_after_ms) < 0:
        raise _problem(f"{ex.name}: a rest is negative", ex.where, "use 0 or more")
    if ex.hold_ms is not None:
        if ex.hold_ms <= 0:
            raise _problem(f"{ex.name}: the hold is 0 s", ex.where, "give it a length, e.g. 30s")
        return
    if ex.reps is None or ex.reps < 1:
        raise _problem(f"{ex.name}: reps must be at least 1", ex.where, "set reps or hold")
    if ex.tempo.rep_ms <= 0 or min(ex.tempo.phases_ms) < 0:
        raise _problem(
            f"{ex.name}: the tempo adds up to no time", ex.where, "use a tempo like 2-1-2"
        )


def _occurrences(routine: Routine) -> list[_Occurrence]:
    out: list[_Occurrence] = []
    group = 0
    for section in routine.sections:
        first = True
        for item in section.items:
            if isinstance(item, Rounds):
                if item.count < 1 or item.rest_ms < 0 or not item.exercises:
                    raise _problem(
                        "rounds need a count of 1 or more, exercises and a rest of 0 or more",
                        item.where,
                        "fix the rounds block",
                    )
                last = len(item.exercises) - 1
                for r in range(1, item.count + 1):
                    for i, ex in enumerate(item.exercises):
                        before = (item.before if r == 1 and i == 0 else ()) + ex.before
                        after = ex.after + (item.after if r == item.count and i == last else ())
                        out.append(
                            _Occurrence(
                                ex, section, first, group, r, item.count, item.rest_ms,
                                i == 0, i == last, before, after,
                            )
                        )  # fmt: skip
                        first = False
            else:
                out.append(
                    _Occurrence(item, section, first, group, before=item.before, after=item.after)
                )
                first = False
            group += 1
    return out


def extra_set_here(ex: Exercise, routine: Routine) -> bool:
    """Does ``ex`` get the extra weak-side set? Its own ``extra_weak_side_set`` when
    written; else the profile's switch, unless some exercise says true (then only
    those get it)."""
    profile = routine.profile
    if not profile.weak_side or ex.sides not in ("both", profile.weak_side):
        return False
    if ex.extra_weak_side_set is not None:
        return ex.extra_weak_side_set
    if any(e.extra_weak_side_set for e in routine.exercises()):
        return False
    return profile.extra_weak_side_set


def _side_plan(ex: Exercise, routine: Routine) -> list[tuple[SideName | None, int]]:
    """(side, sets) in the order they are done (one side after the other, or taking
    turns set by set with ``alternate_sides``)."""
    weak = routine.profile.weak_side
    extra = extra_set_here(ex, routine)
    if ex.sides is None:
        return [(None, ex.sets)]
    if ex.sides == "both":
        first: SideName = weak or "left"
        second: SideName = "right" if first == "left" else "left"
        order = [first, second]
    else:
        order = [ex.sides]
    return [(side, ex.sets + (1 if extra and side == weak else 0)) for side in order]


# Seconds to change sides (roll over, turn round), by body position: about 5 s
# standing, seated, supine or kneeling; about 10 s lying on a side, prone, on hands
# and knees or half-kneeling (docs/routine-format.md, switch_rest).
SLOW_SWITCH_POSITIONS = frozenset({"side-lying", "prone", "quadruped", "half-kneeling"})
SWITCH_REST_MS = (5000, 10_000)


def switch_rest_ms(ex: Exercise) -> int:
    """The time between the two sides of a set."""
    if ex.switch_rest_ms is not None:
        return ex.switch_rest_ms
    return SWITCH_REST_MS[ex.position in SLOW_SWITCH_POSITIONS]


def _alternates(ex: Exercise) -> bool:
    return ex.alternate_sides and ex.sides == "both"


def _chapter_title(occ: _Occurrence, side: SideName | None) -> str:
    title = occ.ex.name
    if side:
        title += f" — {side}"
    if occ.rounds and occ.rounds > 1:
        title += f" (round {occ.round} of {occ.rounds})"
    return title


@dataclass(frozen=True)
class RestTexts:
    """The phrasings of a rest line for any rest length (the planner grows a rest
    that its next exercise's intro doesn't fit). A plain object, not a closure, so
    a script pickles into a batch's mixing processes."""

    templates: tuple[str, ...]
    values: tuple[tuple[str, object], ...]

    def __call__(self, ms: int) -> tuple[str, ...]:
        values = {**dict(self.values), "seconds": seconds_text(ms)}
        return tuple(render(t, values) for t in self.templates)


class _Builder:
    def __init__(self, routine: Routine, seed: int, pack: CuePack) -> None:
        self.routine = routine
        self.picker = VariantPicker(seed)
        self.pack = pack.with_overrides(
            routine.cue_overrides, where=routine.cue_override_where, origin=routine.where
        )
        self._packs: dict[int, CuePack] = {}
        self.warnings: dict[str, None] = {}
        self._focus_used: dict[int, set[str]] = {}
        self._focus_turn: dict[int, int] = {}

    # -- texts

    def pack_for(self, ex: Exercise | None) -> CuePack:
        if ex is None or not ex.cue_overrides:
            return self.pack
        key = id(ex)
        if key not in self._packs:
            self._packs[key] = self.pack.with_overrides(ex.cue_overrides, origin=ex.where)
        return self._packs[key]

    def say(self, key: str, ex: Exercise | None, **values: object) -> str | None:
        """A rendered phrasing of ``key``, or None when the key is silenced."""
        options = self.say_all(key, ex, **values)
        return options[0] if options else None

    def say_all(self, key: str, ex: Exercise | None, **values: object) -> tuple[str, ...]:
        """Every phrasing of ``key``: the picked one first, then the others in turn."""
        return self.say_from(key, lines_for(self.pack_for(ex), key, ex), **values)

    def say_from(self, key: str, templates: tuple[str, ...], **values: object) -> tuple[str, ...]:
        """``templates`` (phrasings of ``key``) rendered: the picked one first."""
        options = with_client(templates, self.routine.profile.client)
        if not options:
            return ()
        values = {**values, "client": self.routine.profile.client or ""}
        i = self.picker.index(key, len(options))
        return tuple(render(options[(i + j) % len(options)], values) for j in range(len(options)))

    def line(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        *,
        required: bool = True,
        **values: object,
    ) -> list[Line]:
        return self.line_with(key, ex, ctx, values, required)

    def line_with(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        values: dict[str, object],
        required: bool = True,
    ) -> list[Line]:
        """``key`` said with ``values``, as a `Line` (with its other phrasings)."""
        texts = self.say_all(key, ex, **values)
        if not texts:
            return []
        role: Role = "bank" if key == "check_in" else "structural"
        own = self.user_wrote(key, ex)
        return [
            Line(texts[0], key, "speech", required, ctx, role=role, alternatives=texts[1:], own=own)
        ]

    def user_wrote(self, key: str, ex: Exercise | None) -> bool:
        """Whether the phrasings of ``key`` here are the user's (written, chosen or
        silenced in their routine or pack), not the bundled pack's."""
        return set(self.pack_for(ex).get(key)) != set(load_cue_pack(None).get(key))

    def rest_line(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        rest_ms: int,
        quiet_share: float,
        **values: object,
    ) -> list[Line]:
        """The line that announces a rest of ``rest_ms``: always said (the rest is
        counted from its end), and re-phrased by the planner if the rest must grow."""
        options = lines_for(self.pack_for(ex), key, ex)
        if not options:
            return []
        i = self.picker.index(key, len(options))
        order = tuple(options[(i + j) % len(options)] for j in range(len(options)))
        retext = RestTexts(order, tuple(values.items()))
        texts = retext(rest_ms)
        return [
            Line(
                texts[0], key, "speech", True, ctx, alternatives=texts[1:], rest_ms=rest_ms,
                retext=retext, quiet_share=quiet_share, own=self.user_wrote(key, ex),
            )
        ]  # fmt: skip

    def item_lines(self, items: tuple[Standalone, ...], ctx: Context) -> list[Line]:
        """The routine's own standalone lines, always said (docs/routine-format.md):
        ``say`` as written, ``check_in`` with a few seconds of quiet to answer."""
        out: list[Line] = []
        for item in items:
            if item.say:
                out.append(Line(item.say, "say", ctx=ctx, role="routine"))
            if item.check_in:
                out.append(
                    Line(
                        item.check_in, "check_in", ctx=ctx, role="routine",
                        after_ms=CHECK_IN_ANSWER_MS,
                    )
                )  # fmt: skip
        return out

    def names_side(self, key: str, ex: Exercise) -> bool:
        """Every phrasing of ``key`` says the side ("Switch to the {side} side."), so
        no "Right side." needs to follow it."""
        options = lines_for(self.pack_for(ex), key, ex)
        return bool(options) and all("{side}" in text for text in options)

    def rest_call(self, ex: Exercise | None, ctx: Context) -> Line | None:
        """The "10 seconds" call of a long rest."""
        found = self.line("rest_call", ex, ctx, required=False, seconds=REST_CALL_S)
        # A time call, like a countdown number: it never makes a coaching line wait.
        return replace(found[0], kind="count") if found else None

    def warn(self, message: str) -> None:
        self.warnings.setdefault(message, None)

    # -- structure

    def build(self) -> Script:
        occs = _occurrences(self.routine)
        for occ in occs:
            _check_exercise(occ.ex)
            if occ.ex.extra_weak_side_set and not self.routine.profile.weak_side:
                raise _problem(
                    f"{occ.ex.name}: extra_weak_side_set needs a weak side",
                    occ.ex.where,
                    "set profile.weak_side (or --weak-side), or remove extra_weak_side_set",
                )
        self._check_size(occs)
        slots: list[_Slot] = []
        chapters: list[str] = []
        for i, occ in enumerate(occs):
            plan = _side_plan(occ.ex, self.routine)
            if _alternates(occ.ex):  # L, R, L, R: one chapter for the exercise
                chapters.append(_chapter_title(occ, None))
                for s in range(1, max(sets for _side, sets in plan) + 1):
                    for side, sets in plan:
                        if s <= sets:
                            slots.append(_Slot(occ, i, side, s, sets, len(chapters) - 1))
                continue
            for side, sets in plan:
                chapters.append(_chapter_title(occ, side))
                for s in range(1, sets + 1):
                    slots.append(_Slot(occ, i, side, s, sets, len(chapters) - 1))
        steps: list[Step] = []
        prev: _Slot | None = None
        for slot in slots:
            steps.append(self.gap(prev, slot))
            steps.append(self.work(slot))
            prev = slot
        steps.append(self.final_gap(prev))
        table = {**self.pack.pronunciations, **self.routine.pronounce}
        return Script(
            self.routine.name,
            tuple(steps),
            tuple(chapters),
            tuple(self.warnings),
            self.routine.profile.coach,
            tuple(table.items()),
        )

    def _check_size(self, occs: list[_Occurrence]) -> None:
        from voicecoach import timeline  # limits are read at call time, so callers can raise them

        work_ms = 0
        reps = 0
        for occ in occs:
            for _side, sets in _side_plan(occ.ex, self.routine):
                one = occ.ex.hold_ms if occ.ex.is_hold else occ.ex.reps * occ.ex.tempo.rep_ms  # type: ignore[operator]
                work_ms += sets * (one or 0) + (sets - 1) * occ.ex.rest_ms
                reps += sets * (occ.ex.reps or 0)
        if work_ms > timeline.MAX_SESSION_MS:
            raise PlanError(timeline.too_long_message(work_ms))
        if reps > MAX_SCRIPT_REPS:
            raise PlanError(
                f"the session has {reps} reps, more than {MAX_SCRIPT_REPS} can be planned. "
                "use fewer reps, sets or rounds"
            )

    def ctx(self, slot: _Slot) -> Context:
        return Context(
            slot.occ.ex.name,
            slot.side,
            slot.set,
            slot.sets,
            slot.occ.round,
            slot.occ.rounds,
            slot.chapter,
        )

    def done_lines(self, prev: _Slot) -> list[Line]:
        ex, ctx = prev.occ.ex, self.ctx(prev)
        if ex.is_hold:
            return self.line("hold_done", ex, ctx, required=False, exercise=ex.name)
        return self.line("set_done", ex, ctx, required=False, set=prev.set, sets=prev.sets)

    def check_in(self, prev: _Slot, nxt: _Slot | None = None) -> list[Line]:
        """Asked once per section or circuit, after its last exercise."""
        if not self.routine.profile.check_ins:
            return []
        if (
            nxt is not None
            and nxt.occ.section is prev.occ.section
            and (prev.occ.rounds is None or nxt.occ.group == prev.occ.group)
        ):
            return []
        ex = prev.occ.ex
        pack = self.pack_for(ex)
        client = self.routine.profile.client
        options = with_client(most_specific_lines(pack, "check_in", ex), client)
        if not options:
            return []
        picked = self.picker.pick("check_in", options)
        # Other phrasings, the most specific first, for when the picked one would
        # repeat a line of the last minute ("Feel your glutes, not your low back.").
        others = [o for o in options if o != picked]
        others += [
            o for o in with_client(lines_for(pack, "check_in", ex), client) if o not in options
        ]
        values = {"exercise": ex.name, "client": client or ""}
        # Asked for in the profile, so it is worth a slightly longer rest.
        return [
            Line(
                render(picked, values), "check_in", "speech", True, self.ctx(prev), role="bank",
                alternatives=tuple(render(o, values) for o in others),
            )
        ]  # fmt: skip

    def countdown(self, key: str, ex: Exercise, ctx: Context, required: bool) -> Countdown | None:
        numbers = []
        for k in range(1, COUNTDOWN_SECONDS + 1):
            numbers.append(self.say(key, ex, seconds=k) or "")
        # "3, 2, 1, go" and then rep 1 on its beat (never "3, 2, 1, 1"). A hold
        # starts with its own "and hold", so it gets no "go".
        go = self.say("countdown_go", ex) if not ex.is_hold and any(numbers) else None
        if not any(numbers):
            return Countdown((), key, required, ctx)
        return Countdown(tuple(numbers), key, required, ctx, go or None)

    def gap(self, prev: _Slot | None, nxt: _Slot) -> Gap:
        ex, ctx = nxt.occ.ex, self.ctx(nxt)
        heads: list[Line] = []
        tails: list[Line] = []
        same_occ = prev is not None and prev.index == nxt.index
        if prev is not None:
            heads += self.done_lines(prev)
        turn = same_occ and prev is not None and _alternates(ex) and prev.set != nxt.set
        if same_occ and prev is not None and (prev.side == nxt.side or turn):
            # Between sets; taking turns, from one set's second side to the next set's
            # first: the larger of the rest and the side switch.
            rest = ex.rest_ms if prev.side == nxt.side else max(ex.rest_ms, switch_rest_ms(ex))
            if rest > 0:
                heads += self.rest_line(
                    "rest_between_sets", ex, ctx, rest, 0.0, set=nxt.set, sets=nxt.sets
                )
            tails += self.focus_reminder(ex, nxt)
            key = "last_set" if self.final_set(nxt) else "next_set"
            tails += self.line(key, ex, ctx, required=False, set=nxt.set, sets=nxt.sets)
            if prev.side != nxt.side:
                tails += self.line("side_start", ex, ctx, side=nxt.side)
            countdown = self.countdown("rest_countdown", ex, ctx, required=False)
            call = self.rest_call(ex, ctx) if rest > 0 else None
            return Gap(rest, tuple(heads), tuple(tails), countdown, ctx, call=call)
        if same_occ and prev is not None:
            rest = switch_rest_ms(ex)
            switch = self.line("switch_sides", ex, ctx, side=nxt.side, seconds=seconds_text(rest))
            heads += [replace(line, opens_chapter=not _alternates(ex)) for line in switch]
            tails += self.focus_reminder(ex, nxt)
            if not self.names_side("switch_sides", ex):  # one line announces the switch
                tails += self.line("side_start", ex, ctx, side=nxt.side)
            countdown = self.countdown("countdown", ex, ctx, required=False)
            return Gap(
                rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=not _alternates(ex)
            )
        rest = 0
        occ = nxt.occ
        safety: list[Line] = []
        if prev is None:
            # A routine's own intro replaces the pack's generic welcome.
            if self.routine.intro:
                tails.append(Line(self.routine.intro, None, role="routine"))
            else:
                tails += self.line("session_intro", None, SESSION, name=self.routine.name)
            tails += session_opening(self.routine)
            safety = session_safety(self.routine, self.line("safety", None, SESSION))
            tails += self.item_lines(occ.before, ctx)
            if any(item.rest_ms for item in occ.before):
                self.warn(f"{ex.name}: a rest before the first exercise is skipped")
        else:
            items = prev.occ.after + occ.before
            user_lines = self.item_lines(items, ctx)
            if not any(line.key == "check_in" for line in user_lines):
                heads += self.check_in(prev, nxt)
            heads += user_lines
            p = prev.occ
            between_rounds = (
                p.group == occ.group and p.round is not None and occ.round == p.round + 1
            )
            rest = p.round_rest_ms if between_rounds else p.ex.rest_after_ms
            rests = [item.rest_ms for item in items if item.rest_ms is not None]
            if rests:  # a standalone rest replaces the rest that was there
                rest, between_rounds = sum(rests), False
            if rest > 0 and between_rounds:
                heads += self.rest_line(
                    "rest_between_rounds", None, ctx, rest, QUIET_SHARE,
                    round=occ.round, rounds=occ.rounds,
                )  # fmt: skip
            elif rest > 0:
                heads += self.rest_line("rest_announce", p.ex, ctx, rest, QUIET_SHARE, next=ex.name)
        tails += self.intro_lines(nxt, ctx, safety, first=prev is None)
        countdown = self.countdown("countdown", ex, ctx, required=True)
        call = self.rest_call(ex, ctx) if rest > 0 else None
        return Gap(
            rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=prev is not None,
            call=call,
        )  # fmt: skip

    def starts_with(self, key: str, ex: Exercise | None) -> bool:
        """Whether the session's first exercise uses ``first_<key>``: when the pack has
        it, and it is the user's own or ``key`` is not (a user's `exercise_intro` wins
        over the bundled first line)."""
        first = "first_" + key
        if not lines_for(self.pack_for(ex), first, ex):
            return False
        return self.user_wrote(first, ex) or not self.user_wrote(key, ex)

    def intro_lines(
        self, slot: _Slot, ctx: Context, safety: list[Line], first: bool = False
    ) -> list[Line]:
        """What introduces a slot's exercise (``first``: the session's first)."""
        occ, ex = slot.occ, slot.occ.ex
        out: list[Line] = []
        if occ.first_in_section:
            if occ.section.name:
                key = "section_intro"
                if first and self.starts_with(key, None):
                    key = "first_section_intro"
                out += self.line(key, None, SESSION, section=occ.section.name)
            if occ.section.intro:
                out.append(Line(occ.section.intro, None, role="routine"))
        if occ.first_in_round:
            out += self.line("round_start", None, SESSION, round=occ.round, rounds=occ.rounds)
        out.append(Line(None, None, ctx=ctx, sound="chime"))
        key, values = _intro_key(ex)
        if first and self.starts_with(key, ex):
            key = "first_" + key
        out += self.line_with(key, ex, ctx, values)
        profile = self.routine.profile
        if ex.sides == "both" and slot.side is not None:
            key = "weak_side_first" if profile.weak_side else "sides_intro"
            out += self.line(key, ex, ctx, side=slot.side)
        if extra_set_here(ex, self.routine):
            out += self.line("extra_set_note", ex, ctx, side=profile.weak_side)
        if ex.setup and (occ.round is None or occ.round == 1):
            out += self.line("setup", ex, ctx, exercise=ex.name, setup=ex.setup)
        out += safety
        out += self.focus_reminder(ex, slot)
        if slot.side is not None:
            out += self.line("side_start", ex, ctx, side=slot.side)
        out += self.line("get_ready", ex, ctx, exercise=ex.name)
        return out

    def final_gap(self, prev: _Slot | None) -> Gap:
        heads: list[Line] = []
        name = self.routine.name
        if self.routine.outro:
            outro = [Line(self.routine.outro, None, role="routine")]
        else:
            outro = self.line("session_outro", None, SESSION, name=name)
        if prev is not None:
            if not outro:  # the closing praise replaces the last "good, set done"
                heads += self.done_lines(prev)
            user_lines = self.item_lines(prev.occ.after, SESSION)
            if not any(line.key == "check_in" for line in user_lines):
                heads += self.check_in(prev)
            heads += user_lines
        heads += outro
        heads += self.line("session_end", None, SESSION, name=name)
        heads.append(Line(None, None, sound="done"))
        return Gap(0, tuple(heads), final=True)

    # -- inside a set

    def work(self, slot: _Slot) -> Work:
        ex, ctx = slot.occ.ex, self.ctx(slot)
        cues = self.timed_cues(ex, slot)
        if ex.is_hold:
            hold = ex.hold_ms or 0
            openings = self.say_all("hold_start", ex, seconds=seconds_text(hold))
            closing = tuple(
                self.say("hold_countdown", ex, seconds=k) or ""
                for k in range(1, COUNTDOWN_SECONDS + 1)
            )
            if hold >= HOLD_HALFWAY_MIN_MS and not self.has_half_cue(ex, slot):
                cues += self.hold_halfway(ex, hold)
            cues += self.focus_cues(ex, slot, hold, None)
            return Work(
                ctx,
                hold_ms=hold,
                opening=(
                    Line(openings[0], "hold_start", ctx=ctx, alternatives=openings[1:])
                    if openings
                    else None
                ),
                closing=closing if any(closing) else (),
                cues=tuple(cues),
            )
        reps = ex.reps or 0
        rep_ms = ex.tempo.rep_ms
        counts = tuple(self.say("count", ex, rep=r, reps=reps) or "" for r in range(1, reps + 1))
        words = tuple(
            (self.say("phase_word", ex, word=w) or "") if w else "" for w in ex.tempo.words
        )
        if reps >= LAST_REP_MIN_REPS:
            texts = self.say_all("last_rep", ex, rep=reps, reps=reps)
            if texts:
                # In the gap just before the final rep starts, or not at all.
                cues.append(
                    CueRequest(
                        texts[0], "last_rep", (reps - 2) * rep_ms, "last rep", texts[1:],
                        deadline_ms=(reps - 1) * rep_ms,
                    )
                )  # fmt: skip
        if reps >= HALFWAY_MIN_REPS and not self.has_half_cue(ex, slot):
            half = ceil(reps / 2)
            texts = self.say_all("halfway", ex, rep=half, reps=reps)
            if texts:
                cues.append(
                    CueRequest(texts[0], "halfway", (half - 1) * rep_ms, "halfway", texts[1:])
                )
        cues += self.focus_cues(ex, slot, reps * rep_ms, rep_ms)
        return Work(ctx, reps=reps, tempo=ex.tempo, counts=counts, words=words, cues=tuple(cues))

    def hold_halfway(self, ex: Exercise, hold: int) -> list[CueRequest]:
        """"Halfway." at half the hold; a phrasing that says the time left only when
        that is a number a coach says (whole 5 s: "Halfway. 20 seconds to go." in a
        40 s hold, never "23 seconds" in a 45 s one). With only such phrasings, the
        line goes where the time left is whole 5 s (20 s before the end of 45)."""
        left = hold - hold // 2
        options = lines_for(self.pack_for(ex), "hold_halfway", ex)
        untimed = tuple(t for t in options if not _says_time(t))
        if left % COACH_STEP_MS and untimed:
            options = untimed
        elif left % COACH_STEP_MS:
            left = left // COACH_STEP_MS * COACH_STEP_MS
        texts = self.say_from("hold_halfway", options, seconds=seconds_text(left))
        if not texts:
            return []
        return [CueRequest(texts[0], "hold_halfway", hold - left, "halfway", texts[1:])]

    def timed_cues(self, ex: Exercise, slot: _Slot) -> list[CueRequest]:
        out: list[CueRequest] = []
        for cue in ex.cues:
            if cue.side is not None and cue.side != slot.side:
                continue
            # Corrections are for when fatigue makes the error likely: not in a first set.
            early = slot.set == 1 and slot.sets > 1
            if cue.origin == "correction" and early and self.routine.profile.coach != "chatty":
                continue
            for at_ms in self.cue_times(ex, cue):
                out.append(CueRequest(cue.text, None, at_ms, f"cue '{cue.text}'", role=cue.origin))
        return out

    def has_half_cue(self, ex: Exercise, slot: _Slot) -> bool:
        """A routine cue at ``half`` replaces the built-in halfway line."""
        return any(
            c.at == "half" and c.origin == "routine" and c.side in (None, slot.side)
            for c in ex.cues
        )

    def final_set(self, slot: _Slot) -> bool:
        """The last set of this exercise on every side (not the first side's last set)."""
        if slot.set != slot.sets:
            return False
        sides = _side_plan(slot.occ.ex, self.routine)
        if _alternates(slot.occ.ex):  # the side that does the last set overall
            _sets, index = max((sets, i) for i, (_side, sets) in enumerate(sides))
            return slot.side == sides[index][0]
        return slot.side == sides[-1][0]

    def cue_times(self, ex: Exercise, cue: TimedCue) -> list[int]:
        label = f"{ex.name}: cue '{cue.text}'"
        if ex.is_hold:
            hold = ex.hold_ms or 0
            if cue.at == "half":
                return [hold // 2]
            if cue.at == "time" and 0 <= cue.value < hold:
                return [cue.value]
            if cue.at == "time":
                self.warn(f"{label} at {seconds_text(cue.value)} s is after the hold ends; "
                          "it is skipped")  # fmt: skip
            else:
                self.warn(f"{label} is placed by reps, but this is a hold; "
                          "it is skipped (use at: 10s)")  # fmt: skip
            return []
        reps, rep_ms = ex.reps or 0, ex.tempo.rep_ms
        if cue.at == "half":
            reps_at = [ceil(reps / 2)]
        elif cue.at == "last":
            reps_at = [reps]
        elif cue.at == "every":
            reps_at = list(range(cue.value, reps + 1, cue.value)) if cue.value > 0 else []
        elif cue.at == "time":
            if 0 <= cue.value < reps * rep_ms:
                return [cue.value]
            self.warn(f"{label} at {seconds_text(cue.value)} s is after the set ends; "
                      "it is skipped")  # fmt: skip
            return []
        else:
            reps_at = [cue.value] if 1 <= cue.value <= reps else []
        if not reps_at:
            self.warn(
                f"{label} at rep {cue.value} never happens in {plural(reps, 'rep')}; it is skipped"
            )
        return [(r - 1) * rep_ms for r in reps_at]

    def focus_groups(self, ex: Exercise) -> list[str]:
        pack = self.pack_for(ex)
        groups = []
        for name in ex.focus:
            group = normalize_focus(name)
            if lines_for(pack, FOCUS_KEY + group, ex):
                groups.append(group)
            elif not pack.bank(group):
                self.warn(f"{ex.name}: no mind-body lines for focus '{name}'")
        return groups

    def next_focus(self, ex: Exercise, slot: _Slot) -> tuple[str, str, tuple[str, ...]] | None:
        """(key, line, other lines of that bank to try if it does not fit), or None.

        Groups take turns; within one exercise a line is not repeated until the
        bank runs out.
        """
        groups = self.focus_groups(ex)
        if not groups:
            return None
        turn = self._focus_turn.get(slot.index, 0)
        self._focus_turn[slot.index] = turn + 1
        group = groups[turn % len(groups)]
        key = f"focus.{group}"
        client = self.routine.profile.client
        bank = with_client(lines_for(self.pack_for(ex), key, ex), client)
        start = self.picker.index(key, len(bank))
        rotated = [bank[(start + j) % len(bank)] for j in range(len(bank))]
        used = self._focus_used.setdefault(slot.index, set())
        order = [t for t in rotated if t not in used] + [t for t in rotated if t in used]
        used.add(order[0])
        if used.issuperset(bank):
            used.clear()
        texts = [render(t, {"exercise": ex.name, "client": client or ""}) for t in order]
        return key, texts[0], tuple(texts[1:])

    def focus_reminder(self, ex: Exercise, slot: _Slot) -> list[Line]:
        """One mind-body line said in the rest before a set (chatty only), when there is room."""
        if not ex.focus or self.routine.profile.coach != "chatty":
            return []
        found = self.next_focus(ex, slot)
        if found is None:
            return []
        key, text, _others = found
        return [Line(text, key, "cue", required=False, ctx=self.ctx(slot), role="bank")]

    def focus_cues(
        self, ex: Exercise, slot: _Slot, work_ms: int, rep_ms: int | None
    ) -> list[CueRequest]:
        if not ex.focus or work_ms < FOCUS_MIN_WORK_MS:
            return []
        n = max(1, work_ms // FOCUS_EVERY_MS)
        if slot.set > 1 and self.routine.profile.coach != "chatty":
            n = 1  # mind-body lines go mostly to the first set of an exercise
        out: list[CueRequest] = []
        for i in range(n):
            found = self.next_focus(ex, slot)
            if found is None:
                return []
            key, text, others = found
            at = work_ms * (2 * i + 1) // (2 * n)
            if rep_ms:
                at = (at // rep_ms) * rep_ms
            out.append(CueRequest(text, key, at, "mind-body line", others, role="bank"))
        return out


def build_script(routine: Routine, *, seed: int = 0, pack: CuePack | None = None) -> Script:
    """Expand ``routine`` into a `Script` with every text rendered.

    ``pack`` replaces the routine's ``cue_pack``; the routine's cue overrides and then
    each exercise's overrides apply on top.
    """
    base = pack if pack is not None else load_cue_pack(routine.cue_pack)
    return _Builder(routine, seed, base).build()


__all__ = [
    "SESSION",
    "Context",
    "Countdown",
    "CueRequest",
    "Gap",
    "Line",
    "Role",
    "Script",
    "Step",
    "Work",
    "build_script",
    "seconds_text",
]
