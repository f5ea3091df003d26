"""The exit-code table of the README, row by row, and usage errors as one line.

0 ok; 1 bad input or a fixable failure; 2 usage; 70 internal error; 130 Ctrl-C
(129 and 143, SIGHUP and SIGTERM, are tested with the signal handling in
tests/reliability).
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from voicecoach import bugreport
from voicecoach.cli import EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="voicecoach")


def test_row_0_ok() -> None:
    result = run("validate", "low-back-reset")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: low-back-reset (")


def test_row_1_bad_input() -> None:
    result = run("plan", "nothere.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no such routine file or built-in routine 'nothere.yaml'. "
        "run `voicecoach list` to see built-ins.\n"
    )


USAGE_ERRORS = [
    ((), "no command given. the commands are: " + ", ".join(sorted(cli.commands))
     + ". see 'voicecoach --help'."),
    (("--frobnicate",), "no such option '--frobnicate'. see 'voicecoach --help'."),
    (("rendr", "x"), "no such command 'rendr'. did you mean 'render'? see 'voicecoach --help'."),
    (("render",), "missing argument 'ROUTINE...'. see 'voicecoach render --help'."),
    (("render", "x", "--frobnicate"), "no such option '--frobnicate'. did you mean one of: "
     "'--bitrate', '--rate', '--voice'? see 'voicecoach render --help'."),
    (("plan", "x", "--jsno"), "no such option '--jsno'. did you mean '--json'? "
     "see 'voicecoach plan --help'."),
    (("render", "x", "--level", "extreme"), "invalid value for '--level': 'extreme' is not one "
     "of 'easy', 'normal', 'hard'. see 'voicecoach render --help'."),
    (("plan", "x", "--seed", "abc"), "invalid value for '--seed': 'abc' is not a valid integer. "
     "see 'voicecoach plan --help'."),
    (("render", "x", "--rate", "10"), "invalid value for '--rate': 10 is not in the range "
     "60<=x<=400. see 'voicecoach render --help'."),
    (("render", "x", "-o"), "option '-o' requires an argument. see 'voicecoach --help'."),
    (("plan", "a", "b"), "got unexpected extra argument (b). see 'voicecoach plan --help'."),
    (("validate",), "missing argument 'ROUTINE...'. see 'voicecoach validate --help'."),
    (("render", "x", "--transcript", "txt"), "invalid value for '--transcript': 'txt' is not "
     "one of 'vtt', 'srt', 'lrc', 'json', 'none'. see 'voicecoach render --help'."),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_row_2_usage_errors_are_one_error_line(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == EXIT_USAGE == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_help_and_version_still_work() -> None:
    for args in (("--help",), ("-h",), ("render", "--help"), ("plan", "-h")):
        result = run(*args)
        assert result.exit_code == 0
        assert result.stdout.startswith("Usage: voicecoach"), args
        assert result.stderr == ""
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("voicecoach, version ")


def test_usage_error_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "voicecoach", "render"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "error: missing argument 'ROUTINE...'. see 'voicecoach render --help'.\n"


def _number_options() -> list[tuple[str, click.Option]]:
    found = []
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(
                param.type, (click.types.FloatParamType, click.types.IntParamType)
            ):
                found.append((name, param))
    return found


def test_every_number_option_refuses_nan_and_inf() -> None:
    options = _number_options()
    names = {(c, p.opts[-1]) for c, p in options}
    assert {("render", "--minutes"), ("render", "--timeout"), ("render", "--rate")} <= names
    assert ("plan", "--seed") in names
    for command, param in options:
        required = ["x" for p in cli.commands[command].params if isinstance(p, click.Argument)]
        flag = param.opts[-1]
        for value in ("nan", "inf", "-inf", "NaN", "1e999"):
            result = run(command, *required, flag, value)
            assert result.exit_code == 2, (command, flag, value, result.output)
            if isinstance(param.type, click.types.IntParamType):
                problem = f"{value!r} is not a valid {param.type.name}"
            else:
                low, high = param.type.min, param.type.max  # type: ignore[attr-defined]
                problem = f"{value!r} is not a finite number; give one from {low:g} to {high:g}"
            assert result.stderr == (
                f"error: invalid value for '{flag}': {problem}. "
                f"see 'voicecoach {command} --help'.\n"
            ), (command, flag, value)


def test_row_70_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    from voicecoach.planning.cached_lengths import PhraseLengths

    monkeypatch.setattr(PhraseLengths, "plan", broken)
    result = run("plan", "low-back-reset")
    assert result.exit_code == EXIT_INTERNAL == 70
    assert result.stderr == (
        "error: internal error: RuntimeError: boom. this is a bug in voicecoach, not a "
        "problem with your input; please report it with the traceback that this prints: "
        "voicecoach --debug plan low-back-reset\n"
    )
    result = run("--debug", "plan", "low-back-reset")
    assert isinstance(result.exception, RuntimeError)


def test_row_70_while_the_arguments_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug outside any command (here while the group reads its arguments) is exit 70
    too, on one line; the command to run again is quoted for the shell."""

    def broken(*args: object) -> None:
        raise KeyError("minutes\nsecond line")

    monkeypatch.setattr(cli, "parse_args", broken)
    result = run("plan", "my routine.yaml", "--minutes", "5")
    assert result.exit_code == EXIT_INTERNAL
    assert result.stderr == (
        "error: internal error: KeyError: 'minutes\\nsecond line'. this is a bug in "
        "voicecoach, not a problem with your input; please report it with the traceback "
        "that this prints: voicecoach --debug plan 'my routine.yaml' --minutes 5\n"
    )


def test_row_70_names_the_issue_tracker_the_package_declares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Metadata:
        def get_all(self, name: str) -> list[str]:
            assert name == "Project-URL"
            return ["Homepage, https://example.org/vc", "Issues, https://example.org/vc/issues"]

    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: Metadata())
    assert bugreport.issue_tracker() == "https://example.org/vc/issues"
    line = bugreport.internal_error_line(ValueError("x"), ["list"])
    assert line == (
        "error: internal error: ValueError: x. this is a bug in voicecoach, not a problem "
        "with your input; please report it at https://example.org/vc/issues with the "
        "traceback that this prints: voicecoach --debug list"
    )


def test_row_130_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C in a command (the real-signal version is the SIGINT trial in
    tests/reliability/test_reliability_faults.py)."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    from voicecoach.planning.cached_lengths import PhraseLengths

    monkeypatch.setattr(PhraseLengths, "plan", interrupted)
    result = run("plan", "low-back-reset")
    assert result.exit_code == EXIT_INTERRUPTED == 130
    assert result.stderr == "interrupted; nothing was left half-written.\n"


def test_row_141_a_reader_that_went_away_is_no_error() -> None:
    """`voicecoach voices | head -1`: the reader closed the pipe before we wrote."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the command starts: its first write fails
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "voicecoach", "schema"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (EXIT_BROKEN_PIPE, b"")


def test_no_usage_block_anywhere(tmp_path: Path) -> None:
    for args, _ in USAGE_ERRORS:
        assert "Usage:" not in run(*args).output
