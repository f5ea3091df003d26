"""Checks over a planned session: lines said where their `when:` does not hold, and
grammar a listener would hear as wrong. Used by the tests and the coaching metrics."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from voicecoach.cues.pack import CuePack
from voicecoach.cues.pack_file import load_cue_pack
from voicecoach.routine.traits import exercise_traits

if TYPE_CHECKING:
    from voicecoach.planning.timeline import Timeline
    from voicecoach.routine.model import Routine

_GRAMMAR = (
    (
        re.compile(
            r"\b(1|one|One) (seconds|minutes|reps|sets|holds|rounds|chapters|breaths|times)\b"
        ),
        "a plural after one",
    ),
    (
        re.compile(
            r"\b([2-9]|\d{2,}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen"
            r"|twenty|thirty|forty|fifty) (second|minute|rep|set|hold|round|chapter|breath)\b",
            re.IGNORECASE,
        ),
        "a singular after more than one",
    ),
    (
        re.compile(r"\b([6-9]\d|\d{3,}|sixty|seventy|eighty|ninety|hundred) seconds\b", re.I),
        "a minute or more said in seconds",
    ),
)


def grammar_problems(text: str) -> list[str]:
    """What is wrong with ``text`` as spoken English ("1 seconds", "120 seconds")."""
    return [f"{what}: {m.group(0)!r}" for pattern, what in _GRAMMAR for m in pattern.finditer(text)]


def line_violations(routine: Routine, timeline: Timeline, pack: CuePack | None = None) -> list[str]:
    """Every spoken pack line whose `when:` does not hold for the exercise it is said
    on, as "EXERCISE: 'TEXT': why". ``pack`` defaults to the routine's own pack."""
    pack = pack or load_cue_pack(routine.cue_pack)
    conditions = {
        (key, text): when
        for key in pack.phrases
        for text, when in zip(pack.get(key), pack.when(key), strict=True)
        if when is not None
    }
    exercises = {e.name: e for e in routine.exercises()}
    found: list[str] = []
    for event in timeline.events:
        if not event.spoken or not event.text or not event.cue_key:
            continue
        when = conditions.get((event.cue_key, event.text))
        ex = exercises.get(event.exercise or "")
        if when is None or ex is None:
            continue
        broken = when.violations(exercise_traits(ex))
        if broken:
            found.append(f"{ex.name}: {event.text!r}: {'; '.join(broken)}")
    return found


__all__ = ["grammar_problems", "line_violations"]
