"""What a script is made of: lines, countdowns, gaps, work blocks and the `Script`.

The builder (`voicecoach.planning.script`) decides every *what*; the planner
(`voicecoach.planning.timeline`) only decides *when*, from these plain values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from voicecoach.cues import pronounce, render
from voicecoach.routine.model import CoachLevel, SideName, Tempo
from voicecoach.text import seconds_text

SpokenKind = Literal["speech", "cue", "count"]
# Who a spoken line speaks for (docs/plan-json.md, "Roles"): the routine's own words,
# the exercise library's cues or corrections, the cue pack's generic banks, or the
# session's structure (announcements, counts, halfway, last rep, rests, switches).
Role = Literal["routine", "library", "correction", "bank", "structural"]

COUNTDOWN_SECONDS = 3
# A rest of REST_CALL_MIN_MS or more gets a call REST_CALL_S seconds before the work
# (docs/timing.md).
REST_CALL_MIN_MS = 30_000
REST_CALL_S = 10


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
