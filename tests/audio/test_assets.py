from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.audio.audio_signals import SR, sine
from voicecoach.audio.assets import asset_names, asset_path, load_asset, read_wav
from voicecoach.audio.resample import resample, resampled_length
from voicecoach.errors import AudioError

REPO = Path(__file__).resolve().parents[2]
SOUNDS = ["beep", "beep_end", "chime", "done", "pad", "tick"]


def test_bundled_sounds_exist_and_are_small() -> None:
    assert set(SOUNDS) <= set(asset_names())
    total = sum(asset_path(n).stat().st_size for n in SOUNDS)
    assert total < 2 * 1024 * 1024


@pytest.mark.parametrize("name", SOUNDS)
def test_sounds_load_as_stereo_float32_without_clipping(name: str) -> None:
    x = load_asset(name)
    assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 2
    assert 0.05 < float(np.abs(x).max()) < 0.5
    assert (abs(float(x[0, 0])) < 0.01 and abs(float(x[-1, 0])) < 0.05) or name == "pad"


def test_durations() -> None:
    seconds = {n: len(load_asset(n)) / SR for n in SOUNDS}
    assert seconds["tick"] <= 0.05
    assert seconds["beep"] < seconds["beep_end"] < 1.0
    assert 8 <= seconds["pad"] <= 12
    assert 1.0 <= seconds["done"] <= 4.0


def test_cached_and_read_only() -> None:
    a, b = load_asset("chime"), load_asset("chime.wav")
    assert a is b
    with pytest.raises(ValueError):
        a[0, 0] = 1.0


def test_other_sample_rate() -> None:
    assert len(load_asset("beep", 22050)) == resampled_length(len(load_asset("beep")), SR, 22050)


def test_unknown_sound() -> None:
    with pytest.raises(AudioError) as err:
        asset_path("gong")
    assert (
        str(err.value) == f"unknown bundled sound 'gong'. Use one of: {', '.join(asset_names())}."
    )


def test_make_assets_reproduces_the_bundled_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_assets", REPO / "scripts" / "make_assets.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_assets"] = module
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path)]) == 0
    for name in SOUNDS:
        fresh, rate = read_wav(tmp_path / f"{name}.wav")
        bundled, _ = read_wav(asset_path(name))
        assert rate == SR
        assert fresh.shape == bundled.shape
        assert np.abs(fresh - bundled).max() <= 1.5 / 32768  # at most 1 LSB apart


@pytest.mark.parametrize(
    ("src", "dst"), [(22050, 44100), (48000, 44100), (16000, 44100), (44100, 22050)]
)
def test_resample_keeps_pitch_level_and_timing(src: int, dst: int) -> None:
    x = sine(1000, 1.0, 0.5, sr=src)
    y = resample(x, src, dst)
    assert len(y) == resampled_length(len(x), src, dst) == round(len(x) * dst / src)
    ref = sine(1000, len(y) / dst, 0.5, sr=dst)[: len(y)]
    mid = slice(len(y) // 4, 3 * len(y) // 4)  # away from the edges
    assert np.abs(y[mid] - ref[mid]).max() < 1e-3


def test_resample_same_rate_is_a_copy() -> None:
    x = sine(440, 0.1)
    y = resample(x, SR, SR)
    assert np.array_equal(x, y) and y is not x
