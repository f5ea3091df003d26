"""The "fake" engine: instant, deterministic tone bursts instead of words.

Used by tests everywhere and selectable as ``--engine fake`` for quick timing previews.
Each phrase becomes a tone (220-440 Hz, picked from the text, amplitude 0.3) lasting
60000/rate ms per word (at least 250 ms), framed by the same PAD_MS pads as real
speech. `fail_on` / `hang_on` make it fail the way a broken real engine would, so
fault tests can exercise the error paths without a real worker.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

import numpy as np

from ..errors import SpeechError
from ..limits import DEFAULT_LIMITS, Limits
from .base import Clip, Progress, VoiceInfo, check_rate, describe_phrase, pad_samples, silent_clip
from .process import FIX

SAMPLE_RATE = 22050
AMPLITUDE = 0.3
MIN_TONE_MS = 250
FADE_MS = 5  # short ramps so the bursts do not click
VOICE = VoiceInfo("tone", "Tone bursts (preview: beeps instead of words)", ("any",))


def tone_ms(text: str, rate: int) -> int:
    words = len(text.split())
    return max(MIN_TONE_MS, round(words * 60000 / rate))


def tone_hz(text: str) -> float:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return 220.0 + int.from_bytes(digest[:2], "big") % 221  # 220..440 Hz


class FakeEngine:
    """Deterministic tone bursts. Records every batch it was asked for in `batches`."""

    name = "fake"
    version = "fake-1"

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        *,
        fail_on: str | None = None,
        hang_on: str | None = None,
        timeout_s: float = 0.5,
        delay_s: float = 0.0,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        if voice not in (None, VOICE.id):
            from .base import resolve_voice

            resolve_voice(voice, [VOICE], self.name)  # raises with suggestions
        self.voice = VOICE.id
        self.rate = check_rate(
            160 if rate is None else rate, self.name, limits.engine_rate_wpm(self.name)
        )
        self.fail_on = fail_on  # a phrase containing this text "crashes" the engine
        self.hang_on = hang_on  # ... or "hangs" it: waits timeout_s, then times out
        self.timeout_s = timeout_s
        self.delay_s = delay_s  # per phrase, to watch progress bars move
        self.batches: list[list[str]] = []

    @property
    def synthesized(self) -> int:
        """Phrases synthesized so far, over all batches."""
        return sum(len(b) for b in self.batches)

    def voices(self) -> list[VoiceInfo]:
        return [VOICE]

    def synthesize(self, texts: Sequence[str], progress: Progress | None = None) -> list[Clip]:
        texts = list(texts)
        self.batches.append(texts)
        clips = []
        for i, text in enumerate(texts):
            if self.hang_on is not None and self.hang_on in text:
                time.sleep(self.timeout_s)
                raise SpeechError(
                    f"speech engine 'fake' timed out after {self.timeout_s:.1f} s on "
                    f"{describe_phrase(i, len(texts), text)} and was stopped. {FIX}"
                )
            if self.fail_on is not None and self.fail_on in text:
                raise SpeechError(
                    f"speech engine 'fake' crashed (exit code 3) on "
                    f"{describe_phrase(i, len(texts), text)}. {FIX}"
                )
            if self.delay_s:
                time.sleep(self.delay_s)
            clips.append(self.clip(text))
            if progress:
                progress(i + 1)
        return clips

    def clip(self, text: str) -> Clip:
        if not text.strip():
            return silent_clip(SAMPLE_RATE)
        n = round(tone_ms(text, self.rate) * SAMPLE_RATE / 1000)
        t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
        tone = AMPLITUDE * np.sin(2 * np.pi * tone_hz(text) * t)
        fade = min(n // 2, round(FADE_MS * SAMPLE_RATE / 1000))
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
        tone[:fade] *= ramp
        tone[n - fade :] *= ramp[::-1]
        pad = pad_samples(SAMPLE_RATE)
        out = np.zeros((n + 2 * pad, 1), dtype=np.float32)
        out[pad : pad + n, 0] = tone
        return Clip(out, SAMPLE_RATE, lead=pad)
