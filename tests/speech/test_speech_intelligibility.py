"""An independent recognizer (pocketsphinx) hears each spoken line cut from the mix.

See scripts/intelligibility.py for the method and docs/voice.md for the figures.
piper synthesizes without sampling noise (piper_engine.NOISE_SCALE/NOISE_W are 0), so
every run hears the same audio and the figures are exact, not a range.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from voicecoach.speech.piper_engine import available as piper_available

pytest.importorskip("pocketsphinx")
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
spec = importlib.util.spec_from_file_location("intelligibility", SCRIPTS / "intelligibility.py")
assert spec is not None and spec.loader is not None
intelligibility = importlib.util.module_from_spec(spec)
sys.modules["intelligibility"] = intelligibility
spec.loader.exec_module(intelligibility)

pytestmark = [pytest.mark.slow, pytest.mark.real_engine]
TARGET = 0.90  # issue 11: the default install, in the mix as heard
ESPEAK_TARGET = 0.70  # issue 11: `--engine pyttsx3` at its defaults


def test_numbers_become_words():
    assert intelligibility.normalize("Set 2 of 12: 90/90 stretch, 45 seconds.") == (
        ["set", "two", "of", "twelve", "ninety", "ninety", "stretch", "forty", "five", "seconds"]
    )


def test_tone_bursts_score_no_better_than_twice_chance(tmp_path):
    result = intelligibility.score("fake", tmp_path)
    assert result.phrases >= 40
    assert result.unknown == ()  # every spoken word is in the grammar
    assert result.accuracy <= 2 * result.chance


@pytest.mark.skipif(not piper_available(), reason="piper not installed")
def test_the_default_voice_is_understood(tmp_path):
    voice_only = intelligibility.score("auto", tmp_path, mix="voice only")
    assert voice_only.voice.startswith("piper en_US-joe-medium")
    assert voice_only.phrases >= 40
    assert voice_only.accuracy >= TARGET, voice_only
    heard = intelligibility.score("auto", tmp_path)  # the clips are cached by now
    assert heard.accuracy >= TARGET, heard


def test_espeak_at_its_defaults_is_understood(tmp_path):
    heard = intelligibility.score("pyttsx3", tmp_path)
    assert heard.voice.startswith("pyttsx3 ")
    assert heard.accuracy >= ESPEAK_TARGET, heard


def test_the_room_floor_is_quiet_and_the_same_on_every_run():
    silence = np.zeros(16000, dtype="<i2")
    heard = intelligibility.in_the_room(silence, seed=3)
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean(heard.astype(float) ** 2)) / 32768)
    assert abs(rms_dbfs - intelligibility.ROOM_FLOOR_DBFS) < 0.5
    assert np.array_equal(heard, intelligibility.in_the_room(silence, seed=3))
    loud = np.full(16000, 32767, dtype="<i2")
    assert intelligibility.in_the_room(loud, seed=3).max() == 32767  # clipped, not wrapped


def test_words_missing_from_the_dictionary_are_added():
    recognizer = intelligibility.Recognizer(["Squeeze your glutes.", "Tuck your tailbone."])
    assert set(recognizer.by_words) == {"squeeze your glutes", "tuck your tailbone"}
