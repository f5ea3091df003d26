"""Shared for page tests: a short routine with sets, sides, a hold and check-ins, and
what the page must show at a time, computed here from the render's own timeline
JSON (the `.timeline.json` sidecar), never from the page's data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PAGE_ROUTINE = """\
name: Page test
description: A short session for the session page tests.
intro: Welcome to the page test.
outro: That is all.
profile: {check_ins: true}
sound: {background: none}
exercises:
  - name: Bridge
    setup: Lie on your back, knees bent, feet flat.
    reps: 4
    tempo: 1-0-1
    sets: 2
    rest: 6s
    rest_after: 6s
  - name: Clamshell
    setup: Lie on your side, knees bent.
    sides: both
    reps: 3
    tempo: 1-0-1
    rest: 5s
    rest_after: 6s
  - name: Side plank
    hold: 8s
    sides: both
    rest: 5s
"""

SPOKEN = ("speech", "cue", "count")


@dataclass(frozen=True)
class Expected:
    caption: str
    exercise: str | None
    side: str | None
    set: int | None
    sets: int | None
    rep: int | None
    reps: int | None
    next_up: str
    chapter: int


def _last_at_or_before(events: list[dict[str, Any]], t: float) -> dict[str, Any] | None:
    found = None
    for e in events:
        if e["start_ms"] <= t:
            found = e
    return found


def _who(event: dict[str, Any]) -> tuple[str | None, str | None]:
    return event["exercise"], event["side"]


def expected_at(timeline: dict[str, Any], t: float) -> Expected:
    events = timeline["events"]
    spans = [e for e in events if e["kind"] in ("work", "rest")]
    works = [e for e in spans if e["kind"] == "work"]
    span = _last_at_or_before(spans, t)
    assert span is not None
    line = _last_at_or_before([e for e in events if e["kind"] in SPOKEN and e["text"]], t)
    set_n = sets = rep = reps = None
    # the work this span belongs to (a rest belongs to the work after it), and the run
    # of consecutive works of the same exercise and side around it
    following = [w for w in works if w["start_ms"] >= span["start_ms"]]
    work = following[0] if following and _who(following[0]) == _who(span) else None
    if work is not None and work["set"]:
        i = works.index(work)
        lo, hi = i, i
        while lo > 0 and _who(works[lo - 1]) == _who(work):
            lo -= 1
        while hi + 1 < len(works) and _who(works[hi + 1]) == _who(work):
            hi += 1
        set_n = span["set"]
        sets = max(w["set"] for w in works[lo : hi + 1])
    if span["kind"] == "work":
        counted = [
            e["rep"]
            for e in events
            if e["rep"] is not None and span["start_ms"] <= e["start_ms"] < span["end_ms"]
        ]
        if counted:
            reps = max(counted)
            rep = max(
                [
                    e["rep"]
                    for e in events
                    if e["rep"] is not None
                    and span["start_ms"] <= e["start_ms"] <= t
                    and e["start_ms"] < span["end_ms"]
                ],
                default=0,
            )
    after = [w for w in works if w["start_ms"] > span["start_ms"]]
    nxt = next(
        (w for w in after if (w["exercise"], w["side"]) != (span["exercise"], span["side"])),
        None,
    )
    next_up = "Finish"
    if nxt is not None:
        next_up = nxt["exercise"] + (f" — {nxt['side']}" if nxt["side"] else "")
    chapter = max(i for i, c in enumerate(timeline["chapters"]) if c["start_ms"] <= t)
    return Expected(
        caption=line["text"] if line else timeline["title"],
        exercise=span["exercise"],
        side=span["side"],
        set=set_n,
        sets=sets,
        rep=rep,
        reps=reps,
        next_up=next_up,
        chapter=chapter,
    )


def wait_points(timeline: dict[str, Any]) -> list[int]:
    """Where "wait for me" pauses: the first countdown number before each work block
    that starts a new exercise or side."""
    events = timeline["events"]
    works = [e for e in events if e["kind"] == "work"]
    points = []
    for i, w in enumerate(works):
        if i and (works[i - 1]["exercise"], works[i - 1]["side"]) == (w["exercise"], w["side"]):
            continue
        counts = [
            e["start_ms"]
            for e in events
            if e["cue_key"] == "countdown"
            and w["start_ms"] - 10_000 <= e["start_ms"] < w["start_ms"]
        ]
        points.append(min(counts, default=w["start_ms"]))
    return points


class PageUnderTest:
    """A loaded session page and every console error or page error it produced."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "assert")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def seek(self, seconds: float) -> float:
        """Seek the (paused) audio and return currentTime as read back once seeked."""
        return float(
            self.page.evaluate(
                """t => new Promise(done => {
                    const a = document.getElementById('audio');
                    a.addEventListener('seeked', () => requestAnimationFrame(
                        () => done(a.currentTime)), {once: true});
                    a.currentTime = t;
                })""",
                seconds,
            )
        )

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).inner_text()).strip()
