"""Speech: engines behind one protocol, chosen by name, plus the phrase cache.

    engine = get_engine("auto", voice=None, rate=None)
    result = synthesize_all(engine, texts, PhraseCache())
    result.clips[text]  # Clip: float32 (n, 1), sample_rate, lead

Engines: "piper" (the default: the neural Joe voice, installed with voicecoach where
piper-tts has wheels), "pyttsx3" (offline, espeak-ng on Linux, the system voices on
macOS and Windows), "fake" (tone bursts: a preview and a test double). "auto" picks
piper when it is installed, else pyttsx3 (with one warning line); with a voice, the
engine that has that voice (see choose.py).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import SpeechError
from ..limits import DEFAULT_LIMITS, Limits
from ..text import suggest
from .base import (
    PAD_MS,
    Clip,
    EngineInfo,
    SpeechEngine,
    VoiceInfo,
    trim_silence,
)
from .cache import PhraseCache, SynthesisResult, default_cache_dir, synthesize_all
from .choose import AUTO_ORDER, Warn, pick_engine_for_voice
from .fake import FakeEngine
from .piper_engine import INSTALL_HINT, PiperEngine
from .piper_engine import available as piper_available
from .process import EngineStartError, Timeouts
from .pyttsx3_engine import Pyttsx3Engine

__all__ = [
    "PAD_MS",
    "Clip",
    "EngineInfo",
    "EngineStartError",
    "FakeEngine",
    "PhraseCache",
    "PiperEngine",
    "Pyttsx3Engine",
    "SpeechEngine",
    "SynthesisResult",
    "Timeouts",
    "VoiceInfo",
    "default_cache_dir",
    "engine_names",
    "fallback_engine",
    "get_engine",
    "list_engines",
    "resolve_engine_name",
    "synthesize_all",
    "trim_silence",
]

ENGINE_NAMES = ("auto", "pyttsx3", "piper", "fake")


def engine_names() -> list[str]:
    return list(ENGINE_NAMES)


def resolve_engine_name(name: str) -> str:
    """The concrete engine `name` stands for ("auto" resolved); raises on unknown names."""
    key = name.strip().lower()
    if key not in ENGINE_NAMES:
        close = suggest(key, ENGINE_NAMES)
        hint = f"Did you mean '{close}'? " if close else ""
        raise SpeechError(
            f"unknown speech engine '{name}'. {hint}Choose one of: {', '.join(ENGINE_NAMES)}."
        )
    if key == "auto":
        return "piper" if piper_available() else "pyttsx3"
    return key


FALLBACK_WARNING = (
    "the neural voice (piper) is not installed here, so the espeak-ng voice (pyttsx3) "
    "is used; {hint}, or pass --engine pyttsx3 to silence this"
)


def _auto_engine_for(voice: str | None, warn: Warn | None) -> str:
    """The engine auto stands for, given the requested voice (if any)."""
    if voice is None:
        key = resolve_engine_name("auto")
        if key != "piper" and warn is not None:
            warn(FALLBACK_WARNING.format(hint=INSTALL_HINT))
        return key
    return pick_engine_for_voice(voice, voice_catalogue(_engine_voices))


def voice_catalogue(
    voices_of: Callable[[str], list[VoiceInfo] | None],
) -> list[tuple[str, list[VoiceInfo]]]:
    """(engine, its voices) in auto's order, for the engines installed here whose
    voices ``voices_of`` knows (None: unknown), for `pick_engine_for_voice`."""
    catalogue = []
    for name in AUTO_ORDER:
        if name == "piper" and not piper_available():
            continue
        voices = voices_of(name)
        if voices is not None:
            catalogue.append((name, voices))
    return catalogue


def _engine_voices(name: str) -> list[VoiceInfo] | None:
    try:
        return PiperEngine().voices() if name == "piper" else Pyttsx3Engine().voices()
    except SpeechError:  # an engine that does not work here has no voices
        return None


def get_engine(
    name: str = "auto",
    voice: str | None = None,
    rate: int | None = None,
    *,
    timeout_s: float | None = None,
    warn: Warn | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> SpeechEngine:
    """An engine by name. timeout_s: seconds allowed per phrase (on top of start-up);
    ``limits``: the rates each engine accepts (`Limits.engine_rate_wpm`).

    An explicit voice is checked now, so a typo fails before any synthesis. With
    "auto", warn() hears about a fallback from the neural default.
    """
    key = resolve_engine_name(name)
    if name.strip().lower() == "auto":
        key = _auto_engine_for(voice, warn)
    engine: SpeechEngine
    if key == "fake":
        engine = FakeEngine(voice, rate, limits=limits)
    elif key == "piper":
        if not piper_available():
            raise SpeechError(f"speech engine 'piper' is not installed. {INSTALL_HINT}.")
        t = Timeouts(30.0, 5.0) if timeout_s is None else Timeouts(30.0, timeout_s)
        engine = PiperEngine(voice, rate, timeouts=t, limits=limits)
    else:
        t = Timeouts(10.0, 2.0) if timeout_s is None else Timeouts(10.0, timeout_s)
        engine = Pyttsx3Engine(voice, rate, timeouts=t, limits=limits)
        if voice is not None:
            _ = engine.voice
    return engine


def fallback_engine(
    rate: int | None,
    reason: str,
    timeout_s: float | None,
    warn: Warn,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> SpeechEngine:
    """pyttsx3 at the same rate, for when the auto-chosen piper failed to load."""
    warn(
        f"the neural voice (piper) failed to load ({reason}); "
        "the espeak-ng voice (pyttsx3) is used instead"
    )
    return get_engine("pyttsx3", rate=rate, timeout_s=timeout_s, limits=limits)


def list_engines() -> list[EngineInfo]:
    """Every engine, whether it works here, its defaults and voices (for `voicecoach voices`)."""
    auto = resolve_engine_name("auto")
    infos: list[EngineInfo] = []
    if piper_available():
        pe = PiperEngine()
        infos.append(EngineInfo("piper", True, pe.voice, pe.rate, pe.voices(), pe.version, True))
    else:
        infos.append(EngineInfo("piper", False, None, None, [], f"not installed: {INSTALL_HINT}"))
    try:
        p = Pyttsx3Engine()
        infos.append(
            EngineInfo("pyttsx3", True, p.voice, p.rate, p.voices(), p.version, auto == "pyttsx3")
        )
    except SpeechError as exc:
        infos.append(EngineInfo("pyttsx3", False, None, None, [], str(exc), auto == "pyttsx3"))
    f = FakeEngine()
    infos.append(
        EngineInfo("fake", True, f.voice, f.rate, f.voices(), "preview: beeps instead of words")
    )
    return infos
