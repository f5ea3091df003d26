"""`plan --engine/--voice`: the real phrase lengths, read from the phrase cache.

Nothing is synthesized and no engine process starts (`speech.offline`): a phrase the
cache holds for that engine, voice and rate is planned with its clip's length, any
other with the estimate at the engine's rate. `--minutes` fits on the same lengths.
`note` and `to_json` say how many phrases came from the cache (docs/timing.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecoach.personalize import (
    ESTIMATE_WPM,
    Choices,
    Measure,
    Personalized,
    estimated_length,
    personalize,
    planned_length,
)
from voicecoach.routine import Routine
from voicecoach.script import Script, build_script
from voicecoach.speech.base import SpeechEngine
from voicecoach.speech.cache import PhraseCache, cache_key
from voicecoach.timeline import Timeline, estimate_phrase_ms, plan

ESTIMATE_NOTE = (
    "note: the length is an estimate (phrase lengths from the speaking rate{why}); "
    "render measures the real voice and fits --minutes on it"
)


@dataclass
class PhraseLengths:
    """Phrase lengths for planning: from the cache where it has them, else estimated
    at ``rate``. Without an engine (plain `plan`), every length is estimated."""

    rate: int
    engine: SpeechEngine | None = None
    cache: PhraseCache | None = None
    why_not: str = ""  # why an engine was asked for but the cache cannot be read
    found: dict[str, int | None] = field(default_factory=dict)  # by spoken text

    def cached_ms(self, spoken: str) -> int | None:
        """The cached clip's length for ``spoken``, or None (read once per text)."""
        if self.engine is None or self.cache is None:
            return None
        if spoken not in self.found:
            clip = self.cache.get(cache_key(self.engine, spoken))
            self.found[spoken] = None if clip is None else clip.duration_ms
        return self.found[spoken]

    def for_script(self, script: Script) -> Callable[[str], int]:
        """The planner's ``phrase_ms`` for ``script`` (keys are the pronounced text)."""

        def length(text: str) -> int:
            spoken = script.spoken(text)
            ms = self.cached_ms(spoken)
            return estimate_phrase_ms(spoken, self.rate) if ms is None else ms

        return length

    def measure(self, seed: int) -> Measure:
        """A `Measure` for the `--minutes` fitter on these lengths."""
        if self.engine is None:
            return estimated_length(seed, self.rate)
        return planned_length(seed, lambda _routine, script: self.for_script(script))

    def personalize(self, routine: Routine, choices: Choices, seed: int) -> Personalized:
        return personalize(routine, choices, seed=seed, wpm=self.rate, measure=self.measure(seed))

    def plan(self, routine: Routine, seed: int) -> tuple[Timeline, Script]:
        """Plan a routine `personalize` returned (its own profile applied first)."""
        routine = self.personalize(routine, Choices(), seed).routine
        script = build_script(routine, seed=seed)
        return plan(script, self.for_script(script)), script

    def counts(self, timeline: Timeline, script: Script) -> tuple[int, int]:
        """(phrases from the cache, distinct phrases said) in ``timeline``."""
        said = {script.spoken(e.text) for e in timeline.events if e.spoken and e.text}
        cached = sum(1 for text in said if self.cached_ms(text) is not None)
        return cached, len(said)

    def voice(self) -> str:
        engine = self.engine
        return "" if engine is None else f"{engine.name} {engine.voice} at {engine.rate} wpm"

    def note(self, timeline: Timeline, script: Script) -> str:
        """The stderr line saying where the plan's lengths came from."""
        cached, total = self.counts(timeline, script)
        if cached == 0:
            why = ""
            if self.engine is not None:
                why = f"; the phrase cache has none for {self.voice()}"
            elif self.why_not:
                why = f"; {self.why_not}"
            return ESTIMATE_NOTE.format(why=why)
        share = f"all {total} phrases" if cached == total else (
            f"{cached} of {total} phrases; the rest estimated"
        )
        return f"note: lengths from the phrase cache for {self.voice()} ({share})"

    def to_json(self, timeline: Timeline, script: Script) -> dict[str, Any]:
        """`plan --json`'s ``lengths`` (docs/plan-json.md)."""
        cached, total = self.counts(timeline, script)
        source = "estimate" if cached == 0 else "cache" if cached == total else "mixed"
        engine = self.engine
        return {
            "source": source,
            "engine": engine.name if engine else None,
            "voice": engine.voice if engine else None,
            "rate": engine.rate if engine else self.rate,
            "phrases": total,
            "cached": cached,
        }


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
    return PhraseLengths(found.rate, found, PhraseCache(cache_dir))
