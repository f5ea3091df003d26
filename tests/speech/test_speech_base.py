"""Clips, silence trimming, voice and rate checks."""

from __future__ import annotations

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.speech.base import (
    PAD_MS,
    SILENCE_DB,
    Clip,
    VoiceInfo,
    check_rate,
    pad_samples,
    resolve_voice,
    trim_silence,
)

SR = 22050
PAD = round(PAD_MS * SR / 1000)


def tone(seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def loud_span(clip: Clip) -> tuple[int, int]:
    x = np.abs(clip.samples[:, 0])
    loud = np.flatnonzero(x >= x.max() * 10 ** (SILENCE_DB / 20))
    return int(loud[0]), int(loud[-1])


def test_pad_is_20_ms():
    assert pad_samples(SR) == PAD == 441


def test_trim_cuts_long_silence_down_to_the_pad():
    audio = np.concatenate([np.zeros(SR // 2, np.float32), tone(1.0), np.zeros(SR, np.float32)])
    clip = trim_silence(audio, SR)
    first, last = loud_span(clip)
    assert clip.lead == PAD
    assert first == PAD
    assert clip.num_samples - 1 - last == PAD
    assert clip.samples.dtype == np.float32 and clip.samples.shape[1] == 1


def test_trim_zero_pads_audio_that_starts_and_ends_loud():
    clip = trim_silence(tone(0.5) + 0.2, SR)  # offset: loud from the first sample to the last
    first, last = loud_span(clip)
    assert (first, clip.num_samples - 1 - last) == (PAD, PAD)
    assert clip.num_samples == int(0.5 * SR) + 2 * PAD
    assert not clip.samples[:PAD].any() and not clip.samples[-PAD:].any()


def test_trim_keeps_soft_audio_inside_the_pad():
    soft = np.full(PAD, 1e-3, np.float32)  # far below -40 dB of the peak, but not zero
    audio = np.concatenate([np.zeros(SR, np.float32), soft, tone(0.3)])
    clip = trim_silence(audio, SR)
    assert clip.lead == PAD
    # the tone's first sample is sin(0) = 0, so the word starts one sample later
    assert np.allclose(clip.samples[: PAD - 1, 0], 1e-3)


def test_trim_of_silence_is_just_the_pads():
    clip = trim_silence(np.zeros(SR, np.float32), SR)
    assert clip.num_samples == 2 * PAD and clip.lead == PAD and not clip.samples.any()


def test_clip_duration_rounds_up_and_validates():
    clip = Clip(np.zeros((SR + 1, 1), np.float32), SR)
    assert clip.duration_ms == 1001
    assert Clip(np.zeros((SR, 1), np.float32), SR).duration_ms == 1000
    with pytest.raises(ValueError, match="float32"):
        Clip(np.zeros((10, 1), np.float64), SR)
    with pytest.raises(ValueError, match="mono"):
        Clip(np.zeros((10, 2), np.float32), SR)


VOICES = [
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",), aliases=("en-us",)),
    VoiceInfo(
        "gmw/en-us-nyc", "English (America, New York City)", ("en-us-nyc",), aliases=("en-us-nyc",)
    ),
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",), aliases=("en",)),
]


@pytest.mark.parametrize("asked", ["gmw/en-us", "en-us", "EN_US", "English (America)", "gmw/en-US"])
def test_resolve_voice_by_id_alias_name_or_language(asked):
    assert resolve_voice(asked, VOICES, "pyttsx3").id == "gmw/en-us"


def test_resolve_voice_by_language_only():
    assert resolve_voice("en-gb", VOICES, "pyttsx3").id == "gmw/en"


def test_unknown_voice_suggests_close_ids():
    with pytest.raises(SpeechError) as err:
        resolve_voice("en-uss", VOICES, "pyttsx3")
    assert str(err.value) == (
        "unknown voice 'en-uss' for engine 'pyttsx3'. Did you mean 'en-us', 'gmw/en-us', "
        "'en-us-nyc'? Run 'voicecoach voices' to list the voices."
    )


def test_unknown_voice_without_suggestions():
    with pytest.raises(SpeechError) as err:
        resolve_voice("klingon", VOICES, "pyttsx3")
    assert str(err.value) == (
        "unknown voice 'klingon' for engine 'pyttsx3'. Run 'voicecoach voices' to list the voices."
    )


def test_rate_checks():
    assert check_rate(160, "pyttsx3") == 160
    with pytest.raises(SpeechError) as err:
        check_rate(20, "pyttsx3")
    assert str(err.value) == (
        "rate 20 wpm for engine 'pyttsx3' is out of range. "
        "Use a rate between 60 and 400 words per minute."
    )
    with pytest.raises(SpeechError) as err:
        check_rate(1.5, "piper")  # type: ignore[arg-type]
    assert str(err.value) == (
        "rate 1.5 for engine 'piper' is not a whole number. "
        "Use words per minute between 60 and 400, e.g. --rate 150."
    )
