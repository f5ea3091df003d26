"""`when:` conditions and `pronounce:` tables in packs and routines; the safety line
and the long intro."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.cues import load_cue_pack
from voicecoach.cues.pack import lines_for
from voicecoach.cues.pack_file import safety_text
from voicecoach.errors import CueError, VoicecoachError
from voicecoach.pipeline import plan_routine
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import plan
from voicecoach.routine.loader import load_routine, load_routine_text
from voicecoach.speech.cache import PhraseCache, synthesize_all
from voicecoach.speech.fake import FakeEngine
from voicecoach.transcript import render_transcript

README = Path(__file__).resolve().parents[2] / "README.md"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(CueError) as err:
        load_cue_pack(str(path))
    return err.value.format()


def test_when_filters_lines_by_exercise(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "extends: default\nfocus:\n  glutes:\n"
        '    - say: "Lift with your glutes."\n'
        "      when: {type: [strength], dosage: reps}\n"
        '    - say: "Open the front of the hip."\n'
        "      when: {type: stretch, position: [half-kneeling], per_side: true}\n"
        '    - "Glutes."\n',
    )
    pack = load_cue_pack(str(path))
    bridge = load_routine_text("name: t\nexercises: [{use: glute-bridge}]\n").exercises()[0]
    stretch = load_routine_text(
        "name: t\nexercises: [{use: half-kneeling-hip-flexor-stretch}]\n"
    ).exercises()[0]
    assert lines_for(pack, "focus.glutes", bridge) == ("Lift with your glutes.", "Glutes.")
    assert lines_for(pack, "focus.glutes", stretch) == ("Open the front of the hip.", "Glutes.")
    assert lines_for(pack, "focus.glutes", None) == ("Glutes.",)


def test_when_errors_are_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "extends: default\nfocus:\n  glutes:\n"
        '    - say: "A."\n'
        "      when: {typ: [strength]}\n"
        '    - say: "B."\n'
        "      when: {position: [lying]}\n"
        '    - say: "C."\n'
        "      when: {per_side: maybe}\n"
        "    - {when: {dosage: reps}}\n"
        '    - {say: "D.", if: x}\n',
    )
    assert load_error(path).splitlines() == [
        f"{path}:5:14: focus.glutes[0].when.typ: unknown condition 'typ'. did you mean 'type'?",
        f"{path}:7:24: focus.glutes[1].when.position: unknown position 'lying'. did you mean "
        "'side-lying'?",
        f"{path}:9:24: focus.glutes[2].when.per_side: must be true or false.",
        f'{path}:10:7: focus.glutes[3]: a phrase mapping needs say: "...".',
        f"{path}:11:19: focus.glutes[4]: unknown phrase key 'if'. use say and when.",
    ]


def test_pronounce_in_pack_and_routine_reaches_the_engine_not_the_transcript(
    tmp_path: Path,
) -> None:
    pack = write(tmp_path, 'extends: default\npronounce: {"DB": dead bug}\n')
    routine = load_routine_text(
        f"name: t\ncue_pack: {pack}\nintro: 'Do the 90/90, then the DB: 2x12. Hip-ABC.'\n"
        "pronounce: {ABC: A B C}\nexercises: [{use: ninety-ninety-hip-switch, sets: 1}]\n"
    )
    script = build_script(routine)
    engine = FakeEngine()
    cache = PhraseCache(tmp_path / "cache")
    speech = synthesize_all(engine, script.phrases(), cache, spoken=script.spoken)
    said = [t for batch in engine.batches for t in batch]
    assert "Do the ninety-ninety, then the dead bug: two sets of twelve. Hip-A B C." in said
    assert not any("90/90" in t for t in said)
    timeline = plan(script, lambda text: speech.clips[text].duration_ms)
    vtt = render_transcript(timeline, "vtt")
    assert "Do the 90/90, then the DB: 2x12. Hip-ABC." in vtt and "ninety-ninety" not in vtt
    # the cache is keyed on what is said: another written form of it is a cache hit
    other = load_routine_text(
        "name: t\nintro: 'Do the ninety-ninety, then the dead bug: two sets of twelve. "
        "Hip-A B C.'\nexercises: [{use: ninety-ninety-hip-switch, sets: 1}]\n"
    )
    other_script = build_script(other)
    again = synthesize_all(FakeEngine(), other_script.phrases(), cache, spoken=other_script.spoken)
    assert again.cached >= 1 and again.synthesized < len(other_script.phrases())


def test_pronounce_must_be_a_mapping_of_texts() -> None:
    with pytest.raises(VoicecoachError) as err:
        load_routine_text("name: t\npronounce: [a]\nexercises: [{name: a, reps: 3}]\n", "r.yaml")
    assert err.value.format() == (
        "r.yaml:2:12: pronounce: must be a mapping of written form to spoken form, got a list. "
        "write it like pronounce: {'90/90': ninety-ninety}."
    )


def _spoken(text: str) -> list[str]:
    return [e.text or "" for e in plan_routine(load_routine_text(text)).events if e.spoken]


def test_safety_is_said_once_and_can_be_replaced_or_turned_off() -> None:
    base = "name: t\nexercises: [{use: glute-bridge, sets: 1}, {use: dead-bug, sets: 1}]\n"
    said = _spoken(base)
    # Once, after the first exercise's setup and before its "get ready" and countdown.
    setup = next(i for i, t in enumerate(said) if t.startswith("Lie on your back"))
    assert said.count(safety_text()) == 1 and said[setup + 1] == safety_text()
    assert said[setup + 2] in ("Get into position.", "Get ready.")
    assert safety_text() not in _spoken("safety: false\n" + base)
    own = _spoken("safety: 'Stop if it hurts.'\n" + base)
    assert own[setup + 1] == "Stop if it hurts." and safety_text() not in own
    with pytest.raises(VoicecoachError) as err:
        load_routine_text("safety: 3\n" + base, "r.yaml")
    assert err.value.format() == (
        "r.yaml:1:9: safety: must be true, false or a text, got 3. write safety: false, or "
        'safety: "Stop if it hurts.".'
    )


@pytest.mark.parametrize("word", ["sharp pain", "down a leg", "numbness", "tingling", "clinician"])
def test_safety_says_when_to_stop_in_list_and_readme(word: str) -> None:
    assert word in safety_text().lower()
    listed = CliRunner().invoke(cli, ["list"])
    assert safety_text() in listed.output
    assert safety_text() in README.read_text(encoding="utf-8")


def test_long_intro_is_opt_in() -> None:
    routine = load_routine("low-back-reset")
    assert routine.intro_long and len(routine.intro_long) > 3 * len(routine.intro or "")
    short = [e.text for e in plan_routine(routine).events if e.spoken]
    assert routine.intro_long not in short
    from dataclasses import replace

    longer = replace(routine, profile=replace(routine.profile, long_intro=True))
    said = [e.text for e in plan_routine(longer).events if e.spoken]
    assert said[:2] == [routine.intro, routine.intro_long]


@pytest.mark.parametrize(
    "name",
    ["core-prep", "glute-activation", "hip-flexor-release", "imbalance-fix", "low-back-reset",
     "pre-lift-warmup", "pre-run-warmup"],
)  # fmt: skip
def test_builtin_intro_is_short(name: str) -> None:
    """The welcome is one short sentence; the safety line is said once, before the
    first effort. (The first instruction within 12 s, with a slower voice too:
    tests/coaching/test_coaching_metrics.py.)"""
    routine = load_routine(name)
    events = [e for e in plan_routine(routine).events if e.spoken or e.kind == "work"]
    assert events[0].text == routine.intro and events[0].end_ms <= 7_000
    first_work = next(i for i, e in enumerate(events) if e.kind == "work")
    said = [e.text for e in events]
    assert said.count(safety_text()) == 1 and said.index(safety_text()) < first_work
