"""Every input ceiling, planner ceiling and accepted range, in one frozen value.

A `Limits` is passed explicitly to what checks it (`load_routine`, `plan`, `render`
and on down), defaulting to `DEFAULT_LIMITS`. To allow more, make a new one::

    from dataclasses import replace
    from voicecoach import DEFAULT_LIMITS, load_routine, render

    limits = replace(DEFAULT_LIMITS, max_session_ms=6 * 3_600_000)  # allow 6 hours
    render(load_routine("marathon.yaml", limits=limits), "marathon.mp3", limits=limits)

They refuse absurd input early with a clear message, before it runs out of memory or
time. This module imports nothing from voicecoach, so any layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Range(NamedTuple):
    """An accepted range, both ends included."""

    low: int
    high: int


_RATE_WPM = Range(60, 400)
_PIPER_RATE_WPM = Range(110, 300)  # length_scale ~2.9 .. ~0.83
_PYTTSX3_RATE_WPM = Range(115, 400)
_TIMEOUT_S = Range(1, 3600)
_JOBS = Range(1, 64)


@dataclass(frozen=True)
class Limits:
    # The routine file (also client files and programs).
    max_file_bytes: int = 1024 * 1024  # 1 MiB: a routine is a page of text, not a data dump
    max_nodes: int = 50_000  # YAML values after expanding aliases (refuses "billion laughs")
    max_depth: int = 40  # nesting of mappings and lists
    max_cover_bytes: int = 5 * 1024 * 1024  # `cover:`; players show at most ~3000×3000 px

    # A cue pack file.
    max_cue_pack_bytes: int = 512 * 1024
    max_pack_extends: int = 20  # packs in one `extends` chain

    # Batches and programs.
    max_batch_clients: int = 500  # client files in one command
    max_program_sessions: int = 200

    # Counts in a routine.
    max_reps: int = 1000  # reps per set a routine may write
    max_sets: int = 20
    max_rounds: int = 50
    max_exercises: int = 300  # exercises in one routine, counting those inside rounds once
    max_sections: int = 50
    max_cues: int = 100  # timed cues on one exercise
    max_variants: int = 20  # phrasings for one cue key
    max_focus: int = 10  # focus muscle groups on one exercise

    # Times in a routine, in milliseconds.
    max_hold_ms: int = 10 * 60_000
    max_rest_ms: int = 10 * 60_000
    max_tempo_phase_ms: int = 30_000
    min_rep_ms: int = 1000  # a rep must last long enough to speak its count

    # Text in a routine.
    max_text_chars: int = 500
    max_name_chars: int = 100
    max_word_chars: int = 40  # one tempo word

    # Personalization (`--minutes`, `profile: minutes`).
    max_minutes: int = 240

    # The whole session: checked roughly on load (work + rests), exactly when planning.
    max_session_ms: int = 4 * 3_600_000
    max_spoken_phrases: int = 5000  # spoken phrases the planner places
    max_script_reps: int = 200_000  # counted reps in the script, before planning

    # Speaking rate in words per minute: what `--rate` and `voice: rate` accept, and
    # what each engine accepts inside that (outside, its voice degrades).
    rate_wpm: Range = _RATE_WPM
    piper_rate_wpm: Range = _PIPER_RATE_WPM
    pyttsx3_rate_wpm: Range = _PYTTSX3_RATE_WPM

    # A stalled ffmpeg run (no progress for this many seconds) is stopped.
    ffmpeg_stall_s: float = 60.0
    # What `render --timeout` and `--ffmpeg-timeout` accept, in seconds.
    timeout_s: Range = _TIMEOUT_S
    # What `render --jobs` accepts: outputs mixed at once.
    jobs: Range = _JOBS

    @property
    def min_rate_wpm(self) -> int:
        return self.rate_wpm.low

    @property
    def max_rate_wpm(self) -> int:
        return self.rate_wpm.high

    def engine_rate_wpm(self, engine: str) -> Range:
        """The rates ``engine`` accepts (an engine not listed: `rate_wpm`)."""
        ranges = {"piper": self.piper_rate_wpm, "pyttsx3": self.pyttsx3_rate_wpm}
        return ranges.get(engine, self.rate_wpm)


DEFAULT_LIMITS = Limits()
