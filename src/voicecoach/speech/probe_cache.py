"""Remember what an engine's worker said about itself (voices, version) between runs.

Starting the pyttsx3 worker only to learn its voices and version costs most of a
second on every render, even when every phrase is already cached. The answer changes
only when the installed software does, so it is stored under a fingerprint of that
software (package versions, the library file's size and time) next to the phrase cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = 1


def _folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("voicecoach")) / "engines"


def file_identity(paths: Iterable[str]) -> list[str]:
    """Path, size and mtime of each file that exists: changes when it is replaced."""
    out = []
    for path in paths:
        with contextlib.suppress(OSError):
            real = os.path.realpath(path)
            st = os.stat(real)
            out.append(f"{real}:{st.st_size}:{st.st_mtime_ns}")
    return out


def _path(engine: str, parts: Iterable[str]) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, engine, *parts]).encode()).hexdigest()
    return _folder() / f"{engine}-{digest[:24]}.json"


def load(engine: str, parts: list[str]) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(engine, parts).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(engine: str, parts: list[str], data: dict[str, Any]) -> None:
    """Best effort and atomic: a cache that cannot be written is simply not used."""
    target = _path(engine, parts)
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
