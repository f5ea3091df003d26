"""Personalization: weak side, extra weak-side set, level, minutes and check-ins."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import VoicecoachError
from voicecoach.pipeline import plan_routine
from voicecoach.planning.personalize import Choices, estimated_length, level_dosage, personalize
from voicecoach.planning.timeline import Timeline
from voicecoach.routine import Exercise, Rounds
from voicecoach.routine.loader import load_routine, load_routine_text

SIDED = """
name: Sided
defaults: {rest: 10s, rest_after: 10s}
exercises:
  - use: clamshell
    reps: 6
  - use: glute-bridge
    reps: 6
    sets: 1
  - use: side-plank
    hold: 20s
"""


def first_sides(tl: Timeline) -> dict[str, str]:
    """The side each per-side exercise starts with."""
    out: dict[str, str] = {}
    for e in tl.events:
        if e.kind == "work" and e.side and e.exercise not in out:
            out[e.exercise or ""] = e.side
    return out


def sets_per_side(tl: Timeline) -> Counter[tuple[str | None, str | None]]:
    return Counter((e.exercise, e.side) for e in tl.events if e.kind == "work")


def counts(tl: Timeline) -> Counter[tuple[str | None, str | None, int | None]]:
    """Rep counts said per (exercise, side, set)."""
    return Counter(
        (e.exercise, e.side, e.set) for e in tl.events if e.kind == "count" and e.cue_key == "count"
    )


def test_weak_side_starts_every_per_side_exercise() -> None:
    routine = load_routine_text(SIDED)
    assert first_sides(plan_routine(routine)) == {"Clamshell": "left", "Side plank": "left"}
    right = personalize(routine, Choices(weak_side="right")).routine
    assert first_sides(plan_routine(right)) == {"Clamshell": "right", "Side plank": "right"}


def test_extra_weak_set_adds_one_set_on_the_weak_side_only() -> None:
    routine = load_routine_text(SIDED)
    result = personalize(routine, Choices(weak_side="right", extra_weak_set=True))
    assert sets_per_side(plan_routine(routine)) == {
        ("Clamshell", "left"): 1,
        ("Clamshell", "right"): 1,
        ("Glute bridge", None): 1,
        ("Side plank", "left"): 1,
        ("Side plank", "right"): 1,
    }
    assert sets_per_side(plan_routine(result.routine)) == {
        ("Clamshell", "right"): 2,
        ("Clamshell", "left"): 1,
        ("Glute bridge", None): 1,
        ("Side plank", "right"): 2,
        ("Side plank", "left"): 1,
    }
    assert result.changes == (
        "weak side: right; per-side exercises start on it",
        "one extra set on the right side of each per-side exercise",
    )


def test_extra_set_without_a_weak_side_is_refused() -> None:
    with pytest.raises(VoicecoachError) as caught:
        personalize(load_routine_text(SIDED), Choices(extra_weak_set=True))
    assert str(caught.value) == (
        "an extra weak-side set needs a weak side. add --weak-side left or right "
        "(or weak_side: in the routine's profile)."
    )


@pytest.mark.parametrize(
    ("level", "reps", "hold", "sets", "expected"),
    [
        ("easy", 12, None, 2, (9, None, 1)),
        ("easy", 6, None, 1, (5, None, 1)),  # never below 5 reps or 1 set
        ("easy", 4, None, 3, (4, None, 2)),  # never raises a smaller count
        ("easy", None, 40_000, 2, (None, 30_000, 1)),
        ("easy", None, 12_000, 1, (None, 10_000, 1)),  # holds at least 10 s
        ("normal", 12, None, 2, (12, None, 2)),
        ("hard", 12, None, 2, (15, None, 3)),
        ("hard", 10, None, 4, (13, None, 4)),  # 12.5 rounds half up; at most 4 sets
        ("hard", 28, None, 1, (30, None, 2)),  # at most 30 reps
        ("hard", 40, None, 6, (40, None, 6)),  # never lowers a larger value
        ("hard", None, 40_000, 1, (None, 50_000, 2)),
        ("hard", None, 80_000, 1, (None, 90_000, 2)),  # at most 90 s
    ],
)
def test_level_factors_and_bounds(
    level: str, reps: int | None, hold: int | None, sets: int, expected: tuple[object, ...]
) -> None:
    ex = Exercise("X", reps=reps, hold_ms=hold, sets=sets)
    assert level_dosage(ex, level) == expected


def test_level_changes_the_counts_in_the_timeline() -> None:
    routine = load_routine_text(SIDED)
    base = counts(plan_routine(routine))
    assert base[("Clamshell", "left", 1)] == 6 and base[("Glute bridge", None, 1)] == 6
    hard = personalize(routine, Choices(level="hard"))
    tl = plan_routine(hard.routine)
    # 6 reps x 1.25 = 7.5 -> 8 reps, and one more set (1 -> 2); the 20 s hold -> 25 s.
    assert counts(tl) == {
        (name, side, s): 8
        for name, sides in (("Clamshell", ("left", "right")), ("Glute bridge", (None,)))
        for side in sides
        for s in (1, 2)
    }
    holds = {
        e.end_ms - e.start_ms for e in tl.events if e.kind == "work" and e.exercise == "Side plank"
    }
    assert holds == {25_000}
    assert hard.changes == (
        "level hard (reps and holds x1.25, +1 set): Clamshell 1 x 6 reps -> 2 x 8 reps; "
        "Glute bridge 1 x 6 reps -> 2 x 8 reps; Side plank 1 x 20 s hold -> 2 x 25 s hold",
    )
    easy = plan_routine(personalize(routine, Choices(level="easy")).routine)
    assert set(counts(easy).values()) == {5}  # 6 x 0.75 = 4.5 -> 5 (the floor)


def test_level_keeps_cues_inside_the_new_counts() -> None:
    routine = load_routine("glute-activation")
    easy = personalize(routine, Choices(level="easy")).routine
    for ex in easy.exercises():
        for cue in ex.cues:
            if cue.at == "rep":
                assert 1 <= cue.value <= (ex.reps or 0)
            if cue.at == "time":
                assert 0 <= cue.value < (ex.hold_ms or 0)


@pytest.mark.parametrize(
    ("name", "minutes"),
    [("low-back-reset", 12.5), ("low-back-reset", 18), ("low-back-reset", 25), ("core-prep", 10)],
)
def test_minutes_lands_within_5_percent(name: str, minutes: float) -> None:
    result = personalize(load_routine(name), Choices(minutes=minutes))
    total = plan_routine(result.routine).total_ms
    assert abs(total - minutes * 60_000) <= 0.05 * minutes * 60_000
    assert result.changes[0].startswith(f"fit to {minutes:g} min: planned length ")
    assert any(c.startswith("rests x") for c in result.changes)
    # What it printed is the truth: the new rests are in the routine.
    assert result.routine.profile.minutes is None


def test_minutes_from_the_profile_and_the_command_line_wins() -> None:
    text = SIDED.replace("exercises:", "profile: {minutes: 9}\nexercises:")
    routine = load_routine_text(text)
    assert abs(plan_routine(routine).total_ms - 540_000) <= 27_000
    wins = personalize(routine, Choices(minutes=5)).routine
    assert abs(plan_routine(wins).total_ms - 300_000) <= 15_000


def test_minutes_out_of_reach_is_refused_with_the_range() -> None:
    routine = load_routine("pre-run-warmup")
    with pytest.raises(VoicecoachError) as caught:
        personalize(routine, Choices(minutes=1))
    message = str(caught.value)
    assert message.startswith(
        "cannot fit 'Pre-run warm-up' into 1 minute: within safe bounds (rests x0.5 to x2, "
        "reps and holds x0.75 to x1.5, one set fewer or more, optional parts left out) "
        "it lasts from "
    )
    low, high = message.split("choose minutes from ")[1].rstrip(".").split(" to ")
    # The range it offers really works, at both ends, within 2 %.
    for minutes in (int(low), int(high)):
        fitted = personalize(routine, Choices(minutes=minutes)).routine
        assert abs(plan_routine(fitted).total_ms - minutes * 60_000) <= 0.02 * minutes * 60_000


def test_personalize_is_pure_and_idempotent() -> None:
    routine = load_routine("imbalance-fix")
    once = personalize(routine, Choices(level="hard", minutes=14, weak_side="right"))
    assert routine == load_routine("imbalance-fix")  # the input is unchanged
    twice = personalize(once.routine)
    assert twice.routine == once.routine and twice.changes == ()
    measure = estimated_length()
    assert measure(once.routine) == plan_routine(once.routine).total_ms


def test_check_ins_on_in_builtins_and_switchable_off() -> None:
    routine = load_routine("core-prep")
    tl = plan_routine(routine)
    check_ins = [e for e in tl.events if e.cue_key == "check_in"]
    assert len(check_ins) == len(routine.sections)  # once per section
    assert "where did you feel that" in (check_ins[0].text or "").lower()
    off = personalize(routine, Choices(check_ins=False))
    assert off.changes == ("check-ins off",)
    assert not [e for e in plan_routine(off.routine).events if e.cue_key == "check_in"]
    on = personalize(
        replace(routine, profile=replace(routine.profile, check_ins=False)), Choices(check_ins=True)
    ).routine
    assert len([e for e in plan_routine(on).events if e.cue_key == "check_in"]) == len(check_ins)


def test_cli_plan_applies_the_options_and_reports_on_stderr() -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "plan",
            "imbalance-fix",
            "--json",
            "--weak-side",
            "right",
            "--level",
            "easy",
            "--minutes",
            "10",
            "--no-check-ins",
            "--coach",
            "quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert abs(data["total_ms"] - 600_000) <= 30_000
    sides = [e["side"] for e in data["events"] if e["kind"] == "work" and e["side"]]
    assert sides[0] == "right"
    assert not [e for e in data["events"] if e["cue_key"] == "check_in"]
    assert "personalized: weak side: right; per-side exercises start on it\n" in result.stderr
    assert "personalized: check-ins off\n" in result.stderr
    assert "personalized: fit to 10 min: planned length " in result.stderr
    assert "personalized: coach: quiet\n" in result.stderr


def test_cli_refuses_unreachable_minutes() -> None:
    result = CliRunner().invoke(cli, ["plan", "pre-lift-warmup", "--minutes", "200"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot fit 'Pre-lift warm-up' into 200 minutes: ")
    bad = CliRunner().invoke(cli, ["plan", "pre-lift-warmup", "--level", "extreme"])
    assert bad.exit_code == 2


def test_fixed_exercises_keep_their_dosage_under_level_and_minutes() -> None:
    text = """\
