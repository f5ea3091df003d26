"""`voicecoach validate`: cue pack files, and what a routine's own profile changes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from voicecoach.cli import cli


def test_validate_checks_a_cue_pack_file_as_a_pack(tmp_path: Path) -> None:
    good = tmp_path / "calm.yaml"
    good.write_text("name: calm\nextends: default\ncues:\n  set_done: ['Nice.']\n")
    result = CliRunner().invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ok: {good} (cue pack, ")
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: typo\nextends: default\ncues:\n  set_dnoe: ['Nice.']\n")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:4:3: ")
    assert "set_dnoe" in result.stderr and "set_done" in result.stderr


def test_validate_prints_what_the_profile_changes(tmp_path: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text(
        "name: T\nprofile: {level: easy, weak_side: left}\n"
        "exercises:\n  - {name: Clamshell, reps: 12, sets: 3, sides: both}\n"
    )
    result = CliRunner().invoke(cli, ["validate", str(routine)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"ok: {routine} (")
    assert (
        "  its profile: level easy (reps and holds x0.75, -1 set): "
        "Clamshell 3 x 12 reps -> 2 x 9 reps" in lines
    )


def test_plan_and_list_say_their_length_is_an_estimate() -> None:
    result = CliRunner().invoke(cli, ["plan", "pre-run-warmup"])
    assert result.exit_code == 0
    assert "note: the length is an estimate (phrase lengths from the speaking rate); " in (
        result.stderr
    )
    listed = CliRunner().invoke(cli, ["list"])
    assert listed.stdout.startswith(
        "Built-in routines (render with: voicecoach render NAME; lengths are estimates):"
    )
