"""What a rendered session says about itself in its tags.

Title, artist (the trainer's ``author:``), album (the series), cover art, the
transcript as lyrics, and voicecoach's own fields, which ``voicecoach feed`` reads
back to build a podcast feed from a folder of sessions (see docs/sharing.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from voicecoach.audio.extras import Extras
from voicecoach.cover import cover_bytes
from voicecoach.planning.timeline import Timeline
from voicecoach.routine import Routine

DEFAULT_ARTIST = "voicecoach"
DEFAULT_ALBUM = "voicecoach sessions"

# Field names, the same in every format (TXXX desc, MP4 freeform name, Vorbis key).
ROUTINE_FIELD = "VOICECOACH_ROUTINE"  # builtin:NAME or the routine file's name
CLIENT_FIELD = "VOICECOACH_CLIENT"  # profile.client, when given
VOICE_FIELD = "VOICECOACH_VOICE"  # engine, voice and rate, e.g. "piper en_US-joe-medium, 150 wpm"
# For program renders (a series), read by the feed: the program, the session's place
# in it (1-based) and its date (ISO, from the program's `start:`).
PROGRAM_FIELD = "VOICECOACH_PROGRAM"
POSITION_FIELD = "VOICECOACH_POSITION"
DATE_FIELD = "VOICECOACH_DATE"


@dataclass(frozen=True)
class SessionTags:
    title: str
    artist: str = DEFAULT_ARTIST
    album: str = DEFAULT_ALBUM
    genre: str = "Fitness"
    comment: str = ""
    extras: Extras = field(default_factory=Extras)

    def metadata(self) -> dict[str, str]:
        return {
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "genre": self.genre,
            "comment": self.comment,
        }


def routine_id(routine: Routine) -> str:
    """A name for the routine that stays the same from one render to the next."""
    if routine.source.startswith("builtin:") or routine.source.startswith("<"):
        return routine.source
    return PurePath(routine.source).name


def lyrics(timeline: Timeline) -> str:
    """Every spoken line, in order, one per line."""
    return "\n".join(e.text for e in timeline.events if e.spoken and e.text)


def session_tags(
    routine: Routine,
    timeline: Timeline,
    extra_fields: Mapping[str, str] | None = None,
    *,
    voice: str = "",
) -> SessionTags:
    """The tags of a render; ``extra_fields`` adds e.g. a program's POSITION and DATE;
    ``voice`` (engine, voice and rate) goes into the comment and a field of its own."""
    profile = routine.profile
    fields = {ROUTINE_FIELD: routine_id(routine)}
    if voice:
        fields[VOICE_FIELD] = voice
    if profile.client:
        fields[CLIENT_FIELD] = profile.client
    fields.update(extra_fields or {})
    return SessionTags(
        title=routine.name,
        artist=profile.author or routine.author or DEFAULT_ARTIST,
        album=profile.album or routine.album or DEFAULT_ALBUM,
        comment="\n".join(filter(None, [routine.description, voice and f"Voice: {voice}"])),
        extras=Extras(
            cover=cover_bytes(routine.cover, routine.source),
            lyrics=lyrics(timeline) or None,
            fields=fields,
        ),
    )
