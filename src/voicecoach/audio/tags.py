"""Tags and chapters: ID3v2.3 with CHAP/CTOC for MP3, ffmetadata for other formats.

A chapter is a `voicecoach.chapter.Chapter`: ``(title, start_ms, end_ms)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mutagen.id3 import (
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TIT2,
    TPE1,
    CTOCFlags,
    Encoding,
    ID3NoHeaderError,
)

from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S, run_ffmpeg
from voicecoach.chapter import Chapter
from voicecoach.errors import AudioError
from voicecoach.text import timestamp

TAG_KEYS = ("title", "artist", "album", "genre", "comment")
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time


def _check_chapters(chapters: Sequence[Chapter]) -> None:
    for title, start, end in chapters:
        if start < 0 or end < start:
            raise ValueError(f"chapter {title!r} has invalid times {start}..{end} ms")


class _TimeOrderedID3(ID3):
    """ID3 that saves CHAP frames in time order.

    mutagen sorts frames by size when saving, which shuffles chapters; players built
    on libavformat (VLC, mpv, many Android apps) list CHAP frames in file order.
    """

    def _write(self, config: Any) -> bytes:
        from mutagen.id3._tags import save_frame

        chaps = sorted(self.getall("CHAP"), key=lambda f: (f.start_time, f.element_id))
        self.delall("CHAP")
        try:
            head: bytes = super()._write(config)  # type: ignore[no-untyped-call]
        finally:
            for frame in chaps:
                self.add(frame)
        return head + b"".join(save_frame(f, config=config) for f in chaps)


def open_id3(p: Path) -> ID3:
    try:
        return _TimeOrderedID3(str(p))
    except ID3NoHeaderError:
        return _TimeOrderedID3()
    except OSError as exc:
        raise AudioError(
            f"cannot read {p} to tag it: {exc.strerror}. Check the output folder."
        ) from exc


def save_id3(tags: ID3, p: Path) -> None:
    try:
        tags.save(str(p), v2_version=3)
    except OSError as exc:
        raise AudioError(
            f"cannot write tags to {p}: {exc.strerror}. Check free disk space."
        ) from exc


def write_mp3_tags(
    path: str | Path,
    *,
    title: str | None = None,
    artist: str | None = None,
    album: str | None = None,
    genre: str | None = None,
    comment: str | None = None,
    chapters: Sequence[Chapter] = (),
) -> None:
    """Write ID3v2.3 text tags and one CHAP per chapter plus a top-level ordered CTOC."""
    _check_chapters(chapters)
    p = Path(path)
    tags = open_id3(p)
    utf16 = Encoding.UTF16  # ID3v2.3 has no UTF-8
    for frame_cls, value in ((TIT2, title), (TPE1, artist), (TALB, album), (TCON, genre)):
        if value:
            tags.setall(frame_cls.__name__, [frame_cls(encoding=utf16, text=[value])])
    if comment:
        tags.setall("COMM", [COMM(encoding=utf16, lang="eng", desc="", text=[comment])])
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, (name, start, end) in zip(ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=int(start),
                end_time=int(end),
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=utf16, text=[name])],
            )
        )
    if ids:
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=utf16, text=["Chapters"])],
            )
        )
    save_id3(tags, p)


VORBIS_SUFFIXES = (".ogg", ".oga", ".flac")


def open_vorbis(path: Path) -> Any:
    """The mutagen file object of an Ogg or FLAC output (Vorbis comments), with tags."""
    import mutagen

    try:
        f = mutagen.File(str(path))
    except (OSError, mutagen.MutagenError) as exc:
        raise AudioError(
            f"cannot read tags of {path}: {exc}. Check that it is an audio file."
        ) from exc
    if f is None:
        raise AudioError(
            f"cannot read tags of {path}: unknown format. Check that it is an audio file."
        )
    if f.tags is None:
        f.add_tags()
    return f


def _parse_clock(text: str) -> int:
    h, m, rest = text.strip().split(":")
    sec, _, frac = rest.partition(".")
    return (int(h) * 3600 + int(m) * 60 + int(sec)) * 1000 + int((frac + "000")[:3])


def write_vorbis_tags(
    path: str | Path,
    *,
    title: str | None = None,
    artist: str | None = None,
    album: str | None = None,
    genre: str | None = None,
    comment: str | None = None,
    chapters: Sequence[Chapter] = (),
) -> None:
    """Vorbis comments for OGG/FLAC, chapters as CHAPTERnnn / CHAPTERnnnNAME (start only)."""
    _check_chapters(chapters)
    p = Path(path)
    f = open_vorbis(p)
    tags = f.tags
    for key, value in (("TITLE", title), ("ARTIST", artist), ("ALBUM", album), ("GENRE", genre)):
        if value:
            tags[key] = [value]
    if comment:
        tags["COMMENT"] = [comment]
        tags["DESCRIPTION"] = [comment]
    old = [k for k in tags.keys() if k.upper().startswith("CHAPTER")]  # noqa: SIM118
    for key in old:  # (a VCommentDict iterates (key, value) pairs, hence .keys())
        del tags[key]
    for i, (name, start, _end) in enumerate(chapters, start=1):
        tags[f"CHAPTER{i:03d}"] = [timestamp(int(start))]
        tags[f"CHAPTER{i:03d}NAME"] = [name]
    save_file(f, p)


def save_file(f: Any, p: Path) -> None:
    """Save a mutagen file object (its tags) back to ``p``."""
    try:
        f.save()
    except OSError as exc:
        raise AudioError(
            f"cannot write tags to {p}: {exc.strerror}. Check free disk space."
        ) from exc


def _read_vorbis(path: Path) -> tuple[dict[str, str], list[Chapter]]:
    f = open_vorbis(path)
    tags = {k.lower(): v[0] for k, v in f.tags.as_dict().items() if v}
    starts: dict[int, int] = {}
    names: dict[int, str] = {}
    for key, value in tags.items():
        m = re.fullmatch(r"chapter(\d+)(name)?", key)
        if m and m.group(2):
            names[int(m.group(1))] = value
        elif m:
            starts[int(m.group(1))] = _parse_clock(value)
    order = sorted(starts)
    total = round(float(f.info.length) * 1000)
    chapters = []
    for pos, idx in enumerate(order):
        end = starts[order[pos + 1]] if pos + 1 < len(order) else total
        chapters.append(Chapter(names.get(idx, ""), starts[idx], end))
    return {k: v for k, v in tags.items() if k in TAG_KEYS}, chapters


def _escape(value: str) -> str:
    """ffmetadata escaping: = ; # \\ and line breaks (CR too: ffmpeg ends a line at
    either) take a backslash. A trailing backslash is dropped: ffmpeg's reader would
    take it (even escaped) as continuing the line, swallowing the next tag."""
    out = []
    for ch in value.rstrip("\\"):
        if ch in "=;#\\\n\r":
            out.append("\\")
        out.append(ch)
    return "".join(out)


def ffmetadata(metadata: Mapping[str, str] | None, chapters: Sequence[Chapter] = ()) -> str:
    """An ffmetadata document (global tags, then one [CHAPTER] per chapter in ms)."""
    _check_chapters(chapters)
    lines = [";FFMETADATA1"]
    for key, value in (metadata or {}).items():
        if value:
            lines.append(f"{_escape(key)}={_escape(str(value))}")
    for name, start, end in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={int(start)}",
            f"END={int(end)}",
            f"title={_escape(name)}",
        ]
    return "\n".join(lines) + "\n"


def _dump_ffmetadata(path: Path, timeout_s: float = FFMPEG_TIMEOUT_S) -> str:
    cmd = [
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-i",
        str(path),
        "-f",
        "ffmetadata",
        "-",
    ]
    code, stdout, stderr = run_ffmpeg(cmd, doing=f"reading the tags of {path}", timeout_s=timeout_s)
    if code != 0:
        last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise AudioError(
            f"cannot read metadata of {path}: {' '.join(last)}. Check that it is an audio file."
        )
    return stdout.decode("utf-8", "replace")


def _unescape(value: str) -> str:
    out, chars = [], iter(value)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


def _parse_ffmetadata(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    globals_: dict[str, str] = {}
    chapters: list[dict[str, str]] = []
    section: dict[str, str] | None = globals_
    # a backslash escapes the next character (a line break too); CR is text
    for raw in re.findall(r"(?:\\.|[^\\\n])+", text, flags=re.S):
        if not raw or raw.startswith((";", "#")):
            continue
        if raw.startswith("["):
            section = {} if raw.strip() == "[CHAPTER]" else None
            if section is not None:
                chapters.append(section)
            continue
        if section is None or "=" not in raw:
            continue
        key, _, value = raw.partition("=")
        section[key.strip().lower()] = _unescape(value)
    return globals_, chapters


def _to_ms(value: str, timebase: str) -> int:
    num, _, den = timebase.partition("/")
    return round(int(value) * int(num or 1) * 1000 / int(den or 1))


def read_chapters(path: str | Path, *, timeout_s: float = FFMPEG_TIMEOUT_S) -> list[Chapter]:
    """Chapters of an audio file, in order: ID3 CHAP frames for MP3, else via ffmpeg."""
    p = Path(path)
    if p.suffix.lower() == ".mp3":
        try:
            tags = ID3(str(p))
        except ID3NoHeaderError:
            return []
        chaps = {f.element_id: f for f in tags.getall("CHAP")}
        tocs = [t for t in tags.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL]
        order = [i for i in tocs[0].child_element_ids if i in chaps] if tocs else []
        order += sorted((i for i in chaps if i not in order), key=lambda i: chaps[i].start_time)
        result = []
        for element_id in order:
            frame = chaps[element_id]
            titles = frame.sub_frames.getall("TIT2")
            name = str(titles[0].text[0]) if titles else ""
            result.append(Chapter(name, int(frame.start_time), int(frame.end_time)))
        return result
    if p.suffix.lower() in VORBIS_SUFFIXES:
        return _read_vorbis(p)[1]
    _, chapters = _parse_ffmetadata(_dump_ffmetadata(p, timeout_s))
    out = []
    for ch in chapters:
        tb = ch.get("timebase", "1/1000")
        start, end = _to_ms(ch.get("start", "0"), tb), _to_ms(ch.get("end", "0"), tb)
        out.append(Chapter(ch.get("title", ""), start, end))
    return out


def read_tags(path: str | Path, *, timeout_s: float = FFMPEG_TIMEOUT_S) -> dict[str, str]:
    """Title/artist/album/genre/comment of an audio file (ID3 for MP3, else ffmpeg)."""
    p = Path(path)
    if p.suffix.lower() == ".mp3":
        try:
            tags = ID3(str(p))
        except ID3NoHeaderError:
            return {}
        found = {}
        for key, frame_id in (
            ("title", "TIT2"),
            ("artist", "TPE1"),
            ("album", "TALB"),
            ("genre", "TCON"),
        ):
            frames = tags.getall(frame_id)
            if frames:
                found[key] = str(frames[0].text[0])
        comments = tags.getall("COMM")
        if comments:
            found["comment"] = str(comments[0].text[0])
        return found
    if p.suffix.lower() in VORBIS_SUFFIXES:
        return _read_vorbis(p)[0]
    globals_, _ = _parse_ffmetadata(_dump_ffmetadata(p, timeout_s))
    return {k: v for k, v in globals_.items() if k in TAG_KEYS}
