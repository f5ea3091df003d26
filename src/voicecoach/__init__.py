"""voicecoach: compile a workout routine in YAML into a voice-guided audio session.

The library API behind the `voicecoach` command::

    from voicecoach import load_routine, plan, render

    routine = load_routine("low-back-reset")      # a YAML path or a built-in name
    timeline = plan(routine)                      # every event with exact times
    result = render(routine, "warmup.mp3")        # MP3 with chapters and a transcript

`import voicecoach` is cheap: each public name is imported from its module the first
time it is used (PEP 562 module ``__getattr__``), so importing the package loads
neither numpy nor a speech engine. The ``TYPE_CHECKING`` block below tells type
checkers and editors what each name is.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicecoach import startup as _startup
from voicecoach.version import __version__

if _startup.running_as_command():
    _startup.quiet_interrupts()  # cli.py restores it after its imports

if TYPE_CHECKING:
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
    from voicecoach.limits import DEFAULT_LIMITS, Limits
    from voicecoach.pipeline import RenderOptions, RenderResult, VoiceChoice, render
    from voicecoach.pipeline import plan_routine as plan
    from voicecoach.planning.personalize import Choices
    from voicecoach.planning.timeline import Event, Timeline
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
    )
    from voicecoach.routine.loader import load_routine, load_routine_text

__all__ = [
    "DEFAULT_LIMITS",
    "AudioError",
    "Chapter",
    "Choices",
    "CueError",
    "Event",
    "Exercise",
    "Limits",
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

# public name -> (module, name there); each is imported on first use
_EXPORTS: dict[str, tuple[str, str]] = {
    "AudioError": ("voicecoach.errors", "AudioError"),
    "Chapter": ("voicecoach.chapter", "Chapter"),
    "Choices": ("voicecoach.planning.personalize", "Choices"),
    "CueError": ("voicecoach.errors", "CueError"),
    "DEFAULT_LIMITS": ("voicecoach.limits", "DEFAULT_LIMITS"),
    "Event": ("voicecoach.planning.timeline", "Event"),
    "Exercise": ("voicecoach.routine", "Exercise"),
    "Limits": ("voicecoach.limits", "Limits"),
    "PlanError": ("voicecoach.errors", "PlanError"),
    "Problem": ("voicecoach.errors", "Problem"),
    "Profile": ("voicecoach.routine", "Profile"),
    "RenderOptions": ("voicecoach.pipeline", "RenderOptions"),
    "RenderResult": ("voicecoach.pipeline", "RenderResult"),
    "Rounds": ("voicecoach.routine", "Rounds"),
    "Routine": ("voicecoach.routine", "Routine"),
    "RoutineError": ("voicecoach.errors", "RoutineError"),
    "Section": ("voicecoach.routine", "Section"),
    "SoundSettings": ("voicecoach.routine", "SoundSettings"),
    "SpeechError": ("voicecoach.errors", "SpeechError"),
    "Tempo": ("voicecoach.routine", "Tempo"),
    "TimedCue": ("voicecoach.routine", "TimedCue"),
    "Timeline": ("voicecoach.planning.timeline", "Timeline"),
    "VoiceChoice": ("voicecoach.pipeline", "VoiceChoice"),
    "VoiceSettings": ("voicecoach.routine", "VoiceSettings"),
    "VoicecoachError": ("voicecoach.errors", "VoicecoachError"),
    "load_routine": ("voicecoach.routine.loader", "load_routine"),
    "load_routine_text": ("voicecoach.routine.loader", "load_routine_text"),
    "plan": ("voicecoach.pipeline", "plan_routine"),
    "render": ("voicecoach.pipeline", "render"),
}


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use (then cached)."""
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'voicecoach' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (what `from voicecoach import *` gives), loaded or not."""
    return sorted(__all__)
