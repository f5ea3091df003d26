"""Which engine and voice a render uses: `--engine auto` and `--voice X` across engines.

Rules (issue 11):
- auto without a voice: piper (the neural default) where it is installed, else pyttsx3
  with one warning line saying why.
- auto with a voice: the engine that has that voice. An exact voice id beats an alias
  (or a name or language); among equal matches the auto default wins.
- a voice no engine has: "did you mean" over all engines' voices.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from ..errors import SpeechError
from .base import VoiceInfo

Warn = Callable[[str], None]

# The order auto tries engines in; fake (beeps) is never chosen by auto.
AUTO_ORDER = ("piper", "pyttsx3")


def _norm(text: str) -> str:
    return text.strip().lower().replace("_", "-")


def match_strength(requested: str, voice: VoiceInfo) -> int:
    """2: the exact id; 1: an alias, the name or a language; 0: no match."""
    want = _norm(requested)
    if want == _norm(voice.id):
        return 2
    others = (*voice.aliases, voice.name, *voice.languages)
    return 1 if any(want == _norm(k) for k in others) else 0


def pick_engine_for_voice(
    requested: str, catalogue: Sequence[tuple[str, Sequence[VoiceInfo]]]
) -> str:
    """The engine (from catalogue, in preference order) whose voice matches best."""
    best: tuple[int, str] | None = None
    for engine, voices in catalogue:
        strength = max((match_strength(requested, v) for v in voices), default=0)
        if strength and (best is None or strength > best[0]):
            best = (strength, engine)
    if best is not None:
        return best[1]
    spelled = sorted({k for _, voices in catalogue for v in voices for k in (v.id, *v.aliases)})
    lowered = {_norm(k): k for k in spelled}
    close = [lowered[k] for k in difflib.get_close_matches(_norm(requested), list(lowered), 3, 0.6)]
    hint = ("Did you mean " + ", ".join(f"'{c}'" for c in close) + "? ") if close else ""
    engines = ", ".join(name for name, _ in catalogue)
    raise SpeechError(
        f"no speech engine has the voice '{requested}' (looked in: {engines}). "
        f"{hint}Run 'voicecoach voices' to list the voices."
    )
