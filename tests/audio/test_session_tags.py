"""Rendered sessions carry chapters in time order, cover art, author/album, lyrics.

Everything is read back by independent readers: ffmpeg (its chapter listing and
ffmetadata dump, what libavformat players see), ffprobe's JSON, and mutagen.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from voicecoach.audio.extras import read_extras
from voicecoach.audio.ffmpeg import find_ffmpeg
from voicecoach.audio.tags import _dump_ffmetadata, _parse_ffmetadata
from voicecoach.cli import cli
from voicecoach.cover import bundled_cover
from voicecoach.errors import RoutineError
from voicecoach.routine import load_routine

# Twelve exercises: ids chp0..chp11 and titles of different lengths, which is what
# made mutagen's size-sorted save shuffle the CHAP frames.
NAMES = ["A", "Bird dog long name", "C", "Dead bug", "E e", "F", "Gg", "H", "I", "J", "K", "L"]
ROUTINE = (
    "name: Tag test\n"
    "description: Checks tags.\n"
    "author: Routine Writer\n"
    "album: Back basics\n"
    "profile: {author: Alex Rivera, album: Low-back rehab, client: Sam}\n"
    "sound: {background: none, chimes: false}\n"
    "defaults: {rest: 0s, rest_after: 0s}\n"
    "exercises:\n" + "".join(f"  - {{name: {n}, hold: 1s}}\n" for n in NAMES)
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # players need no more than the signature here


def render(tmp_path: Path, out: str, text: str = ROUTINE) -> Path:
    routine = tmp_path / "tags.yaml"
    routine.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["render", str(routine), "--engine", "fake", "-q", "-o", str(tmp_path / out)]
    )
    assert result.exit_code == 0, result.output
    return tmp_path / out


def ffmpeg_chapter_listing(path: Path) -> list[str]:
    """Chapter titles as `ffmpeg -i` lists them (what VLC and mpv show)."""
    proc = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-i", str(path)], capture_output=True, check=False
    )
    text = proc.stderr.decode("utf-8", "replace")
    starts = re.findall(r"Chapter #0:\d+: start (\d+\.\d+)", text)
    titles = re.findall(r"Chapter #0:\d+: start.*\n\s+Metadata:\s*\n\s+title\s+: (.*)", text)
    assert [float(s) for s in starts] == sorted(float(s) for s in starts)
    return titles


@pytest.fixture(scope="module")
def mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("mp3"), "s.mp3")


@pytest.fixture(scope="module")
def m4a(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("m4a"), "s.m4a")


def test_mp3_chap_frames_are_stored_in_time_order(mp3: Path) -> None:
    frames = ID3(str(mp3)).getall("CHAP")  # in file order
    assert [f.start_time for f in frames] == sorted(f.start_time for f in frames)
    assert [str(f.sub_frames["TIT2"].text[0]) for f in frames] == NAMES
    assert ffmpeg_chapter_listing(mp3) == NAMES


def test_mp3_tags_author_album_cover_and_lyrics(mp3: Path) -> None:
    tags = ID3(str(mp3))
    assert str(tags["TPE1"].text[0]) == "Alex Rivera"  # the profile's author wins
    assert str(tags["TALB"].text[0]) == "Low-back rehab"
    apic = tags.getall("APIC")[0]
    generic = bundled_cover("tags.yaml")
    assert generic is not None and apic.data == generic.read_bytes()
    assert apic.mime == "image/png" and apic.type == 3
    lyrics = str(tags.getall("USLT")[0].text)
    vtt = mp3.with_suffix(".vtt").read_text(encoding="utf-8")
    spoken = [
        block for block in vtt.split("\n\n")[1:] if block.strip() and not block.startswith("NOTE")
    ]
    assert len(lyrics.splitlines()) == len(spoken)
    assert all(block.splitlines()[-1] in lyrics for block in spoken)
    assert str(tags["TXXX:VOICECOACH_ROUTINE"].text[0]) == "tags.yaml"
    assert str(tags["TXXX:VOICECOACH_CLIENT"].text[0]) == "Sam"
    meta, _ = _parse_ffmetadata(_dump_ffmetadata(mp3))
    assert meta["artist"] == "Alex Rivera" and meta["album"] == "Low-back rehab"


def test_m4a_gets_the_same_tags_and_chapters(m4a: Path, mp3: Path) -> None:
    f: Any = MP4(str(m4a))  # mutagen leaves MP4's tags untyped (declared None)
    assert f.tags["\xa9ART"] == ["Alex Rivera"]
    assert f.tags["\xa9alb"] == ["Low-back rehab"]
    assert f.tags["\xa9nam"] == ["Tag test"]
    assert bytes(f.tags["covr"][0]) == read_extras(mp3).cover
    assert f.tags["\xa9lyr"][0] == read_extras(mp3).lyrics
    assert read_extras(m4a).fields == read_extras(mp3).fields
    # ffmpeg wrote the chapters (mutagen can't); mutagen's later save kept them
    meta, chapters = _parse_ffmetadata(_dump_ffmetadata(m4a))
    assert [c["title"] for c in chapters] == NAMES
    assert meta["artist"] == "Alex Rivera"
    assert ffmpeg_chapter_listing(m4a) == NAMES
    assert [c.title for c in f.chapters] == NAMES  # mutagen reads them too


def test_routine_cover_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "me.png").write_bytes(PNG)
    out = render(tmp_path, "c.mp3", ROUTINE.replace("album: Back basics\n", "cover: me.png\n"))
    assert ID3(str(out)).getall("APIC")[0].data == PNG


def test_builtin_routine_has_its_own_cover() -> None:
    own = bundled_cover("builtin:low-back-reset")
    assert own is not None and own.name == "low-back-reset.png"
    assert own.read_bytes() != bundled_cover("x.yaml").read_bytes()  # type: ignore[union-attr]


def cover_error(tmp_path: Path, setup: str = "") -> str:
    routine = tmp_path / "r.yaml"
    routine.write_text("name: T\ncover: art/me.png\nexercises: [{name: a, reps: 2}]\n")
    (tmp_path / "art").mkdir()
    if setup == "text":
        (tmp_path / "art" / "me.png").write_text("not an image")
    elif setup == "folder":
        (tmp_path / "art" / "me.png").mkdir()
    with pytest.raises(RoutineError) as caught:
        load_routine(routine)
    return str(caught.value)


def test_missing_cover_is_located(tmp_path: Path) -> None:
    assert cover_error(tmp_path) == (
        f"{tmp_path / 'r.yaml'}:2:8: cover: cover image not found: {tmp_path / 'art/me.png'}. "
        "check the path; it is relative to the routine's folder."
    )


def test_cover_that_is_not_an_image_is_located(tmp_path: Path) -> None:
    assert cover_error(tmp_path, "text") == (
        f"{tmp_path / 'r.yaml'}:2:8: cover: the cover {tmp_path / 'art/me.png'} is not a "
        "PNG or JPEG image. convert it to PNG or JPEG, the formats players show."
    )


def test_cover_that_is_a_folder_is_located(tmp_path: Path) -> None:
    assert cover_error(tmp_path, "folder") == (
        f"{tmp_path / 'r.yaml'}:2:8: cover: the cover {tmp_path / 'art/me.png'} is not a "
        "regular file. give a PNG or JPEG file."
    )


def test_unreadable_cover_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "me.png":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    routine = tmp_path / "r.yaml"
    routine.write_text("name: T\ncover: me.png\nexercises: [{name: a, reps: 2}]\n")
    (tmp_path / "me.png").write_bytes(PNG)
    monkeypatch.setattr(Path, "open", refuse)  # running as root, chmod can't refuse
    with pytest.raises(RoutineError) as caught:
        load_routine(routine)
    assert str(caught.value) == (
        f"{routine}:2:8: cover: cannot read the cover image {tmp_path / 'me.png'}: "
        "Permission denied. check the file's permissions."
    )


@pytest.mark.parametrize("suffix", ["ogg", "flac"])
def test_vorbis_formats_carry_cover_lyrics_and_fields(tmp_path: Path, suffix: str) -> None:
    import mutagen

    short = ROUTINE.split("exercises:")[0] + "exercises: [{name: A, hold: 1s}]\n"
    out = render(tmp_path, f"s.{suffix}", short)
    f = mutagen.File(str(out))
    assert f.tags["ARTIST"] == ["Alex Rivera"] and f.tags["ALBUM"] == ["Low-back rehab"]
    assert f.tags["VOICECOACH_CLIENT"] == ["Sam"]
    # blocks: WEBVTT, the title NOTE, then the first cue
    first_cue = out.with_suffix(".vtt").read_text(encoding="utf-8").split("\n\n")[2]
    assert f.tags["LYRICS"][0].splitlines()[0] == first_cue.splitlines()[-1]
    generic = bundled_cover("x.yaml")
    assert generic is not None and read_extras(out).cover == generic.read_bytes()


def _ffprobe() -> str:
    """Debian's ffprobe (.ci/run installs it); locally the test skips without it."""
    import os
    import shutil

    found = shutil.which("ffprobe")
    if found is None:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail("ffprobe is missing: .ci/run installs Debian's ffmpeg package")
        pytest.skip("ffprobe is not installed (apt-get install ffmpeg)")
    return found


@pytest.mark.parametrize("fixture", ["mp3", "m4a"])
def test_ffprobe_reads_chapters_in_order_and_the_tags(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    import json

    path: Path = request.getfixturevalue(fixture)
    proc = subprocess.run(
        [_ffprobe(), "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    probed = json.loads(proc.stdout)
    chapters = probed["chapters"]
    assert [c["tags"]["title"] for c in chapters] == NAMES
    starts = [float(c["start_time"]) for c in chapters]
    assert starts == sorted(starts)
    tags = {k.lower(): v for k, v in probed["format"]["tags"].items()}
    assert tags["artist"] == "Alex Rivera"
    assert tags["album"] == "Low-back rehab"
    assert tags["title"] == "Tag test"
