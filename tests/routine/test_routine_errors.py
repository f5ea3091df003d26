"""Broken routines: each gives the exact located message, all problems together."""

from __future__ import annotations

import textwrap
import time

import pytest

from voicecoach.errors import RoutineError
from voicecoach.routine import limits, load_routine_text

DURATION_HINT = "write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."


def error_of(text: str | bytes) -> str:
    if isinstance(text, str):
        text = textwrap.dedent(text)
    with pytest.raises(RoutineError) as caught:
        load_routine_text(text, "routine.yaml")
    assert caught.value.problems, "every routine error is located"
    return str(caught.value)


def one_exercise(body: str) -> str:
    """A routine whose only exercise has ``body`` (lines 3 onwards)."""
    return "name: T\nexercises:\n" + textwrap.indent(textwrap.dedent(body), "  ")


CASES = [
    (  # syntax error with line and column
        "name: T\nexercises: [\n  {name: a, reps: 1}\n",
        "routine.yaml:4:1: invalid YAML: while parsing a flow sequence, expected ',' or ']', "
        "but got '<stream end>'. check the indentation, colons and quotes on this line.",
    ),
    (
        "name: T\nexercises:\n  - name: a\n    reps: 1: 2\n",
        "routine.yaml:4:12: invalid YAML: mapping values are not allowed here. "
        "check the indentation, colons and quotes on this line.",
    ),
    (
        "name: T\nexercises:\n\t- name: a\n",
        "routine.yaml:3:1: invalid YAML: while scanning for the next token, found character "
        "'\\t' that cannot start any token. indent with spaces, not tabs.",
    ),
    (  # negative
        one_exercise("- name: Bridge\n  reps: -3\n"),
        "routine.yaml:4:11: exercises[0].reps: must be a whole number from 1 to 1000, got -3. "
        "use a positive count like 12.",
    ),
    (  # zero
        one_exercise("- name: Bridge\n  reps: 12\n  sets: 0\n"),
        "routine.yaml:5:11: exercises[0].sets: must be a whole number from 1 to 20, got 0. "
        "use a count like 2.",
    ),
    (  # absurd
        one_exercise("- name: Bridge\n  reps: 5000\n"),
        "routine.yaml:4:11: exercises[0].reps: must be a whole number from 1 to 1000, "
        "got 5000. use a positive count like 12.",
    ),
    (
        one_exercise("- name: Plank\n  hold: 11m\n"),
        "routine.yaml:4:11: exercises[0].hold: must be a duration from 1s to 10m, got 11m. "
        "use a hold from 1s to 10m, like 30s.",
    ),
    (
        one_exercise("- name: Plank\n  hold: 0s\n"),
        "routine.yaml:4:11: exercises[0].hold: must be a duration from 1s to 10m, got 0s. "
        "use a hold from 1s to 10m, like 30s.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 5\n  rest: -10s\n"),
        "routine.yaml:5:11: exercises[0].rest: must be a duration from 0s to 10m, got -10s. "
        + DURATION_HINT,
    ),
    (
        one_exercise("- name: Bridge\n  reps: 5\n  rest_after: soon\n"),
        "routine.yaml:5:17: exercises[0].rest_after: must be a duration from 0s to 10m, "
        "got soon. " + DURATION_HINT,
    ),
    (
        one_exercise("- rounds: 51\n  exercises: [{name: a, reps: 2}]\n"),
        "routine.yaml:3:13: exercises[0].rounds: must be a whole number from 1 to 50, got 51. "
        "use a count like 3.",
    ),
    (
        "name: T\nvoice: {rate: 1000}\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:2:15: voice.rate: must be a whole number from 60 to 400, got 1000. "
        "use a rate like 160.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 5\n  setup: " + "x" * 501 + "\n"),
        "routine.yaml:5:12: exercises[0].setup: is too long (501 characters; at most 500). "
        "shorten it.",
    ),
    (  # wrong types
        one_exercise("- name: Bridge\n  reps: twelve\n"),
        "routine.yaml:4:11: exercises[0].reps: must be a whole number from 1 to 1000, "
        "got twelve. use a positive count like 12.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: '12'\n"),
        "routine.yaml:4:11: exercises[0].reps: must be a whole number from 1 to 1000, "
        "got '12'. use a positive count like 12.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12.5\n"),
        "routine.yaml:4:11: exercises[0].reps: must be a whole number from 1 to 1000, "
        "got 12.5. use a positive count like 12.",
    ),
    (
        "name: T\nexercises: {name: a}\n",
        "routine.yaml:2:12: exercises: must be a list of exercises, got a mapping. "
        "start each exercise with '- name: ...' on its own line.",
    ),
    (
        "name: [a, b]\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:1:7: name: must be text, got a list. write it like name: Low-back reset.",
    ),
    (
        "name: T\nprofile: {check_ins: maybe}\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:2:22: profile.check_ins: must be true or false, got maybe.",
    ),
    (
        "- name: a\n",
        "routine.yaml:1:1: the routine must be a mapping of keys, got a list. "
        "start it with name: My routine, then exercises:.",
    ),
    (  # unknown keys, with and without a suggestion
        one_exercise("- name: Bridge\n  rpes: 12\n"),
        "routine.yaml:3:5: exercises[0]: needs reps or hold. add reps: 12 for a counted move, "
        "or hold: 30s for a timed one.\n"
        "routine.yaml:4:5: exercises[0]: unknown key 'rpes'. did you mean 'reps'?",
    ),
    (
        "nmae: T\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:1:1: unknown key 'nmae'. did you mean 'name'?\n"
        "routine.yaml:1:1: missing required key 'name'. add name: Low-back reset.",
    ),
    (
        "name: T\nexercises: [{name: a, reps: 2, colour: red}]\n",
        "routine.yaml:2:32: exercises[0]: unknown key 'colour'. valid keys here: use, name, "
        "reps, hold, tempo, tempo_words, sets, rest, rest_after, sides, type, position, "
        "switch_rest, alternate_sides, extra_weak_side_set, fixed, optional, focus, "
        "setup, phrases, cues, corrections.",
    ),
    (  # reps and hold
        one_exercise("- name: Plank\n  reps: 10\n  hold: 30s\n"),
        "routine.yaml:5:5: exercises[0]: has both reps and hold. "
        "keep reps for a counted move or hold for a timed one.",
    ),
    (
        one_exercise("- name: Plank\n  sets: 2\n"),
        "routine.yaml:3:5: exercises[0]: needs reps or hold. "
        "add reps: 12 for a counted move, or hold: 30s for a timed one.",
    ),
    (  # tempo
        one_exercise("- name: Bridge\n  reps: 5\n  tempo: 2--1\n"),
        "routine.yaml:5:12: exercises[0].tempo: '2--1' is not a tempo. write seconds per phase "
        "like 2-1-2 (lift-hold-lower) or 2-1-2-1 (with a pause).",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 5\n  tempo_words: [up, down]\n"),
        "routine.yaml:5:18: exercises[0].tempo_words: has 2 words but the tempo has 3 phases. "
        "give one word per phase ('' for silence).",
    ),
    (
        one_exercise("- name: Plank\n  hold: 30s\n  tempo: 2-1-2\n"),
        "routine.yaml:5:5: exercises[0].tempo: tempo only applies to reps, and this exercise "
        "is a hold. remove tempo, or use reps instead of hold.",
    ),
    (  # cue placement
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {at: 15, say: Up.}\n"),
        "routine.yaml:6:14: exercises[0].cues[0].at: rep 15 is beyond the 12 reps. "
        "use a rep from 1 to 12, half or last.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {at: 0, say: Up.}\n"),
        "routine.yaml:6:14: exercises[0].cues[0].at: must be a rep from 1 to 12, half or last, "
        "got 0. reps count from 1.",
    ),
    (
        one_exercise("- name: Plank\n  hold: 30s\n  cues:\n    - {at: 40s, say: Breathe.}\n"),
        "routine.yaml:6:14: exercises[0].cues[0].at: 40s is at or beyond the end of the 30s "
        "hold. use a time under 30s.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {at: 10s, say: Up.}\n"),
        "routine.yaml:6:14: exercises[0].cues[0].at: a time like 10s only works in a hold. "
        "use a rep number, half or last.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {at: soon, say: Up.}\n"),
        "routine.yaml:6:14: exercises[0].cues[0].at: must be a rep number, half or last, "
        "got soon. see the cue placement rules in docs/routine-format.md.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {every: 20, say: Up.}\n"),
        "routine.yaml:6:17: exercises[0].cues[0].every: every 20 reps never happens in a set "
        "of 12. use a number from 1 to 12.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {say: Up.}\n"),
        "routine.yaml:6:9: exercises[0].cues[0]: needs at or every. "
        "add at: half, at: 5 or every: 4.",
    ),
    (
        one_exercise("- name: Bridge\n  reps: 12\n  cues:\n    - {at: 2, say: Up., side: left}\n"),
        "routine.yaml:6:33: exercises[0].cues[0].side: side only works on an exercise with "
        "sides. add sides: both to the exercise, or remove side.",
    ),
    (
        one_exercise(
            "- name: Clam\n  reps: 12\n  sides: left\n  cues:\n"
            "    - {at: 2, say: Up., side: right}\n"
        ),
        "routine.yaml:7:33: exercises[0].cues[0].side: this exercise only works the left side. "
        "use side: left, or remove side.",
    ),
    (
        one_exercise("- name: Clam\n  reps: 12\n  sides: lft\n"),
        "routine.yaml:5:12: exercises[0].sides: must be one of both, left, right, got lft. "
        "did you mean 'left'?",
    ),
    (  # structure
        "name: T\nexercises: [{name: a, reps: 2}]\nsections: [{name: s, exercises: [{name: b, "
        "reps: 2}]}]\n",
        "routine.yaml:3:1: has both exercises and sections. "
        "use a flat exercises list or named sections, not both.",
    ),
    (
        "name: T\n",
        "routine.yaml:1:1: has no exercises. "
        "add an exercises: list, or sections: (see `voicecoach new NAME`).",
    ),
    (
        "name: T\nexercises: []\n",
        "routine.yaml:2:12: exercises: is empty. add at least one of the exercises.",
    ),
    (
        one_exercise(
            "- rounds: 2\n  exercises:\n    - rounds: 2\n      exercises: [{name: a, reps: 1}]\n"
        ),
        "routine.yaml:5:9: exercises[0].exercises[0]: rounds cannot be nested. "
        "list the exercises of the inner circuit here instead.",
    ),
    (
        "version: 2\nname: T\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:1:10: version: must be 1, got 2. "
        "this voicecoach reads routine format version 1.",
    ),
    (
        "name: T\nsound: {music: no-such-song.mp3}\nexercises: [{name: a, reps: 2}]\n",
        None,  # the absolute path depends on the folder: checked in its own test
    ),
    (  # the YAML-level refusals
        "name: T\nname: U\nexercises: [{name: a, reps: 2}]\n",
        "routine.yaml:2:1: name: duplicate key 'name' (first on line 1). remove one of them.",
    ),
    (
        "",
        "routine.yaml:1:1: the file is empty. write a routine in it, "
        "or start from `voicecoach new NAME`.",
    ),
    (
        "# just a comment\n\n",
        "routine.yaml:1:1: the file is empty. write a routine in it, "
        "or start from `voicecoach new NAME`.",
    ),
    (
        b"name: T\n\x00\x01\x02binary",
        "routine.yaml:2:1: this is a binary file, not YAML text. a routine is a text file "
        "written in YAML; `voicecoach new NAME` writes one.",
    ),
    (
        "name: T\nintro: caf\xe9\n".encode("latin-1"),
        "routine.yaml:2:11: the file is not UTF-8 text (byte 0xe9). save it as UTF-8 in your "
        "editor.",
    ),
    (
        "name: T\nexercises: [{name: a, reps: !!python/object:os.system 2}]\n",
        "routine.yaml:2:29: exercises[0].reps: unsupported YAML tag "
        "'!!python/object:os.system'. remove the tag.",
    ),
    (
        "name: T\nexercises:\n  - &a {name: a, reps: 2, cues: [*a]}\n",
        "routine.yaml:3:34: alias *a is used inside its own anchor. "
        "an alias can only repeat a value that is already complete.",
    ),
    (
        "name: T\n---\nname: U\n",
        "routine.yaml:2:1: invalid YAML: expected a single document in the stream, but found "
        "another document. remove the '---' line: a routine file holds one document.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c for c in CASES if c[1] is not None])
def test_exact_located_message(text: str | bytes, expected: str) -> None:
    assert error_of(text) == expected


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    message = error_of(text)
    assert time.perf_counter() - start < 1.0
    assert message == (
        "routine.yaml:5:25: the file holds more than 50000 values once aliases are expanded. "
        "a routine needs far fewer: remove repeated aliases (*name)."
    )


def test_deep_nesting_is_refused() -> None:
    text = "name: " + "[" * 5000 + "]" * 5000 + "\n"
    assert error_of(text) == (
        "routine.yaml:1:46: the data is nested more than 40 levels deep. "
        "a routine needs only a few levels: check the indentation and brackets."
    )


def test_huge_file_is_refused_before_parsing() -> None:
    text = "name: T\n" + "# padding\n" * 120_000
    assert error_of(text) == (
        "routine.yaml: the file is too large (1.1 MiB; at most 1 MiB). "
        "a routine is a short text file: check that this is the right file."
    )


def test_every_problem_is_reported_together() -> None:
    text = """\
        name: Test
        defaults: {reps: 0}
        exercises:
          - name: Glute bridge
            reps: -3
            rpes: 12
          - name: Plank
            hold: 30s
            tempo: 2-1-2
        voice: {rate: 1000}
        """
    assert error_of(text).splitlines() == [
        "routine.yaml:2:18: defaults.reps: must be a whole number from 1 to 1000, got 0. "
        "use a positive count like 12.",
        "routine.yaml:5:11: exercises[0].reps: must be a whole number from 1 to 1000, got -3. "
        "use a positive count like 12.",
        "routine.yaml:6:5: exercises[0]: unknown key 'rpes'. did you mean 'reps'?",
        "routine.yaml:9:5: exercises[1].tempo: tempo only applies to reps, and this exercise "
        "is a hold. remove tempo, or use reps instead of hold.",
        "routine.yaml:10:15: voice.rate: must be a whole number from 60 to 400, got 1000. "
        "use a rate like 160.",
    ]


def test_problems_carry_their_location() -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine_text("name: T\nexercises:\n  - name: a\n    reps: -3\n", "r.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.key) == (
        "r.yaml",
        4,
        11,
        "exercises[0].reps",
    )
    assert problem.hint == "use a positive count like 12"


def test_session_over_four_hours_is_refused() -> None:
    text = """\
        name: Marathon
        exercises:
          - rounds: 50
            rest: 10m
            exercises:
              - {name: Plank, hold: 10m, sets: 20, rest: 10m}
        """
    assert error_of(text) == (
        "routine.yaml:1:1: the session would last about 333 h 35 min, more than the 4 h limit. "
        "use fewer sets, reps or rounds, or shorter holds and rests."
    )


def test_limits_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: T\nexercises: [{name: a, reps: 1500}]\n"
    assert "got 1500" in error_of(text)
    monkeypatch.setattr(limits, "MAX_REPS", 2000)
    assert load_routine_text(text, "routine.yaml").exercises()[0].reps == 1500


def test_missing_music_names_the_path(tmp_path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text("name: T\nsound: {music: song.mp3}\nexercises: [{name: a, reps: 2}]\n")
    from voicecoach.routine import load_routine

    with pytest.raises(RoutineError) as caught:
        load_routine(routine)
    assert str(caught.value) == (
        f"{routine}:2:16: sound.music: music file not found: {tmp_path / 'song.mp3'}. "
        "check the path; it is relative to the routine's folder."
    )


def test_unknown_cue_key_and_variable_are_located() -> None:
    text = """\
        name: T
        phrases:
          rest_anounce: "Rest."
          rest_announce: "Rest {secs} seconds."
        exercises: [{name: a, reps: 2}]
        """
    lines = error_of(text).splitlines()
    assert lines[0].startswith("routine.yaml:3:3: phrases.rest_anounce: unknown cue key ")
    assert "did you mean 'rest_announce'?" in lines[0]
    assert lines[1].startswith("routine.yaml:4:3: phrases.rest_announce: ")
    assert "{secs}" in lines[1]
