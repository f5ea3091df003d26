"""Lines that fit: every bank line and check-in of the bundled pack carries `when:`,
no spoken line breaks its conditions on any built-in or library exercise, and none
of the mismatches heard before (issue 9, **Why**) comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecoach.cues import load_cue_pack
from voicecoach.cues.fit_check import grammar_problems, line_violations
from voicecoach.library import library_ids
from voicecoach.pipeline import plan_routine
from voicecoach.planning.personalize import Choices, personalize
from voicecoach.planning.timeline import Timeline
from voicecoach.routine import list_builtin_routines
from voicecoach.routine.focus import FOCUS_GROUPS
from voicecoach.routine.loader import load_routine, load_routine_text
from voicecoach.routine.model import CoachLevel, Level, Routine
from voicecoach.routine.traits import exercise_traits

BUILTINS = sorted(r.name for r in list_builtin_routines())
SEEDS = (0, 1, 2)
COACH = ("quiet", "standard", "chatty")  # every `coach:` level

# (which exercises, a text they must never hear): the list under **Why** in issue 9.
WHY_MISMATCHES: tuple[tuple[str, str], ...] = (
    ("dead bug", "Keep your hips stacked. Don't roll back."),
    ("hip flexor stretch", "Let your glutes do the lifting"),
    ("glute bridge", "If one side feels weaker, slow that side down."),
    ("bird dog", "If one side feels weaker, slow that side down."),
    ("plank", "If one side feels weaker, slow that side down."),
    ("plank", "make the movement smaller"),
)
CHECK_IN_MISMATCHES = (("hip flexor", "hamstring"),)  # after (exercise), never asks (word)


def _library_routine(entry_id: str) -> Routine:
    text = (
        f"name: {entry_id}\nprofile: {{check_ins: true}}\n"
        f"exercises: [{{use: {entry_id}}}, {{use: {entry_id}, sets: 1}}]\n"
    )
    return load_routine_text(text)


def _violations(routine: Routine, timeline: Timeline) -> list[str]:
    found = line_violations(routine, timeline)
    for event in timeline.events:
        if not event.spoken or event.text is None:
            continue
        name = (event.exercise or "").lower()
        for where, text in WHY_MISMATCHES:
            if where in name and text.lower() in event.text.lower():
                found.append(f"{event.exercise}: heard {text!r}")
        if event.cue_key == "check_in":
            for where, word in CHECK_IN_MISMATCHES:
                if where in name and word in event.text.lower():
                    found.append(f"check-in after {event.exercise} asks about {word}")
        found += [f"grammar: {p}" for p in grammar_problems(event.text)]
    return found


def test_every_bank_line_and_check_in_says_where_it_fits() -> None:
    pack = load_cue_pack(None)
    keys = [f"focus.{g}" for g in FOCUS_GROUPS] + ["check_in"]
    for key in keys:
        assert pack.get(key), key
        assert all(w is not None for w in pack.when(key)), f"{key}: a line without when:"


def test_every_library_exercise_has_lines_that_fit() -> None:
    """The audit: each library exercise gets at least one line for each focus group
    that has lines of its type, and a check-in."""
    pack = load_cue_pack(None)
    for entry_id in library_ids():
        ex = load_routine_text(f"name: t\nexercises: [{{use: {entry_id}}}]\n").exercises()[0]
        traits = exercise_traits(ex)
        fitting = [t for g in traits.focus for t in pack.fitting(f"focus.{g}", traits)]
        assert fitting, f"{entry_id}: no mind-body line fits"
        assert pack.fitting("check_in", traits), f"{entry_id}: no check-in fits"


@pytest.mark.parametrize("coach", COACH)
@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_hear_only_lines_that_fit(name: str, coach: CoachLevel) -> None:
    levels: tuple[Level, ...] = ("easy", "normal", "hard")
    for level in levels:
        routine = personalize(load_routine(name), Choices(level=level, coach=coach)).routine
        for seed in SEEDS:
            assert _violations(routine, plan_routine(routine, seed=seed)) == [], (level, seed)


@pytest.mark.parametrize("coach", COACH)
def test_library_exercises_hear_only_lines_that_fit(coach: CoachLevel) -> None:
    for entry_id in library_ids():
        routine = personalize(_library_routine(entry_id), Choices(coach=coach)).routine
        assert _violations(routine, plan_routine(routine)) == [], entry_id


def test_the_fixed_list_is_checked() -> None:
    """The detector finds the old mismatches when they are put back."""
    text = (
        "name: t\nprofile: {check_ins: true, coach: chatty}\n"
        "phrases: {'focus.abs': ['If your low back arches, make the movement smaller.'], "
        "check_in: ['Did you feel your hamstrings?']}\n"
        "exercises: [{use: front-plank}, {use: half-kneeling-hip-flexor-stretch}]\n"
    )
    routine = load_routine_text(text)
    found = _violations(routine, plan_routine(routine))
    assert "Front plank: heard 'make the movement smaller'" in found
    assert "check-in after Half-kneeling hip flexor stretch asks about hamstring" in found


@pytest.mark.parametrize("name", BUILTINS)
def test_check_ins_once_per_section_and_about_its_target(name: str) -> None:
    routine = load_routine(name)
    timeline = plan_routine(routine)
    asked = [e for e in timeline.events if e.cue_key == "check_in"]
    assert 1 <= len(asked) <= len(routine.sections)
    for event in asked:
        if "hip flexor" in (event.exercise or "").lower():
            assert "front of the hip" in (event.text or "")


def test_check_in_after_a_circuit_not_after_each_round(tmp_path: Path) -> None:
    text = (
        "name: t\nprofile: {check_ins: true}\nsections:\n"
        "  - name: Core\n    exercises:\n"
        "      - {rounds: 3, rest: 10s, exercises: [{use: dead-bug, sets: 1}, {use: bird-dog}]}\n"
        "      - {use: glute-bridge, sets: 1}\n"
    )
    timeline = plan_routine(load_routine_text(text))
    asked = [e.exercise for e in timeline.events if e.cue_key == "check_in"]
    assert asked == ["Bird dog", "Glute bridge"]


def test_an_exercise_without_type_or_position_hears_only_unconditioned_lines() -> None:
    text = "name: t\nexercises: [{name: Plank, hold: 30s, focus: [abs]}]\n"
    routine = load_routine_text(text)
    spoken = [e for e in plan_routine(routine).events if (e.cue_key or "").startswith("focus.")]
    assert spoken == []


def test_the_audit_table_in_the_docs_is_current() -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "scripts" / "cue_audit.py"
    spec = importlib.util.spec_from_file_location("cue_audit", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = module.DOC.read_text(encoding="utf-8")
    assert f"{module.BEGIN}\n{module.table()}{module.END}" in doc, (
        "run scripts/cue_audit.py --write"
    )
