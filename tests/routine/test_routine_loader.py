"""Valid routines load into the fully resolved model."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from voicecoach.errors import RoutineError
from voicecoach.routine import (
    Exercise,
    Rounds,
    Routine,
    Tempo,
    TimedCue,
    Where,
    load_routine,
    load_routine_text,
)


def load(text: str, **kwargs: object) -> Routine:
    return load_routine_text(textwrap.dedent(text), "routine.yaml", **kwargs)  # type: ignore[arg-type]


FULL = """\
    version: 1
    name: Test session
    description: For tests.
    intro: Hello.
    outro: Bye.
    defaults: {rest: 20s, rest_after: 1:30, tempo: 1.5-0.5-2, tempo_words: [up, '', down],
               reps: 10, sets: 2}
    profile: {weak_side: Left, extra_weak_side_set: true, level: hard, minutes: 15,
              check_ins: true}
    voice: {engine: piper, voice: en-us, rate: 170}
    sound: {background: none, metronome: true, chimes: false, voice_db: 1.5, tones_db: -20,
            music_db: -12, duck_db: 15, loudness: -18, true_peak: -2}
    phrases:
      rest_announce: ["Rest {seconds} seconds. Next: {next}.", "Breathe. {next} is next."]
    exercises:
      - name: Glute bridge
        cues:
          - {at: 5, say: Squeeze.}
          - {at: half, say: Halfway.}
          - {at: last, say: Last one.}
          - {every: 4, say: Breathe.}
      - name: Clamshell
        reps: 12
        tempo: 1-1-2-1
        tempo_words: [open, hold, close, rest]
        sets: 1
        rest: 0
        rest_after: 45s
        sides: both
        focus: Glutes
        setup: "Lie on your side."
        cues:
          - {at: 3, say: Left only., side: left}
      - rounds: 3
        rest: 1m
        name: Core circuit
        exercises:
          - {name: Plank, hold: 1m30s, cues: [{at: 10, say: Ten seconds.}, {at: 0:45, say: Half.}]}
          - {name: Dead bug, reps: 8, focus: [Abs, " hip   flexors "]}
    """


def test_full_routine_resolves_every_default() -> None:
    routine = load(FULL)
    assert routine.name == "Test session"
    assert (routine.description, routine.intro, routine.outro) == ("For tests.", "Hello.", "Bye.")
    (section,) = routine.sections
    assert section.name is None  # a flat list is one unnamed section
    bridge, clam, circuit = section.items
    assert isinstance(bridge, Exercise) and isinstance(clam, Exercise)
    assert bridge.reps == 10 and bridge.hold_ms is None and bridge.sets == 2
    assert bridge.tempo == Tempo((1500, 500, 2000), ("up", "", "down"))
    assert (bridge.rest_ms, bridge.rest_after_ms) == (20_000, 90_000)
    assert bridge.sides is None
    assert [(c.at, c.value) for c in bridge.cues] == [
        ("rep", 5),
        ("half", 0),
        ("last", 0),
        ("every", 4),
    ]
    assert bridge.cues[0].where == Where("routine.yaml", 18, 9, "exercises[0].cues[0]")
    assert bridge.where == Where("routine.yaml", 16, 5, "exercises[0]")
    assert clam.tempo == Tempo((1000, 1000, 2000, 1000), ("open", "hold", "close", "rest"))
    assert (clam.sets, clam.rest_ms, clam.rest_after_ms) == (1, 0, 45_000)
    assert clam.sides == "both" and clam.focus == ("glutes",) and clam.setup == "Lie on your side."
    assert clam.cues == (
        TimedCue(
            "Left only.", "rep", 3, "left", Where("routine.yaml", 33, 9, "exercises[1].cues[0]")
        ),
    )
    assert isinstance(circuit, Rounds)
    assert (circuit.count, circuit.rest_ms, circuit.name) == (3, 60_000, "Core circuit")
    plank, bug = circuit.exercises
    assert plank.hold_ms == 90_000 and plank.reps is None
    assert [(c.at, c.value) for c in plank.cues] == [("time", 10_000), ("time", 45_000)]
    assert bug.focus == ("abs", "hip flexors")
    assert routine.exercises() == [bridge, clam, plank, bug]
    profile = routine.profile
    assert (profile.weak_side, profile.extra_weak_side_set, profile.level) == ("left", True, "hard")
    assert (profile.minutes, profile.check_ins) == (15, True)
    assert (routine.voice.engine, routine.voice.voice, routine.voice.rate) == (
        "piper",
        "en-us",
        170,
    )
    sound = routine.sound
    assert (sound.background, sound.metronome, sound.chimes) == ("none", True, False)
    assert (sound.voice_db, sound.tones_db, sound.music_db, sound.duck_db) == (1.5, -20, -12, 15)
    assert (sound.loudness_lufs, sound.true_peak_db, sound.music) == (-18, -2, None)
    assert routine.cue_overrides == {
        "rest_announce": ("Rest {seconds} seconds. Next: {next}.", "Breathe. {next} is next.")
    }
    assert routine.cue_override_where["rest_announce"] == Where(
        "routine.yaml", 14, 3, "phrases.rest_announce"
    )
    assert routine.source == "routine.yaml"


def test_model_defaults_when_nothing_is_said() -> None:
    routine = load("name: Min\nexercises: [{name: a, reps: 3}]\n")
    exercise = routine.exercises()[0]
    assert exercise.tempo == Tempo((2000, 1000, 2000), ())
    assert (exercise.sets, exercise.rest_ms, exercise.rest_after_ms) == (1, 30_000, 30_000)
    assert routine.cue_pack is None and routine.cue_overrides == {}
    assert routine.description == ""


def test_sections_become_named_groups() -> None:
    routine = load("""\
        name: S
        sections:
          - name: Loosen
            intro: First the hips.
            exercises: [{name: Stretch, hold: 30s, sides: both}]
          - name: Wake up
            exercises: [{name: Bridge, reps: 12}]
        """)
    assert [(s.name, s.intro) for s in routine.sections] == [
        ("Loosen", "First the hips."),
        ("Wake up", None),
    ]
    assert routine.sections[1].where == Where("routine.yaml", 6, 5, "sections[1]")


def test_exercise_overrides_and_null_means_unset() -> None:
    routine = load("""\
        name: O
        intro: ~
        exercises:
          - name: Bridge
            reps: 5
            phrases: {exercise_intro: "Bridges, {reps} reps."}
        """)
    assert routine.intro is None
    assert routine.exercises()[0].cue_overrides == {"exercise_intro": ("Bridges, {reps} reps.",)}


def test_anchors_and_merge_keys_reuse_exercises() -> None:
    routine = load("""\
        name: A
        exercises:
          - &bridge {name: Bridge, reps: 10, focus: [glutes]}
          - <<: *bridge
            name: Single-leg bridge
            sides: both
        """)
    first, second = routine.exercises()
    assert (second.name, second.reps, second.focus, second.sides) == (
        "Single-leg bridge",
        10,
        ("glutes",),
        "both",
    )
    assert first.sides is None


def test_overrides_merge_over_the_file() -> None:
    text = "name: O\nprofile: {level: easy}\nexercises: [{name: a, reps: 3, sides: both}]\n"
    routine = load(text, overrides={"profile.weak_side": "right", "voice": {"rate": 180}})
    assert routine.profile.weak_side == "right" and routine.profile.level == "easy"
    assert routine.voice.rate == 180
    with pytest.raises(RoutineError) as caught:
        load(text, overrides={"profile": {"level": "extreme"}})
    assert str(caught.value) == (
        "command line: profile.level: must be one of easy, normal, hard, got 'extreme'."
    )


def test_music_and_cue_pack_resolve_against_the_routine_folder(tmp_path: Path) -> None:
    (tmp_path / "song.mp3").write_bytes(b"ID3")
    (tmp_path / "cues").mkdir()
    (tmp_path / "cues" / "mine.yaml").write_text("extends: default\n")
    routine_file = tmp_path / "r.yaml"
    routine_file.write_text(
        "name: M\nsound: {music: song.mp3}\ncue_pack: cues/mine.yaml\n"
        "exercises: [{name: a, reps: 3}]\n"
    )
    routine = load_routine(routine_file)
    assert routine.sound.music == str((tmp_path / "song.mp3").resolve())
    assert routine.cue_pack == str((tmp_path / "cues" / "mine.yaml").resolve())
    assert routine.source == str(routine_file)


def test_builtin_cue_pack_name_is_kept() -> None:
    routine = load("name: P\ncue_pack: default\nexercises: [{name: a, reps: 3}]\n")
    assert routine.cue_pack == "default"


def test_missing_source_suggests_list() -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine("no-such-thing")
    assert str(caught.value) == (
        "no such routine file or built-in routine 'no-such-thing'. "
        "run `voicecoach list` to see built-ins."
    )
    with pytest.raises(RoutineError) as caught:
        load_routine("low-back-rest")
    assert str(caught.value) == (
        "no such routine file or built-in routine 'low-back-rest'. "
        "did you mean 'low-back-reset'? run `voicecoach list` to see built-ins."
    )


def test_folder_is_not_a_routine(tmp_path: Path) -> None:
    with pytest.raises(RoutineError) as caught:
        load_routine(tmp_path)
    assert str(caught.value) == (
        f"'{tmp_path}' is not a regular file: it is a folder. "
        "give the path of a .yaml routine file."
    )
