"""Client names are health data: by default they stay out of everything a feed makes public.

A feed is public to whoever has its address. Its titles, descriptions, chapter
titles, transcripts and file names (the URLs) must not name a session's client
unless the trainer opts in with ``--with-client-names``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from voicecoach.errors import VoicecoachError
from voicecoach.feed.episodes import Episode

OPT_IN = "--with-client-names"


def _names(text: str, client: str) -> bool:
    """Does the text name the client? "Sam Lee" also matches "sam-lee" and "SAM_LEE"."""
    words = [re.escape(w) for w in re.split(r"[\W_]+", client) if w]
    pattern = r"(?<![^\W_])" + r"[\W_]+".join(words) + r"(?![^\W_])"
    return bool(words) and re.search(pattern, text, re.IGNORECASE) is not None


def public_texts(episode: Episode) -> Iterable[tuple[str, str]]:
    """(what, text) for everything of one episode that a feed publishes."""
    yield "file name", episode.path.name
    yield "title", episode.title
    yield "author", episode.author
    yield "album", episode.album
    yield "description", episode.description
    for title, _, _ in episode.chapters:
        yield "chapter title", title
    for sidecar in episode.transcripts:
        yield f"transcript {sidecar.name}", sidecar.read_text(encoding="utf-8", errors="replace")


def check_no_client_names(
    episodes: Iterable[Episode], channel: Iterable[tuple[str, str]], folder: Path
) -> None:
    """Refuse when any public text names any client of the folder's sessions."""
    episodes = list(episodes)
    clients = sorted({e.client for e in episodes if e.client.strip()})
    for client in clients:
        for what, text in channel:
            if _names(text, client):
                raise _named(str(folder), f"the feed's {what}", client)
        for episode in episodes:
            for what, text in public_texts(episode):
                if _names(text, client):
                    raise _named(str(episode.path), f"its {what}", client)


def _named(where: str, what: str, client: str) -> VoicecoachError:
    return VoicecoachError(
        f"{where}: {what} names the client '{client}', and a feed is public to anyone "
        f"with its address. rename it (or leave the name out of the routine), or pass "
        f"{OPT_IN} to publish client names"
    )
