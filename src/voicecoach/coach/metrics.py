"""Coaching metrics of a planned session, computed from its `plan --json` form.

Works on the JSON dict (not the model) so the same numbers can be measured on any
version of the planner, including one from before events had a ``role``
(scripts/coaching_table.py does that for the "before" column of docs/coaching.md).
Pure and fast: no audio.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from voicecoach.coach.similarity import WINDOW_MS, near_duplicate
from voicecoach.cues.pack_file import load_cue_pack
from voicecoach.cues.spoken import number_words
from voicecoach.routine.model import Routine
from voicecoach.routine.traits import exercise_traits

Event = Mapping[str, Any]
COACHING_ROLES = frozenset({"routine", "library", "correction", "bank"})
COUNTDOWN_KEYS = frozenset({"countdown", "rest_countdown", "hold_countdown"})
MIN_QUIET_MS = 5_000
BIG_SPAN_MS = 10_000

_NUMBER_WORDS = tuple(number_words(n) for n in range(21))  # zero .. twenty
_TENS = {"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_PLURALS = r"(seconds|reps|sets|rounds|minutes|chapters|breaths|times|sides|exercises)"
_GRAMMAR = [
    re.compile(rf"\b(1|one) {_PLURALS}\b", re.IGNORECASE),
    re.compile(r"\b([2-9]|[1-9]\d+) (second|rep|set|round|minute|chapter|breath)(?=[.,!?;:]|$)"),
    re.compile(
        r"\b(two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)"
        r" (second|rep|set|round|minute|chapter|breath)(?=[.,!?;:]|$)",
        re.IGNORECASE,
    ),
]
_LONG_SECONDS = re.compile(r"\b(\d+|[a-z]+(?:[- ][a-z]+)?) seconds\b", re.IGNORECASE)


def role_of(event: Event) -> str | None:
    """The event's role; inferred for plans made before roles existed."""
    if event.get("role"):
        return str(event["role"])
    if event["kind"] not in ("speech", "cue", "count"):
        return None
    if event["kind"] == "cue":
        key = event.get("cue_key")
        if key is None:
            return "routine"
        if key in ("halfway", "last_rep", "hold_halfway"):
            return "structural"
        return "bank"
    return "structural"


def _spoken(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e["kind"] in ("speech", "cue", "count")]


def _is_count(event: Event) -> bool:
    return bool(event["kind"] == "count")


def _spoken_number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(word)
    head = re.split(r"[- ]", word)[0]
    return _TENS.get(head)


@dataclass(frozen=True)
class Metrics:
    work_ms: int
    talk_share: float  # non-count speech inside work spans / work time
    worst_span_share: float  # the largest share in one work span of 10 s or more
    lines_per_minute: float  # coaching (non-structural) lines started in work, per work minute
    close_pairs: int  # coaching lines in work < 5 s apart (not two of the routine's own)
    near_duplicates: int  # pairs of non-count lines, similar, starting within 60 s
    condition_violations: int | None  # None: no condition checker available
    countdown_echoes: int  # "3, 2, 1, 1": the countdown's last word repeated as rep 1
    misplaced_last_rep: int  # "last one" not in the gap just before the final rep
    grammar: int  # "1 seconds", "2 set", "90 seconds" (>= 60 s said in seconds)
    duplicate_examples: tuple[tuple[str, str], ...] = ()
    routine_share: float = 0.0  # the routine's own lines alone, over the session's work
    routine_worst_span: float = 0.0  # ... and in its fullest work span of 10 s or more


ConditionCheck = Callable[[Mapping[str, Any]], int]


def measure(plan_json: Mapping[str, Any], conditions: ConditionCheck | None = None) -> Metrics:
    events = list(plan_json["events"])
    works = [e for e in events if e["kind"] == "work"]
    spoken = _spoken(events)
    work_ms = sum(w["end_ms"] - w["start_ms"] for w in works)
    talk = _talk_in_work(works, spoken)
    lines = [e for e in spoken if not _is_count(e) and e.get("text")]
    names = tuple(sorted({str(e["exercise"]) for e in events if e.get("exercise")}))
    dups = _near_duplicates(lines, names)
    return Metrics(
        work_ms=work_ms,
        talk_share=talk.said / work_ms if work_ms else 0.0,
        worst_span_share=talk.worst,
        lines_per_minute=len(talk.coaching) * 60_000 / work_ms if work_ms else 0.0,
        close_pairs=_close_pairs(talk.coaching),
        near_duplicates=len(dups),
        condition_violations=conditions(plan_json) if conditions else None,
        countdown_echoes=_countdown_echoes(spoken),
        misplaced_last_rep=_misplaced_last_reps(events, works, spoken),
        grammar=sum(_grammar_errors(e["text"]) for e in lines),
        duplicate_examples=tuple(dups[:5]),
        routine_share=talk.own / work_ms if work_ms else 0.0,
        routine_worst_span=talk.own_worst,
    )


