"""Bundled sounds (chimes, beeps, tick, pad) shipped in ``audio_assets/``.

In a built wheel they live in ``voicecoach/audio_assets`` (force-included by
pyproject); in a source checkout they are at the repository root. Every file is
reproducible with ``scripts/make_assets.py``.
"""

from __future__ import annotations

import functools
import importlib.resources
import wave
from pathlib import Path

import numpy as np

from voicecoach.audio.resample import resample, to_stereo
from voicecoach.audio.wavfile import SampleWidthError, read_pcm_wav
from voicecoach.errors import AudioError

ASSET_SUFFIX = ".wav"


def asset_dirs() -> list[Path]:
    """Every folder holding bundled sounds, the installed package's first (may be none)."""
    dirs: list[Path] = []
    try:
        packaged = importlib.resources.files("voicecoach") / "audio_assets"
        if packaged.is_dir():
            dirs.append(Path(str(packaged)))
    except (ModuleNotFoundError, TypeError, NotImplementedError):
        pass
    checkout = Path(__file__).resolve().parents[3] / "audio_assets"
    if checkout.is_dir():
        dirs.append(checkout)
    return dirs


def asset_dir() -> Path:
    """The directory holding the bundled sounds."""
    dirs = asset_dirs()
    if not dirs:
        raise AudioError(
            "the bundled sounds (audio_assets) are missing from this installation. "
            "Reinstall voicecoach, or run `python scripts/make_assets.py` in a source checkout."
        )
    return dirs[0]


def asset_names() -> list[str]:
    """Names of the bundled sounds, without suffix, sorted."""
    names: set[str] = set()
    for d in asset_dirs():
        names.update(p.stem for p in d.glob(f"*{ASSET_SUFFIX}"))
    return sorted(names)


def asset_path(name: str) -> Path:
    """Path of a bundled sound by name (``"chime"`` or ``"chime.wav"``)."""
    stem = name[: -len(ASSET_SUFFIX)] if name.endswith(ASSET_SUFFIX) else name
    for d in asset_dirs():
        candidate = d / f"{stem}{ASSET_SUFFIX}"
        if candidate.is_file():
            return candidate
    known = ", ".join(asset_names()) or "none found"
    raise AudioError(f"unknown bundled sound {name!r}. Use one of: {known}.")


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a 16-bit PCM WAV into float32 (samples, channels) and its sample rate."""
    try:
        return read_pcm_wav(path, widths=(2,))
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(
            f"{path}: cannot read WAV ({exc}). Regenerate it with scripts/make_assets.py."
        ) from exc
    except SampleWidthError as exc:
        raise AudioError(
            f"{path}: expected 16-bit PCM, got {8 * exc.width}-bit. "
            "Regenerate it with scripts/make_assets.py."
        ) from exc


@functools.lru_cache(maxsize=32)
def _load(path: Path, sample_rate: int) -> np.ndarray:
    data, rate = read_wav(path)
    stereo = to_stereo(resample(data, rate, sample_rate) if rate != sample_rate else data)
    stereo = np.ascontiguousarray(stereo, dtype=np.float32)
    stereo.setflags(write=False)  # shared through the cache: never modified in place
    return stereo


def load_asset(name: str, sample_rate: int = 44100) -> np.ndarray:
    """A bundled sound as read-only float32 (samples, 2) at ``sample_rate`` (cached)."""
    return _load(asset_path(name), sample_rate)
