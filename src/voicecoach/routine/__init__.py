"""Routines: the YAML format, its loader with located errors, and its JSON Schema."""

from voicecoach.routine.builtins import BuiltinRoutine, list_builtin_routines, scaffold
from voicecoach.routine.durations import DurationError, parse_duration, parse_tempo
from voicecoach.routine.length import rough_length_ms
from voicecoach.routine.loader import load_routine, load_routine_text
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
    "load_routine",
    "load_routine_text",
    "parse_duration",
    "parse_tempo",
    "rough_length_ms",
    "routine_schema",
    "scaffold",
]
