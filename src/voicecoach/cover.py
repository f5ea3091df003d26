"""Cover art: the routine's own image (``cover:``) or a bundled one.

Bundled covers live in ``audio_assets/covers/`` (one per built-in routine and a
generic one), made by ``scripts/make_covers.py``. A user's image is checked when
the routine loads, so a bad one fails before any slow work.
"""

from __future__ import annotations

from pathlib import Path

MAX_COVER_BYTES = 5 * 1024 * 1024  # players show at most about 3000×3000 pixels
GENERIC = "generic"


def image_mime(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` from the file's first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def check_cover(path: Path) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a cover image that can't be used, else None."""
    if not path.exists():
        return (
            f"cover image not found: {path}",
            "check the path; it is relative to the routine's folder",
        )
    if not path.is_file():
        return (f"the cover {path} is not a regular file", "give a PNG or JPEG file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return (
            f"cannot read the cover image {path}: {exc.strerror or exc}",
            "check the file's permissions",
        )
    if size > MAX_COVER_BYTES:
        return (
            f"the cover image {path} has {size / 1_048_576:.1f} MB; at most "
            f"{MAX_COVER_BYTES // 1_048_576} MB",
            "use a smaller image, like 1400×1400 pixels",
        )
    if image_mime(head) is None:
        return (
            f"the cover {path} is not a PNG or JPEG image",
            "convert it to PNG or JPEG, the formats players show",
        )
    return None


def cover_dirs() -> list[Path]:
    from voicecoach.audio.assets import asset_dirs

    return [d / "covers" for d in asset_dirs()]


def bundled_cover(source: str) -> Path | None:
    """The bundled cover for a routine's source ("builtin:NAME" or a file path)."""
    name = source.split(":", 1)[1] if source.startswith("builtin:") else GENERIC
    for folder in cover_dirs():
        for candidate in (folder / f"{name}.png", folder / f"{GENERIC}.png"):
            if candidate.is_file():
                return candidate
    return None


def cover_bytes(cover: str | None, source: str) -> bytes | None:
    """The image to embed: the routine's ``cover:`` or the bundled one."""
    from voicecoach.errors import AudioError

    path = Path(cover) if cover else bundled_cover(source)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AudioError(
            f"cannot read the cover image {path}: {exc.strerror or exc}. "
            "Check the file's permissions."
        ) from exc
