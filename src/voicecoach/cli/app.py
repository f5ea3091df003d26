"""The `voicecoach` click group: our errors as one `error:` line and an exit code
(1 bad input, 2 usage, 70 internal, 130/143/129 stopped, 141 reader gone)."""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
from typing import Any, ClassVar

import click

from voicecoach import __version__
from voicecoach.bugreport import internal_error_line
from voicecoach.errors import VoicecoachError
from voicecoach.startup import (
    INTERRUPTED,
    Terminated,
    exit_code,
    hand_back_signals,
    stop_message,
    take_over_signals,
)
from voicecoach.textsafe import printable

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


def report(exc: VoicecoachError) -> None:
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
            report(exc)
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


def main() -> None:
    cli(prog_name="voicecoach")
