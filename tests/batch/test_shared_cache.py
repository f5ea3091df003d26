"""One phrase cache written by two renders at once (two processes) stays whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from voicecoach.speech.cache import decode_clip
from voicecoach.speech.cache_entry import SUFFIX


def test_a_cache_written_by_two_renders_at_once(folder: Path) -> None:
    cache = folder / "cache"
    argv = [sys.executable, "-m", "voicecoach", "render", "bridge.yaml", "--engine", "fake",
            "--cache-dir", str(cache), "-q"]  # fmt: skip
    runs = [
        subprocess.Popen([*argv, "-o", f"{n}.mp3"], cwd=folder, stderr=subprocess.PIPE)
        for n in ("a", "b")
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    entries = list(cache.rglob(f"*{SUFFIX}"))
    assert entries and all(decode_clip(p.read_bytes()) is not None for p in entries)
    assert not [p for p in cache.rglob("*") if p.is_file() and p.suffix != SUFFIX]  # no temps
    third = subprocess.run(
        [*argv[:-1], "-o", "c.mp3"], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert third.returncode == 0, third.stderr
    assert " 0 phrases synthesized, " in third.stdout
