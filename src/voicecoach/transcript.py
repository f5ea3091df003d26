"""Transcript sidecars (WebVTT, SRT, LRC, JSON) written from the planned timeline.

Times come straight from the plan, so the transcript matches the audio exactly.
"""

from __future__ import annotations

import json

from voicecoach.timeline import Event, Timeline

FORMATS = ("vtt", "srt", "lrc", "json")


def _spoken(timeline: Timeline) -> list[Event]:
    return [e for e in timeline.events if e.spoken and e.text]


def _clock(ms: int, sep: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


def to_vtt(timeline: Timeline) -> str:
    lines = ["WEBVTT", f"NOTE {timeline.title}", ""]
    for i, event in enumerate(_spoken(timeline), start=1):
        lines += [str(i), f"{_clock(event.start_ms, '.')} --> {_clock(event.end_ms, '.')}"]
        lines += [event.text or "", ""]
    return "\n".join(lines)


def to_srt(timeline: Timeline) -> str:
    lines: list[str] = []
    for i, event in enumerate(_spoken(timeline), start=1):
        lines += [str(i), f"{_clock(event.start_ms, ',')} --> {_clock(event.end_ms, ',')}"]
        lines += [event.text or "", ""]
    return "\n".join(lines)


def to_lrc(timeline: Timeline) -> str:
    def stamp(ms: int) -> str:
        minutes, rest = divmod(ms, 60_000)
        return f"[{minutes:02d}:{rest // 1000:02d}.{(rest % 1000) // 10:02d}]"

    lines = [f"[ti:{timeline.title}]", f"[length:{stamp(timeline.total_ms)[1:-1]}]"]
    lines += [f"{stamp(e.start_ms)}{e.text}" for e in _spoken(timeline)]
    return "\n".join(lines) + "\n"


def to_json(timeline: Timeline) -> str:
    from voicecoach.plan_output import timeline_to_json

    return json.dumps(timeline_to_json(timeline), indent=2, ensure_ascii=False) + "\n"


WRITERS = {"vtt": to_vtt, "srt": to_srt, "lrc": to_lrc, "json": to_json}


def render_transcript(timeline: Timeline, fmt: str) -> str:
    return WRITERS[fmt](timeline)
