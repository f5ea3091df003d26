"""The session's first exercise is introduced as a start, not as "next up"
(issue 10 leftovers, point 2d): `first_exercise_intro*` keys, with alternatives."""

from __future__ import annotations

import itertools

import pytest

from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.routine import list_builtin_routines
from voicecoach.routine.loader import load_routine, load_routine_text


def planned_text(text: str, seed: int = 0) -> Timeline:
    script = build_script(load_routine_text(text, "c.yaml"), seed=seed)
    return plan(script, lambda t: estimate_phrase_ms(t, 150))


def intros(tl: Timeline) -> list[tuple[str, str]]:
    return [(e.cue_key or "", e.text or "") for e in tl.events
            if "exercise_intro" in (e.cue_key or "")]  # fmt: skip


@pytest.mark.parametrize("name", [info.name for info in list_builtin_routines()])
def test_every_builtin_starts_with_a_start(name: str) -> None:
    for seed in range(2):
        script = build_script(load_routine(name), seed=seed)
        said = intros(plan(script, lambda t: estimate_phrase_ms(t, 150)))
        key, text = said[0]
        assert key.startswith("first_exercise_intro"), said[0]
        assert text.startswith(("First up: ", "To start: ")), text
        assert not any(k.startswith("first_") for k, _text in said[1:])


ROUTINE = """\
name: T
{phrases}exercises:
  - {{name: Glute bridge, reps: 6}}
  - {{name: Dead bug, reps: 6}}
"""


def test_only_the_first_exercise_is_a_start() -> None:
    for seed in range(2):
        said = intros(planned_text(ROUTINE.format(phrases=""), seed))
        assert said[0][0] == "first_exercise_intro_one_set"
        assert said[1][0] == "exercise_intro_one_set"


def test_a_routine_that_rewrites_the_intro_keeps_its_own_words_first() -> None:
    phrases = 'phrases:\n  exercise_intro_one_set: ["{exercise}, {reps} reps."]\n'
    said = intros(planned_text(ROUTINE.format(phrases=phrases)))
    assert said == [
        ("exercise_intro_one_set", "Glute bridge, 6 reps."),
        ("exercise_intro_one_set", "Dead bug, 6 reps."),
    ]
    phrases += '  first_exercise_intro_one_set: ["We open with {exercise}."]\n'
    said = intros(planned_text(ROUTINE.format(phrases=phrases)))
    assert said[0] == ("first_exercise_intro_one_set", "We open with Glute bridge.")


def test_a_silenced_intro_stays_silent_for_the_first_exercise() -> None:
    phrases = "phrases:\n  exercise_intro_one_set: []\n"
    assert intros(planned_text(ROUTINE.format(phrases=phrases))) == []


@pytest.mark.parametrize("name", [info.name for info in list_builtin_routines()])
def test_next_is_said_once_per_exercise(name: str) -> None:
    """"Rest 55 seconds. Next up: Dead bug." is not followed by "Next up: Dead bug. ..."."""
    for seed in range(2):
        script = build_script(load_routine(name), seed=seed)
        tl = plan(script, lambda t: estimate_phrase_ms(t, 150))
        for exercise in {e.exercise for e in tl.events if e.exercise}:
            nexts = [e.start_ms for e in tl.events if e.text and e.kind == "speech"
                     and "next" in e.text.lower() and exercise in e.text]  # fmt: skip
            assert all(b - a > 60_000 for a, b in itertools.pairwise(nexts)), (exercise, nexts)


SECTIONS = """\
name: T
sections:
  - name: Warm up
    exercises: [{name: Glute bridge, reps: 6}]
  - name: Core
    exercises: [{name: Dead bug, reps: 6}]
"""


@pytest.mark.parametrize("seed", range(3))
def test_the_first_section_is_a_start_and_the_next_one_is_next(seed: int) -> None:
    said = [(e.cue_key, e.text) for e in planned_text(SECTIONS, seed).events
            if "section_intro" in (e.cue_key or "")]  # fmt: skip
    assert [k for k, _ in said] == ["first_section_intro", "section_intro"], said
    assert "Warm up" in (said[0][1] or "") and "next" not in (said[0][1] or "").lower()
    assert "Core" in (said[1][1] or "")
