"""The keys of a routine's top level, its sections, rounds, exercises, timed cues
and standalone items."""

from __future__ import annotations

from voicecoach.routine.keyspec import POSITIONS, REST_HINT, SIDE_NAMES, SIDES, TYPES, Key
from voicecoach.routine.settings_keys import SWITCH_REST, TAG_KEYS

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
        hint=REST_HINT,
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
        hint=REST_HINT,
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
    SWITCH_REST,
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
        hint=REST_HINT,
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
        hint=REST_HINT,
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
