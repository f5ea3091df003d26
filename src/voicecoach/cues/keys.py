"""The cue keys the planner speaks, and which template variables each one allows.

One table, so the pack loader, routine overrides, the script builder and the docs
all agree. A key renders only with the variables listed here: they are the ones
the script builder always has at hand when it speaks that key.
"""

from __future__ import annotations

from types import MappingProxyType

from voicecoach.routine.focus import FOCUS_GROUPS

# key -> (allowed variables, when it is said). Order = the order in docs/cue-keys.md.
_TABLE: dict[str, tuple[tuple[str, ...], str]] = {
    "session_intro": (("name",), "first thing in the session"),
    "session_outro": (("name",), "after the last exercise"),
    "session_end": (("name",), "last words, before the closing tone"),
    "section_intro": (("section", "section_lower"), "before the first exercise of a named section"),
    "first_section_intro": (
        ("section", "section_lower"),
        "section_intro for the session's first section (a start, not a 'next')",
    ),
    "round_start": (("round", "rounds"), "before the first exercise of each round"),
    "exercise_intro": (("exercise", "sets", "reps"), "introduces a rep exercise, 2+ sets"),
    "exercise_intro_one_set": (("exercise", "reps"), "introduces a rep exercise, 1 set"),
    "exercise_intro_hold": (
        ("exercise", "sets", "seconds", "duration"),
        "introduces a hold, 2+ sets",
    ),
    "exercise_intro_hold_one_set": (
        ("exercise", "seconds", "duration"),
        "introduces a hold, 1 set",
    ),
    "first_exercise_intro": (
        ("exercise", "sets", "reps"),
        "exercise_intro for the session's first exercise (a start, not a 'next')",
    ),
    "first_exercise_intro_one_set": (
        ("exercise", "reps"),
        "exercise_intro_one_set for the session's first exercise",
    ),
    "first_exercise_intro_hold": (
        ("exercise", "sets", "seconds", "duration"),
        "exercise_intro_hold for the session's first exercise",
    ),
    "first_exercise_intro_hold_one_set": (
        ("exercise", "seconds", "duration"),
        "exercise_intro_hold_one_set for the session's first exercise",
    ),
    "sides_intro": (("side",), "after the intro of a `sides: both` exercise"),
    "weak_side_first": (("side",), "instead of sides_intro when profile.weak_side is set"),
    "extra_set_note": (("side",), "when profile.extra_weak_side_set adds a set"),
    "setup": (("exercise", "setup"), "the exercise's setup text, before its first set"),
    "get_ready": (("exercise",), "just before the countdown into an exercise"),
    "countdown": (("seconds",), "each number of the countdown into an exercise or side"),
    "countdown_go": ((), "after a countdown into reps, just before rep 1 ([] for none)"),
    "count": (("rep", "reps"), "each rep count, on the tempo grid"),
    "phase_word": (("word",), "each tempo phase word (tempo words)"),
    "halfway": (("rep", "reps"), "halfway through a set of reps"),
    "last_rep": (("rep", "reps"), "before the last rep of a set"),
    "hold_start": (("seconds", "duration"), "as a hold starts"),
    "hold_halfway": (
        ("seconds", "duration"),
        "halfway through a hold of 20 s or more (the time left is said only in whole 5 s)",
    ),
    "hold_countdown": (("seconds",), "each of the last seconds of a hold"),
    "hold_done": (("exercise",), "as a hold ends"),
    "switch_sides": (("side", "seconds", "duration"), "at the start of the rest between sides"),
    "side_start": (
        ("side",),
        "before the first set on a side (not after a switch_sides that names the {side})",
    ),
    "set_done": (("set", "sets"), "as a set of reps ends"),
    "rest_between_sets": (
        ("seconds", "duration", "set", "sets"),
        "rest between sets; set = the next",
    ),
    "next_set": (("set", "sets"), "just before the countdown into the next set"),
    "last_set": (("set", "sets"), "instead of next_set before the last set"),
    "rest_countdown": (("seconds",), "each number of the countdown at the end of a rest"),
    "rest_announce": (
        ("seconds", "duration", "next", "next_lower"),
        "rest after an exercise; next = what follows",
    ),
    "rest_between_rounds": (("seconds", "duration", "round", "rounds"), "rest between rounds"),
    "rest_call": (("seconds", "duration"), "10 s before the work, in a rest of 30 s or more"),
    "check_in": (("exercise",), "after a section or circuit when profile.check_ins is on"),
    "safety": ((), "once, after the first setup: when to stop (routine `safety:` replaces it)"),
}

CUE_KEYS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {key: frozenset(names) for key, (names, _) in _TABLE.items()}
)
CUE_KEY_NOTES: MappingProxyType[str, str] = MappingProxyType(
    {key: note for key, (_, note) in _TABLE.items()}
)

# Mind-body banks, one per focus group (`routine.focus`); their lines may use {exercise}.
FOCUS_PREFIX = "focus."
FOCUS_VARIABLES = frozenset({"exercise"})

# Keys added after version 1: a pack without `extends` may leave them out (then
# they are silent), so packs written before them keep loading.
OPTIONAL_KEYS = frozenset(
    {
        "countdown_go",
        "first_section_intro",  # without it, the first section has its section_intro
        # without them, the first exercise is introduced with its exercise_intro* key
        "first_exercise_intro",
        "first_exercise_intro_one_set",
        "first_exercise_intro_hold",
        "first_exercise_intro_hold_one_set",
    }
)


def all_keys() -> tuple[str, ...]:
    """Every key a pack or override may set, including ``focus.<group>``."""
    return tuple(CUE_KEYS) + tuple(FOCUS_PREFIX + g for g in FOCUS_GROUPS)


def allowed_variables(key: str) -> frozenset[str] | None:
    """The variables ``key`` may use, or None if the key is unknown."""
    if key.startswith(FOCUS_PREFIX):
        return FOCUS_VARIABLES if key[len(FOCUS_PREFIX) :] in FOCUS_GROUPS else None
    return CUE_KEYS.get(key)
