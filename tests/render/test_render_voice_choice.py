"""Which engine a render uses: auto falls back to pyttsx3 when piper fails to load."""

from __future__ import annotations

import importlib

import pytest

import voicecoach.speech as speech
from voicecoach.pipeline import RenderOptions, VoiceChoice, render
from voicecoach.speech import EngineStartError, FakeEngine, Pyttsx3Engine, fallback_engine
from voicecoach.speech.piper_engine import PiperEngine

render_module = importlib.import_module("voicecoach.pipeline")  # the package re-exports render()

ROUTINE = """\
version: 1
name: Tiny
exercises:
  - name: Glute bridge
    reps: 2
"""


def test_fallback_engine_says_why():
    heard: list[str] = []
    engine = fallback_engine(None, "it crashed", None, heard.append)
    assert isinstance(engine, Pyttsx3Engine) and engine.rate == 150
    assert heard == [
        "the neural voice (piper) failed to load (it crashed); "
        "the espeak-ng voice (pyttsx3) is used instead"
    ]


def test_auto_falls_back_when_piper_fails_to_load(tmp_path, monkeypatch):
    monkeypatch.setattr(speech, "piper_available", lambda: True)
    monkeypatch.setattr("voicecoach.speech.piper_engine.available", lambda: True)

    def broken(self, texts, progress=None, on_clip=None):
        raise EngineStartError("speech engine 'piper' crashed (exit code 1) while starting")

    monkeypatch.setattr(PiperEngine, "synthesize", broken)

    def to_fake(rate, reason, timeout_s, warn, *, limits):
        warn(f"fell back ({reason})")
        return FakeEngine(limits=limits)

    monkeypatch.setattr(render_module, "fallback_engine", to_fake)
    path = tmp_path / "tiny.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    options = RenderOptions(transcripts=(), cache_dir=tmp_path / "cache")
    result = render(path, tmp_path / "out.wav", options)
    assert result.voice == "fake tone, 160 wpm"
    assert result.warnings[0] == (
        "fell back (speech engine 'piper' crashed (exit code 1) while starting)"
    )
    # an engine chosen by name is never swapped
    with pytest.raises(EngineStartError):
        render(path, tmp_path / "out2.wav", RenderOptions(voice=VoiceChoice(engine="piper")))
