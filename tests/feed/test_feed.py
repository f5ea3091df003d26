"""`voicecoach feed`: a folder of rendered sessions becomes a podcast feed.

The feed is read by a real parser (feedparser); every enclosure must exist with its
byte length, and the chapters JSON must follow the Podcasting 2.0 format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import pytest
from click.testing import CliRunner, Result

from voicecoach.cli import cli

BASE = "https://example.com/s/x7k2/"


def routine(name: str, extra: str = "") -> str:
    return (
        f"name: {name}\n"
        "description: A short session.\n"
        "album: Low-back rehab\n"
        "author: Alex Rivera\n"
        f"{extra}"
        "sound: {background: none, chimes: false}\n"
        "defaults: {rest: 0s, rest_after: 0s}\n"
        "exercises: [{name: Bridge, hold: 1s}, {name: Dead bug, hold: 1s}]\n"
    )


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def render(folder: Path, out: str, text: str) -> Path:
    source = folder.parent / f"{Path(out).stem}.yaml"
    source.write_text(text, encoding="utf-8")
    result = run("render", str(source), "--engine", "fake", "-q", "-o", str(folder / out))
    assert result.exit_code == 0, result.output
    return folder / out


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three sessions, one M4A; "10-" sorts after "2-" (natural order)."""
    folder = tmp_path_factory.mktemp("feed") / "out"
    folder.mkdir()
    render(folder, "1-hips.mp3", routine("Hips"))
    render(folder, "2-core.m4a", routine("Core"))
    render(folder, "10-cool-down.mp3", routine("Cool down"))
    return folder


def check_chapters_json(doc: Any, episode_file: Path) -> None:
    """The Podcasting 2.0 JSON chapters format, version 1.2.0."""
    assert isinstance(doc, dict)
    assert set(doc) <= {"version", "chapters", "author", "title", "podcastName", "description",
                        "fileName", "waypoints"}  # fmt: skip
    assert isinstance(doc["version"], str) and doc["version"].startswith("1.")
    assert doc["fileName"] == episode_file.name
    chapters = doc["chapters"]
    assert isinstance(chapters, list) and chapters
    allowed = {"startTime", "endTime", "title", "img", "url", "toc", "location"}
    for chapter in chapters:
        assert set(chapter) <= allowed
        assert isinstance(chapter["startTime"], (int, float)) and chapter["startTime"] >= 0
        assert isinstance(chapter["title"], str) and chapter["title"]
        assert chapter["endTime"] >= chapter["startTime"]
    starts = [c["startTime"] for c in chapters]
    assert starts == sorted(starts)
    assert [c["title"] for c in chapters] == ["Bridge", "Dead bug"]


