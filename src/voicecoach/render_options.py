"""What a render is asked (`RenderOptions`, `VoiceChoice`) and what it returns
(`RenderResult`), and the checks on the options themselves."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voicecoach.errors import VoicecoachError
from voicecoach.limits import Limits
from voicecoach.planning.personalize import Choices
from voicecoach.planning.timeline import Timeline


@dataclass(frozen=True)
class VoiceChoice:
    """Command-line choices; None means: take the routine's `voice:` section."""

    engine: str | None = None
    voice: str | None = None
    rate: int | None = None


@dataclass(frozen=True)
class RenderOptions:
    voice: VoiceChoice = field(default_factory=VoiceChoice)
    seed: int = 0
    bitrate: str = "128k"
    transcripts: Sequence[str] = ("vtt",)
    cache_dir: Path | None = None
    speech_timeout_s: float | None = None
    # A stalled ffmpeg (no progress for this long) is stopped; None: Limits.ffmpeg_stall_s.
    ffmpeg_timeout_s: float | None = None
    # Weak side, level, minutes, check-ins; over the routine's profile.
    personal: Choices = field(default_factory=Choices)
    page: bool = False  # also write the session page (NAME.html) beside the audio
    embed: bool = False  # the page with the audio inline (implies page)


@dataclass(frozen=True)
class RenderResult:
    path: Path
    timeline: Timeline
    size_bytes: int
    sidecars: tuple[Path, ...]
    synthesized: int
    cached: int
    changes: tuple[str, ...] = ()  # what personalization changed, in words
    warnings: tuple[str, ...] = ()  # e.g. a phrase cache that could not be written
    page_files: tuple[Path, ...] = ()  # NAME.timeline.json, and NAME.html with --page
    voice: str = ""  # engine, voice and rate, e.g. "piper en_US-joe-medium, 150 wpm"


def ffmpeg_timeout_kwargs(options: RenderOptions, limits: Limits) -> dict[str, float]:
    """The stall timeout as `SessionAudio.check`'s keyword (none given: the
    ``limits``' ffmpeg_stall_s); one that is not a number of seconds above 0 is refused."""
    limit = options.ffmpeg_timeout_s
    if limit is None:
        return {"ffmpeg_timeout_s": limits.ffmpeg_stall_s}
    if not math.isfinite(limit) or limit <= 0:
        raise VoicecoachError(
            f"ffmpeg timeout must be a number of seconds above 0, not {limit}. "
            "give one like --ffmpeg-timeout 60."
        )
    return {"ffmpeg_timeout_s": float(limit)}


def render_choices(options: RenderOptions, target: Path) -> dict[str, object]:
    """The render options that change the audio (the page's render key)."""
    return {
        "voice": options.voice,
        "seed": options.seed,
        "bitrate": options.bitrate,
        "format": target.suffix.lower(),
    }
