"""Podcasting 2.0 JSON chapters, the file ``<podcast:chapters>`` points to.

Format (version 1.2.0): ``{"version", "chapters": [{"startTime", "endTime",
"title"}]}`` with times in seconds, in ascending order of ``startTime``; see
https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from voicecoach.feed.episodes import Episode

VERSION = "1.2.0"
MIME = "application/json+chapters"


def chapters_path(episode: Episode) -> Path:
    """``session.mp3`` → ``session.chapters.json`` beside it."""
    return episode.path.with_name(f"{episode.path.stem}.chapters.json")


def chapters_document(episode: Episode, *, podcast_name: str) -> dict[str, Any]:
    chapters = sorted(episode.chapters, key=lambda c: c[1])
    return {
        "version": VERSION,
        "title": episode.title,
        "author": episode.author,
        "podcastName": podcast_name,
        "fileName": episode.path.name,
        "chapters": [
            {"startTime": start / 1000, "endTime": end / 1000, "title": title}
            for title, start, end in chapters
        ],
    }


def chapters_json(episode: Episode, *, podcast_name: str) -> str:
    doc = chapters_document(episode, podcast_name=podcast_name)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
