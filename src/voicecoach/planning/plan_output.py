"""The timeline as stable JSON (docs/plan-json.md) and as a readable table."""

from __future__ import annotations

from typing import Any

from voicecoach.cues.spoken import plural
from voicecoach.planning.timeline import Event, Timeline
from voicecoach.text import clock, seconds, table_clock

JSON_VERSION = 1
_EVENT_FIELDS = (
    "start_ms",
    "end_ms",
    "kind",
    "text",
    "sound",
    "cue_key",
    "exercise",
    "side",
    "set",
    "rep",
    "chapter",
    "role",
)


def _event_json(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in _EVENT_FIELDS}


def timeline_to_json(tl: Timeline) -> dict[str, Any]:
    """The documented, stable JSON form of a timeline (every key always present)."""
    return {
        "version": JSON_VERSION,
        "title": tl.title,
        "total_ms": tl.total_ms,
        "duration": clock(tl.total_ms),
        "chapters": [
            {"index": i, "title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms}
            for i, c in enumerate(tl.chapters)
        ],
        "events": [_event_json(e) for e in tl.events],
        "warnings": list(tl.warnings),
    }


def _where(event: Event) -> str:
    parts = []
    if event.side:
        parts.append(event.side)
    if event.set is not None:
        parts.append(f"set {event.set}")
    if event.rep is not None:
        parts.append(f"rep {event.rep}")
    return f" ({', '.join(parts)})" if parts else ""


def _describe(event: Event) -> str | None:
    length = seconds(event.end_ms - event.start_ms)
    if event.kind == "tick":
        return None  # one per tempo phase: too many to read; they are in the JSON
    if event.kind == "tone":
        return f"[{event.sound}]"
    if event.kind == "work":
        return f"── work {length} s{_where(event)}"
    if event.kind == "rest":
        return f"── rest {length} s"
    label = {"count": "", "cue": "cue: ", "speech": ""}[event.kind]
    return f'{label}"{event.text}"'


def format_plan_table(tl: Timeline) -> str:
    """One line per event (ticks left out): time, chapter, what happens; then the total."""
    header = f"{tl.title}: {plural(len(tl.chapters), 'chapter')}"
    lines = [header, "", f"{'time':<10} {'chapter':<28} what", "-" * 72]
    for event in tl.events:
        text = _describe(event)
        if text is None:
            continue
        chapter = ""
        if event.chapter is not None and event.chapter < len(tl.chapters):
            chapter = tl.chapters[event.chapter].title
        if len(chapter) > 28:
            chapter = chapter[:27] + "…"
        lines.append(f"{table_clock(event.start_ms):<10} {chapter:<28} {text}")
    lines += ["-" * 72, f"total {clock(tl.total_ms)} ({tl.total_ms} ms)"]
    return "\n".join(lines)
