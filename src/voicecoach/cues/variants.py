"""Deterministic choice among phrasings, driven by --seed.

sha256 of (seed, key, cycle) rather than Python's `hash()`, which is salted per
process: the same seed must give the same session on every run and machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


class VariantPicker:
    """Picks one phrasing per use of a key. The phrasings rotate: each is used once,
    in a seeded order, before any comes back, and never the same one twice in a row."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._uses: dict[str, int] = {}
        self._orders: dict[tuple[str, int], list[int]] = {}

    def _order(self, key: str, count: int, cycle: int) -> list[int]:
        found = self._orders.get((key, count))
        if found is not None and len(found) >= (cycle + 1) * count:
            return found
        order = found or []
        while len(order) < (cycle + 1) * count:
            n = len(order) // count
            ranked = sorted(
                range(count),
                key=lambda i: hashlib.sha256(
                    f"{self.seed}\x00{key}\x00{n}\x00{i}".encode()
                ).digest(),
            )
            if order and ranked[0] == order[-1]:
                ranked.append(ranked.pop(0))  # no repeat across the cycle boundary
            order.extend(ranked)
        self._orders[(key, count)] = order
        return order

    def index(self, key: str, count: int) -> int:
        """Index of the phrasing to use for the next occurrence of ``key``."""
        if count <= 1:
            return 0
        n = self._uses.get(key, 0)
        self._uses[key] = n + 1
        cycle = n // count
        return self._order(key, count, cycle)[n]

    def pick(self, key: str, options: Sequence[str]) -> str:
        return options[self.index(key, len(options))]
