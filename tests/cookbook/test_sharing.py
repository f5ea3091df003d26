"""Every snippet of docs/sharing.md, run in order like a reader would.

``yaml file=NAME`` blocks are written to a folder; ``console`` blocks run their
``$ mkdir`` and ``$ voicecoach`` lines (renders with the fast fake engine) and the
lines the doc shows must appear in what was printed. The ``sh`` block really
serves the folder with ``python -m http.server`` (on a free local port), and the
feed and a session are fetched from it and parsed.
"""

from __future__ import annotations

import contextlib
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from tests.cookbook.test_cookbook import FENCE, shown_in
from voicecoach.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"


def blocks() -> list[tuple[str, str, str]]:
    return [(m[1], m[2].strip(), m[3]) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def commands(body: str) -> list[tuple[list[str], list[str]]]:
    """(argv, expected output lines) per `$` line; argv[0] is mkdir or voicecoach."""
    out: list[tuple[list[str], list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            assert argv[0] in ("mkdir", "voicecoach"), line
            out.append((argv, []))
        elif line.strip():
            out[-1][1].append(line)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(argv: list[str], cwd: Path) -> Iterator[str]:
    """Run the doc's `python -m http.server PORT ...` on a free local port."""
    assert argv[:3] == ["python", "-m", "http.server"], argv
    port = free_port()
    args = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", *argv[4:]]
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_block_is_a_file_a_command_or_the_server() -> None:
    assert {lang for lang, _, _ in blocks()} == {"yaml", "console", "sh"}


def test_the_sharing_doc_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fast = ["--engine", "fake", "--voice", "tone", "--cache-dir", str(tmp_path / "cache")]
    feeds: list[tuple[str, Path]] = []  # (base url, folder)
    served = 0
    for lang, info, body in blocks():
        if lang == "yaml":
            (tmp_path / info.split()[0].removeprefix("file=")).write_text(body, encoding="utf-8")
            continue
        if lang == "sh":
            (line,) = [ln for ln in body.splitlines() if ln.strip()]
            argv = shlex.split(line)
            folder = tmp_path / argv[argv.index("--directory") + 1]
            with serving(argv, tmp_path) as address:
                base, feed_folder = feeds[0]
                assert feed_folder == folder
                text = urllib.request.urlopen(address + "feed.xml", timeout=10).read()
                parsed = feedparser.parse(text)
                assert not parsed.bozo and len(parsed.entries) == 2
                for entry in parsed.entries:
                    href = entry.enclosures[0].href.replace(base, address)
                    with urllib.request.urlopen(href, timeout=10) as response:
                        assert int(response.headers["Content-Length"]) == int(
                            entry.enclosures[0].length
                        )
                    chapters = entry.podcast_chapters["url"].replace(base, address)
                    assert b'"startTime"' in urllib.request.urlopen(chapters, timeout=10).read()
            served += 1
            continue
        for argv, expected in commands(body):
            if argv[0] == "mkdir":
                (tmp_path / argv[1]).mkdir()
                continue
            args = argv[1:] + fast if argv[1] == "render" else argv[1:]
            result = CliRunner().invoke(cli, args)
            wants_error = any(line.startswith("error:") for line in expected)
            assert result.exit_code == (1 if wants_error else 0), (argv, result.output)
            for line in expected:
                assert shown_in(line, result.output), (argv, line, result.output)
            if argv[1] == "feed" and not wants_error:
                feeds.append((args[args.index("--base-url") + 1], tmp_path / args[1]))
    assert served == 1 and len(feeds) == 1
