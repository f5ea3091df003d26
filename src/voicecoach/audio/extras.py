"""Cover art, the transcript as lyrics, and voicecoach's own fields in an audio file.

Written after the encoder has put the text tags and chapters in (``tags.py``):
- MP3: APIC (front cover), USLT (unsynchronised lyrics), TXXX per field;
- M4A: ``covr``, ``©lyr``, a freeform ``----:org.voicecoach:KEY`` atom per field;
- OGG/FLAC: a picture block, ``LYRICS``, one comment per field;
- WAV: nothing (its INFO chunk has no place for them).

The fields (``VOICECOACH_ROUTINE``, ``VOICECOACH_CLIENT``, ...) let ``voicecoach
feed`` recognise a session again after a re-render.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutagen.id3 import APIC, TXXX, USLT, Encoding, PictureType

from voicecoach.audio.tags import VORBIS_SUFFIXES, open_id3, open_vorbis, save_file, save_id3
from voicecoach.cover import image_mime
from voicecoach.errors import AudioError

_MP4_FIELD = "----:org.voicecoach:"


@dataclass(frozen=True)
class Extras:
    cover: bytes | None = None  # PNG or JPEG bytes
    lyrics: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def cover_mime(self) -> str:
        return image_mime(self.cover or b"") or "image/png"


def write_extras(path: str | Path, extras: Extras) -> None:
    """Add cover, lyrics and fields to an already tagged file (format from its suffix)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".mp3":
        _write_mp3(p, extras)
    elif suffix in (".m4a", ".mp4", ".aac"):
        _write_mp4(p, extras)
    elif suffix in VORBIS_SUFFIXES:
        _write_vorbis(p, extras)


def read_extras(path: str | Path) -> Extras:
    """What ``write_extras`` wrote (empty for formats that carry none)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".mp3":
        return _read_mp3(p)
    if suffix in (".m4a", ".mp4", ".aac"):
        return _read_mp4(p)
    if suffix in VORBIS_SUFFIXES:
        return _read_vorbis(p)
    return Extras()


def _write_mp3(p: Path, extras: Extras) -> None:
    tags = open_id3(p)
    utf16 = Encoding.UTF16  # ID3v2.3 has no UTF-8
    if extras.cover:
        tags.setall(
            "APIC",
            [
                APIC(
                    encoding=utf16,
                    mime=extras.cover_mime,
                    type=PictureType.COVER_FRONT,
                    desc="Cover",
                    data=extras.cover,
                )
            ],
        )
    if extras.lyrics:
        tags.setall("USLT", [USLT(encoding=utf16, lang="eng", desc="", text=extras.lyrics)])
    for key, value in extras.fields.items():
        tags.add(TXXX(encoding=utf16, desc=key, text=[value]))
    save_id3(tags, p)


def _read_mp3(p: Path) -> Extras:
    tags = open_id3(p)
    pictures = tags.getall("APIC")
    lyrics = tags.getall("USLT")
    fields = {f.desc: str(f.text[0]) for f in tags.getall("TXXX") if f.text}
    return Extras(
        cover=bytes(pictures[0].data) if pictures else None,
        lyrics=str(lyrics[0].text) if lyrics else None,
        fields=fields,
    )


def _open_mp4(p: Path) -> Any:
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    try:
        f = MP4(str(p))
    except (OSError, MutagenError) as exc:
        raise AudioError(f"cannot read tags of {p}: {exc}. Check that it is an M4A file.") from exc
    if f.tags is None:
        f.add_tags()
    return f


def _write_mp4(p: Path, extras: Extras) -> None:
    from mutagen.mp4 import MP4Cover, MP4FreeForm

    f = _open_mp4(p)
    if extras.cover:
        kind = MP4Cover.FORMAT_JPEG if extras.cover_mime == "image/jpeg" else MP4Cover.FORMAT_PNG
        f.tags["covr"] = [MP4Cover(extras.cover, imageformat=kind)]
    if extras.lyrics:
        f.tags["\xa9lyr"] = [extras.lyrics]
    for key, value in extras.fields.items():
        f.tags[_MP4_FIELD + key] = [MP4FreeForm(value.encode("utf-8"))]
    save_file(f, p)


def _read_mp4(p: Path) -> Extras:
    tags = _open_mp4(p).tags
    covers = tags.get("covr", [])
    lyrics = tags.get("\xa9lyr", [])
    fields = {
        key[len(_MP4_FIELD) :]: bytes(value[0]).decode("utf-8", "replace")
        for key, value in tags.items()
        if key.startswith(_MP4_FIELD) and value
    }
    return Extras(
        cover=bytes(covers[0]) if covers else None,
        lyrics=str(lyrics[0]) if lyrics else None,
        fields=fields,
    )


def _picture(extras: Extras) -> Any:
    from mutagen.flac import Picture

    pic = Picture()
    pic.type = PictureType.COVER_FRONT
    pic.mime = extras.cover_mime
    pic.desc = "Cover"
    pic.data = extras.cover or b""
    return pic


def _write_vorbis(p: Path, extras: Extras) -> None:
    f = open_vorbis(p)
    if extras.cover:
        if p.suffix.lower() == ".flac":
            f.clear_pictures()
            f.add_picture(_picture(extras))
        else:
            block = base64.b64encode(_picture(extras).write()).decode("ascii")
            f.tags["METADATA_BLOCK_PICTURE"] = [block]
    if extras.lyrics:
        f.tags["LYRICS"] = [extras.lyrics]
    for key, value in extras.fields.items():
        f.tags[key] = [value]
    save_file(f, p)


def _read_vorbis(p: Path) -> Extras:
    from mutagen.flac import Picture

    f = open_vorbis(p)
    cover = None
    if getattr(f, "pictures", None):
        cover = bytes(f.pictures[0].data)
    elif f.tags.get("METADATA_BLOCK_PICTURE"):
        cover = Picture(base64.b64decode(f.tags["METADATA_BLOCK_PICTURE"][0])).data
    lyrics = f.tags.get("LYRICS")
    fields = {
        k.upper(): v[0]
        for k, v in f.tags.as_dict().items()
        if k.upper().startswith("VOICECOACH_") and v
    }
    return Extras(cover=cover, lyrics=lyrics[0] if lyrics else None, fields=fields)
