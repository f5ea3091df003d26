"""The routine format v1 as one table of keys.

The loader checks keys, types and limits from this table, and the JSON Schema and
the scaffold's sync test are built from it, so the three cannot drift apart.
Bounds name attributes of a `Limits` (the one the loader is given).
"""

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

_REST_HINT = "use a rest from 0s to 10m, like 30s"

_SWITCH_REST = Key(
    "switch_rest",
    "duration",
    "the time between the two sides of a set (per-side exercises never switch faster)",
    "10s",
    "by position: 5s (standing, seated, supine, kneeling), 10s (side-lying, prone, "
    "quadruped, half-kneeling)",
    0,
    "max_rest_ms",
    hint=_REST_HINT,
)

DEFAULTS = (
    _SWITCH_REST,
    Key(
        "rest",
        "duration",
        "rest between sets (and between sides)",
        "30s",
        "30s",
        0,
        "max_rest_ms",
        hint=_REST_HINT,
    ),
    Key(
        "rest_after",
        "duration",
        "rest before the next exercise",
        "45s",
        "30s",
        0,
        "max_rest_ms",
        hint=_REST_HINT,
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

CUE = (
    Key("say", "text", "what to say", "Squeeze at the top.", required=True),
    Key("at", "at", "rep number, half, last, or a time into a hold (10s)", "5"),
    Key(
        "every",
        "int",
        "say it every N reps",
        "4",
        None,
        1,
        "max_reps",
        hint="use a rep count like 4",
    ),
    Key("side", "choice", "only on this side (exercises with sides)", "left", choices=SIDE_NAMES),
)

EXERCISE = (
    Key(
        "use",
        "name",
        "start from this exercise of the library (`voicecoach library`); "
        "the other keys here override its fields",
        "glute-bridge",
    ),
    Key(
        "name",
        "name",
        "the exercise's name, spoken and used as a chapter title",
        "Glute bridge",
        required=True,
    ),
    Key(
        "reps",
        "int",
        "counted reps per set (or use hold)",
        "15",
        "defaults.reps",
        1,
        "max_reps",
        hint="use a positive count like 12",
    ),
    Key(
        "hold",
        "duration",
        "timed hold per set (or use reps)",
        "30s",
        None,
        1000,
        "max_hold_ms",
        hint="use a hold from 1s to 10m, like 30s",
    ),
    Key(
        "tempo",
        "tempo",
        "seconds per rep phase: lift-hold-lower[-pause]",
        "2-1-2",
        "defaults.tempo",
    ),
    Key(
        "tempo_words",
        "words",
        "spoken word for each tempo phase",
        "[up, squeeze, down]",
        "defaults.tempo_words",
    ),
    Key("sets", "int", "sets", "2", "defaults.sets", 1, "max_sets", hint="use a count like 2"),
    Key(
        "rest",
        "duration",
        "rest between sets (and between sides)",
        "30s",
        "defaults.rest",
        0,
        "max_rest_ms",
        attr="rest_ms",
        hint=_REST_HINT,
    ),
    Key(
        "rest_after",
        "duration",
        "rest before the next exercise",
        "45s",
        "defaults.rest_after",
        0,
        "max_rest_ms",
        attr="rest_after_ms",
        hint=_REST_HINT,
    ),
    Key(
        "sides",
        "choice",
        "both = each side in turn; left or right = that side only",
        "both",
        "none (a two-sided move)",
        choices=SIDES,
    ),
    Key(
        "type",
        "choice",
        "strength, stretch or mobility: which cue-pack lines fit (see `when:`)",
        "strength",
        "none (only lines without a type condition)",
        choices=TYPES,
        attr="kind",
    ),
    Key(
        "position",
        "choice",
        "the body position: which cue-pack lines fit (see `when:`)",
        "supine",
        "none (only lines without a position condition)",
        choices=POSITIONS,
    ),
    _SWITCH_REST,
    Key(
        "alternate_sides",
        "bool",
        "sides: both done left, right, left, right set by set instead of all sets per side",
        "true",
        "false",
    ),
    Key(
        "extra_weak_side_set",
        "bool",
        "true: this exercise gets the extra weak-side set (needs profile.weak_side; then "
        "only exercises that say true get it); false: never here",
        "true",
        "the profile's extra_weak_side_set",
    ),
    Key("fixed", "bool", "neither --minutes nor --level changes this dosage", "true", "false"),
    Key(
        "optional",
        "bool",
        "--minutes may leave this exercise out (in rounds: a round) to fit",
        "true",
        "false",
    ),
    Key("focus", "focus", "muscle groups the mind-body cues speak about", "[glutes, abs]", "[]"),
    Key("setup", "text", "spoken once before the first set", "Lie on your back."),
    Key(
        "phrases",
        "phrases",
        "cue-pack keys overridden for this exercise",
        "{exercise_intro: 'Bridges. Feet close.'}",
    ),
    Key(
        "cues", "cues", "coaching lines placed in the sets", "[{at: half, say: Breathe.}]", of="cue"
    ),
    Key(
        "corrections",
        "cues",
        "'if you feel it in X, do Y' lines, placed like cues and said after them",
        "[{at: 5, say: 'If you feel it in your hamstrings, bring your feet closer.'}]",
        of="cue",
    ),
)

ROUNDS = (
    Key(
        "rounds",
        "int",
        "how many times the circuit repeats",
        "2",
        None,
        1,
        "max_rounds",
        required=True,
        attr="count",
        hint="use a count like 3",
    ),
    Key(
        "rest",
        "duration",
        "rest between rounds",
        "60s",
        "60s",
        0,
        "max_rest_ms",
        attr="rest_ms",
        hint=_REST_HINT,
    ),
    Key("name", "name", "the circuit's name", "Core circuit"),
    Key(
        "exercises",
        "items",
        "the exercises of one round",
        "[{name: Dead bug, reps: 10}]",
        required=True,
        of="exercise",
    ),
)

SECTION = (
    Key(
        "name", "name", "the section's name (a chapter group)", "Wake up the glutes", required=True
    ),
    Key("intro", "text", "spoken when the section starts", "Now the glutes."),
    Key(
        "exercises",
        "items",
        "exercises and rounds",
        "[{name: Clamshell, reps: 15}]",
        required=True,
        of="item",
    ),
)

ROUTINE = (
    Key("version", "version", "format version", "1", "1"),
    Key("name", "name", "the session's title", "Low-back reset", required=True),
    Key("description", "text", "what the session is for", "Hips, glutes and core.", "''"),
    Key("intro", "text", "spoken first", "Welcome."),
    Key(
        "intro_long",
        "text",
        "the longer 'why this works' talk, said after intro when profile.long_intro is true",
        "Your back is overworked, not weak.",
    ),
    Key("outro", "text", "spoken last", "Well done."),
    Key(
        "safety",
        "safety",
        "when to stop, said once after the welcome: true (the cue pack's line), false, "
        "or your own text",
        "true",
        "true",
    ),
    Key(
        "pronounce",
        "pronounce",
        "written form -> how it is said, before synthesis (transcripts keep the written form)",
        "{'90/90': ninety-ninety}",
    ),
    *TAG_KEYS,
    Key("cover", "path", "cover art: a PNG or JPEG relative to the routine's folder", "cover.png"),
    Key("defaults", "map", "defaults for every exercise", "{rest: 30s}", of="defaults"),
    Key("profile", "map", "personalization", "{weak_side: left}", of="profile"),
    Key("voice", "map", "speech settings", "{rate: 160}", of="voice"),
    Key("sound", "map", "background, music and levels", "{background: none}", of="sound"),
    Key(
        "cue_pack",
        "path",
        "a cue pack file (relative to the routine) or built-in pack name",
        "default",
        "default",
    ),
    Key(
        "phrases",
        "phrases",
        "cue-pack keys overridden for the whole routine",
        "{rest_announce: 'Rest {seconds} seconds. Next: {next}.'}",
    ),
    Key(
        "exercises",
        "items",
        "a flat list of exercises and rounds",
        "[{name: Glute bridge, reps: 12}]",
        of="item",
    ),
    Key(
        "sections",
        "sections",
        "named sections (use instead of exercises)",
        "[{name: Warm up, exercises: [{name: Cat-cow, reps: 8}]}]",
        of="section",
    ),
)

# A standalone item in an exercises list (issue 10): a rest, a spoken line or a
# check-in between exercises (docs/routine-format.md, "Rests, lines and check-ins").
STANDALONE = (
    Key(
        "rest",
        "duration",
        "a rest on its own; right after an exercise it replaces that exercise's rest_after",
        "45s",
        None,
        0,
        "max_rest_ms",
        attr="rest_ms",
        hint=_REST_HINT,
    ),
    Key("say", "text", "a line said as written, always", "Shake out your legs."),
    Key(
        "check_in",
        "text",
        "a question to the listener, always said, with a few seconds to answer",
        "How does your low back feel?",
    ),
)
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
