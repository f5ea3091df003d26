"""Deterministic choice among phrasings, driven by --seed.

sha256 of (seed, key, occurrence) rather than Python's `hash()`, which is salted per
process: the same seed must give the same session on every run and machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


class VariantPicker:
    """Picks one phrasing per use of a key; never the same one twice in a row."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._uses: dict[str, int] = {}
        self._last: dict[str, int] = {}

    def index(self, key: str, count: int) -> int:
        """Index of the phrasing to use for the next occurrence of ``key``."""
        if count <= 1:
            return 0
        n = self._uses.get(key, 0)
        self._uses[key] = n + 1
        digest = hashlib.sha256(f"{self.seed}\x00{key}\x00{n}".encode()).digest()
        i = int.from_bytes(digest[:8], "big") % count
        if self._last.get(key) == i:
            i = (i + 1) % count
        self._last[key] = i
        return i

    def pick(self, key: str, options: Sequence[str]) -> str:
        return options[self.index(key, len(options))]
