"""The validated routine model.

Frozen dataclasses, produced by the loader with every default already applied, so
the planner never has to look anything up. Times are integer milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from voicecoach.errors import Where as Where  # where each element was written

SideName = Literal["left", "right"]
Sides = Literal["both", "left", "right"]
Level = Literal["easy", "normal", "hard"]
CueAt = Literal["rep", "half", "last", "every", "time"]
CoachLevel = Literal["quiet", "standard", "chatty"]
# Who wrote a timed cue: the routine itself, or the exercise library (its cues or
# its corrections). Decides the cue's role in the plan and its priority.
CueOrigin = Literal["routine", "library", "correction"]
ExerciseType = Literal["strength", "stretch", "mobility"]
Position = Literal[
    "supine", "prone", "side-lying", "quadruped", "seated", "half-kneeling", "kneeling", "standing"
]


NOWHERE = Where()


@dataclass(frozen=True)
class Tempo:
    """One rep, in phases: lift (concentric), hold (squeeze), lower (eccentric), pause.

    Written ``2-1-2`` or ``2-1-2-0`` in YAML. Fractional seconds are allowed.
    ``words`` are optional spoken phase words, one per phase ("" = say nothing).
    """

    phases_ms: tuple[int, ...] = (2000, 1000, 2000)
    words: tuple[str, ...] = ()

    @property
    def rep_ms(self) -> int:
        return sum(self.phases_ms)


@dataclass(frozen=True)
class TimedCue:
    """A coaching line placed inside an exercise.

    at="rep": on rep ``value``; "half": halfway; "last": the last rep;
    "every": every ``value`` reps; "time": ``value`` ms into a hold.
    """

    text: str
    at: CueAt
    value: int = 0
    side: SideName | None = None  # only on that side
    where: Where = NOWHERE
    origin: CueOrigin = "routine"


@dataclass(frozen=True)
class Standalone:
    """A rest, a spoken line or a check-in written between exercises (``- rest: 45s``,
    ``- say: "..."``, ``- check_in: "..."``). The loader attaches each to the
    exercise (or circuit) before it, or to the one after it when none comes before."""

    rest_ms: int | None = None
    say: str | None = None
    check_in: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Exercise:
    name: str
    # Exactly one of reps / hold_ms is set.
    reps: int | None = None
    hold_ms: int | None = None
    tempo: Tempo = field(default_factory=Tempo)
    sets: int = 1
    rest_ms: int = 30_000  # between sets (and between sides when sides == "both")
    rest_after_ms: int = 30_000  # before the next exercise
    sides: Sides | None = None  # None: both legs/arms at once, no side cues
    focus: tuple[str, ...] = ()  # muscle groups the mind-body cues speak about
    kind: ExerciseType | None = None  # `type:` in YAML; None = not said
    position: Position | None = None
    setup: str | None = None  # spoken once before the first set
    cues: tuple[TimedCue, ...] = ()
    # Per-exercise overrides of cue-pack keys: key -> phrasings.
    cue_overrides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    where: Where = NOWHERE
    before: tuple[Standalone, ...] = ()  # standalone items written before it (list start)
    after: tuple[Standalone, ...] = ()  # standalone items written after it
    switch_rest_ms: int | None = None  # between the sides of a set; None = by position
    alternate_sides: bool = False  # sides: both as L, R, L, R set by set
    extra_weak_side_set: bool | None = None  # None: the profile's switch decides
    fixed: bool = False  # --minutes and --level leave the dosage alone
    optional: bool = False  # --minutes may leave it out (or a round of its circuit)

    @property
    def is_hold(self) -> bool:
        return self.hold_ms is not None


@dataclass(frozen=True)
class Rounds:
    """A circuit: the exercises in order, repeated ``count`` times."""

    count: int
    exercises: tuple[Exercise, ...]
    rest_ms: int = 60_000  # between rounds
    name: str | None = None
    where: Where = NOWHERE
    before: tuple[Standalone, ...] = ()  # standalone items before the circuit
    after: tuple[Standalone, ...] = ()  # standalone items after the whole circuit


Item = Exercise | Rounds


@dataclass(frozen=True)
class Section:
    """A named group of exercises; becomes a chapter group. ``name`` is None for a
    routine written with a flat ``exercises:`` list."""

    name: str | None
    items: tuple[Item, ...]
    intro: str | None = None
    where: Where = NOWHERE


@dataclass(frozen=True)
class Profile:
    weak_side: SideName | None = None  # per-side exercises start with this side
    extra_weak_side_set: bool = False  # one extra set on the weak side
    level: Level = "normal"
    minutes: float | None = None  # fit the routine to about this many minutes
    check_ins: bool = False  # spoken "where did you feel that?" after sections and circuits
    coach: CoachLevel = "standard"  # how much is said besides counts and structure
    long_intro: bool = False  # say the routine's intro_long after its intro
    author: str | None = None  # the trainer's name (over the routine's author:)
    album: str | None = None  # the series (over the routine's album:)
    client: str | None = None  # who it is for; never in public feed titles by default


@dataclass(frozen=True)
class VoiceSettings:
    engine: str = "auto"  # auto | pyttsx3 | piper
    voice: str | None = None  # engine-specific voice id; None = the engine's clear default
    rate: int | None = None  # words per minute; None = the engine's clear default


@dataclass(frozen=True)
class SoundSettings:
    background: str = "pad"  # none | pad | ... (tone presets)
    music: str | None = None  # path to a music file, resolved against the routine's folder
    metronome: bool = False  # a soft tick on the tempo grid
    chimes: bool = True  # get-ready / countdown-end / session-end sounds
    voice_db: float = 0.0  # level offsets before loudness normalisation
    tones_db: float = -10.0  # gain on the bundled tones (pad, ticks, chimes)
    music_db: float = -14.0
    duck_db: float = 24.0  # how far tones and music drop while speech plays (>= 10 dB)
    loudness_lufs: float = -16.0
    true_peak_db: float = -1.0


@dataclass(frozen=True)
class Routine:
    name: str
    sections: tuple[Section, ...]
    description: str = ""
    intro: str | None = None
    intro_long: str | None = None  # the "why this works" talk, said with profile.long_intro
    outro: str | None = None
    safety: bool | str = True  # when to stop: the pack's line, off, or this text
    pronounce: Mapping[str, str] = field(default_factory=dict)  # written -> said
    profile: Profile = field(default_factory=Profile)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    # Cue customisation: a pack file (already resolved to an absolute path or a
    # built-in pack name) and routine-level overrides of cue keys.
    cue_pack: str | None = None
    cue_overrides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cue_override_where: Mapping[str, Where] = field(default_factory=dict)
    author: str | None = None  # the trainer's name: the artist tag
    album: str | None = None  # the series: the album tag
    cover: str | None = None  # absolute path of a checked PNG/JPEG; None = bundled cover
    source: str = "<memory>"  # the file path, or "builtin:NAME"
    where: Where = NOWHERE

    def exercises(self) -> list[Exercise]:
        """Every exercise once, in written order (rounds not expanded)."""
        out: list[Exercise] = []
        for section in self.sections:
            for item in section.items:
                if isinstance(item, Rounds):
                    out.extend(item.exercises)
                else:
                    out.append(item)
        return out
