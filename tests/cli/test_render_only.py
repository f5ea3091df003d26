"""`render --only`: one exercise, section or chapter, one set per side (issue 10, point 5)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from voicecoach.cli import cli

FAST = ["--engine", "fake", "--transcript", "none", "-q"]


def works_of(sidecar: Path) -> list[tuple[str, str | None]]:
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    events = data["events"] if "events" in data else data["timeline"]["events"]
    return [(e["exercise"], e["side"]) for e in events if e["kind"] == "work"]


def test_only_an_exercise_by_name_one_set_per_side(tmp_path: Path) -> None:
    out = tmp_path / "clam.wav"
    args = ["render", "glute-activation", "--only", "clamshell", "-o", str(out), *FAST]
    result = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    assert works_of(out.with_suffix(".timeline.json")) == [
        ("Clamshell", "left"),
        ("Clamshell", "right"),
    ]


def test_only_a_chapter_number_and_an_unknown_name(tmp_path: Path) -> None:
    out = tmp_path / "one.wav"
    args = ["render", "core-prep", "--only", "1", "-o", str(out), *FAST]
    result = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    assert len({name for name, _side in works_of(out.with_suffix(".timeline.json"))}) == 1
    bad = CliRunner().invoke(cli, ["render", "core-prep", "--only", "nope", "-o", str(out)])
    assert bad.exit_code == 1
    assert bad.stderr.startswith(
        "error: --only nope: no exercise, section or chapter by that name in 'Core prep'. "
        "choose one of: "
    )
