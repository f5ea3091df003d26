"""Limits on routine input, in one place so a caller can raise them.

The loader reads these module attributes at call time, so
``voicecoach.routine.limits.MAX_REPS = 2000`` takes effect on the next load.
They refuse absurd input early with a clear message; the planner checks the
exact session length later.
"""

from __future__ import annotations

# The file itself.
MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: a routine is a page of text, not a data dump
MAX_NODES = 50_000  # YAML values after expanding aliases (refuses "billion laughs")
MAX_DEPTH = 40  # nesting of mappings and lists

# Counts.
MAX_REPS = 1000
MAX_SETS = 20
MAX_ROUNDS = 50
MAX_EXERCISES = 300  # exercises in one routine, counting those inside rounds once
MAX_SECTIONS = 50
MAX_CUES = 100  # timed cues on one exercise
MAX_VARIANTS = 20  # phrasings for one cue key
MAX_FOCUS = 10  # focus muscle groups on one exercise

# Times, in milliseconds.
MAX_HOLD_MS = 10 * 60_000
MAX_REST_MS = 10 * 60_000
MAX_TEMPO_PHASE_MS = 30_000
MIN_REP_MS = 1000  # a rep must last long enough to speak its count
MAX_SESSION_MS = 4 * 60 * 60_000  # rough length (work + rests) of the whole session

# Text.
MAX_TEXT_CHARS = 500
MAX_NAME_CHARS = 100

# Voice.
MIN_RATE_WPM = 60
MAX_RATE_WPM = 400

# Personalization.
MAX_MINUTES = 240
