"""The timeline's values: every event with its start and end, and the chapters.

`voicecoach.planning.timeline.plan` makes a `Timeline`; the mixdown, transcripts, the page
and `plan --json` read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from voicecoach.chapter import Chapter
from voicecoach.planning.script_steps import Role

# Spoken kinds are placed from synthesized clips; the others are timing spans or sounds.
EventKind = Literal[
    "speech",  # announcements, setup lines, rest announcements, intro/outro
    "cue",  # mind-body coaching lines (may move or be dropped to fit)
    "count",  # rep counts, phase words and countdown numbers, on the grid
    "tone",  # a bundled sound (chime, beep), named in `sound`
    "tick",  # metronome tick on the tempo grid
    "work",  # a set of reps or a hold (span, silent)
    "rest",  # rest between sets / exercises / rounds (span, silent)
]
SPOKEN_KINDS = frozenset({"speech", "cue", "count"})


@dataclass(frozen=True)
class Event:
    start_ms: int
    end_ms: int
    kind: EventKind
    text: str | None = None  # what is said (spoken kinds)
    sound: str | None = None  # asset name for tone/tick
    cue_key: str | None = None  # the cue-pack key the text came from
    exercise: str | None = None
    side: str | None = None
    set: int | None = None
    rep: int | None = None
    chapter: int | None = None  # index into Timeline.chapters
    role: Role | None = None  # spoken kinds: whose words (docs/plan-json.md, "Roles")

    @property
    def spoken(self) -> bool:
        return self.kind in SPOKEN_KINDS


@dataclass(frozen=True)
class Timeline:
    title: str
    total_ms: int
    events: tuple[Event, ...]  # sorted by (start_ms, end_ms)
    chapters: tuple[Chapter, ...]  # contiguous, first starts at 0, last ends at total_ms
    warnings: tuple[str, ...] = ()
