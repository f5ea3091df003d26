"""The engine a cached phrase was made with, known without starting an engine process.

`plan --engine E --voice V` looks phrases up in the phrase cache; the cache key needs
the engine's name, version, voice and rate (cache.py), and nothing else. piper and the
fake engine know them at once; pyttsx3 knows them only once its worker has answered
on this machine (remembered in the probe cache), so `plan` never starts it.
"""

from __future__ import annotations

from ..errors import SpeechError
from .base import SpeechEngine, VoiceInfo
from .choose import pick_engine_for_voice
from .fake import FakeEngine
from .piper_engine import INSTALL_HINT, PiperEngine
from .piper_engine import available as piper_available
from .pyttsx3_engine import Pyttsx3Engine

NOT_PROBED = "pyttsx3 has not run on this machine yet, so its cached phrases cannot be found"


def offline_engine(
    name: str, voice: str | None, rate: int | None
) -> tuple[SpeechEngine | None, str]:
    """(the engine, "") or (None, why it cannot be known offline). Raises SpeechError
    for an unknown engine or voice, or a rate the engine refuses, as `render` would."""
    from . import resolve_engine_name

    key = resolve_engine_name(name)
    if name.strip().lower() == "auto":
        key = _auto_key(voice)
    if key == "fake":
        return FakeEngine(voice, rate), ""
    if key == "piper":
        if not piper_available():
            raise SpeechError(f"speech engine 'piper' is not installed. {INSTALL_HINT}.")
        return PiperEngine(voice, rate), ""
    engine = Pyttsx3Engine(voice, rate)
    if not engine.known_offline():
        return None, NOT_PROBED
    _ = engine.voice  # an unknown voice fails here, as in render
    return engine, ""


def _auto_key(voice: str | None) -> str:
    """What auto stands for, chosen as render chooses it (`pick_engine_for_voice`: an
    exact id beats an alias, then the auto order), over the engines whose voices are
    known without starting one: piper when installed, pyttsx3 once probed here. A
    voice neither knows may be pyttsx3's, unknown until it runs: then pyttsx3 (whose
    cache cannot be read: an estimate)."""
    from . import resolve_engine_name, voice_catalogue

    if voice is None:
        return resolve_engine_name("auto")
    catalogue = voice_catalogue(_offline_voices)
    try:
        return pick_engine_for_voice(voice, catalogue)
    except SpeechError:
        if any(name == "pyttsx3" for name, _ in catalogue):
            raise  # every engine's voices are known: the voice is unknown
        return "pyttsx3"


def _offline_voices(name: str) -> list[VoiceInfo] | None:
    if name == "piper":
        return PiperEngine().voices()
    engine = Pyttsx3Engine()
    return engine.voices() if engine.known_offline() else None
