"""Side switches, alternate_sides and the per-exercise extra weak-side set (issue 10)."""

from __future__ import annotations

import itertools

import pytest

from tests.timeline.plan_factories import spans
from voicecoach.errors import PlanError
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import Timeline, plan
from voicecoach.routine.loader import load_routine_text


def planned(text: str) -> Timeline:
    return plan(build_script(load_routine_text(text, "client.yaml")), lambda t: 600)


def works(tl: Timeline) -> list:
    return [e for e in spans(tl) if e.kind == "work"]


def switch_gaps(tl: Timeline) -> list[int]:
    w = works(tl)
    return [b.start_ms - a.end_ms for a, b in itertools.pairwise(w) if a.exercise == b.exercise
            and a.side != b.side and a.set == b.set]  # fmt: skip


def test_switch_rest_by_position_and_written() -> None:
    text = """\
name: T
exercises:
  - {name: Clamshell, reps: 4, sides: both, position: side-lying, rest: 30s}
  - {name: Lunge, reps: 4, sides: both, position: standing, rest: 30s}
  - {name: Fire hydrant, reps: 4, sides: both, switch_rest: 15s}
"""
    tl = planned(text)
    gaps = switch_gaps(tl)
    assert gaps[0] >= 10_000 and gaps[1] >= 5_000 and gaps[2] >= 15_000
    assert gaps[0] < 30_000  # not the whole between-sets rest
    switch = [e.text for e in tl.events if e.cue_key == "switch_sides"]
    assert len(switch) == 3


def test_switch_rest_in_defaults() -> None:
    tl = planned("name: T\ndefaults: {switch_rest: 12s}\n"
                 "exercises:\n  - {name: Clamshell, reps: 4, sides: both}\n")  # fmt: skip
    assert switch_gaps(tl)[0] >= 12_000


def test_alternate_sides_takes_turns_set_by_set() -> None:
    text = """\
name: T
profile: {weak_side: right}
exercises:
  - {name: Half-kneeling stretch, hold: 20s, sets: 2, sides: both, alternate_sides: true,
     position: half-kneeling, rest: 20s}
"""
    tl = planned(text)
    w = works(tl)
    assert [(e.side, e.set) for e in w] == [("right", 1), ("left", 1), ("right", 2), ("left", 2)]
    assert w[1].start_ms - w[0].end_ms >= 10_000  # the switch (half-kneeling: 10 s)
    announce = [e for e in tl.events if e.cue_key == "rest_between_sets"]
    assert len(announce) == 1 and w[2].start_ms - announce[0].end_ms == 20_000
    assert [c.title for c in tl.chapters] == ["Half-kneeling stretch"]


EXTRA = """\
name: T
profile: {weak_side: left, extra_weak_side_set: true}
exercises:
  - {name: Clamshell, reps: 4, sides: both, extra_weak_side_set: true}
  - {name: Side stretch, hold: 20s, sides: both}
  - {name: Side plank, hold: 20s, sides: both, extra_weak_side_set: false}
"""


def test_the_extra_set_goes_only_where_an_exercise_asks_for_it() -> None:
    tl = planned(EXTRA)
    per: dict[tuple[str | None, str | None], int] = {}
    for e in works(tl):
        per[(e.exercise, e.side)] = per.get((e.exercise, e.side), 0) + 1
    assert per[("Clamshell", "left")] == 2 and per[("Clamshell", "right")] == 1
    assert per[("Side stretch", "left")] == 1
    assert per[("Side plank", "left")] == 1


def test_without_per_exercise_keys_the_profile_decides_and_false_opts_out() -> None:
    text = EXTRA.replace("both, extra_weak_side_set: true}", "both}")
    tl = planned(text)
    per: dict[tuple[str | None, str | None], int] = {}
    for e in works(tl):
        per[(e.exercise, e.side)] = per.get((e.exercise, e.side), 0) + 1
    assert per[("Clamshell", "left")] == 2 and per[("Side stretch", "left")] == 2
    assert per[("Side plank", "left")] == 1


def test_an_extra_set_without_a_weak_side_is_refused() -> None:
    text = (
        "name: T\nexercises:\n  - {name: Clam, reps: 4, sides: both, extra_weak_side_set: true}\n"
    )
    with pytest.raises(PlanError) as caught:
        build_script(load_routine_text(text, "client.yaml"))
    assert str(caught.value) == (
        "client.yaml:3:5: exercises[0]: Clam: extra_weak_side_set needs a weak side. "
        "set profile.weak_side (or --weak-side), or remove extra_weak_side_set."
    )


def _switch_lines(tl: Timeline) -> list[list[str]]:
    """The spoken lines between the two sides' work, per per-side exercise."""
    out = []
    for a, b in itertools.pairwise(works(tl)):
        if a.exercise == b.exercise and a.side != b.side:
            out.append([e.text or "" for e in tl.events if e.kind == "speech"
                         and a.end_ms <= e.start_ms < b.start_ms])  # fmt: skip
    return out


def test_one_line_announces_a_side_switch_and_names_the_side() -> None:
    text = """\
name: T
exercises:
  - {name: Clamshell, reps: 4, sides: both, position: side-lying}
  - {name: Side plank, hold: 20s, sides: both, position: side-lying}
"""
    for said in _switch_lines(planned(text)):
        switch = [t for t in said if "side" in t.lower()]
        # "work the right side": which side works, not which side to lie on
        assert switch in (
            ["Switch sides. Now work the right side."],
            ["Other side. Work the right side now."],
        ), said


def test_a_switch_line_without_the_side_is_followed_by_the_side() -> None:
    text = """\
name: T
phrases:
  switch_sides: ["Other side."]
exercises:
  - {name: Clamshell, reps: 4, sides: both, position: side-lying}
"""
    [said] = _switch_lines(planned(text))
    assert said[-2:] == ["Other side.", "Right side."] or said[-2:] == [
        "Other side.",
        "Now the right side.",
    ], said
