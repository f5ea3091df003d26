"""The talk budget: how much the coach may say inside work, per `coach:` level.

Numbers (docs/coaching.md). Speech inside work spans other than counts is
"talk"; lines whose role is not ``structural`` are "coaching lines".

- ``standard``: talk at most 25 % of work time over the session (time-weighted:
  unused room carries to later spans), at most 40 % of any one work span, at most
  4 coaching lines per minute of work (counted over the session so far), and 5 s of
  quiet between two coaching lines.
- ``quiet``: 15 % / 30 %, 2 lines a minute, 5 s apart, and one coaching line per set.
- ``chatty``: no limit but "never the same thing twice" (about the density before
  the budget existed).

The planner asks `TalkBudget.allows` before placing a line it may drop (library,
correction, bank). Lines the routine wrote are never refused by the budget; they
still count, so the lines after them get less room. Lengths are the real clip
lengths the planner is given, so a slower voice says fewer lines, never more talk.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass

from voicecoach.routine.model import CoachLevel


@dataclass(frozen=True)
class CoachRules:
    talk_share: float | None  # of the session's work time, time-weighted
    span_share: float | None  # of one work span
    lines_per_minute: float | None  # coaching lines per minute of work
    min_quiet_ms: int  # between two coaching lines
    lines_per_set: int | None  # coaching lines in one set or hold
    focus_in_rest: bool  # mind-body reminders in the rest before a set
    focus_every_set: bool  # as many mind-body lines in later sets as in the first


RULES: dict[str, CoachRules] = {
    "quiet": CoachRules(0.15, 0.30, 2.0, 5_000, 1, False, False),
    "standard": CoachRules(0.25, 0.40, 4.0, 5_000, None, False, False),
    "chatty": CoachRules(None, None, None, 0, None, True, True),
}

# No work span is talked over for more than this (the standard level's limit); even
# halfway and "last one" give way to it. Only the routine's own words can pass it.
SPAN_LIMIT = 0.40

# What is kept first when the budget is tight (lower first).
PRIORITY = {"routine": 0, "structural": 1, "library": 2, "correction": 3, "bank": 4}


def rules_for(level: CoachLevel | str) -> CoachRules:
    return RULES[level]


@dataclass
class Span:
    """One work span being filled."""

    ms: int
    talk_ms: int = 0
    lines: int = 0


class TalkBudget:
    def __init__(self, rules: CoachRules) -> None:
        self.rules = rules
        self.work_ms = 0  # work before the current span
        self.talk_ms = 0
        self.lines = 0
        self.coaching: list[tuple[int, int]] = []  # coaching lines placed, sorted

    def open(self, work_ms: int) -> Span:
        return Span(work_ms)

    def allows(self, span: Span, ms: int) -> bool:
        """May a droppable coaching line of ``ms`` go into ``span``?"""
        r = self.rules
        through = self.work_ms + span.ms
        if r.talk_share is not None and self.talk_ms + span.talk_ms + ms > r.talk_share * through:
            return False
        if r.span_share is not None and span.talk_ms + ms > r.span_share * span.ms:
            return False
        if r.lines_per_minute is not None and (
            self.lines + span.lines + 1 > r.lines_per_minute * through / 60_000
        ):
            return False
        return r.lines_per_set is None or span.lines < r.lines_per_set

    def fits_span(self, span: Span, ms: int) -> bool:
        """Does a structural line of ``ms`` (halfway, last one) keep ``span`` within
        the hard limit of `SPAN_LIMIT`? (``quiet`` keeps them as ``standard`` does.)"""
        if self.rules.span_share is None:
            return True
        return span.talk_ms + ms <= max(self.rules.span_share, SPAN_LIMIT) * span.ms

    def add(self, span: Span, start: int, end: int, *, coaching: bool) -> None:
        span.talk_ms += end - start
        if coaching:
            span.lines += 1
            insort(self.coaching, (start, end))

    def close(self, span: Span) -> None:
        self.work_ms += span.ms
        self.talk_ms += span.talk_ms
        self.lines += span.lines
        # Only the recent past matters for spacing.
        if len(self.coaching) > 64:
            del self.coaching[:-32]

    def quiet_zones(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Intervals a new coaching line may not touch: each coaching line, widened."""
        gap = self.rules.min_quiet_ms
        if gap <= 0:
            return []
        return [(s - gap, e + gap) for s, e in self.coaching if e + gap > lo and s - gap < hi]


def free_slot(
    blocked: list[tuple[int, int]], lo: int, hi: int, target: int, length: int, margin: int
) -> int | None:
    """Earliest start >= ``target`` for ``length`` ms in [lo, hi] clear of ``blocked``.

    Intervals may overlap. ``margin`` ms are kept from each blocked interval (not
    from ``lo``/``hi`` themselves).
    """
    merged: list[list[int]] = []
    for s, e in sorted(blocked):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    cursor = lo
    after_speech = False
    for s, e in [*((m[0], m[1]) for m in merged), (hi, hi)]:
        if e <= cursor and (s, e) != (hi, hi):
            continue
        begin = max(target, cursor + margin if after_speech else cursor)
        limit = min(hi, s - margin if s < hi else s)
        if begin + length <= limit:
            return begin
        if e > cursor:
            cursor = e
            after_speech = True
        if cursor >= hi:
            return None
    return None


__all__ = ["PRIORITY", "RULES", "CoachRules", "Span", "TalkBudget", "free_slot", "rules_for"]
