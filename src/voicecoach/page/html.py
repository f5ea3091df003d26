"""The session page: one self-contained HTML file (inline CSS, JS, data and picture).

The audio is referenced by its relative name, or inlined as a data: URL with
`embed_audio`, for a single-file share. Nothing is fetched from the network: the
page works from file:// and from any static host, offline.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from voicecoach.page.svg import exercise_colours, timeline_svg

MIME = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".m4a": "audio/mp4",
}
_PAGE_KINDS = frozenset({"speech", "cue", "count", "work", "rest"})
_SLOT = re.compile(r"@@([A-Z_]+)@@")


def _asset(name: str) -> str:
    return (resources.files("voicecoach.page") / "assets" / name).read_text(encoding="utf-8")


def page_data(
    timeline: Mapping[str, Any],
    exercises: Mapping[str, Any],
    *,
    estimated: bool = False,
) -> dict[str, Any]:
    """The data the page script reads: the render's events (no ticks or tones), compact."""
    events = [
        [
            e["start_ms"],
            e["end_ms"],
            e["kind"],
            e.get("text"),
            e.get("cue_key"),
            e.get("exercise"),
            e.get("side"),
            e.get("set"),
            e.get("rep"),
            e.get("chapter"),
        ]
        for e in timeline["events"]
        if e["kind"] in _PAGE_KINDS
    ]
    return {
        "title": timeline["title"],
        "total_ms": timeline["total_ms"],
        "estimated": estimated,
        "chapters": [
            {"title": c["title"], "start_ms": c["start_ms"], "end_ms": c["end_ms"]}
            for c in timeline["chapters"]
        ],
        "events": events,
        "exercises": dict(exercises),
        "colours": exercise_colours(timeline["events"]),
    }


def _script_json(data: Any) -> str:
    """JSON safe inside <script type="application/json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def audio_source(audio_name: str, embed_audio: bytes | None) -> str:
    if embed_audio is not None:
        suffix = "." + audio_name.rsplit(".", 1)[-1].lower() if "." in audio_name else ""
        mime = MIME.get(suffix, "audio/mpeg")
        return f"data:{mime};base64," + base64.b64encode(embed_audio).decode("ascii")
    return quote(audio_name, safe="/")


def build_page(
    timeline_json: Mapping[str, Any],
    audio_name: str,
    *,
    embed_audio: bytes | None = None,
    exercises: Mapping[str, Any] | None = None,
    estimated: bool = False,
) -> str:
    """The page for one rendered session, as HTML text.

    `timeline_json` is the render's stable timeline JSON; `audio_name` the audio's
    path relative to the page (also used for the MIME type when embedding).
    """
    data = page_data(timeline_json, exercises or {}, estimated=estimated)
    slots = {
        "TITLE": escape(str(timeline_json["title"])),
        "CSS": _asset("page.css"),
        "JS": _asset("page.js"),
        "DATA": _script_json(data),
        "SVG": timeline_svg(timeline_json, estimated, playhead=True),
        "AUDIO": escape(audio_source(audio_name, embed_audio)),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("page.html"))
