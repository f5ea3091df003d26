"""The built-in routine, the list, and the `voicecoach new` scaffold."""

from __future__ import annotations

import pytest

from voicecoach.errors import VoicecoachError
from voicecoach.routine import Exercise, list_builtin_routines, rough_length_ms, scaffold
from voicecoach.routine.loader import load_routine, load_routine_text


def test_low_back_reset_loads_with_the_program() -> None:
    routine = load_routine("low-back-reset")
    assert routine.name == "Low-back reset"
    assert routine.source == "builtin:low-back-reset"
    assert [s.name for s in routine.sections] == [
        "Loosen the hip flexors",
        "Wake up the glutes",
        "Core control",
    ]
    by_name = {e.name: e for e in routine.exercises()}
    assert set(by_name) == {
        "Half-kneeling hip flexor stretch",
        "Glute bridge",
        "Clamshell",
        "Dead bug",
        "Bird dog",
    }
    stretch = by_name["Half-kneeling hip flexor stretch"]
    assert stretch.is_hold and stretch.sides == "both"
    assert by_name["Clamshell"].sides == "both" and by_name["Bird dog"].sides == "both"
    assert not by_name["Glute bridge"].is_hold and by_name["Glute bridge"].sides is None
    for exercise in routine.exercises():
        assert isinstance(exercise, Exercise)
        assert exercise.setup and exercise.focus and len(exercise.cues) >= 3
        assert exercise.where.file == "builtin:low-back-reset" and exercise.where.line
    texts = " ".join(c.text.lower() for e in routine.exercises() for c in e.cues)
    assert "not your low back" in texts and "hamstrings" in texts
    assert routine.profile.check_ins is True
    # Work and rests alone come to about 13 minutes; speech brings it to 12-15 spoken.
    assert 11 * 60_000 <= rough_length_ms(routine) <= 14 * 60_000


def test_list_builtin_routines() -> None:
    (entry,) = [r for r in list_builtin_routines() if r.name == "low-back-reset"]
    assert entry.title == "Low-back reset"
    assert entry.description.startswith("Take the load off an overworked low back")
    assert entry.path.endswith("low-back-reset.yaml")
    assert all(not r.name.startswith(("_", "scaffold")) for r in list_builtin_routines())


def test_scaffold_loads_and_is_commented() -> None:
    text = scaffold("my-warm_up")
    routine = load_routine_text(text, "my-warm_up.yaml")
    assert routine.name == "My warm up"
    assert text.startswith("# yaml-language-server: $schema=voicecoach.schema.json\n")
    assert "voicecoach validate my-warm_up.yaml" in text
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 15
    kinds = {type(item).__name__ for s in routine.sections for item in s.items}
    assert kinds == {"Exercise", "Rounds"}


def test_scaffold_quotes_odd_names() -> None:
    routine = load_routine_text(scaffold('say "hi": #1'), "x.yaml")
    assert routine.name == 'Say "hi": #1'


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the routine name is empty. give a name like my-warmup."),
        ("--", "the routine name is empty. give a name like my-warmup."),
        (
            "x" * 101,
            "the routine name is too long (101 characters; at most 100). use a shorter name.",
        ),
    ],
)
def test_scaffold_refuses_bad_names(name: str, message: str) -> None:
    with pytest.raises(VoicecoachError) as caught:
        scaffold(name)
    assert str(caught.value) == message
