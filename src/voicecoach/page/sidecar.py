"""The render's own timeline, kept beside the audio: `NAME.timeline.json`.

It holds the stable timeline JSON of that render, what the page shows about each
exercise (setup, prescription), and hashes: of the timeline (a damaged or edited
file is noticed) and of the audio (a page never pairs a timeline with other audio).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voicecoach.errors import VoicecoachError
from voicecoach.routine.model import Exercise, Rounds, Routine

SIDECAR_SUFFIX = ".timeline.json"
FORMAT = "voicecoach-session"
VERSION = 1


def sidecar_path(audio: Path) -> Path:
    """warmup.mp3 -> warmup.timeline.json"""
    return audio.with_name(audio.stem + SIDECAR_SUFFIX)


def canonical_hash(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _facts(ex: Exercise) -> dict[str, Any]:
    return {
        "setup": ex.setup,
        "sets": ex.sets,
        "reps": ex.reps,
        "hold_ms": ex.hold_ms,
        "sides": ex.sides,
        "focus": list(ex.focus),
    }


def exercise_facts(routine: Routine) -> dict[str, dict[str, Any]]:
    """What the exercise card shows that the timeline doesn't carry, by exercise name."""
    facts: dict[str, dict[str, Any]] = {}
    for section in routine.sections:
        for item in section.items:
            for ex in item.exercises if isinstance(item, Rounds) else (item,):
                facts.setdefault(ex.name, _facts(ex))
    return facts


def session_record(
    timeline_json: Mapping[str, Any],
    exercises: Mapping[str, Any],
    *,
    audio: Path,
    source: str,
    render_key: str,
) -> dict[str, Any]:
    """The sidecar's content for `audio` (which must already be written)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "audio": audio.name,
        "audio_bytes": audio.stat().st_size,
        "audio_sha256": file_hash(audio),
        "source": source,
        "render_key": render_key,
        "timeline_sha256": canonical_hash(timeline_json),
        "exercises": dict(exercises),
        "timeline": dict(timeline_json),
    }


def sidecar_text(record: Mapping[str, Any]) -> str:
    return json.dumps(record, indent=1, ensure_ascii=False) + "\n"


def read_session(audio: Path) -> dict[str, Any]:
    """The sidecar of `audio`, checked against its hashes; VoicecoachError if unusable."""
    path = sidecar_path(audio)
    how = (
        f"render it again with `voicecoach render ROUTINE -o {audio.name}` "
        f"or run `voicecoach page ROUTINE` with the routine"
    )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VoicecoachError(
            f"{path}: missing, so the timeline of {audio} is unknown. {how}."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VoicecoachError(f"{path}: cannot be read ({exc}). {how}.") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise VoicecoachError(f"{path}: not a voicecoach timeline sidecar. {how}.")
    if record.get("version") != VERSION:
        raise VoicecoachError(
            f"{path}: sidecar version {record.get('version')!r}, expected {VERSION}. {how}."
        )
    timeline = record.get("timeline")
    if not isinstance(timeline, dict) or canonical_hash(timeline) != record.get("timeline_sha256"):
        raise VoicecoachError(f"{path}: the timeline does not match its hash (edited?). {how}.")
    if not matches_audio(record, audio):
        raise VoicecoachError(f"{path}: describes another audio file than {audio}. {how}.")
    return record


def matches_audio(record: Mapping[str, Any], audio: Path) -> bool:
    try:
        if audio.stat().st_size != record.get("audio_bytes"):
            return False
        return file_hash(audio) == record.get("audio_sha256")
    except OSError:
        return False
