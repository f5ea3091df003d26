"""`plan --engine/--voice`: the real phrase lengths from the phrase cache (issue 10.6).

The fake engine stands in for a voice: a render fills a temporary cache, and plan must
then find every phrase there (and so plan exactly the render's length), without
synthesizing anything or starting an engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.speech import FakeEngine

ROUTINE = """\
name: Cached
exercises:
  - name: Glute bridge
    reps: 6
    sets: 2
    rest: 15s
    rest_after: 20s
    setup: Lie on your back, feet flat.
  - name: Clamshell
    reps: 5
    sides: both
    setup: Lie on your side, knees bent.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """(routine, cache folder, the render's planned length in ms)."""
    folder = tmp_path_factory.mktemp("cached")
    routine = folder / "cached.yaml"
    routine.write_text(ROUTINE)
    cache = folder / "cache"
    out = folder / "cached.wav"
    args = ["render", str(routine), "--engine", "fake", "--cache-dir", str(cache), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--transcript", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    total = json.loads(out.with_suffix(".json").read_text())["total_ms"]
    return routine, cache, total


def _plan(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["plan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_plan_uses_the_cached_lengths_and_matches_the_render(
    rendered: tuple[Path, Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    routine, cache, total = rendered

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("plan must not synthesize")

    monkeypatch.setattr(FakeEngine, "synthesize", refuse)
    code, out, err = _plan(str(routine), "--engine", "fake", "--cache-dir", str(cache), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["total_ms"] == total
    lengths = data["lengths"]
    assert lengths == {
        "source": "cache",
        "engine": "fake",
        "voice": "tone",
        "rate": 160,
        "phrases": lengths["phrases"],
        "cached": lengths["phrases"],
    }
    code, out, err = _plan(str(routine), "--engine", "fake", "--cache-dir", str(cache))
    assert code == 0
    assert out.rstrip().endswith(f"({total} ms)")
    phrases = lengths["phrases"]
    assert err == (
        f"note: lengths from the phrase cache for fake tone at 160 wpm (all {phrases} phrases)\n"
    )


def test_phrases_missing_from_the_cache_are_estimated_and_counted(
    rendered: tuple[Path, Path, int],
) -> None:
    routine, cache, _total = rendered
    # another seed picks other phrasings: some are in the cache, some are not
    args = [str(routine), "--engine", "fake", "--cache-dir", str(cache), "--seed", "3"]
    code, out, _err = _plan(*args, "--json")
    assert code == 0
    lengths = json.loads(out)["lengths"]
    cached, phrases = lengths["cached"], lengths["phrases"]
    assert lengths["source"] == "mixed" and 0 < cached < phrases
    code, _out, err = _plan(*args)
    assert code == 0
    assert err == (
        "note: lengths from the phrase cache for fake tone at 160 wpm "
        f"({cached} of {phrases} phrases; the rest estimated)\n"
    )


def test_an_empty_cache_says_the_length_is_an_estimate(tmp_path: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text(ROUTINE)
    args = [str(routine), "--engine", "fake", "--rate", "150", "--cache-dir", str(tmp_path / "c")]
    code, out, err = _plan(*args)
    assert code == 0
    assert err == (
        "note: the length is an estimate (phrase lengths from the speaking rate; the phrase "
        "cache has none for fake tone at 150 wpm); render measures the real voice and fits "
        "--minutes on it\n"
    )
    code, out, _err = _plan(*args, "--json")
    lengths = json.loads(out)["lengths"]
    assert (lengths["source"], lengths["cached"], lengths["rate"]) == ("estimate", 0, 150)
    # without --engine: estimated at the speaking rate, as before
    code, out, err = _plan(str(routine), "--json")
    lengths = json.loads(out)["lengths"]
    assert lengths["source"] == "estimate" and lengths["engine"] is None


def test_minutes_fits_on_the_cached_lengths_as_render_does(
    rendered: tuple[Path, Path, int],
) -> None:
    routine, cache, total = rendered
    minutes = f"{total * 0.8 / 60000:.2f}"
    out = cache.parent / "short.wav"
    args = ["render", str(routine), "--engine", "fake", "--cache-dir", str(cache), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--minutes", minutes, "--transcript", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    render_total = json.loads(out.with_suffix(".json").read_text())["total_ms"]
    base = [str(routine), "--engine", "fake", "--cache-dir", str(cache), "--json"]
    code, text, err = _plan(*base, "--minutes", minutes)
    assert code == 0, err
    assert json.loads(text)["total_ms"] == render_total
    assert json.loads(text)["lengths"]["source"] == "cache"


def test_an_unknown_engine_is_refused_as_in_render(tmp_path: Path) -> None:
    code, _out, err = _plan("pre-run-warmup", "--engine", "fakee")
    assert code == 1
    assert err == (
        "error: unknown speech engine 'fakee'. Did you mean 'fake'? "
        "Choose one of: auto, pyttsx3, piper, fake.\n"
    )


def test_pyttsx3_is_never_started_by_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its version (part of the cache key) is known only once it has run here."""
    from voicecoach.speech import pyttsx3_engine

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("plan must not start an engine process")

    monkeypatch.setattr(pyttsx3_engine, "_PROBES", {})
    monkeypatch.setattr("voicecoach.speech.probe_cache.load", lambda *_a: None)
    monkeypatch.setattr(pyttsx3_engine, "run_worker", refuse)
    code, _out, err = _plan("pre-run-warmup", "--engine", "pyttsx3")
    assert code == 0
    assert err == (
        "note: the length is an estimate (phrase lengths from the speaking rate; pyttsx3 has "
        "not run on this machine yet, so its cached phrases cannot be found); render measures "
        "the real voice and fits --minutes on it\n"
    )
