"""Helpers for batch tests (a module name of its own, so test folders don't collide)."""

from __future__ import annotations

from pathlib import Path


def fast(folder: Path) -> list[str]:
    """Render options for quick tests: the fake engine and a private cache."""
    return [
        "--engine",
        "fake",
        "--voice",
        "tone",
        "--cache-dir",
        str(folder / "cache"),
        "--jobs",
        "2",
    ]
