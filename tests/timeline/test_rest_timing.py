"""Rests are the time they announce (issue 10, point 1; docs/timing.md)."""

from __future__ import annotations

from tests.timeline.plan_factories import (
    announced_rests,
    bridge,
    fixed_ms,
    plan_routine,
    routine_of,
    spans,
)
from voicecoach.cues import lines_for, load_cue_pack
from voicecoach.planning.dosage import scaled_rest as _rest
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import plan
from voicecoach.routine.loader import load_routine_text
from voicecoach.routine.model import Exercise


def test_a_rest_between_exercises_is_quiet_first_then_announces_what_comes_next() -> None:
    first = bridge(sets=1, rest_after_ms=45_000)
    second = Exercise("Dead bug", reps=8, setup="Lie on your back, arms up, knees over hips.")
    tl = plan_routine(routine_of(first, second), fixed_ms(1500))
    ((text, ms),) = announced_rests(tl)
    assert "45 seconds" in text and ms == 45_000
    announce = next(e for e in tl.events if e.cue_key == "rest_announce")
    intro = [
        e for e in tl.events
        if e.exercise == "Dead bug" and e.start_ms > announce.end_ms and e.cue_key != "rest_call"
    ]  # fmt: skip
    # At least 40 % of the rest passes in quiet before the next exercise is announced.
    assert min(e.start_ms for e in intro) >= announce.end_ms + 18_000


def test_a_rest_too_short_for_the_next_announcement_grows_and_says_its_real_length() -> None:
    first = bridge(sets=1, rest_after_ms=10_000)
    second = Exercise("Dead bug", reps=8, setup="Lie on your back, arms up, knees over hips.")
    tl = plan_routine(routine_of(first, second), fixed_ms(2500))
    ((text, ms),) = announced_rests(tl)
    assert ms > 10_000 and ms % 5000 == 0
    assert f"{ms // 1000} seconds" in text


def test_between_sets_the_rest_ends_at_the_first_beat_with_the_countdown_inside() -> None:
    tl = plan_routine(routine_of(bridge(sets=3, rest_ms=20_000)), fixed_ms(700))
    assert [ms for _t, ms in announced_rests(tl)] == [20_000, 20_000]
    works = [e for e in spans(tl) if e.kind == "work"]
    numbers = [e for e in tl.events if e.cue_key == "rest_countdown"]
    assert all(works[0].end_ms < e.start_ms < works[2].start_ms for e in numbers)
    assert max(e.start_ms for e in numbers if e.start_ms < works[1].start_ms) == (
        works[1].start_ms - 2000
    )  # "1", then "go" in the last second


def test_a_rest_of_30_s_or_more_gets_a_10_second_call() -> None:
    tl = plan_routine(routine_of(bridge(sets=2, rest_ms=30_000)), fixed_ms(700))
    works = [e for e in spans(tl) if e.kind == "work"]
    calls = [e for e in tl.events if e.cue_key == "rest_call"]
    assert [works[1].start_ms - e.start_ms for e in calls] == [10_000]
    assert calls[0].text in {"10 seconds left in this rest.", "10 seconds of rest left."}
    short = plan_routine(routine_of(bridge(sets=2, rest_ms=25_000)), fixed_ms(700))
    assert not [e for e in short.events if e.cue_key == "rest_call"]


def test_a_users_rest_announce_is_said_at_every_rest() -> None:
    text = """\
name: Client
phrases:
  rest_announce: ["Breathe for {seconds}. {next} is next."]
exercises:
  - {name: Glute bridge, reps: 10, rest_after: 20s}
  - {name: Clamshell, reps: 10, rest_after: 20s}
  - {name: Bird dog, reps: 8, rest_after: 20s}
  - {name: Dead bug, reps: 8, rest_after: 20s}
  - {name: Cat-cow, reps: 6}
"""
    routine = load_routine_text(text)
    script = build_script(routine)
    tl = plan(script, lambda t: 1800)
    said = [e.text for e in tl.events if e.cue_key == "rest_announce"]
    assert len(said) == 4
    assert all(t and t.startswith("Breathe for ") for t in said)
    assert not tl.warnings or not any("rest_announce" in w for w in tl.warnings)


def test_rests_changed_by_minutes_are_whole_5_seconds() -> None:
    assert [_rest(ms, 1.37) for ms in (15_000, 20_000, 30_000, 45_000)] == [
        20_000, 25_000, 40_000, 60_000,
    ]  # fmt: skip
    assert _rest(3_000, 1.2) == 4_000  # under 5 s: whole seconds


def test_the_default_pack_has_the_10_second_call() -> None:
    assert lines_for(load_cue_pack("default"), "rest_call", None)
