"""What is there: `list` (built-ins), `library`, `voices` and `schema`."""

from __future__ import annotations

import json

import click

from voicecoach.cli.app import cli, echo
from voicecoach.errors import VoicecoachError


@cli.command(name="list")
def list_() -> None:
    """List the built-in routines and cue packs."""
    from voicecoach.cues import list_cue_packs
    from voicecoach.cues.pack_file import safety_text
    from voicecoach.pipeline import plan_routine
    from voicecoach.routine import list_builtin_routines
    from voicecoach.routine.loader import load_routine
    from voicecoach.text import clock

    echo("Built-in routines (render with: voicecoach render NAME; lengths are estimates):")
    for item in list_builtin_routines():
        length = clock(plan_routine(load_routine(item.name)).total_ms, millis=False)
        echo(f"  {item.name:<22} {length:>6}  {item.description}")
    from voicecoach.programs import list_builtin_programs

    echo("Built-in programs (render with: voicecoach render NAME -o FOLDER/):")
    for prog in list_builtin_programs():
        echo(f"  {prog.name:<22} {prog.summary}")
    echo("Cue packs (use with cue_pack: NAME):")
    for pack in list_cue_packs():
        echo(f"  {pack.name:<22} {pack.description}")
    echo(f"Safety (said once in every session): {safety_text()}")


@cli.command()
@click.argument("exercise", required=False, metavar="[ID]")
def library(exercise: str | None) -> None:
    """List the exercise library (use one with `use: ID`), or show one exercise."""
    from voicecoach.library import get_entry, library_ids
    from voicecoach.library import library as entries
    from voicecoach.text import did_you_mean, seconds

    if exercise is None:
        echo("Exercise library (in a routine: - use: ID, then override any field):")
        for entry in entries().values():
            echo(f"  {entry.id:<34} {entry.dosage}")
            echo(f"  {'':<34} {entry.summary}")
        return
    found = get_entry(exercise.strip().lower())
    if found is None:
        close = did_you_mean(exercise.strip(), library_ids())
        hint = f"{close} " if close else ""
        raise VoicecoachError(
            f"unknown exercise '{exercise}' in the library. {hint}"
            "run `voicecoach library` to see them all."
        )
    ex = found.exercise
    echo(f"{found.id}: {ex.name} — {found.summary}")
    echo(f"  dosage: {found.dosage}")
    echo(f"  focus: {', '.join(ex.focus)}")
    echo(f"  setup: {ex.setup}")
    for title, cues in (("cues", found.cues), ("corrections", found.corrections)):
        echo(f"  {title}:")
        for cue in cues:
            place = {"rep": f"rep {cue.value}", "every": f"every {cue.value}"}.get(cue.at, cue.at)
            if cue.at == "time":
                place = f"{seconds(cue.value)}s"
            echo(f"    {place:>9}  {cue.text}")


@cli.command()
def voices() -> None:
    """List the speech engines and their voices."""
    from voicecoach.speech import list_engines

    echo(
        "The default is piper's neural Joe voice (clear and natural, understood in "
        "noisy earbuds); pyttsx3 (espeak-ng) is the portable robot-like alternative."
    )
    for info in list_engines():
        state = "available" if info.available else "not installed"
        if info.auto:
            state += ", the default (--engine auto)"
        echo(
            f"{info.name} ({state}): default voice {info.default_voice}, "
            f"{info.default_rate} wpm. {info.note}".rstrip()
        )
        for v in info.voices:
            mark = "*" if info.auto and v.id == info.default_voice else " "
            echo(f" {mark}{v.id:<24} {v.name}")
    echo("* the voice a render uses when you choose none")


@cli.command()
@click.option("--client", "kind", flag_value="client", help="The schema of client files.")
@click.option("--program", "kind", flag_value="program", help="The schema of program files.")
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the routine format (for editor autocomplete)."""
    from voicecoach.routine import routine_schema

    if kind == "client":
        from voicecoach.clients import client_schema

        echo(json.dumps(client_schema(), indent=2))
    elif kind == "program":
        from voicecoach.programs import program_schema

        echo(json.dumps(program_schema(), indent=2))
    else:
        echo(json.dumps(routine_schema(), indent=2))
