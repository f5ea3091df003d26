"""voicecoach: compile a workout routine in YAML into a voice-guided audio session.

The library API behind the `voicecoach` command::

    from voicecoach import load_routine, plan, render

    routine = load_routine("low-back-reset")      # a YAML path or a built-in name
    timeline = plan(routine)                      # every event with exact times
    result = render(routine, "warmup.mp3")        # MP3 with chapters and a transcript
"""

from __future__ import annotations

__version__ = "0.1.0"

from voicecoach import startup as _startup

if _startup.running_as_command():
    _startup.quiet_interrupts()  # cli.py restores it after its imports

from voicecoach.chapter import Chapter
from voicecoach.errors import (
    AudioError,
    CueError,
    PlanError,
    Problem,
    RoutineError,
    SpeechError,
    VoicecoachError,
)
from voicecoach.pipeline import RenderOptions, RenderResult, VoiceChoice, render
from voicecoach.pipeline import plan_routine as plan
from voicecoach.routine import (
    Exercise,
    Profile,
    Rounds,
    Routine,
    Section,
    SoundSettings,
    Tempo,
    TimedCue,
    VoiceSettings,
    load_routine,
    load_routine_text,
)
from voicecoach.timeline import Event, Timeline

__all__ = [
    "AudioError",
    "Chapter",
    "CueError",
    "Event",
    "Exercise",
    "PlanError",
    "Problem",
    "Profile",
    "RenderOptions",
    "RenderResult",
    "Rounds",
    "Routine",
    "RoutineError",
    "Section",
    "SoundSettings",
    "SpeechError",
    "Tempo",
    "TimedCue",
    "Timeline",
    "VoiceChoice",
    "VoiceSettings",
    "VoicecoachError",
    "__version__",
    "load_routine",
    "load_routine_text",
    "plan",
    "render",
]
