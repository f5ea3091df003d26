"""What a render writes for the page: the timeline sidecar and, on request, the page.

`render` calls `page_files` once the audio is written (the sidecar holds the audio's
hash) and writes each (path, text) pair atomically, beside the transcripts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voicecoach.page.html import build_page
from voicecoach.page.sidecar import (
    exercise_facts,
    session_record,
    sidecar_path,
    sidecar_text,
)
from voicecoach.planning.plan_output import timeline_to_json
from voicecoach.planning.timeline import Timeline
from voicecoach.routine.model import Routine
from voicecoach.version import __version__


def page_path(audio: Path) -> Path:
    """warmup.mp3 -> warmup.html"""
    return audio.with_suffix(".html")


def render_key(routine: Routine, choices: Mapping[str, Any]) -> str:
    """Identifies a render's inputs: the (personalized) routine and the render choices.

    `voicecoach page ROUTINE` renders again when this differs from the sidecar's.
    """
    text = repr((__version__, routine, sorted(choices.items())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_files(
    audio: Path,
    timeline: Timeline,
    routine: Routine,
    *,
    key: str,
    page: bool = False,
    embed: bool = False,
    final: Path | None = None,
) -> list[tuple[Path, str]]:
    """(path, text) to write with the audio: always the sidecar, the page when asked.

    `audio` is the written audio (read for its hash, and to embed it); `final` is where
    it will end up when `audio` is still a temporary file (paths and names follow it).
    """
    final = final or audio
    tl = timeline_to_json(timeline)
    facts = exercise_facts(routine)
    record = session_record(tl, facts, audio=audio, source=routine.source, render_key=key)
    record["audio"] = final.name
    files = [(sidecar_path(final), sidecar_text(record))]
    if page or embed:
        html = build_page(
            tl, final.name, embed_audio=audio.read_bytes() if embed else None, exercises=facts
        )
        files.append((page_path(final), html))
    return files