def test_feed_parses_and_every_enclosure_exists(sessions: Path) -> None:
    result = run("feed", str(sessions), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        f"wrote {sessions / 'feed.xml'} (3 sessions)",
        f"subscribe to: {BASE}feed.xml",
    ]
    parsed = feedparser.parse(str(sessions / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Low-back rehab"
    assert parsed.feed.author == "Alex Rivera"
    assert parsed.feed.image.href == BASE + "cover.png"
    assert (sessions / "cover.png").read_bytes().startswith(b"\x89PNG")
    assert [e.title for e in parsed.entries] == ["Hips", "Core", "Cool down"]
    assert [e.itunes_episode for e in parsed.entries] == ["1", "2", "10"]
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates) and len(set(dates)) == 3
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(BASE)
        local = sessions / unquote(enclosure.href[len(BASE) :])
        assert local.is_file() and int(enclosure.length) == local.stat().st_size
        assert enclosure.type == {".mp3": "audio/mpeg", ".m4a": "audio/mp4"}[local.suffix]
        assert entry.itunes_duration.startswith("00:00:")
        transcript = entry.podcast_transcript
        assert transcript["type"] == "text/vtt"
        assert (sessions / transcript["url"][len(BASE) :]).read_text().startswith("WEBVTT")
        chapters = entry.podcast_chapters
        assert chapters["type"] == "application/json+chapters"
        doc = json.loads((sessions / chapters["url"][len(BASE) :]).read_text(encoding="utf-8"))
        check_chapters_json(doc, local)
    assert not list(sessions.glob(".*part*"))  # no temp files left


def test_rerender_keeps_each_episode_guid(sessions: Path, tmp_path: Path) -> None:
    def guids() -> list[str]:
        result = run("feed", str(sessions), "--base-url", BASE, "-o", str(tmp_path / "f.xml"))
        assert result.exit_code == 0, result.output
        return [e.id for e in feedparser.parse(str(tmp_path / "f.xml")).entries]

    before = guids()
    assert len(set(before)) == 3
    render(sessions, "2-core.m4a", routine("Core", "intro: Now harder.\n"))
    assert guids() == before
    render(sessions, "5-extra.mp3", routine("Extra"))  # a session added in between
    after = guids()
    for path in sessions.glob("5-extra.*"):
        path.unlink()
    assert len(set(after)) == 4 and set(before) <= set(after)  # the others stay the same


def private_folder(tmp_path: Path, out: str, name: str = "Hips") -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    render(folder, out, routine(name, "profile: {client: Sam Lee}\n"))
    return folder


def test_client_name_in_a_file_name_is_refused(tmp_path: Path) -> None:
    folder = private_folder(tmp_path, "sam-lee-hips.mp3")
    (folder / "feed.xml").write_text("old feed")
    result = run("feed", str(folder), "--base-url", BASE)
    assert result.exit_code == 1
    assert result.output == (
        f"error: {folder / 'sam-lee-hips.mp3'}: its file name names the client 'Sam Lee', "
        "and a feed is public to anyone with its address. rename it (or leave the name out "
        "of the routine), or pass --with-client-names to publish client names\n"
    )
    assert (folder / "feed.xml").read_text() == "old feed"  # nothing overwritten
    assert not list(folder.glob("*.chapters.json"))  # the feed wrote nothing


def test_client_name_in_a_title_is_refused_and_can_be_opted_in(tmp_path: Path) -> None:
    folder = private_folder(tmp_path, "1.mp3", name="Hips for sam lee")
    result = run("feed", str(folder), "--base-url", BASE)
    assert result.exit_code == 1
    assert "its title names the client 'Sam Lee'" in result.output
    result = run("feed", str(folder), "--base-url", BASE, "--with-client-names")
    assert result.exit_code == 0, result.output
    (entry,) = feedparser.parse(str(folder / "feed.xml")).entries
    assert entry.title == "Hips for sam lee (for Sam Lee)"


def test_client_sessions_publish_without_the_name(tmp_path: Path) -> None:
    folder = private_folder(tmp_path, "1.mp3")
    result = run("feed", str(folder), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    feed_text = (folder / "feed.xml").read_text(encoding="utf-8")
    chapters = (folder / "1.chapters.json").read_text(encoding="utf-8")
    assert "Sam" not in feed_text and "Sam" not in chapters


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--base-url", "example.com/s"],
            "error: --base-url: 'example.com/s' is not a web address. give the address the "
            "folder is served at, like https://example.com/sessions/ or "
            "http://192.168.1.20:8000/\n",
        ),
        (
            ["--base-url", "https://example.com/s?x=1"],
            "error: --base-url: 'https://example.com/s?x=1' has a ?query or #fragment. give "
            "the folder's address only\n",
        ),
    ],
)
def test_bad_base_url(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("feed", str(tmp_path), *args)
    assert (result.exit_code, result.output) == (1, message)


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    result = run("feed", str(tmp_path / "nope"), "--base-url", BASE)
    assert (result.exit_code, result.output) == (
        1,
        f"error: {tmp_path / 'nope'}: does not exist. give the folder that holds the "
        "rendered sessions.\n",
    )
    result = run("feed", str(tmp_path), "--base-url", BASE)
    assert (result.exit_code, result.output) == (
        1,
        f"error: {tmp_path}: no sessions in this folder (.mp3, .m4a, .ogg or .flac). render "
        f"some into it first, e.g. voicecoach render ROUTINE -o {tmp_path / 'session.mp3'}\n",
    )


def test_feed_never_overwrites_a_session(sessions: Path) -> None:
    target = sessions / "1-hips.vtt"
    before = target.read_bytes()
    result = run("feed", str(sessions), "--base-url", BASE, "-o", str(target))
    assert (result.exit_code, result.output) == (
        1,
        f"error: {target}: the feed would overwrite a transcript the feed reads. write the "
        "feed elsewhere, e.g. -o feed.xml.\n",
    )
    assert target.read_bytes() == before


def test_corrupt_session_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.mp3").write_bytes(b"not audio at all" * 10)
    result = run("feed", str(tmp_path), "--base-url", BASE)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {tmp_path / 'broken.mp3'}: ")
    assert result.output.endswith("re-render it or move it away.\n")
    assert not os.path.exists(tmp_path / "feed.xml")


def test_spoken_client_name_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    render(folder, "1.mp3", routine("Hips", "outro: Well done, Sam.\nprofile: {client: Sam}\n"))
    result = run("feed", str(folder), "--base-url", BASE)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"error: {folder / '1.mp3'}: its transcript 1.vtt names the client 'Sam', "
    )


def test_program_position_and_date_fields_order_the_feed(tmp_path: Path) -> None:
    """A program render tags each session with its place and date; the feed follows them."""
    from voicecoach.audio.extras import Extras, write_extras
    from voicecoach.session_tags import DATE_FIELD, POSITION_FIELD, PROGRAM_FIELD

    folder = tmp_path / "out"
    folder.mkdir()
    for name, position, date in (("a", 2, "2025-03-10"), ("b", 1, "2025-03-03")):
        path = render(folder, f"{name}.mp3", routine(name.upper()))
        fields = {PROGRAM_FIELD: "low-back-4-weeks", POSITION_FIELD: str(position)}
        write_extras(path, Extras(fields={**fields, DATE_FIELD: date}))
    result = run("feed", str(folder), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    entries = feedparser.parse(str(folder / "feed.xml")).entries
    assert [e.title for e in entries] == ["B", "A"]
    assert [e.published[:16] for e in entries] == ["Mon, 03 Mar 2025", "Mon, 10 Mar 2025"]
    assert [e.itunes_episode for e in entries] == ["1", "2"]
