"""Fixtures for render tests: a short routine and a sine-wave music file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.render.render_helpers import SHORT_ROUTINE, write_wav


@pytest.fixture
def short_routine(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT_ROUTINE, encoding="utf-8")
    return path


@pytest.fixture
def sine_music(tmp_path: Path) -> Path:
    """Ten seconds of a 3 kHz sine: far above the fake engine's 220-440 Hz bursts."""
    t = np.arange(10 * 44100) / 44100
    return write_wav(tmp_path / "sine.wav", 0.5 * np.sin(2 * np.pi * 3000 * t))
