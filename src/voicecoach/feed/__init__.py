"""`voicecoach feed DIR --base-url URL`: a podcast feed for a folder of rendered sessions.

Each session is read back from its own tags (``feed/episodes.py``). Beside the
sessions the command writes ``SESSION.chapters.json`` (Podcasting 2.0 chapters),
``cover.png`` (or ``.jpg``, the first session's cover art) and ``feed.xml`` (RSS 2.0
with iTunes and Podcasting 2.0 tags), each one whole or not at all. See
docs/sharing.md.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from voicecoach.atomic import check_output_folder
from voicecoach.audio.extras import read_extras
from voicecoach.cover import image_mime
from voicecoach.errors import VoicecoachError
from voicecoach.feed.chapters import chapters_json, chapters_path
from voicecoach.feed.episodes import Episode, read_episodes
from voicecoach.feed.privacy import check_no_client_names
from voicecoach.feed.rss import Channel, rss
from voicecoach.outputs import FileRole, OutputTransaction, guard_outputs
from voicecoach.session_tags import DEFAULT_ALBUM, DEFAULT_ARTIST

__all__ = ["FeedResult", "build_feed"]


@dataclass(frozen=True)
class FeedResult:
    path: Path
    episodes: tuple[Episode, ...]
    written: tuple[Path, ...]  # every file written, the feed last
    base_url: str


def check_base_url(base_url: str) -> str:
    """The address the folder is served at, ending in "/"."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise VoicecoachError(
            f"--base-url: '{base_url}' is not a web address. give the address the folder "
            "is served at, like https://example.com/sessions/ or http://192.168.1.20:8000/"
        )
    if parts.query or parts.fragment:
        raise VoicecoachError(
            f"--base-url: '{base_url}' has a ?query or #fragment. give the folder's address only"
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def _common(values: list[str], default: str) -> str:
    distinct = {v for v in values if v}
    return distinct.pop() if len(distinct) == 1 else default


def _start_date(episodes: list[Episode]) -> dt.date:
    """The day of the oldest session file: stable across re-runs of `feed`."""
    oldest = min(e.path.stat().st_mtime for e in episodes)
    return dt.datetime.fromtimestamp(oldest, dt.timezone.utc).date()


def _cover(episodes: list[Episode], folder: Path) -> tuple[Path, bytes] | None:
    for episode in episodes:
        data = read_extras(episode.path).cover
        mime = image_mime(data or b"")
        if data and mime:
            return folder / ("cover.png" if mime == "image/png" else "cover.jpg"), data
    return None


def _check_output(output: Path, episodes: list[Episode]) -> None:
    """The feed never replaces a session or a sidecar it reads."""
    check_output_folder(output)
    guard_outputs(
        [FileRole(output, "the feed", "write the feed elsewhere, e.g. -o feed.xml")],
        _episode_inputs(episodes),
    )


def _episode_inputs(episodes: list[Episode]) -> list[FileRole]:
    inputs = [FileRole(e.path, "a session the feed reads") for e in episodes]
    inputs += [FileRole(t, "a transcript the feed reads") for e in episodes for t in e.transcripts]
    return inputs


def write_feed_files(
    files: Mapping[Path, str | bytes], main: Path, episodes: list[Episode]
) -> None:
    """Write every file in one transaction, the feed (`main`) committed last.

    The one place the feed command writes: the guard refuses a file that is a session
    or transcript the feed reads, or two files with one name.
    """
    fix = "move that file away, or write the feed elsewhere with -o"
    guard_outputs([FileRole(path, "a feed file", fix) for path in files], _episode_inputs(episodes))
    with OutputTransaction(main) as tx:
        for target, content in files.items():
            if isinstance(content, bytes):
                tx.write_bytes(target, content)
            else:
                tx.write_text(target, content)


def build_feed(
    folder: str | os.PathLike[str],
    base_url: str,
    output: str | os.PathLike[str] | None = None,
    *,
    title: str | None = None,
    description: str | None = None,
    start: dt.date | None = None,
    with_client_names: bool = False,
) -> FeedResult:
    """Write the feed (and its chapters and cover files) for the sessions in ``folder``."""
    base = check_base_url(base_url)
    folder = Path(folder)
    episodes = read_episodes(folder)
    target = Path(output) if output is not None else folder / "feed.xml"
    _check_output(target, episodes)
    seen: dict[str, Episode] = {}
    for episode in episodes:
        twin = seen.setdefault(episode.guid, episode)
        if twin is not episode:
            raise VoicecoachError(
                f"{episode.path}: is the same session as {twin.path} (same routine, client "
                "and position). keep one of them in the folder"
            )
    channel_title = title or _common([e.album for e in episodes], DEFAULT_ALBUM)
    author = _common([e.author for e in episodes], DEFAULT_ARTIST)
    about = description or f"{channel_title}: guided sessions, with chapters and transcripts."
    if with_client_names:
        titles = [f"{e.title} (for {e.client})" if e.client else e.title for e in episodes]
    else:
        channel = [("title", channel_title), ("description", about), ("author", author)]
        channel.append(("address", base))
        check_no_client_names(episodes, channel, folder)
        titles = [e.title for e in episodes]
    files: dict[Path, str | bytes] = {}
    for episode in episodes:
        if episode.chapters:
            files[chapters_path(episode)] = chapters_json(episode, podcast_name=channel_title)
    cover = _cover(episodes, folder)
    if cover is not None:
        files[cover[0]] = cover[1]
    info = Channel(
        title=channel_title,
        author=author,
        description=about,
        base_url=base,
        feed_name=target.name,
        image=cover[0].name if cover else None,
    )
    files[target] = rss(info, episodes, titles, start or _start_date(episodes))
    write_feed_files(files, target, episodes)
    return FeedResult(target, tuple(episodes), tuple(files), base)
