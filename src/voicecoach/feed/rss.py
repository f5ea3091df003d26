"""RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, from a list of episodes."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import quote

from voicecoach.feed.chapters import MIME as CHAPTERS_MIME
from voicecoach.feed.chapters import chapters_path
from voicecoach.feed.episodes import TRANSCRIPTS, Episode
from voicecoach.text import hms

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Channel:
    title: str
    author: str
    description: str
    base_url: str  # ends with "/"
    feed_name: str  # the feed file's name, for its own address
    image: str | None = None  # the cover's file name in the folder
    language: str = "en"


def url(base: str, name: str) -> str:
    return base + quote(name)


def pub_dates(episodes: list[Episode], start: dt.date) -> list[dt.datetime]:
    """A program's dates where sessions have them; else one minute apart from ``start``
    in publish order, so every app lists them in the sessions' order."""
    base = dt.datetime.combine(start, dt.time(0, 0), tzinfo=dt.timezone.utc)
    out = []
    for i, episode in enumerate(episodes):
        if episode.date is not None:
            when = dt.datetime.combine(episode.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
            out.append(when + dt.timedelta(minutes=i))
        else:
            out.append(base + dt.timedelta(minutes=i))
    return out


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def rss(channel: Channel, episodes: list[Episode], titles: list[str], start: dt.date) -> str:
    """The feed document; ``titles`` are the public episode titles, in order."""
    root = ET.Element("rss", {"version": "2.0"})
    ch = _sub(root, "channel")
    _sub(ch, "title", channel.title)
    _sub(ch, "link", channel.base_url)
    _sub(ch, "description", channel.description)
    _sub(ch, "language", channel.language)
    _sub(ch, "generator", "voicecoach")
    _sub(
        ch,
        f"{{{ATOM}}}link",
        href=url(channel.base_url, channel.feed_name),
        rel="self",
        type="application/rss+xml",
    )
    _sub(ch, f"{{{ITUNES}}}author", channel.author)
    _sub(ch, f"{{{ITUNES}}}summary", channel.description)
    _sub(ch, f"{{{ITUNES}}}explicit", "false")
    _sub(ch, f"{{{ITUNES}}}type", "serial")
    category = ET.SubElement(ch, f"{{{ITUNES}}}category", {"text": "Health & Fitness"})
    ET.SubElement(category, f"{{{ITUNES}}}category", {"text": "Fitness"})
    _sub(ch, f"{{{ITUNES}}}block", "Yes")  # a client's sessions stay out of directories
    if channel.image:
        image_url = url(channel.base_url, channel.image)
        _sub(ch, f"{{{ITUNES}}}image", href=image_url)
        image = _sub(ch, "image")
        _sub(image, "url", image_url)
        _sub(image, "title", channel.title)
        _sub(image, "link", channel.base_url)
    dates = pub_dates(episodes, start)
    for episode, title, date in zip(episodes, titles, dates, strict=True):
        _item(_sub(ch, "item"), channel, episode, title, date)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _item(
    item: ET.Element, channel: Channel, episode: Episode, title: str, date: dt.datetime
) -> None:
    """One episode's ``<item>``: enclosure, iTunes fields, chapters, transcripts."""
    _sub(item, "title", title)
    _sub(item, "description", episode.description or title)
    _sub(item, "guid", episode.guid, isPermaLink="false")
    _sub(item, "pubDate", format_datetime(date))
    _sub(
        item,
        "enclosure",
        url=url(channel.base_url, episode.path.name),
        length=str(episode.size),
        type=episode.mime,
    )
    _sub(item, f"{{{ITUNES}}}title", title)
    _sub(item, f"{{{ITUNES}}}author", episode.author or channel.author)
    _sub(item, f"{{{ITUNES}}}duration", hms(episode.duration_ms))
    _sub(item, f"{{{ITUNES}}}episode", str(episode.position))
    _sub(item, f"{{{ITUNES}}}episodeType", "full")
    _sub(item, f"{{{ITUNES}}}explicit", "false")
    if episode.chapters:
        _sub(
            item,
            f"{{{PODCAST}}}chapters",
            url=url(channel.base_url, chapters_path(episode).name),
            type=CHAPTERS_MIME,
        )
    for sidecar in episode.transcripts:
        _sub(
            item,
            f"{{{PODCAST}}}transcript",
            url=url(channel.base_url, sidecar.name),
            type=TRANSCRIPTS[sidecar.suffix],
            language=channel.language,
        )
