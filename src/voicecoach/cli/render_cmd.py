"""`voicecoach render`: one routine, many for many clients, or a program's series."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voicecoach.cli.app import FiniteFloatRange, cli, echo
from voicecoach.cli.options import (
    RATE_WPM,
    SEED,
    choices_of,
    personal_options,
    personalized,
    profile_minutes,
    stderr_is_tty,
)
from voicecoach.cli.progress import ProgressBar
from voicecoach.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from voicecoach.pipeline import RenderOptions, RenderResult


@cli.command()
@click.argument("routines", nargs=-1, required=True, metavar="ROUTINE...")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file; the format follows its suffix (.mp3 .wav .flac .ogg .m4a). "
    "Default: ROUTINE's name + .mp3 in the current folder. A program: its folder. "
    "For several outputs, "
    "a template with {routine} and {client}, like 'out/{client}/{routine}.mp3'.",
)
@click.option(
    "--client",
    "clients",
    multiple=True,
    metavar="FILE_OR_DIR_OR_GLOB",
    help="A client file (docs/clients.md), a folder of them or a quoted glob. Repeatable.",
)
@click.option(
    "--jobs",
    type=click.IntRange(*DEFAULT_LIMITS.jobs),
    help="Outputs mixed at once when there are several (default: the number of cores).",
)
@click.option(
    "--base-url",
    help="With a program: also write the series' podcast feed, served at this address.",
)
@click.option("--engine", help="Speech engine: auto, pyttsx3, piper or fake (beeps).")
@click.option("--voice", help="Voice id (see `voicecoach voices`).")
@click.option("--rate", type=RATE_WPM, help="Speaking rate in words per minute.")
@SEED
@click.option("--bitrate", default="128k", show_default=True, help="MP3/M4A/OGG bitrate.")
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    type=click.Choice(["vtt", "srt", "lrc", "json", "none"]),
    help="Transcript sidecar(s) next to the audio. Default: vtt. Repeat for more.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Phrase cache folder (default: the user cache folder).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=FiniteFloatRange(*DEFAULT_LIMITS.timeout_s),
    help="Seconds the speech engine may take before it is stopped.",
)
@click.option(
    "--ffmpeg-timeout",
    "ffmpeg_timeout_s",
    type=FiniteFloatRange(*DEFAULT_LIMITS.timeout_s),
    help="Seconds ffmpeg may make no progress before it is stopped "
    f"(default {DEFAULT_LIMITS.ffmpeg_stall_s:g}).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--page", is_flag=True, help="Also write the session page (OUT.html) beside it.")
@click.option("--embed", is_flag=True, help="The page with the audio inside (a single file).")
@click.option(
    "--only",
    metavar="NAME",
    help="Render one exercise, section or chapter number, one set per side (to audition cues).",
)
@personal_options
def render(
    routines: tuple[str, ...],
    output: Path | None,
    clients: tuple[str, ...],
    jobs: int | None,
    base_url: str | None,
    engine: str | None,
    voice: str | None,
    rate: int | None,
    seed: int,
    bitrate: str,
    transcripts: tuple[str, ...],
    cache_dir: Path | None,
    timeout_s: float | None,
    ffmpeg_timeout_s: float | None,
    quiet: bool,
    page: bool,
    embed: bool,
    only: str | None,
    **personal: Any,
) -> None:
    """Render ROUTINE (a YAML file or a built-in name) to an audio file.

    With several routines or --client, renders each routine for each client."""
    from voicecoach.document_kinds import kind_of
    from voicecoach.pipeline import RenderOptions, VoiceChoice

    choice = VoiceChoice(engine=engine, voice=voice, rate=rate)
    program = len(routines) == 1 and kind_of(routines[0]) == "program"
    if len(routines) > 1 or clients or program:
        from voicecoach.batch_cli import BatchSettings, render_many, render_program_series

        settings = BatchSettings(
            choice, seed, bitrate, transcripts, cache_dir, timeout_s, quiet, page, embed,
            personal, jobs, ffmpeg_timeout_s,
        )  # fmt: skip
        bar = ProgressBar() if not quiet and stderr_is_tty() else None
        if program:
            render_program_series(routines[0], clients, output, base_url, settings, bar, echo)
        else:
            render_many(routines, clients, output, settings, bar, echo)
        return
    if output is not None and output.is_dir():
        raise click.BadParameter(f"File '{output}' is a directory.", param_hint="'-o' / '--output'")
    chosen = ("vtt",) if not transcripts else tuple(t for t in transcripts if t != "none")
    options = RenderOptions(
        voice=choice,
        seed=seed,
        bitrate=bitrate,
        transcripts=chosen,
        cache_dir=cache_dir,
        speech_timeout_s=timeout_s,
        ffmpeg_timeout_s=ffmpeg_timeout_s,
        page=page or embed,
        embed=embed,
    )
    _render_one(routines[0], output, options, only=only, quiet=quiet, personal=personal)


def _render_one(
    routine: str,
    output: Path | None,
    options: RenderOptions,
    *,
    only: str | None,
    quiet: bool,
    personal: dict[str, Any],
) -> None:
    """One routine to one output (default: its name + .mp3 here), then the summary."""
    from voicecoach.pipeline import render as render_session

    if output is None:
        output = Path(Path(routine).stem + ".mp3")
    said: list[str] = []
    rate = options.voice.rate
    model = personalized(routine, options.seed, rate, said=said, **personal)  # says it first
    if only is not None:
        from voicecoach.audition import only as only_part

        model = only_part(model, only)
    elif personal.get("minutes") is not None or profile_minutes(routine) is not None:
        # --minutes: render fits the routine again on the real phrase lengths
        from dataclasses import replace

        options = replace(options, personal=choices_of(personal))
        model = routine
    bar = ProgressBar() if not quiet and stderr_is_tty() else None
    try:
        result = render_session(model, output, options, progress=bar)
    finally:
        if bar:
            bar.close()
    _summarize(result, said, quiet)


def _summarize(result: RenderResult, said: list[str], quiet: bool) -> None:
    """What was written (unless ``quiet``), a refit that changed what was ``said``
    before, and the warnings (even when quiet)."""
    if not quiet:
        from voicecoach.cues.spoken import plural
        from voicecoach.text import clock

        chapters = plural(len(result.timeline.chapters), "chapter")
        echo(
            f"wrote {result.path} ({clock(result.timeline.total_ms)}, "
            f"{result.size_bytes / 1e6:.1f} MB, {chapters}; "
            f"{plural(result.synthesized, 'phrase')} synthesized, {result.cached} from cache)"
        )
        echo(f"voice: {result.voice}")
        for sidecar in (*result.sidecars, *result.page_files):
            echo(f"wrote {sidecar}")
    if list(result.changes) != said:  # the fit on the voice's real lengths differs
        for change in result.changes:
            echo(f"personalized on the voice's real lengths: {change}", err=True)
    for warning in (*result.warnings, *result.timeline.warnings):  # even with -q
        echo(f"warning: {warning}", err=True)
