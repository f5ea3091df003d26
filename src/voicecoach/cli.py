"""The command line: thin over the library API.

Each command parses options, calls one library function and turns a
`VoicecoachError` into a clear message on stderr with exit code 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from voicecoach import __version__
from voicecoach.errors import VoicecoachError


class _Group(click.Group):
    """Maps our errors to exit code 1 and a message; `--debug` shows the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoicecoachError as exc:
            if ctx.meta.get("voicecoach.debug"):
                raise
            for line in exc.format().splitlines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; no output was written.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.meta.get("voicecoach.debug"):
                raise
            click.echo(
                f"error: internal error: {type(exc).__name__}: {exc}. "
                "run again with --debug for details and report it.",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voicecoach")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compile a workout routine written in YAML into a voice-guided audio session."""
    ctx.meta["voicecoach.debug"] = debug


ROUTINE = click.argument("routine", metavar="ROUTINE")
SEED = click.option(
    "--seed", type=int, default=0, show_default=True, help="Choose cue phrasings (repeatable)."
)


def _stderr_is_tty() -> bool:
    return sys.stderr.isatty()


@cli.command()
@ROUTINE
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; the format follows its suffix (.mp3 .wav .flac .ogg .m4a). "
    "Default: ROUTINE's name + .mp3 in the current folder.",
)
@click.option("--engine", help="Speech engine: auto, pyttsx3, piper or fake (beeps).")
@click.option("--voice", help="Voice id (see `voicecoach voices`).")
@click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate in words per minute.")
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
    type=click.FloatRange(1, 3600),
    help="Seconds the speech engine may take before it is stopped.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def render(
    routine: str,
    output: Path | None,
    engine: str | None,
    voice: str | None,
    rate: int | None,
    seed: int,
    bitrate: str,
    transcripts: tuple[str, ...],
    cache_dir: Path | None,
    timeout_s: float | None,
    quiet: bool,
) -> None:
    """Render ROUTINE (a YAML file or a built-in name) to an audio file."""
    from voicecoach.render import RenderOptions, VoiceChoice
    from voicecoach.render import render as render_session

    if output is None:
        output = Path(Path(routine).stem + ".mp3")
    chosen = ("vtt",) if not transcripts else tuple(t for t in transcripts if t != "none")
    options = RenderOptions(
        voice=VoiceChoice(engine=engine, voice=voice, rate=rate),
        seed=seed,
        bitrate=bitrate,
        transcripts=chosen,
        cache_dir=cache_dir,
        speech_timeout_s=timeout_s,
    )
    bar = _ProgressBar() if not quiet and _stderr_is_tty() else None
    try:
        result = render_session(routine, output, options, progress=bar)
    finally:
        if bar:
            bar.close()
    if not quiet:
        from voicecoach.plan_output import format_duration

        click.echo(
            f"wrote {result.path} ({format_duration(result.timeline.total_ms)}, "
            f"{result.size_bytes / 1e6:.1f} MB, {len(result.timeline.chapters)} chapters; "
            f"{result.synthesized} phrases synthesized, {result.cached} from cache)"
        )
        for sidecar in result.sidecars:
            click.echo(f"wrote {sidecar}")
        for warning in result.timeline.warnings:
            click.echo(f"warning: {warning}", err=True)


class _ProgressBar:
    """One line on stderr per stage: `speech 12/40`, `mix 3:10/14:00`."""

    LABELS: ClassVar[dict[str, str]] = {
        "speech": "synthesizing speech",
        "measure": "measuring loudness",
        "encode": "mixing and encoding",
    }

    def __init__(self) -> None:
        self._stage: str | None = None
        self._bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = click.progressbar(
                length=max(total, 1), label=self.LABELS.get(stage, stage), file=sys.stderr
            )
            self._bar.__enter__()
            self._done = 0
        step = done - self._done
        if step > 0:
            self._bar.update(step)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@cli.command()
@ROUTINE
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (stable).")
@SEED
@click.option(
    "--rate", type=click.IntRange(60, 400), help="Words per minute used to estimate phrase lengths."
)
def plan(routine: str, as_json: bool, seed: int, rate: int | None) -> None:
    """Show the timeline of ROUTINE without rendering audio."""
    from voicecoach.plan_output import format_plan_table, timeline_to_json
    from voicecoach.render import plan_routine
    from voicecoach.routine import load_routine

    timeline = plan_routine(load_routine(routine), seed=seed, wpm=rate)
    if as_json:
        click.echo(json.dumps(timeline_to_json(timeline), indent=2, ensure_ascii=False))
        return
    click.echo(format_plan_table(timeline))
    for warning in timeline.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("routines", nargs=-1, required=True, metavar="ROUTINE...")
def validate(routines: tuple[str, ...]) -> None:
    """Check routine files (and their cue packs) without rendering."""
    from voicecoach.plan_output import format_duration
    from voicecoach.render import plan_routine
    from voicecoach.routine import load_routine

    failed = False
    for name in routines:
        try:
            timeline = plan_routine(load_routine(name))
        except VoicecoachError as exc:
            failed = True
            for line in exc.format().splitlines():
                click.echo(f"error: {line}", err=True)
            continue
        click.echo(
            f"ok: {name} ({format_duration(timeline.total_ms)}, {len(timeline.chapters)} chapters)"
        )
        for warning in timeline.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
    if failed:
        sys.exit(1)


@cli.command(name="list")
def list_() -> None:
    """List the built-in routines and cue packs."""
    from voicecoach.cues import list_cue_packs
    from voicecoach.plan_output import format_duration
    from voicecoach.render import plan_routine
    from voicecoach.routine import list_builtin_routines, load_routine

    click.echo("Built-in routines (render with: voicecoach render NAME):")
    for item in list_builtin_routines():
        length = format_duration(plan_routine(load_routine(item.name)).total_ms, millis=False)
        click.echo(f"  {item.name:<22} {length:>6}  {item.description}")
    click.echo("Cue packs (use with cue_pack: NAME):")
    for pack in list_cue_packs():
        click.echo(f"  {pack.name:<22} {pack.description}")


@cli.command()
def voices() -> None:
    """List the speech engines and their voices."""
    from voicecoach.speech import list_engines

    for info in list_engines():
        state = "available" if info.available else "not installed"
        click.echo(
            f"{info.name} ({state}): default voice {info.default_voice}, "
            f"{info.default_rate} wpm. {info.note}".rstrip()
        )
        for v in info.voices:
            click.echo(f"  {v.id:<24} {v.name}")


@cli.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, force: bool) -> None:
    """Write NAME.yaml, a commented routine to customize."""
    from voicecoach.atomic import write_text_atomic
    from voicecoach.routine import scaffold

    target = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if target.exists() and not force:
        raise VoicecoachError(
            f"{target} already exists. choose another name or pass --force to overwrite it."
        )
    write_text_atomic(target, scaffold(target.stem))
    click.echo(f"wrote {target}; edit it, then: voicecoach render {target}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the routine format (for editor autocomplete)."""
    from voicecoach.routine import routine_schema

    click.echo(json.dumps(routine_schema(), indent=2))


def main() -> None:
    cli(prog_name="voicecoach")
