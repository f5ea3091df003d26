"""The timeline: every event with an exact start and end, and chapters; and the planner.

`plan` is pure (no I/O, no audio): a `Script` plus the spoken length of each phrase
gives a `Timeline`. Rules it keeps (tests check each):

- speech never overlaps speech;
- each rep count starts exactly on its rep's tempo grid;
- coaching cues go in the gaps and never over a count, by priority and within the
  talk budget of ``script.coach`` (`voicecoach.coach.budget`); a cue that cannot fit
  moves to the next gap in the same set or hold; a routine's own cue is left out only
  when there is no room at all (with a warning), and may take one count's place;
- no line except counts and countdowns is said within 60 s of a near-duplicate
  (`voicecoach.coach.similarity`); another phrasing is tried first;
- rests and holds are timed by the clock, not by the speech; announcements that must
  precede work (exercise intro, setup, side switch, get ready) take the time they
  need, moving the work later; a countdown ends exactly when the work starts;
- the work and rest spans tile [0, total_ms) in order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from voicecoach.chapter import Chapter
from voicecoach.errors import PlanError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.planning.gap_placement import GapPlacer
from voicecoach.planning.placement import clear_of_speech
from voicecoach.planning.script_steps import Script, Work
from voicecoach.planning.timeline_events import SPOKEN_KINDS, Event, EventKind, Timeline
from voicecoach.planning.work_placement import WorkPlacer


def estimate_phrase_ms(text: str, wpm: int = 160) -> int:
    """How long ``text`` takes to say at ``wpm`` words per minute (no audio needed).

    Long words count as more than one word, and each pause mark inside the text
    (, . ; : ! ?) adds a short breath.
    """
    if wpm <= 0:
        low, high = DEFAULT_LIMITS.rate_wpm
        raise PlanError(
            f"a speaking rate of {wpm} words per minute is impossible. use {low}-{high}"
        )
    words = re.findall(r"[\w']+", text)
    if not words:
        return 0
    units = max(len(words), sum(len(w) for w in words) / 5.5)
    breaths = len(re.findall(r"[,.;:!?](?=\s*\S)", text))
    return round(150 + units * 60_000 / wpm + 180 * breaths)


def plan(
    script: Script,
    phrase_ms: Callable[[str], int],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Timeline:
    """Place every part of ``script`` in time. Pure: same inputs, same Timeline.

    ``phrase_ms`` gives the spoken length of a text in milliseconds (the real clip
    length when rendering, `estimate_phrase_ms` otherwise). A session over ``limits``
    is refused.
    """
    return _Planner(script, phrase_ms, limits).run()


class _Planner(GapPlacer, WorkPlacer):
    """Walks the script's steps in order, placing each, then sorts the events and
    cuts the chapters."""

    def run(self) -> Timeline:
        steps = self.script.steps
        for i, step in enumerate(steps):
            if isinstance(step, Work):
                self.work(step)
            else:
                nxt = steps[i + 1] if i + 1 < len(steps) else None
                self.gap(step, nxt if isinstance(nxt, Work) else None)
        total = self.t
        events = tuple(
            replace(e, chapter=bisect_right(self.chapter_starts, e.start_ms) - 1)
            for e in sorted(clear_of_speech(self.events), key=lambda e: (e.start_ms, e.end_ms))
        )
        titles = self.script.chapters or (self.script.title,)
        starts = self.chapter_starts[: len(titles)]
        chapters = tuple(
            Chapter(title, start, starts[i + 1] if i + 1 < len(starts) else total)
            for i, (title, start) in enumerate(zip(titles, starts, strict=True))
        )
        warnings = list(self.script.warnings)
        for (exercise, message), times in self.warnings.items():
            text = f"{exercise}: {message}" if exercise else message
            warnings.append(text + (f" ({times} times)" if times > 1 else ""))
        return Timeline(self.script.title, total, events, chapters, tuple(warnings))


__all__ = [
    "SPOKEN_KINDS",
    "Chapter",
    "Event",
    "EventKind",
    "Timeline",
    "estimate_phrase_ms",
    "plan",
]
