"""Read what a speech worker wrote: PCM WAV directly, anything else through ffmpeg."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voicecoach.audio.wavfile import read_pcm_wav

FALLBACK_RATE = 22050  # what ffmpeg resamples non-WAV engine output to


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and their sample rate."""
    if path.suffix == ".npy":
        data = np.load(path, allow_pickle=False)
        return np.asarray(data, dtype=np.float32).reshape(-1), 0
    try:
        return _read_pcm_wav(path)
    except (wave.Error, EOFError, ValueError):
        # macOS writes AIFF; some drivers write float WAV, which `wave` cannot read
        return _decode_with_ffmpeg(path), FALLBACK_RATE


def _read_pcm_wav(path: Path) -> tuple[np.ndarray, int]:
    data, rate = read_pcm_wav(path)
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1)
    return np.ascontiguousarray(mono, dtype=np.float32), rate


def _decode_with_ffmpeg(path: Path) -> np.ndarray:
    # the one ffmpeg lookup (VOICECOACH_FFMPEG included), bounded like every ffmpeg call
    from voicecoach.audio.ffmpeg import run_ffmpeg

    args = ["-v", "error", "-nostdin", "-i", str(path)]
    args += ["-f", "f32le", "-ac", "1", "-ar", str(FALLBACK_RATE), "-"]
    code, stdout, stderr = run_ffmpeg(args, doing=f"decoding the speech clip {path.name}")
    if code != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        raise ValueError(
            f"cannot decode {path.name}: {message[-1] if message else 'ffmpeg failed'}"
        )
    return np.frombuffer(stdout, dtype="<f4").astype(np.float32)
