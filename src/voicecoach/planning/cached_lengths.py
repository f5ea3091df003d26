"""`plan --engine/--voice`: the real phrase lengths, read from the phrase cache.

Nothing is synthesized and no engine process starts: a phrase the cache holds for
that engine, voice and rate is planned with its clip's length, any other with the
estimate at the engine's rate. `--minutes` fits on the same lengths. `note` and
`to_json` say how many phrases came from the cache (docs/timing.md).

The planner never imports speech: the cache's clip lengths are handed in as a
`ClipLengths` (`voicecoach.plan_lengths` makes one from the phrase cache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from voicecoach.planning.dosage import Measure
from voicecoach.planning.personalize import (
    Choices,
    Personalized,
    estimated_length,
    personalize,
    planned_length,
)
from voicecoach.planning.script import Script, build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.routine import Routine

ESTIMATE_NOTE = (
    "note: the length is an estimate (phrase lengths from the speaking rate{why}); "
    "render measures the real voice and fits --minutes on it"
)


class ClipLengths(Protocol):
    """The real clip lengths one voice has where the speech side keeps them."""

    @property
    def engine(self) -> str: ...  # the engine's name, e.g. "piper"

    @property
    def voice(self) -> str: ...

    @property
    def rate(self) -> int: ...  # words per minute

    def cached_ms(self, spoken: str) -> int | None:
        """The length of the clip for ``spoken`` (the pronounced text), or None."""
        ...


@dataclass
class PhraseLengths:
    """Phrase lengths for planning: from ``clips`` where it has them, else estimated
    at ``rate``. Without clips (plain `plan`), every length is estimated."""

    rate: int
    clips: ClipLengths | None = None
    why_not: str = ""  # why an engine was asked for but the cache cannot be read

    def cached_ms(self, spoken: str) -> int | None:
        """The cached clip's length for ``spoken``, or None."""
        return None if self.clips is None else self.clips.cached_ms(spoken)

    def for_script(self, script: Script) -> Callable[[str], int]:
        """The planner's ``phrase_ms`` for ``script`` (keys are the pronounced text)."""

        def length(text: str) -> int:
            spoken = script.spoken(text)
            ms = self.cached_ms(spoken)
            return estimate_phrase_ms(spoken, self.rate) if ms is None else ms

        return length

    def measure(self, seed: int) -> Measure:
        """A `Measure` for the `--minutes` fitter on these lengths."""
        if self.clips is None:
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
        clips = self.clips
        return "" if clips is None else f"{clips.engine} {clips.voice} at {clips.rate} wpm"

    def note(self, timeline: Timeline, script: Script) -> str:
        """The stderr line saying where the plan's lengths came from."""
        cached, total = self.counts(timeline, script)
        if cached == 0:
            why = ""
            if self.clips is not None:
                why = f"; the phrase cache has none for {self.voice()}"
            elif self.why_not:
                why = f"; {self.why_not}"
            return ESTIMATE_NOTE.format(why=why)
        share = (
            f"all {total} phrases"
            if cached == total
            else (f"{cached} of {total} phrases; the rest estimated")
        )
        return f"note: lengths from the phrase cache for {self.voice()} ({share})"

    def to_json(self, timeline: Timeline, script: Script) -> dict[str, Any]:
        """`plan --json`'s ``lengths`` (docs/plan-json.md)."""
        cached, total = self.counts(timeline, script)
        source = "estimate" if cached == 0 else "cache" if cached == total else "mixed"
        clips = self.clips
        return {
            "source": source,
            "engine": clips.engine if clips else None,
            "voice": clips.voice if clips else None,
            "rate": clips.rate if clips else self.rate,
            "phrases": total,
            "cached": cached,
        }