name: Fixed
exercises:
  - {name: Glute bridge, reps: 12, sets: 2, rest: 30s, rest_after: 30s}
  - {name: Hip flexor stretch, hold: 30s, sets: 2, sides: both, rest: 20s, fixed: true}
  - {name: Dead bug, reps: 10, sets: 2, rest: 30s}
"""
    routine = load_routine_text(text)
    for choices in (Choices(level="hard"), Choices(level="easy"), Choices(minutes=12)):
        out = personalize(routine, choices).routine.exercises()
        assert out[1] == routine.exercises()[1], choices
        assert out[0] != routine.exercises()[0], choices


def test_minutes_leaves_out_optional_exercises_so_low_back_reset_fits_8_minutes() -> None:
    result = personalize(load_routine("low-back-reset"), Choices(minutes=8))
    total = plan_routine(result.routine).total_ms
    assert abs(total - 480_000) <= 0.02 * 480_000
    assert "left out to fit: Bird dog, Clamshell" in result.changes
    names = [e.name for e in result.routine.exercises()]
    assert "Clamshell" not in names and "Glute bridge" in names


def test_an_optional_exercise_in_rounds_costs_one_round() -> None:
    text = """\
name: Circuit
exercises:
  - name: Core circuit
    rounds: 4
    rest: 30s
    exercises:
      - {name: Dead bug, reps: 10, sets: 2}
      - {name: Bird dog, reps: 8, sides: both, optional: true}
