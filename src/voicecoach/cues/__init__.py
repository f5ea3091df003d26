"""Cue packs: the texts voicecoach speaks, with variants, overrides and strict templates."""

from voicecoach.cues.pack import (
    CuePack,
    CuePackInfo,
    lines_for,
    most_specific_lines,
    validate_override,
)
from voicecoach.cues.pack_file import list_cue_packs, load_cue_pack
from voicecoach.cues.spoken import pronounce
from voicecoach.cues.template import check_template, render
from voicecoach.cues.variants import VariantPicker
from voicecoach.routine.focus import FOCUS_GROUPS, normalize_focus

__all__ = [
    "FOCUS_GROUPS",
    "CuePack",
    "CuePackInfo",
    "VariantPicker",
    "check_template",
    "lines_for",
    "list_cue_packs",
    "load_cue_pack",
    "most_specific_lines",
    "normalize_focus",
    "pronounce",
    "render",
    "validate_override",
]
