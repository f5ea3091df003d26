"""Looking after the phrase cache: what is in it, clearing it, and keeping it in bounds.

The cache is capped (default 1 GB; VOICECOACH_CACHE_MAX, e.g. "500M", "2G", "0" for no
cap). After a render has added clips, `trim` removes the least recently used entries
(by modification time; `PhraseCache.get` touches an entry it reads) until the cache
fits. Removing is safe while other renders run: a render holds the clips it has read
in memory, a reader that finds an entry gone synthesizes it again, and writers rename
whole files into place. One trim runs at a time (an flock on a lock file).
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpeechError
from .cache_entry import MAGIC, SUFFIX

DEFAULT_MAX_BYTES = 1_000_000_000
ENV_MAX = "VOICECOACH_CACHE_MAX"
LOCK_NAME = ".trim.lock"
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def parse_size(text: str) -> int:
    """ "500M", "2G", "123456" -> bytes. Raises SpeechError with the fix."""
    raw = text.strip().upper().removesuffix("B")
    unit = raw[-1:] if raw[-1:] in _UNITS and raw[-1:] else ""
    number = raw[: len(raw) - len(unit)] if unit else raw
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if not number or value < 0 or value != value or value == float("inf"):
        raise SpeechError(
            f"{ENV_MAX}={text!r} is not a size. Use bytes or a number with K, M or G, "
            "e.g. 500M or 2G (0 means no cap)."
        )
    return int(value * _UNITS[unit])


def max_bytes() -> int:
    env = os.environ.get(ENV_MAX)
    return DEFAULT_MAX_BYTES if env is None or not env.strip() else parse_size(env)


def _entries(directory: Path) -> list[tuple[Path, os.stat_result]]:
    out = []
    with contextlib.suppress(OSError):
        for sub in directory.iterdir():
            if not sub.is_dir():
                continue
            with contextlib.suppress(OSError):
                for path in sub.iterdir():
                    if path.name.endswith(SUFFIX):
                        with contextlib.suppress(OSError):
                            out.append((path, path.stat()))
    return out


def _header(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as f:
            head = f.read(len(MAGIC) + 32 + 4 + 4096)
        start = len(MAGIC) + 32
        (size,) = struct.unpack_from("<I", head, start)
        data = json.loads(head[start + 4 : start + 4 + size])
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, struct.error):
        return {}


@dataclass
class Group:
    entries: int = 0
    bytes: int = 0


@dataclass
class CacheInfo:
    directory: Path
    entries: int = 0
    bytes: int = 0
    cap: int = DEFAULT_MAX_BYTES
    by_voice: dict[tuple[str, str], Group] = field(default_factory=dict)


def info(directory: Path) -> CacheInfo:
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    result = CacheInfo(directory, cap=max_bytes())
    for path, st in _entries(directory):
        head = _header(path)
        key = (str(head.get("engine") or "unknown"), str(head.get("voice") or "unknown"))
        groups[key].entries += 1
        groups[key].bytes += st.st_size
        result.entries += 1
        result.bytes += st.st_size
    result.by_voice = dict(sorted(groups.items()))
    return result


def clear(directory: Path, engine: str | None = None) -> tuple[int, int]:
    """Remove every entry (or those of one engine); returns (entries, bytes) removed."""
    removed = freed = 0
    for path, st in _entries(directory):
        if engine is not None and _header(path).get("engine") != engine:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
            freed += st.st_size
    return removed, freed


def trim(directory: Path, limit: int | None = None) -> int:
    """Evict least recently used entries until the cache fits; returns entries removed."""
    try:
        limit = max_bytes() if limit is None else limit
    except SpeechError:
        limit = DEFAULT_MAX_BYTES
    if limit <= 0:
        return 0
    entries = _entries(directory)
    total = sum(st.st_size for _, st in entries)
    if total <= limit:
        return 0
    with _trim_lock(directory) as locked:
        if not locked:
            return 0  # another render is trimming right now
        removed = 0
        for path, st in sorted(entries, key=lambda e: e[1].st_mtime_ns):
            if total <= limit:
                break
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
            total -= st.st_size
        return removed


@contextlib.contextmanager
def _trim_lock(directory: Path) -> Iterator[bool]:
    try:
        import fcntl
    except ImportError:  # Windows: no flock; unlinking is still safe
        yield True
        return
    try:
        fd = os.open(directory / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
