"""`voicecoach plan` (the timeline without audio) and `voicecoach page`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from voicecoach.cli.app import cli, echo
from voicecoach.cli.options import RATE_WPM, ROUTINE, SEED, personal_options, personalized


@cli.command()
@ROUTINE
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (stable).")
@SEED
@click.option(
    "--engine",
    help="Plan with this engine's real phrase lengths where the phrase cache has them "
    "(nothing is synthesized): auto, pyttsx3, piper or fake.",
)
@click.option("--voice", help="Voice id, as for render (implies the phrase cache, like --engine).")
@click.option(
    "--rate",
    type=RATE_WPM,
    help="Words per minute: of the voice with --engine/--voice, else of the estimate.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Phrase cache folder to read (default: the user cache folder).",
)
@click.option(
    "--svg",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the session picture (with the same phrase lengths) to this SVG file.",
)
@personal_options
def plan(
    routine: str,
    as_json: bool,
    seed: int,
    engine: str | None,
    voice: str | None,
    rate: int | None,
    cache_dir: Path | None,
    svg: Path | None,
    **personal: Any,
) -> None:
    """Show the timeline of ROUTINE without rendering audio."""
    from voicecoach.plan_lengths import phrase_lengths
    from voicecoach.planning.plan_output import format_plan_table, timeline_to_json
    from voicecoach.routine.loader import load_routine

    lengths = phrase_lengths(load_routine(routine), engine, voice, rate, cache_dir)
    model = personalized(routine, seed, rate, measure=lengths.measure(seed), **personal)
    timeline, script = lengths.plan(model, seed)
    if svg is not None:
        from voicecoach.page.make import write_plan_svg

        write_plan_svg(svg, timeline_to_json(timeline), routine)
        echo(f"wrote {svg}", err=True)
    if as_json:
        data = {**timeline_to_json(timeline), "lengths": lengths.to_json(timeline, script)}
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    echo(format_plan_table(timeline))
    echo(lengths.note(timeline, script), err=True)
    for warning in timeline.warnings:
        echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("source", metavar="AUDIO_OR_ROUTINE")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page (.html). Default: the audio's or routine's name + .html.",
)
@click.option(
    "--audio",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With a routine: the audio to reuse or render. Default: OUTPUT with .mp3.",
)
@click.option("--embed", is_flag=True, help="Put the audio inside the page (a single file).")
@click.option("--engine", help="Speech engine, when the audio must be rendered.")
@click.option("--voice", help="Voice id, when the audio must be rendered.")
@click.option("--rate", type=RATE_WPM, help="Speaking rate in words per minute.")
@SEED
@personal_options
def page(
    source: str,
    output: Path | None,
    audio: Path | None,
    embed: bool,
    engine: str | None,
    voice: str | None,
    rate: int | None,
    seed: int,
    **personal: Any,
) -> None:
    """Write the session page for rendered audio, or for ROUTINE (rendered when needed)."""
    from voicecoach.page.make import make_page
    from voicecoach.pipeline import RenderOptions, VoiceChoice
    from voicecoach.planning.personalize import Choices

    options = RenderOptions(
        voice=VoiceChoice(engine=engine, voice=voice, rate=rate),
        seed=seed,
        personal=Choices(**personal),
    )
    out = output or Path(Path(source).stem + ".html")
    result = make_page(source, out, options, audio=audio, embed=embed)
    if result.rendered:
        echo(f"rendered {result.audio}", err=True)
    echo(f"wrote {result.path} (audio: {result.audio})")
