"""What `voicecoach validate` checks for one argument: a routine, or a cue pack file.

A YAML file whose top level has ``cues:`` or ``extends:`` and neither ``exercises:``
nor ``sections:`` is a cue pack and is checked as one (docs/customizing-cues.md).
A routine is loaded, personalized by its own ``profile:`` (whose changes are
reported, so "ok" never hides a cut prescription) and planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from voicecoach.cues import load_cue_pack
from voicecoach.planning.personalize import personalize
from voicecoach.planning.timeline import Timeline
from voicecoach.routine.loader import load_routine

PACK_KEYS = frozenset({"cues", "extends"})
ROUTINE_KEYS = frozenset({"exercises", "sections"})


@dataclass(frozen=True)
class Checked:
    """One validated argument: a routine's plan and profile changes, or a pack."""

    name: str
    timeline: Timeline | None = None  # a routine
    changes: tuple[str, ...] = ()  # what its own profile changes, in words
    pack_keys: int | None = None  # a cue pack: how many keys it defines


def is_cue_pack_file(name: str) -> bool:
    path = Path(name)
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the routine loader says what is wrong with it
    return isinstance(data, dict) and bool(PACK_KEYS & set(data)) and not ROUTINE_KEYS & set(data)


def check(name: str) -> Checked:
    """Raises VoicecoachError (located) when ``name`` is not valid."""
    from voicecoach.pipeline import plan_routine

    if is_cue_pack_file(name):
        pack = load_cue_pack(str(Path(name).resolve()))
        return Checked(name, pack_keys=len(pack.phrases))
    personal = personalize(load_routine(name))
    return Checked(name, plan_routine(personal.routine), personal.changes)
