"""The script builder: expansion, overrides and the phrase list for the renderer."""

from __future__ import annotations

import itertools

import pytest

from tests.timeline.plan_factories import bridge, fixed_ms, routine_of
from voicecoach.errors import CueError, PlanError
from voicecoach.planning.script import Gap, Work, build_script
from voicecoach.planning.timeline import plan
from voicecoach.routine.model import Exercise, Profile, Routine, Section, Where


def said(routine: Routine, key: str) -> list[str]:
    tl = plan(build_script(routine), fixed_ms(300))
    return [e.text or "" for e in tl.events if e.cue_key == key]


def test_overrides_apply_routine_then_exercise() -> None:
    first = bridge(name="Bridge", sets=1, cue_overrides={"get_ready": ("Bridge ready.",)})
    second = Exercise("Dead bug", reps=6)
    routine = routine_of(
        first,
        second,
        cue_overrides={"get_ready": ("Routine ready.",), "set_done": ("Done.",)},
    )
    assert said(routine, "get_ready") == ["Bridge ready.", "Routine ready."]
    # The last set's "done" gives way to the closing praise (issue 9: no echo).
    assert said(routine, "set_done") == ["Done."]


def test_an_invalid_routine_override_is_located() -> None:
    where = {"rest_anounce": Where("r.yaml", 7, 3, "cue_overrides.rest_anounce")}
    routine = routine_of(bridge(), cue_overrides={"rest_anounce": ("x",)}, cue_override_where=where)
    with pytest.raises(CueError) as err:
        build_script(routine)
    assert str(err.value) == (
        "r.yaml:7:3: cue_overrides.rest_anounce: unknown cue key 'rest_anounce'. "
        "did you mean 'rest_announce'?"
    )


def test_steps_alternate_gap_and_work_and_phrases_cover_every_text() -> None:
    routine = routine_of(
        bridge(focus=("glutes",), setup="Lie down."),
        Exercise("Side plank", hold_ms=20_000, sides="both", focus=("obliques",)),
        profile=Profile(weak_side="right", extra_weak_side_set=True),
    )
    script = build_script(routine, seed=5)
    kinds = [type(s) for s in script.steps]
    assert kinds[0] is Gap and kinds[-1] is Gap
    assert all(a is not b for a, b in itertools.pairwise(kinds))
    works = script.works()
    assert [(w.ctx.exercise, w.ctx.side, w.ctx.set) for w in works] == [
        ("Glute bridge", None, 1),
        ("Glute bridge", None, 2),
        ("Side plank", "right", 1),
        ("Side plank", "right", 2),
        ("Side plank", "left", 1),
    ]
    phrases = script.phrases()
    assert len(phrases) == len(set(phrases))
    assert "Lie down." in " ".join(phrases)
    tl = plan(script, fixed_ms(400))
    assert {e.text for e in tl.events if e.spoken} <= set(phrases)
    assert all(isinstance(w, Work) and w.counts == tuple(str(i) for i in range(1, 11))
               for w in works[:2])  # fmt: skip


def test_sections_and_intro_texts_are_spoken_in_order() -> None:
    routine = Routine(
        name="Reset",
        intro="Find a mat.",
        outro="See you tomorrow.",
        sections=(
            Section("Mobility", (bridge(sets=1),), intro="Loosen up."),
            Section("Core", (Exercise("Dead bug", reps=6),)),
        ),
    )
    tl = plan(build_script(routine), fixed_ms(300))
    texts = [e.text for e in tl.events if e.kind == "speech"]
    order = ["Find a mat.", "Loosen up.", "See you tomorrow."]
    assert [t for t in texts if t in order] == order
    assert any("Mobility" in (t or "") for t in texts) and any("Core" in (t or "") for t in texts)


def test_impossible_exercises_are_refused_with_our_error() -> None:
    with pytest.raises(PlanError) as err:
        build_script(routine_of(bridge(reps=0)))
    assert str(err.value) == "Glute bridge: reps must be at least 1. set reps or hold."
