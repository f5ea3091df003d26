"""The routine format v1 as one table of keys per mapping.

The loader checks keys, types and limits from these tables, and the JSON Schema and
the scaffold's sync test are built from them, so the three cannot drift apart.
Bounds name attributes of a `Limits` (the one the loader is given). What a key is:
`keyspec`; the tables: `settings_keys` and `item_keys`.
"""

from __future__ import annotations

from voicecoach.routine.item_keys import (
    CUE,
    EXERCISE,
    ROUNDS,
    ROUTINE,
    SECTION,
    STANDALONE,
)
from voicecoach.routine.keyspec import (
    BACKGROUNDS,
    COACH_LEVELS,
    ENGINES,
    LEVELS,
    POSITIONS,
    SIDE_NAMES,
    SIDES,
    TYPES,
    Bound,
    Key,
    KeyType,
    bound,
)
from voicecoach.routine.settings_keys import DEFAULTS, PROFILE, SOUND, TAG_KEYS, VOICE

STANDALONE_KEYS = frozenset(key.name for key in STANDALONE)

TABLES: dict[str, tuple[Key, ...]] = {
    "routine": ROUTINE,
    "defaults": DEFAULTS,
    "profile": PROFILE,
    "voice": VOICE,
    "sound": SOUND,
    "exercise": EXERCISE,
    "rounds": ROUNDS,
    "section": SECTION,
    "cue": CUE,
    "standalone": STANDALONE,
}


def keys(table: str) -> dict[str, Key]:
    return {key.name: key for key in TABLES[table]}


__all__ = [
    "BACKGROUNDS",
    "COACH_LEVELS",
    "CUE",
    "DEFAULTS",
    "ENGINES",
    "EXERCISE",
    "LEVELS",
    "POSITIONS",
    "PROFILE",
    "ROUNDS",
    "ROUTINE",
    "SECTION",
    "SIDES",
    "SIDE_NAMES",
    "SOUND",
    "STANDALONE",
    "STANDALONE_KEYS",
    "TABLES",
    "TAG_KEYS",
    "TYPES",
    "VOICE",
    "Bound",
    "Key",
    "KeyType",
    "bound",
    "keys",
]
