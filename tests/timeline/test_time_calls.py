"""Every time the coach calls out is the time given, and a number a coach would say
(issue 10 leftovers, point 2c): "Halfway." in a 45 s hold, never "23 seconds to go"."""

from __future__ import annotations

import re

import pytest

from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.routine.loader import load_routine_text

WORDS = {"ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30}


def planned(hold: str, seed: int, phrases: str = "") -> Timeline:
    text = f"name: T\n{phrases}exercises:\n  - {{name: Side plank, hold: {hold}, sets: 1}}\n"
    return plan(build_script(load_routine_text(text, "c.yaml"), seed=seed),
                lambda t: estimate_phrase_ms(t, 150))  # fmt: skip


def halfway_calls(tl: Timeline) -> list[tuple[str, int]]:
    """(text, ms from the line's start to the end of the hold) for each halfway line."""
    work = next(e for e in tl.events if e.kind == "work")
    return [(e.text or "", work.end_ms - e.start_ms) for e in tl.events
            if e.cue_key == "hold_halfway"]  # fmt: skip


def said_seconds(text: str) -> int | None:
    found = re.search(r"(\d+|[a-z-]+) seconds", text)
    if found is None:
        return None
    word = found.group(1)
    return int(word) if word.isdigit() else WORDS[word]


@pytest.mark.parametrize("seed", range(4))
def test_a_45_s_hold_says_halfway_without_an_odd_number(seed: int) -> None:
    [(text, left)] = halfway_calls(planned("45s", seed))
    assert said_seconds(text) is None, text
    assert left == 22_500  # at half the hold


def test_a_40_s_hold_may_say_the_time_left_and_it_is_true() -> None:
    calls = [call for seed in range(8) for call in halfway_calls(planned("40s", seed))]
    assert {said_seconds(text) for text, _left in calls} == {None, 20}
    assert all(left == 20_000 for _text, left in calls)


def test_a_pack_that_only_says_the_time_left_is_said_where_it_is_true() -> None:
    phrases = 'phrases:\n  hold_halfway: ["Halfway, {duration} to go."]\n'
    [(text, left)] = halfway_calls(planned("45s", 0, phrases))
    assert text == "Halfway, 20 seconds to go."
    assert left == 20_000


@pytest.mark.parametrize("seed", range(4))
def test_both_sides_of_a_45_s_hold_hear_halfway(seed: int) -> None:
    """The bundled pack has more than one untimed halfway line, so the second side's
    call (within a minute of the first) is not dropped as a repeat."""
    text = (
        "name: T\nexercises:\n"
        "  - {name: Half-kneeling hip flexor stretch, hold: 45s, sides: both, sets: 1}\n"
    )
    tl = plan(build_script(load_routine_text(text, "c.yaml"), seed=seed),
              lambda t: estimate_phrase_ms(t, 150))  # fmt: skip
    calls = [e.text or "" for e in tl.events if e.cue_key == "hold_halfway"]
    assert len(calls) == 2, calls
    assert len(set(calls)) == 2 and all(said_seconds(c) is None for c in calls), calls
