"""Every snippet of docs/clients.md and docs/programs.md, run in order like a reader would.

``yaml file=PATH`` blocks are written to a folder; each ``$ voicecoach ...`` line of a
``console`` block runs there with click's CliRunner (renders use the fast fake
engine), and every output line the doc shows must appear in what was printed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cookbook.test_cookbook import FENCE, shown_in
from voicecoach.cli import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"


def run_doc(name: str, folder: Path) -> int:
    text = (DOCS / name).read_text(encoding="utf-8")
    fast = ["--engine", "fake", "--voice", "tone", "--cache-dir", str(folder / "cache")]
    ran = 0
    for m in FENCE.finditer(text):
        lang, info, body = m[1], m[2].strip(), m[3]
        if lang == "yaml":
            assert re.fullmatch(r"file=[\w./-]+\.yaml( kind=[\w-]+)?", info), info
            target = folder / info.split()[0].removeprefix("file=")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            continue
        assert lang == "console", lang
        steps: list[tuple[list[str], list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                argv = shlex.split(line[2:])
                assert argv[0] == "voicecoach", line
                steps.append((argv[1:], []))
            elif line.strip():
                steps[-1][1].append(line)
        for argv, expected in steps:
            args = argv + fast if argv[0] == "render" else argv
            result = CliRunner().invoke(cli, args)
            wants_error = any(line.startswith("error:") for line in expected)
            assert result.exit_code == (1 if wants_error else 0) or (
                wants_error and result.exit_code == 2
            ), (argv, result.output)
            for line in expected:
                assert shown_in(line, result.output), (argv, line, result.output)
            ran += 1
    return ran


def test_the_clients_doc_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_doc("clients.md", tmp_path) == 4
    assert "See you next time, Sam." in (tmp_path / "sam-bridge.vtt").read_text("utf-8")
    made = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.mp3"))
    assert made == ["Jo-Lee/bridge.mp3", "Jo-Lee/clamshell.mp3", "Sam/bridge.mp3",
                    "Sam/clamshell.mp3"]  # fmt: skip


def test_the_programs_doc_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_doc("programs.md", tmp_path) == 4
    names = sorted(p.name for p in (tmp_path / "series").glob("*.mp3"))
    assert names == ["01-w1-bridge.mp3", "02-w1-dead-bug.mp3", "03-w2-bridge.mp3"]
    assert (tmp_path / "public" / "feed.xml").is_file()
