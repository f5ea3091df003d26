"""The sessions of a folder, read back from their own tags.

A rendered session describes itself (see ``session_tags.py``): title, the trainer
(artist), the series (album), the description (comment), chapters, and
voicecoach's fields: the routine, the client and, for a program, its position and
date. The transcript is the ``.vtt`` (or ``.srt``) beside the audio. Nothing else
is needed, so a folder copied from elsewhere or re-rendered still makes the same
feed.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from voicecoach.audio.extras import read_extras
from voicecoach.audio.tags import read_chapters, read_tags
from voicecoach.chapter import Chapter
from voicecoach.errors import AudioError, VoicecoachError
from voicecoach.session_tags import (
    CLIENT_FIELD,
    DATE_FIELD,
    POSITION_FIELD,
    PROGRAM_FIELD,
    ROUTINE_FIELD,
)

MIME = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".flac": "audio/flac"}
TRANSCRIPTS = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
# A fixed namespace, so the same routine, client and position give the same GUID.
GUID_NAMESPACE = uuid.UUID("6f1f6c1e-6a34-5b8e-9d6c-7e0b8f3a2c41")


@dataclass(frozen=True)
class Episode:
    path: Path
    title: str
    author: str
    album: str
    description: str
    duration_ms: int
    chapters: tuple[Chapter, ...]
    routine: str  # the routine (or program) the session came from
    client: str  # "" when the session names no client
    position: int  # 1-based place in the series
    date: dt.date | None  # a program's date for this session, when it has one
    transcripts: tuple[Path, ...]  # sidecars beside the audio (.vtt first)
    lyrics: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def mime(self) -> str:
        return MIME[self.path.suffix.lower()]

    @property
    def guid(self) -> str:
        """uuid5 of routine, client and position: a re-render updates the episode."""
        return str(uuid.uuid5(GUID_NAMESPACE, f"{self.routine}\n{self.client}\n{self.position}"))


def _natural(path: Path) -> list[object]:
    """Sort key: "2-x" before "10-x"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def session_files(folder: Path) -> list[Path]:
    """Audio files in the folder (not below it), in natural name order."""
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise VoicecoachError(
            f"{folder}: {what}. give the folder that holds the rendered sessions."
        )
    found = [
        p
        for p in folder.iterdir()
        if p.suffix.lower() in MIME and p.is_file() and not p.name.startswith(".")
    ]
    if not found:
        raise VoicecoachError(
            f"{folder}: no sessions in this folder (.mp3, .m4a, .ogg or .flac). "
            "render some into it first, e.g. voicecoach render ROUTINE -o "
            f"{folder / 'session.mp3'}"
        )
    return sorted(found, key=_natural)


def _duration_ms(path: Path) -> int:
    import mutagen

    try:
        info = mutagen.File(str(path))
    except (OSError, mutagen.MutagenError) as exc:
        raise AudioError(f"{path}: cannot read it ({exc}). re-render it or move it away.") from exc
    if info is None or not getattr(info.info, "length", 0):
        raise AudioError(f"{path}: not a readable audio file. re-render it or move it away.")
    return round(float(info.info.length) * 1000)


def _position(path: Path, fields: dict[str, str], fallback: int) -> int:
    """A program's position; else the number the file name starts with ("03-core.mp3"
    is 3), so adding a session doesn't renumber the others; else the place in name order."""
    leading = re.match(r"\d+", path.name)
    for text in (fields.get(POSITION_FIELD, ""), leading.group() if leading else ""):
        if text.isdigit() and 0 < int(text) < 1_000_000:
            return int(text)
    return fallback


def _date(path: Path, fields: dict[str, str]) -> dt.date | None:
    text = fields.get(DATE_FIELD)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AudioError(
            f"{path}: its {DATE_FIELD} tag '{text}' is not a date like 2025-01-31. re-render it."
        ) from None


def read_episode(path: Path, fallback_position: int) -> Episode:
    duration = _duration_ms(path)
    tags = read_tags(path)
    extras = read_extras(path)
    fields = dict(extras.fields)
    routine = fields.get(PROGRAM_FIELD) or fields.get(ROUTINE_FIELD) or path.name
    transcripts = tuple(path.with_suffix(s) for s in TRANSCRIPTS if path.with_suffix(s).is_file())
    return Episode(
        path=path,
        title=tags.get("title") or path.stem,
        author=tags.get("artist", ""),
        album=tags.get("album", ""),
        description=tags.get("comment", ""),
        duration_ms=duration,
        chapters=tuple(read_chapters(path)),
        routine=routine,
        client=fields.get(CLIENT_FIELD, ""),
        position=_position(path, fields, fallback_position),
        date=_date(path, fields),
        transcripts=transcripts,
        lyrics=extras.lyrics or "",
    )


def read_episodes(folder: Path) -> list[Episode]:
    """Every session of the folder in publish order: a program's position, else name order."""
    episodes = [read_episode(p, i) for i, p in enumerate(session_files(folder), start=1)]
    return sorted(episodes, key=lambda e: (e.position, _natural(e.path)))
