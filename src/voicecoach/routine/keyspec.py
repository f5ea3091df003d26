"""What a key of the routine format is (`Key`), the bounds it names in `Limits`, and
the choices several keys share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from voicecoach.limits import Limits

KeyType = Literal[
    "version",  # the integer 1
    "text",  # one line or paragraph of text (at most Limits.max_text_chars)
    "name",  # a short name (at most Limits.max_name_chars)
    "path",  # a file path relative to the routine's folder
    "int",
    "number",
    "bool",
    "duration",  # 30s, 1m30s, 1:30, 90 ...
    "tempo",  # 2-1-2
    "choice",
    "words",  # tempo_words: a list of short texts, one per tempo phase
    "focus",  # one text or a list of texts
    "phrases",  # cue key -> text or list of texts
    "safety",  # true / false, or the text to say instead
    "pronounce",  # written form -> how it is said
    "at",  # a cue position: rep number, half, last, or a time
    "cues",  # list of cue mappings
    "map",  # a nested mapping described by another table (``of``)
    "items",  # list of exercises and rounds
    "sections",  # list of sections
]
Bound = int | float | str | None


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType
    doc: str
    example: str  # a valid value, as YAML flow text (used in hints, docs and tests)
    default: str | None = None  # as written in the docs; None = no default
    low: Bound = None
    high: Bound = None
    choices: tuple[str, ...] = ()
    required: bool = False
    of: str | None = None  # table name for "map" / list element types
    attr: str | None = None  # model attribute, when it differs from ``name``
    hint: str | None = None  # how to fix a bad value


def bound(value: Bound, limits: Limits) -> int | float | None:
    """A bound's value: a number, or the attribute of ``limits`` it names."""
    if isinstance(value, str):
        result: int | float = getattr(limits, value)
        return result
    return value


ENGINES = ("auto", "pyttsx3", "piper")
BACKGROUNDS = ("pad", "none")
SIDES = ("both", "left", "right")
SIDE_NAMES = ("left", "right")
COACH_LEVELS = ("quiet", "standard", "chatty")
LEVELS = ("easy", "normal", "hard")
TYPES = ("strength", "stretch", "mobility")
POSITIONS = (
    "supine",
    "prone",
    "side-lying",
    "quadruped",
    "seated",
    "half-kneeling",
    "kneeling",
    "standing",
)

REST_HINT = "use a rest from 0s to 10m, like 30s"