"""
    routine = load_routine_text(text)
    full = plan_routine(routine).total_ms
    minutes = round(full * 0.55 / 60_000, 1)
    result = personalize(routine, Choices(minutes=minutes))
    assert any(c.startswith("left out to fit: one round of Core circuit") for c in result.changes)
    rounds = [i for s in result.routine.sections for i in s.items]
    assert isinstance(rounds[0], Rounds) and rounds[0].count < 4


def test_every_minute_of_the_offered_range_fits_within_2_percent() -> None:
    routine = load_routine("pre-run-warmup")
    with pytest.raises(VoicecoachError) as caught:
        personalize(routine, Choices(minutes=1))
    low, high = str(caught.value).split("choose minutes from ")[1].split(" to ")
    for minutes in range(int(low), int(high) + 1):
        result = personalize(routine, Choices(minutes=minutes))
        total = plan_routine(result.routine).total_ms
        assert abs(total - minutes * 60_000) <= 0.02 * minutes * 60_000, (minutes, result.changes)


def test_a_target_between_one_set_more_and_none_moves_single_sets() -> None:
    # glute-activation's exercises are 1 set each: at 1.5x, the factor alone is too
    # little and one set more on all is too much; single exercises get the set.
    routine = load_routine("glute-activation")
    minutes = round(plan_routine(routine).total_ms * 1.5 / 60_000, 1)
    result = personalize(routine, Choices(minutes=minutes))
    sets = [c for c in result.changes if c.startswith("one set more: ")]
    assert len(sets) == 1
    more = [e for e in result.routine.exercises() if e.sets > 1]
    assert 0 < len(more) < len(routine.exercises())
    assert abs(plan_routine(result.routine).total_ms - minutes * 60_000) <= 0.02 * minutes * 60_000
