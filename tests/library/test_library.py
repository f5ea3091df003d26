"""The exercise library: every entry complete, `use:` with overrides, the CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import RoutineError
from voicecoach.library import fit_cues, get_entry, library, library_ids
from voicecoach.pipeline import plan_routine
from voicecoach.routine import TimedCue, load_routine_text

REQUIRED = {
    "half-kneeling-hip-flexor-stretch",
    "couch-stretch",
    "ninety-ninety-hip-switch",
    "glute-bridge",
    "single-leg-glute-bridge",
    "frog-pump",
    "clamshell",
    "fire-hydrant",
    "side-lying-hip-abduction",
    "donkey-kick",
    "dead-bug",
    "bird-dog",
    "front-plank",
    "side-plank",
    "mcgill-curl-up",
    "pelvic-tilt",
    "cat-cow",
}
# A correction names where you feel it (or a weaker side) and what to do about it.
CORRECTION = re.compile(
    r"^(if|feel)\b.*\b(low back|hamstrings?|quads?|front of your hip|hip flexor|neck|"
    r"one side|glutes)\b.*,\s*\w+",
    re.I,
)


def test_library_has_every_required_exercise() -> None:
    assert set(library_ids()) >= REQUIRED
    assert len(library_ids()) == len(set(library_ids()))


@pytest.mark.parametrize("entry_id", sorted(REQUIRED))
def test_entry_is_complete(entry_id: str) -> None:
    entry = get_entry(entry_id)
    assert entry is not None
    ex = entry.exercise
    assert entry.summary and ex.name and ex.setup and len(ex.setup.split()) >= 6
    if ex.hold_ms is None:
        assert ex.reps and ex.reps >= 5 and len(ex.tempo.phases_ms) >= 3
        assert len(ex.tempo.words) == len(ex.tempo.phases_ms)
    else:
        assert 10_000 <= ex.hold_ms <= 90_000
    assert ex.sets >= 1 and ex.sides in (None, "both")
    assert ex.focus
    assert len(entry.cues) >= 3
    assert entry.corrections and all(CORRECTION.match(c.text) for c in entry.corrections)
    assert ex.cues == entry.cues + entry.corrections


@pytest.mark.parametrize("entry_id", sorted(REQUIRED))
def test_entry_plans_without_warnings(entry_id: str) -> None:
    text = f"name: One\nexercises:\n  - use: {entry_id}\n"
    timeline = plan_routine(load_routine_text(text))
    assert timeline.warnings == ()  # the budget drops library lines without a warning
    chatty = plan_routine(load_routine_text(text + "profile: {coach: chatty}\n"))
    assert chatty.warnings == ()
    said = {e.text for e in chatty.events if e.kind == "cue"}
    entry = library()[entry_id]
    # With `coach: chatty` every library line is said at least once (on some set or side);
    # the default budget keeps fewer (issue 9).
    assert {c.text for c in entry.exercise.cues} <= said


def _one(text: str):
    (exercise,) = load_routine_text(text, "r.yaml").exercises()
    return exercise


def test_use_takes_the_library_and_overrides_field_by_field() -> None:
    ex = _one("name: R\ndefaults: {rest: 12s}\nexercises:\n  - use: glute-bridge\n    reps: 20\n")
    bridge = library()["glute-bridge"].exercise
    assert (ex.name, ex.reps, ex.sets, ex.tempo, ex.focus, ex.setup) == (
        "Glute bridge",
        20,
        bridge.sets,
        bridge.tempo,
        bridge.focus,
        bridge.setup,
    )
    assert ex.rest_ms == 12_000  # not in the library: the routine's defaults apply
    assert ex.where.file == "r.yaml" and ex.where.line == 4
    # Rep cues moved in proportion (rep 2 of 12 -> 3 of 20; 4 -> 7; 9 -> 15).
    reps = [c.value for c in ex.cues if c.at == "rep"]
    assert reps == [3, 7, 15]
    assert [c.at for c in ex.cues] == ["rep", "half", "last", "rep", "rep"]


def test_fewer_reps_keep_every_cue_valid() -> None:
    ex = _one("name: R\nexercises:\n  - use: clamshell\n    reps: 5\n")
    assert all(1 <= c.value <= 5 for c in ex.cues if c.at == "rep")
    assert len(ex.cues) == len(library()["clamshell"].exercise.cues)
    assert plan_routine(load_routine_text("name: R\nexercises:\n  - use: clamshell\n    reps: 5\n"))


def test_hold_override_replaces_reps_and_drops_rep_cues() -> None:
    ex = _one("name: R\nexercises:\n  - use: glute-bridge\n    hold: 30s\n")
    assert ex.is_hold and ex.reps is None and ex.hold_ms == 30_000
    assert [c.at for c in ex.cues] == ["half"]


def test_shorter_hold_moves_time_cues() -> None:
    ex = _one("name: R\nexercises:\n  - use: side-plank\n    hold: 14s\n")
    entry = library()["side-plank"].exercise
    assert [c.value for c in ex.cues] == [c.value * 14_000 // 35_000 for c in entry.cues]


def test_written_cues_and_corrections_replace_the_librarys() -> None:
    ex = _one("name: R\nexercises:\n  - use: dead-bug\n    cues: [{at: 3, say: Mine.}]\n")
    assert [c.text for c in ex.cues] == ["Mine."] + [
        c.text for c in library()["dead-bug"].corrections
    ]
    routine = load_routine_text(
        "name: R\nexercises:\n  - use: bird-dog\n    corrections: []\n    cues: []\n"
    )
    assert routine.exercises()[0].cues == ()


def test_null_removes_a_library_field_and_tempo_words_follow_the_tempo() -> None:
    ex = _one("name: R\nexercises:\n  - use: clamshell\n    setup: ~\n    tempo: 2-1-2-1\n")
    assert ex.setup is None and ex.tempo.phases_ms == (2000, 1000, 2000, 1000)
    assert ex.tempo.words == ()
    same = _one("name: R\nexercises:\n  - use: clamshell\n    tempo: 3-1-3\n")
    assert same.tempo.words == ("open", "hold", "close")


def test_side_cues_are_dropped_without_sides() -> None:
    cue = TimedCue("Left only.", "rep", 2, side="left")
    both = TimedCue("Both.", "every", 4)
    kept = fit_cues((cue, both), old_reps=10, old_hold_ms=None, reps=3, hold_ms=None, sides=None)
    assert kept == ()
    kept = fit_cues((cue, both), old_reps=10, old_hold_ms=None, reps=8, hold_ms=None, sides="both")
    assert [(c.text, c.value) for c in kept] == [("Left only.", 2), ("Both.", 4)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: R\nexercises:\n  - use: glute-brige\n    reps: 20\n",
            "r.yaml:3:10: exercises[0].use: unknown exercise 'glute-brige' in the library. "
            "did you mean 'glute-bridge'? run `voicecoach library` to see them all.",
        ),
        (
            "name: R\nexercises:\n  - use: zzz\n",
            "r.yaml:3:10: exercises[0].use: unknown exercise 'zzz' in the library. "
            "run `voicecoach library` to see them all.",
        ),
        (
            "name: R\nexercises:\n  - use: [a]\n",
            "r.yaml:3:10: exercises[0].use: must be the id of a library exercise, got a list. "
            "write it like use: glute-bridge. run `voicecoach library` to see them all.",
        ),
        (
            "name: R\nexercises:\n  - use: clamshell\n    cues: [{at: 9, say: Hi.}]\n    reps: 5\n",
            "r.yaml:4:17: exercises[0].cues[0].at: rep 9 is beyond the 5 reps. "
            "use a rep from 1 to 5, half or last.",
        ),
        (
            "name: R\nexercises:\n  - use: glute-bridge\n    hold: 30s\n    tempo: 2-1-2\n",
            "r.yaml:5:5: exercises[0].tempo: tempo only applies to reps, and this exercise "
            "is a hold. remove tempo, or use reps instead of hold.",
        ),
    ],
)
def test_use_errors_are_located(text: str, message: str) -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine_text(text, "r.yaml")
    assert str(caught.value) == message


def test_library_command_lists_and_shows() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["library"])
    assert listed.exit_code == 0
    for entry_id in REQUIRED:
        assert f"  {entry_id} " in listed.output
    assert "2 x 12 reps at 2-1-3" in listed.output
    shown = runner.invoke(cli, ["library", "side-plank"])
    assert shown.exit_code == 0
    assert "dosage: 1 x 35 s hold, each side" in shown.output
    assert (
        "corrections:" in shown.output
        and "If you feel your low back, bend your knees." in shown.output
    )
    wrong = runner.invoke(cli, ["library", "clamshel"])
    assert wrong.exit_code == 1
    assert wrong.output == (
        "error: unknown exercise 'clamshel' in the library. did you mean 'clamshell'? "
        "run `voicecoach library` to see them all.\n"
    )
