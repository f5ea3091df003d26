"""The command line: thin over the library API.

Each command parses options, calls one library function and turns a
`VoicecoachError` into a clear message on stderr with exit code 1. Exit codes
(README, "Exit codes"): 0 ok, 1 bad input or a fixable failure, 2 usage, 70 internal
error, 130 interrupted. Everything printed goes through `echo`, which shows control
characters escaped.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

from voicecoach.startup import (
    INTERRUPTED,
    Terminated,
    exit_code,
    hand_back_signals,
    quiet_interrupts,
    restore_interrupts,
    stop_message,
    take_over_signals,
)

quiet_interrupts()  # Ctrl-C during the imports below: one line, exit 130

import click  # noqa: E402

from voicecoach import __version__  # noqa: E402
from voicecoach.bugreport import internal_error_line  # noqa: E402
from voicecoach.errors import VoicecoachError  # noqa: E402
from voicecoach.textsafe import printable  # noqa: E402

restore_interrupts()

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader left


def echo(message: str = "", *, err: bool = False) -> None:
    """click.echo, with control characters from user text shown escaped."""
    click.echo(printable(message), err=err)


def _suggestion(found: re.Match[str]) -> str:
    return f". {found.group(1).lower()}{found.group(2)}"


def _usage_line(exc: click.ClickException) -> str:
    """A click usage error as our one `error:` line, with where to find help."""
    text = exc.format_message().strip()
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())) and ctx is not None:
        group = ctx.command
        names = group.list_commands(ctx) if isinstance(group, click.Group) else []
        text = "no command given. the commands are: " + ", ".join(names)
    text = text[:1].lower() + text[1:] if text[1:2].islower() else text
    # click's "(Did you mean one of: ...?)" and ". Did you mean ...?" in our style
    text = re.sub(r"\.?\s*\((Did you mean|Possible options)([^()]*)\)", _suggestion, text)
    text = text.replace(". Did you mean", ". did you mean")
    if not text.endswith((".", "?", "!")):
        text += "."
    where = ctx.command_path if ctx is not None else "voicecoach"
    return f"error: {printable(text, keep_newlines=False)} see '{where} --help'."


def _internal_error(exc: BaseException) -> None:
    echo(internal_error_line(exc, _Group.argv), err=True)


def _report(exc: VoicecoachError) -> None:
    """One `error:` line per problem, on stderr."""
    for line in exc.format().splitlines():
        echo(f"error: {line}", err=True)


class _Group(click.Group):
    """Maps our errors to exit code 1 and a message; `--debug` shows the traceback."""

    argv: ClassVar[list[str]] = []  # this run's arguments, for the internal-error line

    def invoke(self, ctx: click.Context) -> Any:
        try:
            take_over_signals()  # SIGINT/SIGTERM/SIGHUP now unwind through the cleanup
            ctx.call_on_close(hand_back_signals)
            return super().invoke(ctx)
        except VoicecoachError as exc:
            if ctx.meta.get("voicecoach.debug"):
                raise
            _report(exc)
            ctx.exit(1)
        except KeyboardInterrupt:
            echo(INTERRUPTED, err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated as stop:
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                echo(stop_message(stop.signum), err=True)
            ctx.exit(exit_code(stop.signum))  # 143 (SIGTERM), 129 (SIGHUP)
        except BrokenPipeError:
            # Whoever read our output went away (`voicecoach voices | head`): nothing is
            # wrong and nothing is said. Point stdout at /dev/null so the interpreter's
            # final flush cannot fail again.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if ctx.meta.get("voicecoach.debug"):
                raise
            _internal_error(exc)
            ctx.exit(EXIT_INTERNAL)

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors as one `error:` line and exit 2 (not click's Usage block);
        `--help` and `--version` work as before."""
        _Group.argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if isinstance(exc, click.UsageError):
                echo(_usage_line(exc), err=True)
            else:
                echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            echo(INTERRUPTED, err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # outside a command (while parsing): still no traceback
            if "--debug" in (sys.argv[1:] if args is None else list(args)):
                raise
            _internal_error(exc)
            sys.exit(EXIT_INTERNAL)
        sys.exit(code if isinstance(code, int) else 0)


class FiniteFloatRange(click.FloatRange):
    """click.FloatRange that also refuses nan and inf (which pass its comparisons)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(
                f"{value!r} is not a finite number; give one from {self.min:g} to {self.max:g}",
                param,
                ctx,
            )
        return super().convert(number, param, ctx)


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
            type=FiniteFloatRange(1, 240),
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



def _choices(choices: dict[str, Any]) -> Any:
    from voicecoach.personalize import Choices

    return Choices(
        weak_side=choices["weak_side"],
        extra_weak_set=choices["extra_weak_set"],
        level=choices["level"],
        minutes=choices["minutes"],
        check_ins=choices["check_ins"],
        coach=choices["coach"],
    )


def _profile_minutes(routine: str) -> float | None:
    from voicecoach.routine import load_routine

    return load_routine(routine).profile.minutes


def _personalized(
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
    from voicecoach.personalize import personalize
    from voicecoach.routine import load_routine

    result = personalize(
        load_routine(routine), _choices(choices), seed=seed, wpm=wpm, measure=measure
    )
    for change in result.changes:
        echo(f"personalized: {change}", err=True)
    if said is not None:
        said.extend(result.changes)
    return result.routine


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
    type=click.IntRange(1, 64),
    help="Outputs mixed at once when there are several (default: the number of cores).",
)
@click.option(
    "--base-url",
    help="With a program: also write the series' podcast feed, served at this address.",
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
    type=FiniteFloatRange(1, 3600),
    help="Seconds the speech engine may take before it is stopped.",
)
@click.option(
    "--ffmpeg-timeout",
    "ffmpeg_timeout_s",
    type=FiniteFloatRange(1, 3600),
    help="Seconds ffmpeg may make no progress before it is stopped (default 60).",
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
    from voicecoach.documents import kind_of
    from voicecoach.pipeline import RenderOptions, VoiceChoice
    from voicecoach.pipeline import render as render_session

    program = len(routines) == 1 and kind_of(routines[0]) == "program"
    if len(routines) > 1 or clients or program:
        from voicecoach.batch_cli import BatchSettings, render_many, render_program_series

        settings = BatchSettings(
            VoiceChoice(engine=engine, voice=voice, rate=rate), seed, bitrate, transcripts,
            cache_dir, timeout_s, quiet, page, embed, personal, jobs, ffmpeg_timeout_s,
        )  # fmt: skip
        bar = _ProgressBar() if not quiet and _stderr_is_tty() else None
        if program:
            render_program_series(routines[0], clients, output, base_url, settings, bar, echo)
        else:
            render_many(routines, clients, output, settings, bar, echo)
        return
    routine = routines[0]
    if output is not None and output.is_dir():
        raise click.BadParameter(f"File '{output}' is a directory.", param_hint="'-o' / '--output'")
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
        ffmpeg_timeout_s=ffmpeg_timeout_s,
        page=page or embed,
        embed=embed,
    )
    said: list[str] = []
    model = _personalized(routine, seed, rate, said=said, **personal)  # says what changes, first
    if only is not None:
        from voicecoach.audition import only as only_part

        model = only_part(model, only)
    elif personal.get("minutes") is not None or _profile_minutes(routine) is not None:
        # --minutes: render fits the routine again on the real phrase lengths
        from dataclasses import replace

        options = replace(options, personal=_choices(personal))
        model = routine
    bar = _ProgressBar() if not quiet and _stderr_is_tty() else None
    try:
        result = render_session(model, output, options, progress=bar)
    finally:
        if bar:
            bar.close()
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


class _ProgressBar:
    """One line on stderr per stage: `speech 12/40`, `mix 3:10/14:00`."""

    LABELS: ClassVar[dict[str, str]] = {
        "speech": "synthesizing speech",
        "measure": "measuring loudness",
        "encode": "mixing and encoding",
        "outputs": "rendering outputs",
    }

    def __init__(self) -> None:
        self._stage: str | None = None
        self._bar: Any = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        # A stage whose count starts over (speech after the engine fell back) gets a new
        # bar; one whose total grows (a further round of phrases) a longer one.
        if stage != self._stage or done < self._done:
            self.close()
            self._stage = stage
            self._bar = click.progressbar(
                length=max(total, 1), label=self.LABELS.get(stage, stage), file=sys.stderr
            )
            self._bar.__enter__()
            self._done = 0
        if total > self._bar.length:
            self._bar.length = total
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
    "--engine",
    help="Plan with this engine's real phrase lengths where the phrase cache has them "
    "(nothing is synthesized): auto, pyttsx3, piper or fake.",
)
@click.option("--voice", help="Voice id, as for render (implies the phrase cache, like --engine).")
@click.option(
    "--rate",
    type=click.IntRange(60, 400),
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
    from voicecoach.cached_lengths import phrase_lengths
    from voicecoach.plan_output import format_plan_table, timeline_to_json
    from voicecoach.routine import load_routine

    lengths = phrase_lengths(load_routine(routine), engine, voice, rate, cache_dir)
    model = _personalized(routine, seed, rate, measure=lengths.measure(seed), **personal)
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
@click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate in words per minute.")
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
    from voicecoach.personalize import Choices
    from voicecoach.pipeline import RenderOptions, VoiceChoice

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


@cli.command()
@click.argument("routines", nargs=-1, required=True, metavar="ROUTINE...")
def validate(routines: tuple[str, ...]) -> None:
    """Check routine files (and their cue packs), cue pack files, client files and
    programs without rendering."""
    from voicecoach.checks import check
    from voicecoach.documents import check_document
    from voicecoach.text import clock

    failed = False
    for name in routines:
        try:
            other = check_document(name)
            if other is not None:  # a client file or a program
                echo(f"ok: {name} ({other})")
                continue
            checked = check(name)
        except VoicecoachError as exc:
            failed = True
            _report(exc)
            continue
        from voicecoach.cues.spoken import plural

        timeline = checked.timeline
        if timeline is None:
            echo(f"ok: {name} (cue pack, {plural(checked.pack_keys or 0, 'cue key')})")
            continue
        chapters = plural(len(timeline.chapters), "chapter")
        echo(f"ok: {name} ({clock(timeline.total_ms)}, {chapters})")
        for change in checked.changes:
            echo(f"  its profile: {change}")
        for warning in timeline.warnings:
            echo(f"warning: {name}: {warning}", err=True)
    if failed:
        sys.exit(1)


@cli.command(name="list")
def list_() -> None:
    """List the built-in routines and cue packs."""
    from voicecoach.cues import list_cue_packs
    from voicecoach.cues.pack_file import safety_text
    from voicecoach.pipeline import plan_routine
    from voicecoach.routine import list_builtin_routines, load_routine
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
    echo(f"wrote {target}; edit it, then: voicecoach render {target}")


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


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--base-url", required=True, help="The address DIR is served at, e.g. https://example.com/s/."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the feed (default: DIR/feed.xml).",
)
@click.option("--title", help="The feed's title (default: the sessions' album).")
@click.option("--description", help="The feed's description.")
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publish date of the first session (default: the day of the oldest file).",
)
@click.option(
    "--with-client-names",
    is_flag=True,
    help="Allow client names in public titles and file names (off: refused).",
)
def feed(
    folder: Path,
    base_url: str,
    output: Path | None,
    title: str | None,
    description: str | None,
    start: Any,
    with_client_names: bool,
) -> None:
    """Write a podcast feed (RSS) for the sessions rendered into DIR."""
    from voicecoach.feed import build_feed
    from voicecoach.text import plural

    result = build_feed(
        folder,
        base_url,
        output,
        title=title,
        description=description,
        start=start.date() if start else None,
        with_client_names=with_client_names,
    )
    for path in result.written[:-1]:
        echo(f"wrote {path}")
    echo(f"wrote {result.path} ({plural(len(result.episodes), 'session')})")
    echo(f"subscribe to: {result.base_url}{result.path.name}")


@cli.group()
def cache() -> None:
    """Show or clear the phrase cache (capped at 1 GB; set VOICECOACH_CACHE_MAX)."""


CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Phrase cache folder (default: the user cache folder).",
)


@cache.command(name="info")
@CACHE_DIR
def cache_info(cache_dir: Path | None) -> None:
    """Size and entries of the phrase cache, per engine and voice."""
    from voicecoach.speech import default_cache_dir
    from voicecoach.speech.cache_admin import info

    found = info(cache_dir or default_cache_dir())
    cap = f"cap {found.cap / 1e6:.0f} MB" if found.cap > 0 else "no cap"
    echo(f"{found.directory}: {found.entries} clips, {found.bytes / 1e6:.1f} MB ({cap})")
    for (engine, voice), group in found.by_voice.items():
        echo(f"  {engine:<8} {voice:<24} {group.entries:>6} clips {group.bytes / 1e6:>8.1f} MB")


@cache.command(name="clear")
@CACHE_DIR
@click.option("--engine", help="Remove only this engine's clips (piper, pyttsx3, fake).")
def cache_clear(cache_dir: Path | None, engine: str | None) -> None:
    """Remove the cached clips (all, or one engine's)."""
    from voicecoach.speech import default_cache_dir, engine_names
    from voicecoach.speech.cache_admin import clear

    if engine is not None and engine not in engine_names()[1:]:
        raise VoicecoachError(
            f"unknown speech engine '{engine}'. choose one of: "
            + ", ".join(engine_names()[1:])
            + "."
        )
    directory = cache_dir or default_cache_dir()
    removed, freed = clear(directory, engine)
    echo(f"removed {removed} clips ({freed / 1e6:.1f} MB) from {directory}")


def main() -> None:
    cli(prog_name="voicecoach")
