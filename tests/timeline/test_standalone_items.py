"""Standalone rests, spoken lines and check-ins in exercise lists (issue 10, point 3)."""

from __future__ import annotations

import textwrap

import pytest

from tests.timeline.plan_factories import announced_rests, spans
from voicecoach.errors import RoutineError
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import Timeline, plan
from voicecoach.routine.loader import load_routine_text

CLIENT = """\
name: Client
profile: {check_ins: false}
exercises:
  - say: "We start on your back."
  - {name: Glute bridge, reps: 10, rest_after: 20s}
  - rest: 45s
    say: "Shake out your legs."
  - check_in: "How does your low back feel?"
  - name: Rounds
    rounds: 2
    rest: 30s
    exercises:
      - {name: Dead bug, reps: 6, rest_after: 15s}
      - say: "Breathe out as you reach."
      - {name: Bird dog, reps: 6}
"""


def planned(text: str) -> Timeline:
    return plan(build_script(load_routine_text(text, "client.yaml")), lambda t: 1500)


def said(tl: Timeline, key: str) -> list[str]:
    return [e.text or "" for e in tl.events if e.cue_key == key]


def test_items_are_said_where_written_and_a_rest_item_replaces_rest_after() -> None:
    tl = planned(CLIENT)
    assert said(tl, "say") == [
        "We start on your back.",
        "Shake out your legs.",
        "Breathe out as you reach.",
        "Breathe out as you reach.",  # once per round
    ]
    # check_ins: false does not silence what the routine wrote
    assert said(tl, "check_in") == ["How does your low back feel?"]
    assert all(e.role == "routine" for e in tl.events if e.cue_key in ("say", "check_in"))
    first = announced_rests(tl)[0]
    assert "45 seconds" in first[0] and first[1] == 45_000  # not the 20 s rest_after
    # the check-in comes after the spoken line and before the rest is announced
    order = [e.cue_key for e in tl.events if e.cue_key in ("say", "check_in", "rest_announce")]
    assert order[1:4] == ["say", "check_in", "rest_announce"]
    # no chapters of their own
    assert [c.title for c in tl.chapters][:2] == ["Glute bridge", "Dead bug (round 1 of 2)"]
    works = [e for e in spans(tl) if e.kind == "work"]
    assert len(works) == 5


def test_a_check_in_gets_time_to_answer() -> None:
    tl = planned(CLIENT)
    ask = next(e for e in tl.events if e.cue_key == "check_in")
    nxt = min(e.start_ms for e in tl.events if e.spoken and e.start_ms > ask.start_ms)
    assert nxt - ask.end_ms >= 4000


def error_of(text: str) -> str:
    with pytest.raises(RoutineError) as caught:
        load_routine_text(textwrap.dedent(text), "client.yaml")
    return str(caught.value)


def test_a_nameless_item_suggests_the_standalone_forms() -> None:
    message = error_of("""\
        name: T
        exercises:
          - {name: Glute bridge, reps: 10}
          - rest: 45s
            reps: 3
        """)
    assert message == (
        "client.yaml:4:5: exercises[1]: missing required key 'name'. add name: Glute bridge, "
        "or for a rest or a spoken line between exercises write it on its own: "
        "'- rest: 45s' (with an optional say:), '- say: \"...\"' or '- check_in: \"...\"'."
    )


def test_standalone_errors_are_located() -> None:
    assert error_of("""\
        name: T
        exercises:
          - {name: Glute bridge, reps: 10}
          - rest: soon
        """) == (
        "client.yaml:4:11: exercises[1].rest: must be a duration from 0s to 10m, got soon. "
        "write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."
    )
    assert error_of("""\
        name: T
        exercises:
          - {name: Glute bridge, reps: 10}
          - {say: "Hi.", check_in: "Ok?"}
        """) == (
        "client.yaml:4:18: exercises[1]: a standalone item is a spoken line or a check-in, "
        "not both. write the check-in as its own item: '- check_in: \"...\"'."
    )
    assert error_of("""\
        name: T
        exercises:
          - say: "Only talk."
        """) == (
        "client.yaml:3:3: exercises: has rests and spoken lines but no exercise. "
        "add at least one exercise, like '- name: Glute bridge'."
    )
