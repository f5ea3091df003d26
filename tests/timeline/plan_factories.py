"""Helpers shared by the planner tests: model objects built directly (no loader)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.planning.plan_output import timeline_to_json
from voicecoach.planning.script import build_script
from voicecoach.planning.timeline import Event, Timeline, plan
from voicecoach.routine.model import Exercise, Profile, Routine, Section, Tempo


def routine_of(*exercises: Exercise, **kwargs: object) -> Routine:
    return Routine(name="Test session", sections=(Section(None, tuple(exercises)),), **kwargs)  # type: ignore[arg-type]


def bridge(**kwargs: object) -> Exercise:
    base: dict[str, object] = dict(
        name="Glute bridge", reps=10, sets=2, rest_ms=30_000, tempo=Tempo((2000, 1000, 2000))
    )
    base.update(kwargs)
    return Exercise(**base)  # type: ignore[arg-type]


def fixed_ms(ms: int = 600) -> Callable[[str], int]:
    return lambda text: ms


def by_words(per_word: int = 300) -> Callable[[str], int]:
    return lambda text: 100 + per_word * len(text.split())


def plan_routine(
    routine: Routine,
    phrase_ms: Callable[[str], int] | None = None,
    seed: int = 0,
    limits: Limits = DEFAULT_LIMITS,
) -> Timeline:
    script = build_script(routine, seed=seed, limits=limits)
    return plan(script, phrase_ms or by_words(), limits=limits)


def plan_json(routine: Routine, phrase_ms: Callable[[str], int] | None = None) -> dict:
    return timeline_to_json(plan_routine(routine, phrase_ms))


def spoken(tl: Timeline) -> list[Event]:
    return [e for e in tl.events if e.spoken]


def spans(tl: Timeline) -> list[Event]:
    return [e for e in tl.events if e.kind in ("work", "rest")]


def weak_right(extra: bool = False) -> Profile:
    return Profile(weak_side="right", extra_weak_side_set=extra)


def check_invariants(tl: Timeline, script) -> None:
    """The planner's rules, checked on any timeline."""
    events = list(tl.events)
    assert events == sorted(events, key=lambda e: (e.start_ms, e.end_ms)), "events not sorted"
    assert all(0 <= e.start_ms <= e.end_ms <= tl.total_ms for e in events)

    talk = sorted(spoken(tl), key=lambda e: (e.start_ms, e.end_ms))
    for a, b in itertools.pairwise(talk):
        assert a.end_ms <= b.start_ms, f"speech overlaps: {a} / {b}"

    tiles = spans(tl)
    assert sum(e.end_ms - e.start_ms for e in tiles) == tl.total_ms
    cursor = 0
    for e in tiles:
        assert e.start_ms == cursor, f"gap or overlap in spans at {cursor}: {e}"
        cursor = e.end_ms
    assert cursor == tl.total_ms

    assert tl.chapters[0].start_ms == 0 and tl.chapters[-1].end_ms == tl.total_ms
    for chapter, after in zip(tl.chapters, tl.chapters[1:], strict=False):
        assert chapter.end_ms == after.start_ms and chapter.start_ms < chapter.end_ms

    # Counts exactly on the grid, holds exactly their length.
    works = [e for e in tiles if e.kind == "work"]
    planned = script.works()
    assert len(works) == len(planned)
    for span, work in zip(works, planned, strict=True):
        assert span.end_ms - span.start_ms == work.duration_ms
        inside = [e for e in talk if span.start_ms <= e.start_ms < span.end_ms]
        for e in inside:
            if e.cue_key == "count":
                assert e.rep is not None
                assert e.start_ms == span.start_ms + (e.rep - 1) * work.tempo.rep_ms
        counts = [e for e in inside if e.kind == "count"]
        for cue in (e for e in inside if e.kind == "cue"):
            assert all(cue.end_ms <= c.start_ms or c.end_ms <= cue.start_ms for c in counts)
            assert cue.end_ms <= span.end_ms

    # Countdowns end exactly when the work starts.
    starts = {e.start_ms for e in works}
    for tone in (e for e in events if e.kind == "tone" and e.sound == "beep_end"):
        assert tone.start_ms in starts
    # No beep sounds under a spoken word (a spoken count replaces its beep).
    for tone in (e for e in events if e.kind == "tone" and e.sound in ("beep", "beep_end")):
        assert not any(s.start_ms < tone.end_ms and tone.start_ms < s.end_ms for s in talk)
    for e in talk:
        if e.cue_key in ("countdown", "rest_countdown"):
            nxt = min(s for s in starts if s > e.start_ms)
            # "3, 2, 1" then "go" in the last second before reps (holds: no "go").
            assert (nxt - e.start_ms) % 1000 == 0 and nxt - e.start_ms <= 4000
            assert e.end_ms <= nxt


REST_KEYS = ("rest_between_sets", "rest_announce", "rest_between_rounds")


def rest_lines(tl: Timeline) -> list[Event]:
    """The lines that announce a rest, in order."""
    return [e for e in tl.events if e.cue_key in REST_KEYS]


def announced_rests(tl: Timeline) -> list[tuple[str, int]]:
    """(announcement, ms from its end to the next work's first beat), in order."""
    works = [e for e in spans(tl) if e.kind == "work"]
    out = []
    for line in rest_lines(tl):
        nxt = next(w for w in works if w.start_ms >= line.end_ms)
        out.append((line.text or "", nxt.start_ms - line.end_ms))
    return out
