"""Options and helpers that several commands share."""

from __future__ import annotations

import sys
from typing import Any

import click

from voicecoach.cli.app import FiniteFloatRange, echo
from voicecoach.limits import DEFAULT_LIMITS

ROUTINE = click.argument("routine", metavar="ROUTINE")
SEED = click.option(
    "--seed", type=int, default=0, show_default=True, help="Choose cue phrasings (repeatable)."
)


RATE_WPM = click.IntRange(*DEFAULT_LIMITS.rate_wpm)  # each engine narrows it


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def personal_options(func: Any) -> Any:
    """--weak-side, --extra-weak-set, --level, --minutes, --check-ins, --coach (over `profile:`)."""
    options = [
        click.option(
            "--weak-side",
            type=click.Choice(["left", "right"]),
            help="Per-side exercises start with this side.",
        ),
        click.option(
            "--extra-weak-set",
            is_flag=True,
            default=None,
            help="One extra set on the weak side of each per-side exercise.",
        ),
        click.option(
            "--level",
            type=click.Choice(["easy", "normal", "hard"]),
            help="Scale reps, holds and sets (easy x0.75 and one set fewer, hard x1.25 "
            "and one set more).",
        ),
        click.option(
            "--minutes",
            type=FiniteFloatRange(1, DEFAULT_LIMITS.max_minutes),
            help="Fit the session to about this many minutes (scales rests, holds, sets).",
        ),
        click.option(
            "--check-ins/--no-check-ins",
            default=None,
            help="Spoken 'where did you feel that?' prompts between exercises.",
        ),
        click.option(
            "--coach",
            type=click.Choice(["quiet", "standard", "chatty"]),
            help="How much the coach says besides counts and structure (default standard).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def choices_of(choices: dict[str, Any]) -> Any:
    from voicecoach.planning.personalize import Choices

    return Choices(
        weak_side=choices["weak_side"],
        extra_weak_set=choices["extra_weak_set"],
        level=choices["level"],
        minutes=choices["minutes"],
        check_ins=choices["check_ins"],
        coach=choices["coach"],
    )


def profile_minutes(routine: str) -> float | None:
    from voicecoach.routine.loader import load_routine

    return load_routine(routine).profile.minutes


def personalized(
    routine: str,
    seed: int,
    wpm: int | None,
    measure: Any = None,
    said: list[str] | None = None,
    **choices: Any,
) -> Any:
    """Load ROUTINE, apply the personalization options and say what changed (stderr;
    also added to ``said``). ``measure``: how `--minutes` measures a candidate
    (default: estimated lengths)."""
    from voicecoach.planning.personalize import personalize
    from voicecoach.routine.loader import load_routine

    result = personalize(
        load_routine(routine), choices_of(choices), seed=seed, wpm=wpm, measure=measure
    )
    for change in result.changes:
        echo(f"personalized: {change}", err=True)
    if said is not None:
        said.extend(result.changes)
    return result.routine