@dataclass
class _Talk:
    """Speech inside work spans: all non-count talk, and the routine's own lines."""

    said: int = 0
    worst: float = 0.0
    own: int = 0
    own_worst: float = 0.0
    coaching: list[Event] = field(default_factory=list)  # coaching lines, by start


def _talk_in_work(works: list[Event], spoken: list[Event]) -> _Talk:
    talk = _Talk()
    for w in works:
        lo, hi = w["start_ms"], w["end_ms"]
        inside = [e for e in spoken if lo <= e["start_ms"] < hi]
        said = sum(min(e["end_ms"], hi) - e["start_ms"] for e in inside if not _is_count(e))
        mine = sum(min(e["end_ms"], hi) - e["start_ms"] for e in inside if role_of(e) == "routine")
        talk.said += said
        talk.own += mine
        if hi - lo >= BIG_SPAN_MS:
            talk.worst = max(talk.worst, said / (hi - lo))
            talk.own_worst = max(talk.own_worst, mine / (hi - lo))
        talk.coaching += [e for e in inside if role_of(e) in COACHING_ROLES]
    talk.coaching.sort(key=lambda e: e["start_ms"])
    return talk


def _close_pairs(coaching: list[Event]) -> int:
    # Two lines the routine wrote close together are the writer's choice (the budget
    # never drops them); a pair with a line the planner chose is the planner's doing.
    return sum(
        1
        for a, b in pairwise(coaching)
        if b["start_ms"] - a["end_ms"] < MIN_QUIET_MS
        and (role_of(a), role_of(b)) != ("routine", "routine")
    )


def _near_duplicates(lines: list[Event], names: tuple[str, ...]) -> list[tuple[str, str]]:
    dups: list[tuple[str, str]] = []
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            if b["start_ms"] - a["start_ms"] >= WINDOW_MS:
                break
            if near_duplicate(a["text"], b["text"], names):
                dups.append((a["text"], b["text"]))
    return dups


def _countdown_echoes(spoken: list[Event]) -> int:
    return sum(
        1
        for a, b in pairwise(spoken)
        if b.get("cue_key") == "count"
        and b.get("rep") == 1
        and a.get("cue_key") in ("countdown", "rest_countdown")
        and _norm(a["text"]) == _norm(b["text"])
    )


def _misplaced_last_reps(events: list[Event], works: list[Event], spoken: list[Event]) -> int:
    starts = [w["start_ms"] for w in works]
    misplaced = 0
    for e in spoken:
        if e.get("cue_key") != "last_rep":
            continue
        w = works[max(0, _index_at(starts, e["start_ms"]))]
        ticks = [
            t for t in events
            if t["kind"] == "tick" and w["start_ms"] <= t["start_ms"] < w["end_ms"]
        ]  # fmt: skip
        reps = max((t["rep"] for t in ticks), default=0)
        final = min((t["start_ms"] for t in ticks if t["rep"] == reps), default=w["end_ms"])
        before = min((t["start_ms"] for t in ticks if t["rep"] == reps - 1), default=w["start_ms"])
        if not (before <= e["start_ms"] and e["end_ms"] <= final):
            misplaced += 1
    return misplaced


def _index_at(starts: list[int], at: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, at) - 1


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _grammar_errors(text: str) -> int:
    errors = sum(len(p.findall(text)) for p in _GRAMMAR)
    for match in _LONG_SECONDS.finditer(text):
        n = _spoken_number(match.group(1))
        if n is not None and n >= 60:
            errors += 1
    return errors


def condition_checker(routine: Routine) -> ConditionCheck:
    """A check that every cue-pack line said fits its exercise (`when:` conditions).

    The check counts spoken events whose (cue key, text) is a pack phrasing with a
    `when:` that the event's exercise breaks.
    """
    pack = load_cue_pack(routine.cue_pack)
    conditions = {
        (key, text): when
        for key in pack.phrases
        for text, when in zip(pack.get(key), pack.when(key), strict=True)
        if when is not None
    }
    exercises = {ex.name: ex for ex in routine.exercises()}

    def check(plan_json: Mapping[str, Any]) -> int:
        if not any("role" in e for e in plan_json["events"]):
            return 0  # a plan from before `when:` existed: nothing to check against
        broken = 0
        for event in plan_json["events"]:
            when = conditions.get((event.get("cue_key"), event.get("text")))
            ex = exercises.get(event.get("exercise") or "")
            if when is not None and ex is not None and when.violations(exercise_traits(ex)):
                broken += 1
        return broken

    return check


__all__ = ["COACHING_ROLES", "Metrics", "condition_checker", "measure", "role_of"]
