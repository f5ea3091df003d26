"""Every snippet of docs/customizing-cues.md, run in order like a reader would.

``yaml file=NAME`` blocks are written to a folder; each ``$ voicecoach ...`` line of
a ``console`` block runs there with click's CliRunner (renders use the fast fake
engine), and every output line the doc shows must appear in what the command
printed (``...`` stands for the rest of a line, or for the start of one).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.wavfiles import write_wav
from voicecoach.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "customizing-cues.md"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.M | re.S)


def blocks() -> list[tuple[str, str, str]]:
    """(language, info after it, body) of every fenced block, in order."""
    return [(m[1], m[2].strip(), m[3]) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def write_song(path: Path) -> None:
    """One second of a quiet stereo sine: the music for the music snippet."""
    t = np.arange(44_100) / 44_100
    write_wav(path, np.repeat((0.2 * np.sin(2 * np.pi * 220 * t))[:, None], 2, axis=1))


def commands(body: str) -> list[tuple[list[str], list[str]]]:
    """(argv after `voicecoach`, expected output lines) per `$` line."""
    out: list[tuple[list[str], list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            assert argv[0] == "voicecoach", line
            out.append((argv[1:], []))
        elif line.strip():
            out[-1][1].append(line)
    return out


def shown_in(expected: str, printed: str) -> bool:
    """Does the doc's line appear in the output? `...` matches anything."""
    parts = [re.escape(p) for p in expected.strip().split("...")]
    return re.search(".*".join(parts), printed) is not None


def test_every_block_is_a_named_file_or_a_command() -> None:
    found = blocks()
    assert {lang for lang, _, _ in found} == {"yaml", "console"}
    for lang, info, body in found:
        if lang == "yaml":
            assert re.fullmatch(r"file=[\w.-]+\.yaml kind=[\w-]+", info), info
        else:
            assert all(c[0] for c in commands(body)), body


def test_the_cookbook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_song(tmp_path / "song.wav")
    runner = CliRunner()
    fast = ["--engine", "fake", "--voice", "tone", "--cache-dir", str(tmp_path / "cache")]
    ran = rendered = 0
    for lang, info, body in blocks():
        if lang == "yaml":
            (tmp_path / info.split()[0].removeprefix("file=")).write_text(body, encoding="utf-8")
            continue
        for argv, expected in commands(body):
            args = argv + fast if argv[0] == "render" else argv
            result = runner.invoke(cli, args)
            printed = result.output
            wants_error = any(line.startswith("error:") for line in expected)
            assert result.exit_code == (1 if wants_error else 0), (argv, printed)
            for line in expected:
                assert shown_in(line, printed), (argv, line, printed)
            if argv[0] == "render":
                target = tmp_path / argv[argv.index("-o") + 1]
                assert target.stat().st_size > 10_000
                assert target.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")
                rendered += 1
            ran += 1
    assert ran >= 15 and rendered == 5  # the client routine (8a) renders too
