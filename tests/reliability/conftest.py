"""Fixtures of the reliability tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reliability.reliability_support import CORPUS, OLD_BYTES
from voicecoach.audio.ffmpeg import find_ffmpeg


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the tiny routine and yesterday's out.wav; the cwd for the test."""
    shutil.copy(CORPUS / "valid-tiny.yaml", tmp_path / "tiny.yaml")
    (tmp_path / "out.wav").write_bytes(OLD_BYTES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def ffmpeg_env(monkeypatch):
    """Set $VOICECOACH_FFMPEG for one test (find_ffmpeg caches its answer)."""

    def use(program: str) -> None:
        monkeypatch.setenv("VOICECOACH_FFMPEG", program)
        find_ffmpeg.cache_clear()

    yield use
    find_ffmpeg.cache_clear()
