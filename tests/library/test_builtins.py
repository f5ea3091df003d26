"""The built-in routines: validate, plan without warnings, last what they promise,
are listed with their length and purpose, and render."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from voicecoach.cli import cli
from voicecoach.pipeline import RenderOptions, plan_routine, render
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import plan
from voicecoach.routine import list_builtin_routines
from voicecoach.routine.loader import load_routine
from voicecoach.speech import get_engine
from voicecoach.speech.cache import PhraseCache, synthesize_all
from voicecoach.spoken_plan import clip_lengths

# The lengths the program promises (minutes); imbalance-fix has no set length.
# Minutes, within 10 %. Since rests are the time they announce (issue 10), the
# next exercise's introduction no longer eats into them: sessions grew by 8-15 %.
NOMINAL: dict[str, float] = {
    "low-back-reset": 16.5,
    "hip-flexor-release": 6,
    "glute-activation": 8.5,
    "core-prep": 8.5,
    "imbalance-fix": 10.5,
    "pre-run-warmup": 5.5,
    "pre-lift-warmup": 5.5,
}


def mp3_seconds(path: Path) -> float:
    info: Any = MP3(path).info  # mutagen leaves it untyped (declared None)
    return float(info.length)


def test_every_promised_routine_is_built_in() -> None:
    assert {r.name for r in list_builtin_routines()} >= set(NOMINAL)


@pytest.mark.parametrize("name", sorted(NOMINAL))
def test_builtin_plans_without_warnings_at_its_length(name: str) -> None:
    routine = load_routine(name)
    assert routine.profile.check_ins is True
    assert all(e.setup and e.focus and e.kind and e.position for e in routine.exercises())
    assert all(len(e.cues) >= 2 for e in routine.exercises())  # fewer, better lines
    timeline = plan_routine(routine)
    assert timeline.warnings == ()
    assert abs(timeline.total_ms - NOMINAL[name] * 60_000) <= 0.10 * NOMINAL[name] * 60_000


def test_validate_and_list_show_length_and_purpose() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", *sorted(NOMINAL)])
    assert result.exit_code == 0 and result.stderr == ""
    listed = runner.invoke(cli, ["list"])
    assert listed.exit_code == 0
    for item in list_builtin_routines():
        match = re.search(rf"^  {item.name} +(\d+):(\d\d)  (.+)$", listed.stdout, re.M)
        assert match, item.name
        shown_ms = (int(match[1]) * 60 + int(match[2])) * 1000
        planned = plan_routine(load_routine(item.name)).total_ms
        assert abs(shown_ms - planned) <= 0.10 * planned
        assert match[3] == item.description and len(item.description.split()) >= 12


def test_imbalance_fix_does_the_weak_side_first_with_an_extra_set() -> None:
    timeline = plan_routine(load_routine("imbalance-fix"))
    works = [(e.exercise, e.side) for e in timeline.events if e.kind == "work"]
    for name in {n for n, _ in works}:
        sides = [side for n, side in works if n == name]
        assert sides[0] == "left" and sides.count("left") == sides.count("right") + 1


@pytest.mark.parametrize("name", sorted(NOMINAL))
def test_builtin_speaks_every_line_and_plans_with_its_clips(name: str, tmp_path: Path) -> None:
    """The render path up to the mix, for every built-in: synthesize every phrase
    (fast engine) and plan with the real clip lengths, without a warning."""
    routine = load_routine(name)
    script = build_script(routine)
    speech = synthesize_all(
        get_engine("fake"), script.phrases(), PhraseCache(tmp_path), spoken=script.spoken
    )
    clips = speech.clips
    assert speech.synthesized == len(script.phrases()) == len(clips)
    engine = get_engine("fake")
    timeline = plan(script, clip_lengths(script, engine, PhraseCache(tmp_path), speech))
    assert timeline.warnings == ()
    assert len(timeline.chapters) >= len(routine.exercises())


# Full renders are slow (the mix is the whole session), so only the two 5-minute
# warm-ups are rendered to MP3 here; the others share every stage above.
@pytest.mark.parametrize("name", ["pre-run-warmup", "pre-lift-warmup"])
def test_builtin_renders_with_the_fast_engine(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.mp3"
    options = RenderOptions(transcripts=(), cache_dir=tmp_path)
    result = render(name, out, options, engine=get_engine("fake"))
    assert result.timeline.warnings == ()
    assert len(result.timeline.chapters) >= len(load_routine(name).exercises())
    assert abs(mp3_seconds(out) * 1000 - result.timeline.total_ms) <= 100


def test_a_builtin_renders_with_the_real_voice(tmp_path: Path) -> None:
    out = tmp_path / "pre-lift.mp3"
    result = render(
        "pre-lift-warmup", out, RenderOptions(cache_dir=tmp_path), engine=get_engine("pyttsx3")
    )
    assert result.synthesized > 40 and result.cached == 0
    nominal = NOMINAL["pre-lift-warmup"] * 60_000
    assert abs(result.timeline.total_ms - nominal) <= 0.15 * nominal
    assert abs(mp3_seconds(out) * 1000 - result.timeline.total_ms) <= 100
    assert out.with_suffix(".vtt").read_text(encoding="utf-8").count("-->") > 40
