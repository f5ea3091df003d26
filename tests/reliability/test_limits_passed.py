"""A `Limits` is one frozen value, passed explicitly down to what checks it: the
loader, the planner, a render's first stage, the speech engines and cue packs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voicecoach import DEFAULT_LIMITS, Limits
from voicecoach.cues import load_cue_pack
from voicecoach.errors import CueError, RoutineError, SpeechError
from voicecoach.limits import Range
from voicecoach.pipeline import RenderOptions, prepare_render
from voicecoach.speech import get_engine

# 5 h of holds: 3 exercises x 10 sets x 10 min
LONG = "name: Long\nexercises:\n" + "".join(
    f"  - {{name: Hold {i}, hold: 10m, sets: 10, rest: 0s}}\n" for i in range(3)
)


def test_limits_are_frozen_and_the_defaults_are_the_documented_ones() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LIMITS.max_reps = 2000  # type: ignore[misc]
    assert (DEFAULT_LIMITS.max_session_ms, DEFAULT_LIMITS.max_spoken_phrases) == (
        4 * 3_600_000,
        5000,
    )
    assert DEFAULT_LIMITS.rate_wpm == Range(60, 400)
    assert DEFAULT_LIMITS.engine_rate_wpm("piper") == Range(110, 300)
    assert DEFAULT_LIMITS.engine_rate_wpm("pyttsx3") == Range(115, 400)
    assert DEFAULT_LIMITS.engine_rate_wpm("fake") == Range(60, 400)
    assert DEFAULT_LIMITS.ffmpeg_stall_s == 60.0


def test_render_checks_the_routine_against_the_limits_it_is_given(tmp_path: Path) -> None:
    routine = tmp_path / "long.yaml"
    routine.write_text(LONG, encoding="utf-8")
    out = tmp_path / "long.wav"
    with pytest.raises(RoutineError, match="more than the 4 h limit"):
        prepare_render(routine, out, RenderOptions(), DEFAULT_LIMITS)
    longer = dataclasses.replace(DEFAULT_LIMITS, max_session_ms=6 * 3_600_000, ffmpeg_stall_s=7.0)
    prepared = prepare_render(routine, out, RenderOptions(), longer)
    assert prepared.limits is longer
    assert len(prepared.script.steps) > 0
    assert prepared.session.ffmpeg_timeout_s == 7.0  # the stall timeout reaches ffmpeg
    assert not out.exists()


def test_an_engine_accepts_the_rates_its_limits_allow() -> None:
    with pytest.raises(SpeechError) as err:
        get_engine("fake", rate=40)
    assert str(err.value) == (
        "rate 40 wpm for engine 'fake' is out of range. "
        "Use a rate between 60 and 400 words per minute."
    )
    slow = dataclasses.replace(DEFAULT_LIMITS, rate_wpm=Range(30, 400))
    assert get_engine("fake", rate=40, limits=slow).rate == 40


def test_a_cue_pack_is_checked_against_the_limits_it_is_given(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("extends: default\nname: mine\n" + "# note\n" * 200, encoding="utf-8")
    assert load_cue_pack(str(pack)).name == "mine"
    tiny = Limits(max_cue_pack_bytes=1024)
    with pytest.raises(CueError) as err:
        load_cue_pack(str(pack), limits=tiny)
    assert str(err.value) == f"{pack}: the cue pack is too large. keep it under 1 KiB."


def test_a_batch_checks_each_job_against_the_limits_it_is_given(tmp_path: Path) -> None:
    from voicecoach.batch import render_batch
    from voicecoach.jobs import plan_jobs
    from voicecoach.pipeline import VoiceChoice
    from voicecoach.speech.fake import FakeEngine

    jobs = plan_jobs(["low-back-reset"], [], str(tmp_path / "{routine}.mp3"))
    options = RenderOptions(voice=VoiceChoice(engine="fake"), cache_dir=tmp_path / "c")
    ten_minutes = dataclasses.replace(DEFAULT_LIMITS, max_session_ms=10 * 60_000)
    result = render_batch(jobs, options, workers=1, engine=FakeEngine(), limits=ten_minutes)
    [outcome] = result.outcomes
    assert outcome.error is not None and "more than the 10 min limit" in outcome.error
    assert not list(tmp_path.glob("*.mp3"))
