"""Routines: the model, durations, the built-ins and the JSON Schema.

Reading a routine file is `voicecoach.routine.loader` (``load_routine``,
``load_routine_text``; also ``voicecoach.load_routine``). The loader checks cue
overrides against the cue packs and takes exercises from the library, both of which
build on this model, so this package does not import it: importing the model never
runs the loader.
"""

from voicecoach.routine.builtins import BuiltinRoutine, list_builtin_routines, scaffold
from voicecoach.routine.durations import DurationError, parse_duration, parse_tempo
from voicecoach.routine.length import rough_length_ms
from voicecoach.routine.model import (
    NOWHERE,
    CueAt,
    Exercise,
    Item,
    Level,
    Profile,
    Rounds,
    Routine,
    Section,
    SideName,
    Sides,
    SoundSettings,
    Standalone,
    Tempo,
    TimedCue,
    VoiceSettings,
    Where,
)
from voicecoach.routine.schema import routine_schema

__all__ = [
    "NOWHERE",
    "BuiltinRoutine",
    "CueAt",
    "DurationError",
    "Exercise",
    "Item",
    "Level",
    "Profile",
    "Rounds",
    "Routine",
    "Section",
    "SideName",
    "Sides",
    "SoundSettings",
    "Standalone",
    "Tempo",
    "TimedCue",
    "VoiceSettings",
    "Where",
    "list_builtin_routines",
    "parse_duration",
    "parse_tempo",
    "rough_length_ms",
    "routine_schema",
    "scaffold",
]
