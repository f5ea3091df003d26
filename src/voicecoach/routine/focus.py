"""The focus groups an exercise's ``focus:`` names (the muscles it should be felt
in), and the other ways people write them.

Part of the routine model: the exercise's traits (`routine.traits`) carry its
normalized groups, and the cue packs (`cues.keys`) have one mind-body bank per group.
"""

from __future__ import annotations

# Mind-body banks, one per focus muscle group; their lines may use {exercise}.
FOCUS_GROUPS: tuple[str, ...] = (
    "glutes",
    "abs",
    "hip_flexors",
    "obliques",
    "hamstrings",
    "low_back",
    "quads",
    "adductors",
    "core",
)

# Common ways people write a focus group, mapped to the bank name.
_FOCUS_ALIASES = {
    "glute": "glutes",
    "abdominals": "abs",
    "ab": "abs",
    "hip_flexor": "hip_flexors",
    "hipflexors": "hip_flexors",
    "oblique": "obliques",
    "hamstring": "hamstrings",
    "lower_back": "low_back",
    "back": "low_back",
    "quad": "quads",
    "quadriceps": "quads",
    "adductor": "adductors",
    "inner_thighs": "adductors",
}


def normalize_focus(name: str) -> str:
    """'Hip flexors' / 'hip-flexors' -> 'hip_flexors'; known aliases map to their bank."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return _FOCUS_ALIASES.get(key, key)
