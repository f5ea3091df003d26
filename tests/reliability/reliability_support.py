"""Shared helpers for the reliability tests: the corpus, generated inputs, processes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
OLD_BYTES = b"yesterday's good session\n"  # what every pre-existing output holds


def _wav(frames: int) -> bytes:
    """A 16-bit mono 44.1 kHz WAV header that claims `frames` frames of silence."""
    data = b"\0\0" * frames
    fmt = struct.pack("<HHIIHH", 1, 1, 44100, 88200, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data"
    body += struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


# Inputs made at test time: binary, non-UTF-8, huge and media files are not committed.
GENERATED: dict[str, bytes] = {
    "71-empty.yaml": b"",
    "72-binary.yaml": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    "73-not-utf8.yaml": b"name: Tiny\ndescription: Caf\xe9 au lait\n",
    "74-utf16.yaml": "name: Tiny\n".encode("utf-16"),
    "75-nul-in-text.yaml": b"name: Tiny\nexercises:\n  - {name: Br\0idge, reps: 5}\n",
    "76-huge.yaml": b"name: Tiny\ndescription: >\n" + b"  lorem ipsum dolor\n" * 120_000,
    "packs/deep.yaml": b"extends: default\ncues: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
    "packs/latin1.yaml": b'extends: default\ncues:\n  count: "Caf\xe9 {rep}"\n',
    "media/empty.mp3": b"",
    "media/notes.mp3": b"these are my notes, not a song\n" * 10,
    "media/truncated.wav": _wav(44100)[:44],  # header says 1 s, no samples follow
    "media/header-only.wav": _wav(44100)[:30],
    "media/song.mid": b"MThd\0\0\0\x06\0\0\0\x01\0\x60MTrk\0\0\0\x04\0\xff\x2f\0",
    "media/cover.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64,
}


def make_corpus(folder: Path) -> Path:
    """Copy the committed corpus into `folder` and add the generated inputs."""
    shutil.copytree(CORPUS, folder, dirs_exist_ok=True)
    for name, data in GENERATED.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def expectations() -> list[dict[str, Any]]:
    with open(CORPUS / "expected.yaml", encoding="utf-8") as fh:
        cases: list[dict[str, Any]] = yaml.safe_load(fh)
    return cases


def render_args(case: dict[str, Any], cache: Path) -> list[str]:
    output = case.get("output", "out.mp3")
    args = ["render", case.get("routine", case["case"]), "-o", output, "--engine", "fake"]
    return [*args, "--cache-dir", str(cache), *case.get("args", [])]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative name -> bytes), to prove nothing changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "cache" not in p.relative_to(folder).parts
    }


# --- processes ------------------------------------------------------------------------


def voicecoach_command() -> list[str]:
    exe = Path(sys.executable).with_name("voicecoach")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "voicecoach"]


def start_cli(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """The CLI in its own process group (like a job in a shell), SIGINT not ignored."""
    return subprocess.Popen(
        [*voicecoach_command(), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) for every live process, read from /proc."""
    out: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":  # a zombie has exited; it only waits to be reaped
            continue
        out[int(entry.name)] = (int(fields[1]), cmdline)
    return out


def matching(text: str) -> list[int]:
    """Live processes whose command line contains `text`."""
    return [pid for pid, (_, cmd) in processes().items() if text in cmd and pid != os.getpid()]


def children_of(pid: int) -> list[int]:
    return [p for p, (ppid, _) in processes().items() if ppid == pid]


# A stalled fake ffmpeg sleeps this long: a number of our own (987 s and this
# process's id as a fraction), so a check for leftovers never sees another test
# run's sleeper on the same machine.
STALL_SLEEP = f"sleep 987.{os.getpid()}"


def fake_ffmpeg(folder: Path, body: str) -> str:
    """A shell script standing in for ffmpeg (point $VOICECOACH_FFMPEG at it);
    ``sleep 987`` in ``body`` becomes `STALL_SLEEP`."""
    path = folder / "fake-ffmpeg"
    path.write_text("#!/bin/sh\n" + body.replace("sleep 987", STALL_SLEEP))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def first_child(pid: int) -> int | None:
    """The first child of `pid`: in a fake-engine render, the ffmpeg encoder."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:  # a kernel without the file: the slower scan of /proc
        kids = [str(p) for p in children_of(pid)]
    except OSError:
        return None
    return int(kids[0]) if kids else None


def wait_for_encoder(proc: subprocess.Popen[bytes]) -> bool:
    """Until the render starts ffmpeg (its first child); False when it ended before."""
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        if first_child(proc.pid):
            return True
        time.sleep(0.0005)
    return False


def untagged(text: str) -> str:
    """Temp names without the run's random part: .x.voicecoach-PID-RANDOM. -> -PID."""
    return re.sub(r"(voicecoach-\d+)-[0-9a-f]{6}\.", r"\1.", text)
