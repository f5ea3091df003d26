"""Fixtures for the audio tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audio.audio_signals import sine


@pytest.fixture
def sine_mp3(tmp_path: Path) -> Path:
    """A real 3 s MP3 made by our own encoder."""
    from voicecoach.audio.encode import Encoder

    path = tmp_path / "music.mp3"
    with Encoder(path, "mp3") as enc:
        enc.write(sine(440, 3.0, 0.3))
    return path
