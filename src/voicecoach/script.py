"""The script: a routine expanded into what is said, in order, with every text rendered.

Sections, rounds, sides and sets are unrolled into alternating steps:
``Gap, Work, Gap, Work, ..., Gap``. A `Gap` is the time between two work blocks
(announcements, rests, countdowns); a `Work` is one set of reps or one hold, with
its counts and the coaching cues that want to be said inside it. The planner only
decides *when*; every *what* is decided here, deterministically from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    Tempo,
    TimedCue,
    Where,
)

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


def seconds_text(ms: int) -> str:
    """30000 -> '30', 22500 -> '23', 1500 -> '1.5': how a duration is spoken.

    Nobody says "twenty-two point five seconds": from 10 s up, whole seconds
    (half up); below that, at most one decimal.
    """
    if ms % 1000 == 0:
        return str(ms // 1000)
    if ms >= 10_000:
        return str((ms + 500) // 1000)
    return f"{(ms + 50) // 100 / 10:.1f}".rstrip("0").rstrip(".")


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
    problem = Problem(message, where.file, where.line, where.column, where.key, hint)
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
                for r in range(1, item.count + 1):
                    for i, ex in enumerate(item.exercises):
                        out.append(
                            _Occurrence(
                                ex,
                                section,
                                first,
                                group,
                                r,
                                item.count,
                                item.rest_ms,
                                i == 0,
                                i == len(item.exercises) - 1,
                            )
                        )
                        first = False
            else:
                out.append(_Occurrence(item, section, first, group))
                first = False
            group += 1
    return out


def _side_plan(ex: Exercise, routine: Routine) -> list[tuple[SideName | None, int]]:
    """(side, sets) in the order they are done. Sides are done one after the other."""
    weak = routine.profile.weak_side
    extra = routine.profile.extra_weak_side_set
    if ex.sides is None:
        return [(None, ex.sets)]
    if ex.sides == "both":
        first: SideName = weak or "left"
        second: SideName = "right" if first == "left" else "left"
        order = [first, second]
    else:
        order = [ex.sides]
    return [(side, ex.sets + (1 if extra and side == weak else 0)) for side in order]


def _chapter_title(occ: _Occurrence, side: SideName | None) -> str:
    title = occ.ex.name
    if side:
        title += f" — {side}"
    if occ.rounds and occ.rounds > 1:
        title += f" (round {occ.round} of {occ.rounds})"
    return title


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
        options = with_client(lines_for(self.pack_for(ex), key, ex), self.routine.profile.client)
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
        texts = self.say_all(key, ex, **values)
        if not texts:
            return []
        role: Role = "bank" if key == "check_in" else "structural"
        return [Line(texts[0], key, "speech", required, ctx, role=role, alternatives=texts[1:])]

    def warn(self, message: str) -> None:
        self.warnings.setdefault(message, None)

    # -- structure

    def build(self) -> Script:
        occs = _occurrences(self.routine)
        for occ in occs:
            _check_exercise(occ.ex)
        self._check_size(occs)
        slots: list[_Slot] = []
        chapters: list[str] = []
        for i, occ in enumerate(occs):
            for side, sets in _side_plan(occ.ex, self.routine):
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
        if same_occ and prev is not None and prev.side == nxt.side:
            rest = ex.rest_ms
            if rest > 0:
                heads += self.line(
                    "rest_between_sets", ex, ctx, required=False,
                    seconds=seconds_text(rest), set=nxt.set, sets=nxt.sets,
                )  # fmt: skip
            tails += self.focus_reminder(ex, nxt)
            key = "last_set" if self.final_set(nxt) else "next_set"
            tails += self.line(key, ex, ctx, required=False, set=nxt.set, sets=nxt.sets)
            countdown = self.countdown("rest_countdown", ex, ctx, required=False)
            return Gap(rest, tuple(heads), tuple(tails), countdown, ctx)
        if same_occ and prev is not None:
            rest = ex.rest_ms
            heads += self.line("switch_sides", ex, ctx, side=nxt.side, seconds=seconds_text(rest))
            tails += self.focus_reminder(ex, nxt)
            tails += self.line("side_start", ex, ctx, side=nxt.side)
            countdown = self.countdown("countdown", ex, ctx, required=False)
            return Gap(rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=True)
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
        else:
            heads += self.check_in(prev, nxt)
            p = prev.occ
            between_rounds = (
                p.group == occ.group and p.round is not None and occ.round == p.round + 1
            )
            rest = p.round_rest_ms if between_rounds else p.ex.rest_after_ms
            if rest > 0 and between_rounds:
                heads += self.line(
                    "rest_between_rounds", None, ctx, required=False,
                    seconds=seconds_text(rest), round=occ.round, rounds=occ.rounds,
                )  # fmt: skip
            elif rest > 0:
                heads += self.line(
                    "rest_announce", p.ex, ctx, required=False,
                    seconds=seconds_text(rest), next=ex.name,
                )  # fmt: skip
        tails += self.intro_lines(nxt, ctx, safety)
        countdown = self.countdown("countdown", ex, ctx, required=True)
        return Gap(rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=prev is not None)

    def intro_lines(self, slot: _Slot, ctx: Context, safety: list[Line]) -> list[Line]:
        occ, ex = slot.occ, slot.occ.ex
        out: list[Line] = []
        if occ.first_in_section:
            if occ.section.name:
                out += self.line("section_intro", None, SESSION, section=occ.section.name)
            if occ.section.intro:
                out.append(Line(occ.section.intro, None, role="routine"))
        if occ.first_in_round:
            out += self.line("round_start", None, SESSION, round=occ.round, rounds=occ.rounds)
        out.append(Line(None, None, ctx=ctx, sound="chime"))
        if ex.is_hold:
            secs = seconds_text(ex.hold_ms or 0)
            if ex.sets > 1:
                out += self.line(
                    "exercise_intro_hold", ex, ctx, exercise=ex.name, sets=ex.sets, seconds=secs
                )
            else:
                out += self.line("exercise_intro_hold_one_set", ex, ctx, exercise=ex.name,
                                 seconds=secs)  # fmt: skip
        elif ex.sets > 1:
            out += self.line("exercise_intro", ex, ctx, exercise=ex.name, sets=ex.sets,
                             reps=ex.reps)  # fmt: skip
        else:
            out += self.line("exercise_intro_one_set", ex, ctx, exercise=ex.name, reps=ex.reps)
        profile = self.routine.profile
        if ex.sides == "both" and slot.side is not None:
            key = "weak_side_first" if profile.weak_side else "sides_intro"
            out += self.line(key, ex, ctx, side=slot.side)
        if (
            profile.extra_weak_side_set
            and profile.weak_side
            and ex.sides in ("both", profile.weak_side)
        ):
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
            heads += self.check_in(prev)
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
                texts = self.say_all("hold_halfway", ex, seconds=seconds_text(hold - hold // 2))
                if texts:
                    cues.append(
                        CueRequest(texts[0], "hold_halfway", hold // 2, "halfway", texts[1:])
                    )
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
