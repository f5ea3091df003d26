"""The keys of a routine's `defaults:`, `profile:`, `voice:` and `sound:` tables."""

from __future__ import annotations

from voicecoach.routine.keyspec import (
    BACKGROUNDS,
    COACH_LEVELS,
    ENGINES,
    LEVELS,
    REST_HINT,
    SIDE_NAMES,
    Key,
)

SWITCH_REST = Key(
    "switch_rest",
    "duration",
    "the time between the two sides of a set (per-side exercises never switch faster)",
    "10s",
    "by position: 5s (standing, seated, supine, kneeling), 10s (side-lying, prone, "
    "quadruped, half-kneeling)",
    0,
    "max_rest_ms",
    hint=REST_HINT,
)

DEFAULTS = (
    SWITCH_REST,
    Key(
        "rest",
        "duration",
        "rest between sets (and between sides)",
        "30s",
        "30s",
        0,
        "max_rest_ms",
        hint=REST_HINT,
    ),
    Key(
        "rest_after",
        "duration",
        "rest before the next exercise",
        "45s",
        "30s",
        0,
        "max_rest_ms",
        hint=REST_HINT,
    ),
    Key("tempo", "tempo", "seconds per rep phase: lift-hold-lower[-pause]", "2-1-2", "2-1-2"),
    Key(
        "tempo_words",
        "words",
        "spoken word for each tempo phase ('' = silent)",
        "[up, squeeze, down]",
        "[] (counts only)",
    ),
    Key(
        "reps",
        "int",
        "reps for exercises that give neither reps nor hold",
        "12",
        None,
        1,
        "max_reps",
        hint="use a positive count like 12",
    ),
    Key("sets", "int", "sets per exercise", "2", "1", 1, "max_sets", hint="use a count like 2"),
)

# In the routine and in its profile (the profile's value wins).
TAG_KEYS = (
    Key("author", "name", "the trainer's name: the artist in players", "Alex Rivera"),
    Key("album", "name", "the series the session belongs to", "Low-back rehab"),
)

PROFILE = (
    Key(
        "weak_side",
        "choice",
        "per-side exercises start with this side",
        "left",
        "none",
        choices=SIDE_NAMES,
    ),
    Key("extra_weak_side_set", "bool", "one extra set on the weak side", "true", "false"),
    Key("level", "choice", "scales reps, holds and sets", "normal", "normal", choices=LEVELS),
    Key(
        "minutes",
        "number",
        "fit the routine to about this many minutes",
        "15",
        "none",
        1,
        "max_minutes",
        hint="use a length like 15",
    ),
    Key(
        "check_ins",
        "bool",
        "spoken 'where did you feel that?' after each section or circuit",
        "true",
        "false",
    ),
    Key(
        "coach",
        "choice",
        "how much the coach says besides counts and structure (docs/coaching.md)",
        "quiet",
        "standard",
        choices=COACH_LEVELS,
    ),
    Key("long_intro", "bool", "say the routine's intro_long after its intro", "true", "false"),
    *TAG_KEYS,
    Key(
        "client",
        "name",
        "who the session is for; kept out of public feed titles and paths",
        "Sam",
    ),
)

VOICE = (
    Key("engine", "choice", "speech engine", "auto", "auto", choices=ENGINES),
    Key(
        "voice",
        "name",
        "engine-specific voice id (see `voicecoach voices`)",
        "en-us",
        "the engine's clear default",
    ),
    Key(
        "rate",
        "int",
        "speaking rate in words per minute",
        "160",
        "the engine's clear default",
        "min_rate_wpm",
        "max_rate_wpm",
        hint="use a rate like 160",
    ),
)

SOUND = (
    Key(
        "background",
        "choice",
        "background tone preset under the session",
        "pad",
        "pad",
        choices=BACKGROUNDS,
    ),
    Key(
        "music", "path", "your own music file, relative to the routine's folder", "song.mp3", "none"
    ),
    Key("metronome", "bool", "a soft tick on the tempo grid", "false", "false"),
    Key("chimes", "bool", "get-ready, countdown-end and session-end sounds", "true", "true"),
    Key("voice_db", "number", "voice level offset in dB", "0", "0", -30, 12),
    Key(
        "tones_db",
        "number",
        "gain on the bundled tones (pad, ticks, chimes) in dB",
        "-10",
        "-10",
        -60,
        0,
    ),
    Key("music_db", "number", "music level in dB", "-14", "-14", -60, 0),
    Key(
        "duck_db",
        "number",
        "how far tones and music drop while speech plays, in dB",
        "12",
        "12",
        10,
        40,
    ),
    Key(
        "loudness",
        "number",
        "integrated loudness target in LUFS",
        "-16",
        "-16",
        -30,
        -10,
        attr="loudness_lufs",
    ),
    Key("true_peak", "number", "true-peak ceiling in dBTP", "-1", "-1", -9, 0, attr="true_peak_db"),
)
