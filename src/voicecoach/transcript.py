"""Transcript sidecars (WebVTT, SRT, LRC, JSON) written from the planned timeline.

Times come straight from the plan, so the transcript matches the audio exactly.
One spoken line is one cue whatever its text holds: line breaks become spaces;
WebVTT's markup characters are written as entities (so ``-->`` stays text); in SRT,
which has no escapes, the cue-timing arrow ``-->`` becomes ``->``; LRC's brackets
become parentheses, so a text cannot add a time tag.
"""

from __future__ import annotations

import json
import re

from voicecoach.planning.timeline import Event, Timeline
from voicecoach.text import lrc_stamp, timestamp
from voicecoach.textsafe import one_line

FORMATS = ("vtt", "srt", "lrc", "json")
_ARROW = re.compile(r"--+>")
_VTT_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _line(text: str | None) -> str:
    """One line, with no cue-timing arrow in it."""
    return _ARROW.sub("->", one_line(text or ""))


def _vtt_text(text: str | None) -> str:
    return "".join(_VTT_ENTITIES.get(ch, ch) for ch in one_line(text or ""))


def _lrc_text(text: str | None) -> str:
    return one_line(text or "").replace("[", "(").replace("]", ")")


def _spoken(timeline: Timeline) -> list[Event]:
    return [e for e in timeline.events if e.spoken and _line(e.text)]


def to_vtt(timeline: Timeline) -> str:
    lines = ["WEBVTT", "", f"NOTE {_line(timeline.title)}", ""]  # a NOTE holds no -->
    for i, event in enumerate(_spoken(timeline), start=1):
        lines += [str(i), f"{timestamp(event.start_ms)} --> {timestamp(event.end_ms)}"]
        lines += [_vtt_text(event.text), ""]
    return "\n".join(lines)


def to_srt(timeline: Timeline) -> str:
    lines: list[str] = []
    for i, event in enumerate(_spoken(timeline), start=1):
        lines += [str(i), f"{timestamp(event.start_ms, ',')} --> {timestamp(event.end_ms, ',')}"]
        lines += [_line(event.text), ""]
    return "\n".join(lines)


def to_lrc(timeline: Timeline) -> str:
    lines = [f"[ti:{_lrc_text(timeline.title)}]", f"[length:{lrc_stamp(timeline.total_ms)[1:-1]}]"]
    lines += [f"{lrc_stamp(e.start_ms)}{_lrc_text(e.text)}" for e in _spoken(timeline)]
    return "\n".join(lines) + "\n"


def to_json(timeline: Timeline) -> str:
    from voicecoach.planning.plan_output import timeline_to_json

    return json.dumps(timeline_to_json(timeline), indent=2, ensure_ascii=False) + "\n"


WRITERS = {"vtt": to_vtt, "srt": to_srt, "lrc": to_lrc, "json": to_json}


def render_transcript(timeline: Timeline, fmt: str) -> str:
    return WRITERS[fmt](timeline)
