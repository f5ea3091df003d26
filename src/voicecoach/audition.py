"""`render --only NAME`: one part of a routine, to hear an edited cue in seconds.

NAME is an exercise's name, a section's name or a chapter number (1-based, as
`plan` lists them). The part keeps its setup and cues and does one set per side;
the rest of the routine is left out (its intro and outro too).
"""

from __future__ import annotations

from dataclasses import replace

from voicecoach.errors import VoicecoachError
from voicecoach.routine.model import Exercise, Rounds, Routine, Section


def only(routine: Routine, selector: str) -> Routine:
    """The routine reduced to the part ``selector`` names (see the module docs)."""
    wanted = selector.strip()
    if wanted.isdigit():
        wanted = _chapter_exercise(routine, int(wanted))
    key = wanted.casefold()
    for section in routine.sections:
        if section.name and section.name.casefold() == key:
            return _just(routine, section, [_one_set(e) for e in _exercises(section)])
    for section in routine.sections:
        for ex in _exercises(section):
            if ex.name.casefold() == key:
                return _just(routine, section, [_one_set(ex)])
    names = [e.name for e in routine.exercises()] + [s.name for s in routine.sections if s.name]
    raise VoicecoachError(
        f"--only {selector}: no exercise, section or chapter by that name in "
        f"'{routine.name}'. choose one of: " + ", ".join(dict.fromkeys(names))
    )


def _chapter_exercise(routine: Routine, number: int) -> str:
    from voicecoach.pipeline import plan_routine

    timeline = plan_routine(routine)
    if not 1 <= number <= len(timeline.chapters):
        raise VoicecoachError(
            f"--only {number}: '{routine.name}' has chapters 1 to {len(timeline.chapters)}. "
            "run `voicecoach plan` to see them"
        )
    for event in timeline.events:
        if event.kind == "work" and event.chapter == number - 1 and event.exercise:
            return event.exercise
    raise VoicecoachError(f"--only {number}: that chapter has no exercise")  # pragma: no cover


def _exercises(section: Section) -> list[Exercise]:
    out: list[Exercise] = []
    for item in section.items:
        out.extend(item.exercises if isinstance(item, Rounds) else (item,))
    return out


def _one_set(ex: Exercise) -> Exercise:
    return replace(ex, sets=1, rest_after_ms=0, extra_weak_side_set=False, before=(), after=())


def _just(routine: Routine, section: Section, exercises: list[Exercise]) -> Routine:
    part = replace(section, items=tuple(exercises))
    return replace(
        routine,
        sections=(part,),
        intro=None,
        intro_long=None,
        outro=None,
        safety=False,
        profile=replace(routine.profile, extra_weak_side_set=False, check_ins=False),
    )
