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


def finish_with_a_bug(*args: object) -> object:
    """Stands in for `batch._finish` in a pool worker: a bug in voicecoach's own code.

    A module-level function, so the pool sends it to the worker by name and the worker
    imports it and raises there, as a real bug would."""
    raise RuntimeError("a bug in the render process")
