"""The planner's rules, each on a small routine built from model objects."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from tests.timeline.plan_factories import (
    announced_rests,
    bridge,
    by_words,
    check_invariants,
    fixed_ms,
    plan_json,
    plan_routine,
    routine_of,
    spans,
    spoken,
    weak_right,
)
from voicecoach import DEFAULT_LIMITS
from voicecoach.errors import PlanError
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import estimate_phrase_ms, plan
from voicecoach.routine.model import Exercise, Profile, Rounds, Routine, Section, Tempo, TimedCue


def test_two_sets_of_ten_at_2_1_2_counts_5000_ms_apart_and_rest_exactly_30_s() -> None:
    data = plan_json(routine_of(bridge()))
    counts = [e for e in data["events"] if e["cue_key"] == "count"]
    works = [e for e in data["events"] if e["kind"] == "work"]
    assert len(works) == 2 and len(counts) == 20
    for set_no, work in enumerate(works, start=1):
        starts = [e["start_ms"] for e in counts if e["set"] == set_no]
        assert [e["rep"] for e in counts if e["set"] == set_no] == list(range(1, 11))
        assert starts[0] == work["start_ms"]
        assert [b - a for a, b in itertools.pairwise(starts)] == [5000] * 9
        assert work["end_ms"] - work["start_ms"] == 50_000
    announce = next(e for e in data["events"] if e["cue_key"] == "rest_between_sets")
    assert works[1]["start_ms"] - announce["end_ms"] == 30_000  # "Rest 30 seconds" is 30 s
    rest = [
        e for e in data["events"] if e["kind"] == "rest" and e["start_ms"] == works[0]["end_ms"]
    ]
    assert rest[0]["end_ms"] == works[1]["start_ms"]


def test_rest_countdown_says_3_2_1_go_on_the_seconds_and_ends_when_work_starts() -> None:
    # issue 9: "3, 2, 1, go" and then rep 1 on its beat (no "3, 2, 1, 1").
    tl = plan_routine(routine_of(bridge()), fixed_ms(400))
    work2 = [e for e in spans(tl) if e.kind == "work"][1]
    numbers = [
        e for e in tl.events
        if e.cue_key in ("rest_countdown", "countdown_go") and e.start_ms < work2.start_ms
    ][-4:]  # fmt: skip
    assert [(e.text, work2.start_ms - e.start_ms) for e in numbers] == [
        ("3", 4000),
        ("2", 3000),
        ("1", 2000),
        (numbers[-1].text, 1000),
    ]
    assert numbers[-1].cue_key == "countdown_go" and numbers[-1].text in {"Go.", "Begin."}
    # the closing beep gives way to the first count, said as the work starts
    beeps = [e for e in tl.events if e.kind == "tone" and e.sound == "beep_end"]
    assert work2.start_ms not in {e.start_ms for e in beeps}
    assert any(e.spoken and e.start_ms == work2.start_ms for e in tl.events)


def test_phase_words_sit_on_phase_boundaries() -> None:
    ex = bridge(sets=1, tempo=Tempo((2000, 1000, 2000), ("up", "squeeze", "down")))
    tl = plan_routine(routine_of(ex), fixed_ms(500))
    work = next(e for e in tl.events if e.kind == "work")
    words = [e for e in tl.events if e.cue_key == "phase_word"]
    assert words, "phase words fit and should be said"
    for e in words:
        offset = (e.start_ms - work.start_ms) % 5000
        assert offset in (2000, 3000)  # the count takes the place of "up"
    assert {e.text for e in words} == {"Squeeze", "Down"}


def test_counts_longer_than_a_rep_are_said_on_alternate_reps_with_a_warning() -> None:
    ex = bridge(sets=1, tempo=Tempo((1000, 0, 1000), ("up", "", "down")))

    def lengths(text: str) -> int:
        return 3000 if text.isdigit() else 300

    tl = plan_routine(routine_of(ex), lengths)
    counts = [e for e in tl.events if e.cue_key == "count"]
    assert [e.rep for e in counts] == [1, 3, 5, 7, 9]
    assert not [e for e in tl.events if e.cue_key == "phase_word"]
    assert (
        "Glute bridge: a rep count is longer than one rep (2 s); phase words are left out "
        "and only the counts that fit are said"
    ) in tl.warnings


def test_a_cue_that_does_not_fit_moves_to_the_next_gap_of_the_set() -> None:
    cues = (TimedCue("Push through the heels.", "rep", 3), TimedCue("Ribs down.", "rep", 3))

    def lengths(text: str) -> int:
        return 3000 if text in ("Push through the heels.", "Ribs down.") else 500

    tl = plan_routine(routine_of(bridge(sets=1, cues=cues)), lengths)
    work = next(e for e in tl.events if e.kind == "work")
    said = {e.text: e for e in tl.events if e.kind == "cue"}
    assert (said["Push through the heels."].start_ms - work.start_ms) // 5000 == 2  # in rep 3
    # Moved on, past the 5 s of quiet kept after the first coaching line (issue 9): rep 5.
    assert (said["Ribs down."].start_ms - work.start_ms) // 5000 == 4
    check_invariants(tl, build_script(routine_of(bridge(sets=1, cues=cues))))


def test_a_cue_longer_than_every_gap_is_dropped_with_a_warning() -> None:
    cue = TimedCue("An extremely long coaching line.", "rep", 2)

    def lengths(text: str) -> int:
        return 9000 if text.startswith("An extremely") else 400

    tl = plan_routine(routine_of(bridge(sets=1, cues=(cue,))), lengths)
    assert not [e for e in tl.events if e.text == cue.text]
    assert (
        "Glute bridge: cue 'An extremely long coaching line.' does not fit in the gaps of "
        "the set; it is left out"
    ) in tl.warnings


def test_cues_never_overlap_counts_even_when_targeted_at_them() -> None:
    cues = tuple(TimedCue(f"Line {i}.", "every", 1) for i in range(3))
    routine = routine_of(bridge(focus=("glutes", "abs"), cues=cues))
    tl = plan_routine(routine, by_words(250))
    counts = [e for e in tl.events if e.kind == "count"]
    for cue in (e for e in tl.events if e.kind == "cue"):
        assert all(cue.end_ms <= c.start_ms or c.end_ms <= cue.start_ms for c in counts)


def test_holds_and_rests_keep_the_clock_whatever_the_speech() -> None:
    hold = Exercise("Plank", hold_ms=30_000, sets=2, rest_ms=20_000, focus=("core", "abs"))
    tl = plan_routine(routine_of(hold), fixed_ms(7000))
    works = [e for e in spans(tl) if e.kind == "work"]
    assert [w.end_ms - w.start_ms for w in works] == [30_000, 30_000]
    assert [ms for _text, ms in announced_rests(tl)] == [20_000]
    check_invariants(tl, build_script(routine_of(hold)))


def test_announcements_before_work_move_the_work_later() -> None:
    first = bridge(sets=1, rest_after_ms=1000)
    second = Exercise("Dead bug", reps=8, setup="Lie on your back, arms up, knees over hips.")
    tl = plan_routine(routine_of(first, second), fixed_ms(4000))
    works = [e for e in spans(tl) if e.kind == "work"]
    gap = works[1].start_ms - works[0].end_ms
    keys = ("exercise_intro_one_set", "setup", "get_ready")
    intro = [e for e in tl.events if e.cue_key in keys and e.exercise == "Dead bug"]
    assert len(intro) == 3
    assert all(works[0].end_ms <= e.start_ms and e.end_ms <= works[1].start_ms for e in intro)
    assert gap > 1000  # the 1 s rest grew to fit the announcements
    assert max(e.end_ms for e in intro) <= works[1].start_ms - 3000  # then the countdown


def test_weak_side_first_extra_set_and_chapters_per_side() -> None:
    clam = Exercise("Clamshell", reps=10, sets=2, sides="both", rest_ms=15_000)
    routine = routine_of(clam, profile=weak_right(extra=True))
    tl = plan_routine(routine)
    works = [e for e in spans(tl) if e.kind == "work"]
    assert [(w.side, w.set) for w in works] == [
        ("right", 1),
        ("right", 2),
        ("right", 3),
        ("left", 1),
        ("left", 2),
    ]
    assert [c.title for c in tl.chapters] == ["Clamshell — right", "Clamshell — left"]
    switch = next(e for e in tl.events if e.cue_key == "switch_sides")
    assert works[2].end_ms <= switch.start_ms < works[3].start_ms
    # The side switch takes switch_rest (5 s without a position), not the 15 s rest.
    assert 5000 <= works[3].start_ms - works[2].end_ms < 15_000
    # One line announces the switch and names the side; the chapter opens with it.
    assert switch.text in (
        "Switch sides. Now work the left side.",
        "Other side. Work the left side now.",
    )
    assert switch.start_ms == tl.chapters[1].start_ms
    assert not [e for e in tl.events if e.cue_key == "side_start" and e.side == "left"]


def test_left_first_without_a_weak_side() -> None:
    clam = Exercise("Clamshell", reps=4, sides="both")
    tl = plan_routine(routine_of(clam))
    assert [w.side for w in spans(tl) if w.kind == "work"] == ["left", "right"]


def test_rounds_repeat_with_the_round_rest_and_announce_the_next() -> None:
    circuit = Rounds(
        count=2,
        exercises=(bridge(sets=1, rest_after_ms=10_000), Exercise("Plank", hold_ms=20_000)),
        rest_ms=45_000,
    )
    routine = Routine(name="Circuit", sections=(Section(None, (circuit,)),))
    tl = plan_routine(routine, fixed_ms(500))
    works = [e for e in spans(tl) if e.kind == "work"]
    assert [w.exercise for w in works] == ["Glute bridge", "Plank"] * 2
    # The announcement, setup and countdown of the plank need more than 60 % of
    # 10 s, so that rest grows to 15 s and says so; the round rest keeps its 45 s.
    rests = announced_rests(tl)
    assert [ms for _text, ms in rests[:2]] == [15_000, 45_000]
    assert "15 seconds" in rests[0][0] and "45 seconds" in rests[1][0]
    assert works[0].end_ms < works[1].start_ms - 15_000
    assert [c.title for c in tl.chapters] == [
        "Glute bridge (round 1 of 2)",
        "Plank (round 1 of 2)",
        "Glute bridge (round 2 of 2)",
        "Plank (round 2 of 2)",
    ]
    assert [e.text or "" for e in tl.events if e.cue_key == "round_start"][1].startswith(
        ("Round 2 of 2", "Here comes round 2 of 2")
    )


def test_rest_after_an_exercise_names_what_comes_next() -> None:
    routine = routine_of(bridge(sets=1, rest_after_ms=30_000), Exercise("Dead bug", reps=8))
    tl = plan_routine(routine, fixed_ms(500))
    announce = next(e for e in tl.events if e.cue_key == "rest_announce")
    assert "Dead bug" in (announce.text or "") and "30" in (announce.text or "")


def test_every_event_carries_its_context() -> None:
    tl = plan_routine(routine_of(Exercise("Clamshell", reps=6, sides="left")))
    count = next(e for e in tl.events if e.cue_key == "count")
    assert (count.exercise, count.side, count.set, count.rep, count.chapter) == (
        "Clamshell",
        "left",
        1,
        1,
        0,
    )
    assert tl.chapters[0].title == "Clamshell — left"


def test_same_inputs_give_the_same_timeline_and_the_seed_changes_phrasing() -> None:
    routine = routine_of(bridge(focus=("glutes",)), Exercise("Plank", hold_ms=30_000))
    assert plan_routine(routine, seed=3) == plan_routine(routine, seed=3)
    texts = {seed: [e.text for e in spoken(plan_routine(routine, seed=seed))] for seed in range(4)}
    assert len({tuple(t) for t in texts.values()}) > 1


def test_a_session_over_the_length_limit_is_refused() -> None:
    with pytest.raises(PlanError) as err:
        plan_routine(routine_of(bridge()), limits=replace(DEFAULT_LIMITS, max_session_ms=60_000))
    assert str(err.value) == (
        "the session would last at least 2:10.000, over the 1:00 limit. "
        "use fewer sets, reps or rounds, or shorter rests and holds"
    )


def test_four_hours_is_the_default_limit() -> None:
    long_hold = Exercise("Wall sit", hold_ms=10 * 60_000, sets=20, rest_ms=0)
    with pytest.raises(PlanError, match=r"over the 4 hour limit"):
        plan_routine(routine_of(*[long_hold] * 2))


def test_too_many_spoken_phrases_are_refused() -> None:
    with pytest.raises(PlanError) as err:
        plan_routine(routine_of(bridge()), limits=replace(DEFAULT_LIMITS, max_spoken_phrases=10))
    assert str(err.value) == (
        "the session has more than 10 spoken phrases. use fewer reps, sets or rounds"
    )


def test_a_bad_phrase_length_is_our_error() -> None:
    script = build_script(routine_of(bridge(sets=1)))
    with pytest.raises(PlanError, match=r"must be a whole number of milliseconds, 0 or more"):
        plan(script, lambda text: -5)


def test_estimate_grows_with_words_and_is_zero_for_nothing() -> None:
    assert estimate_phrase_ms("") == 0
    one, many = estimate_phrase_ms("Hold."), estimate_phrase_ms("Feel your glutes, not your back.")
    assert 0 < one < many
    assert estimate_phrase_ms("Feel your glutes.", wpm=120) > estimate_phrase_ms(
        "Feel your glutes.", wpm=200
    )


def test_session_without_intro_keys_still_tiles_from_zero() -> None:
    routine = routine_of(
        bridge(sets=1), cue_overrides={"session_intro": (), "exercise_intro_one_set": ()}
    )
    tl = plan_routine(routine, fixed_ms(300))
    check_invariants(tl, build_script(routine))
    assert not [e for e in tl.events if e.cue_key == "session_intro"]


def test_check_ins_are_said_once_per_section_when_on() -> None:
    """After the section's last exercise, about what it targets (its `when:` fits)."""
    fits = {"kind": "strength", "position": "supine"}
    routine = routine_of(
        bridge(sets=1, rest_after_ms=45_000, focus=("glutes",), **fits),
        Exercise("Dead bug", reps=6, focus=("abs",), **fits),  # type: ignore[arg-type]
        profile=Profile(check_ins=True),
    )
    tl = plan_routine(routine)
    asked = [e for e in tl.events if e.cue_key == "check_in"]
    assert [e.exercise for e in asked] == ["Dead bug"]
    assert "abs" in (asked[0].text or "")
