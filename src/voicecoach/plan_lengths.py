"""The phrase lengths `plan` uses: the phrase cache's clips of one voice, handed to
the planner as a `cached_lengths.ClipLengths`, or estimates when no engine or voice
is asked for. This is where the speech side meets the planner (the planner itself
never imports speech)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from voicecoach.planning.cached_lengths import PhraseLengths
from voicecoach.planning.personalize import ESTIMATE_WPM
from voicecoach.routine import Routine
from voicecoach.speech.base import SpeechEngine
from voicecoach.speech.cache import PhraseCache, cache_key


@dataclass
class CachedClips:
    """A `ClipLengths` from the phrase cache: each clip read once per text."""

    speech: SpeechEngine
    cache: PhraseCache
    found: dict[str, int | None] = field(default_factory=dict)  # by spoken text

    @property
    def engine(self) -> str:
        return self.speech.name

    @property
    def voice(self) -> str:
        return self.speech.voice

    @property
    def rate(self) -> int:
        return self.speech.rate

    def cached_ms(self, spoken: str) -> int | None:
        if spoken not in self.found:
            clip = self.cache.get(cache_key(self.speech, spoken))
            self.found[spoken] = None if clip is None else clip.duration_ms
        return self.found[spoken]


def phrase_lengths(
    routine: Routine,
    engine: str | None,
    voice: str | None,
    rate: int | None,
    cache_dir: Path | None,
) -> PhraseLengths:
    """The lengths `plan` uses: from the cache when an engine or voice is asked for
    (the routine's `voice:` fills in the rest, as in render), else estimated."""
    if engine is None and voice is None:
        return PhraseLengths(rate or routine.voice.rate or ESTIMATE_WPM)
    from voicecoach.speech.offline import offline_engine

    found, why_not = offline_engine(
        engine or routine.voice.engine,
        voice if voice is not None else routine.voice.voice,
        rate if rate is not None else routine.voice.rate,
    )
    if found is None:
        return PhraseLengths(rate or routine.voice.rate or ESTIMATE_WPM, why_not=why_not)
    return PhraseLengths(found.rate, CachedClips(found, PhraseCache(cache_dir)))
