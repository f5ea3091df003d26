"""Fixtures of the reliability tests."""

from __future__ import annotations

import pytest

from voicecoach.audio.ffmpeg import find_ffmpeg


@pytest.fixture
def ffmpeg_env(monkeypatch):
    """Set $VOICECOACH_FFMPEG for one test (find_ffmpeg caches its answer)."""

    def use(program: str) -> None:
        monkeypatch.setenv("VOICECOACH_FFMPEG", program)
        find_ffmpeg.cache_clear()

    yield use
    find_ffmpeg.cache_clear()
