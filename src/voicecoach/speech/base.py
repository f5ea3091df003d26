"""The speech interface: clips, the engine protocol, voice descriptions and shared helpers.

Every engine returns clips trimmed the same way (see `trim_silence`): the first audible
sample sits exactly `lead` samples (PAD_MS) after the clip's start and the clip ends
PAD_MS after the last audible sample. The renderer places a clip at
``planned_start - clip.lead`` so the word starts where the plan says.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import SpeechError
from ..limits import DEFAULT_LIMITS, Range

PAD_MS = 20  # silence kept before the first and after the last audible sample
SILENCE_DB = -40.0  # below the clip's peak by this much counts as silence

# Counts and one- or two-word calls ("3", "Hold", "Switch sides") are said crisply, at
# least this fast: stretched single words are harder to hear (measured with the
# recognizer, see docs/voice.md), and a count must fit its beat.
CRISP_MAX_WORDS = 2
CRISP_MIN_RATE = 240


def is_crisp(text: str) -> bool:
    return len(text.split()) <= CRISP_MAX_WORDS


def crisp_rate(rate: int) -> int:
    return max(rate, CRISP_MIN_RATE)


Progress = Callable[[int], None]  # called with the number of phrases done so far


@dataclass(frozen=True, eq=False)
class Clip:
    """One synthesized phrase: float32 mono samples shaped (n, 1) with their rate."""

    samples: np.ndarray
    sample_rate: int
    lead: int = 0  # samples of pad before the first audible sample

    def __post_init__(self) -> None:
        if self.samples.dtype != np.float32 or self.samples.ndim != 2:
            raise ValueError("Clip.samples must be float32 shaped (n, 1)")
        if self.samples.shape[1] != 1:
            raise ValueError("Clip.samples must be mono, shaped (n, 1)")
        if self.sample_rate <= 0:
            raise ValueError("Clip.sample_rate must be positive")

    @property
    def num_samples(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_ms(self) -> int:
        """Length in whole milliseconds, rounded up so planned speech is never cut off."""
        return math.ceil(self.num_samples * 1000 / self.sample_rate)

    @property
    def lead_ms(self) -> float:
        return self.lead * 1000 / self.sample_rate

    @property
    def finite(self) -> bool:
        """False when a sample is NaN or infinite (a broken engine or cache entry)."""
        return bool(np.isfinite(self.samples).all())


@dataclass(frozen=True)
class VoiceInfo:
    id: str  # what --voice accepts and what goes into cache keys
    name: str
    languages: tuple[str, ...] = ()
    note: str = ""
    aliases: tuple[str, ...] = ()  # other spellings --voice also accepts (e.g. "en-us")


@dataclass(frozen=True)
class EngineInfo:
    name: str
    available: bool
    default_voice: str | None
    default_rate: int | None
    voices: list[VoiceInfo] = field(default_factory=list)
    note: str = ""
    auto: bool = False  # the engine that "auto" picks on this machine


@runtime_checkable
class SpeechEngine(Protocol):
    name: str

    @property
    def version(self) -> str: ...  # goes into cache keys

    @property
    def voice(self) -> str: ...  # resolved voice id

    @property
    def rate(self) -> int: ...  # words per minute

    def synthesize(self, texts: Sequence[str], progress: Progress | None = None) -> list[Clip]:
        """One clip per text, in order. Raises SpeechError on failure or timeout."""
        ...


def pad_samples(sample_rate: int) -> int:
    return round(PAD_MS * sample_rate / 1000)


def silent_clip(sample_rate: int) -> Clip:
    """What a blank phrase becomes: just the two pads."""
    pad = pad_samples(sample_rate)
    return Clip(np.zeros((2 * pad, 1), dtype=np.float32), sample_rate, lead=pad)


def trim_silence(audio: np.ndarray, sample_rate: int) -> Clip:
    """Cut leading/trailing silence down to exactly PAD_MS each side (zero-padding if short).

    Silence is anything SILENCE_DB below the clip's own peak, so quiet and loud engines
    are trimmed alike. Audio inside the pads is kept as recorded (soft onsets survive).
    """
    mono = np.asarray(audio, dtype=np.float32).reshape(-1)
    pad = pad_samples(sample_rate)
    peak = float(np.max(np.abs(mono))) if mono.size else 0.0
    if peak < 1e-6:
        return silent_clip(sample_rate)
    loud = np.flatnonzero(np.abs(mono) >= peak * 10 ** (SILENCE_DB / 20))
    first, last = int(loud[0]), int(loud[-1])
    start, stop = max(0, first - pad), min(mono.size, last + 1 + pad)
    body = mono[start:stop]
    before = pad - (first - start)
    after = pad - (stop - (last + 1))
    out = np.concatenate([np.zeros(before, np.float32), body, np.zeros(after, np.float32)]).reshape(
        -1, 1
    )
    return Clip(np.ascontiguousarray(out), sample_rate, lead=pad)


def check_rate(rate: int, engine: str, accepted: Range = DEFAULT_LIMITS.rate_wpm) -> int:
    """The rate, if it is a whole number inside the engine's ``accepted`` range (see
    `Limits.engine_rate_wpm`)."""
    low, high = accepted
    if isinstance(rate, bool) or not isinstance(rate, int):
        raise SpeechError(
            f"rate {rate!r} for engine '{engine}' is not a whole number. "
            f"Use words per minute between {low} and {high}, e.g. --rate 150."
        )
    if not low <= rate <= high:
        raise SpeechError(
            f"rate {rate} wpm for engine '{engine}' is out of range. "
            f"Use a rate between {low} and {high} words per minute."
        )
    return rate


def resolve_voice(requested: str, voices: Sequence[VoiceInfo], engine: str) -> VoiceInfo:
    """Find a voice by id, alias, language or name (case-insensitive), or explain."""
    want = requested.strip().lower().replace("_", "-")

    def keys(v: VoiceInfo) -> list[str]:
        return [k.lower().replace("_", "-") for k in (v.id, *v.aliases, v.name)]

    for v in voices:  # exact id or alias first
        if want in keys(v)[:-1]:
            return v
    for v in voices:
        if want == keys(v)[-1]:
            return v
    for v in voices:
        if want in (lang.lower().replace("_", "-") for lang in v.languages):
            return v
    spelled = sorted({k for v in voices for k in (v.id, *v.aliases)})
    close = difflib.get_close_matches(requested.strip(), spelled, n=3, cutoff=0.6)
    if not close:  # try a case/underscore-insensitive match too
        lowered = {k.lower().replace("_", "-"): k for k in spelled}
        close = [lowered[k] for k in difflib.get_close_matches(want, list(lowered), 3, 0.6)]
    hint = ("Did you mean " + ", ".join(f"'{c}'" for c in close) + "? ") if close else ""
    raise SpeechError(
        f"unknown voice '{requested}' for engine '{engine}'. "
        f"{hint}Run 'voicecoach voices' to list the voices."
    )


def describe_phrase(index: int, total: int, text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f'phrase {index + 1} of {total} ("{shown}")'
