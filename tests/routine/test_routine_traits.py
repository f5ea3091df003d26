"""Exercise vocabulary: `type` and `position`, and the traits derived from dosage."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import VoicecoachError
from voicecoach.library import read_library
from voicecoach.routine import load_routine_text
from voicecoach.routine.traits import Traits, exercise_traits


def test_traits_from_type_position_dosage_and_sides() -> None:
    routine = load_routine_text(
        "name: t\nexercises:\n"
        "  - {name: Clam, reps: 10, sides: both, type: strength, position: side-lying,"
        " focus: [Glute]}\n"
        "  - {name: Stretch, hold: 30s, type: stretch, position: half-kneeling,"
        " focus: [hip flexors]}\n"
        "  - {name: Mystery, reps: 5}\n"
    )
    clam, stretch, mystery = (exercise_traits(e) for e in routine.exercises())
    assert clam == Traits("strength", "side-lying", True, "reps", frozenset({"glutes"}))
    assert stretch == Traits("stretch", "half-kneeling", False, "hold", frozenset({"hip_flexors"}))
    assert mystery == Traits(None, None, False, "reps", frozenset())


def test_library_use_carries_type_and_position() -> None:
    routine = load_routine_text("name: t\nexercises: [{use: dead-bug}, {use: side-plank}]\n")
    bug, plank = (exercise_traits(e) for e in routine.exercises())
    assert (bug.type, bug.position, bug.per_side, bug.dosage) == (
        "strength",
        "supine",
        False,
        "reps",
    )
    assert (plank.position, plank.per_side, plank.dosage) == ("side-lying", True, "hold")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("type: strenght", "r.yaml:2:38: exercises[0].type: must be one of strength, stretch, "
         "mobility, got strenght. did you mean 'strength'?"),
        ("position: lying", "r.yaml:2:42: exercises[0].position: must be one of supine, prone, "
         "side-lying, quadruped, seated, half-kneeling, kneeling, standing, got lying. "
         "did you mean 'side-lying'?"),
    ],
)  # fmt: skip
def test_bad_type_or_position_is_located(entry: str, message: str) -> None:
    text = f"name: t\nexercises: [{{name: a, reps: 3, {entry}}}]\n"
    with pytest.raises(VoicecoachError) as err:
        load_routine_text(text, "r.yaml")
    assert err.value.format() == message


def test_every_library_entry_needs_type_and_position() -> None:
    text = (
        "version: 1\nexercises:\n  x:\n    name: X\n    summary: s\n    reps: 5\n"
        "    type: strength\n"
    )
    with pytest.raises(VoicecoachError) as err:
        read_library(text)
    assert err.value.format() == (
        "library:exercises.yaml:4:5: exercises.x.position: needs a position. the cue lines fit "
        "by it."
    )


def test_cli_summaries_use_singulars(tmp_path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("name: One\nexercises: [{name: a, reps: 3}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0 and ", 1 chapter)" in result.output
    planned = CliRunner().invoke(cli, ["plan", str(path)])
    assert planned.output.startswith("One: 1 chapter\n")
