"""The command line: exit codes, messages and machine-readable output."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import RoutineError
from voicecoach.speech.piper_engine import available as piper_available

TWO_SETS = """\
name: Two sets
sound: {background: none}
exercises:
  - name: Glute bridge
    reps: 10
    tempo: 2-1-2
    sets: 2
    rest: 30s
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def two_sets(tmp_path: Path) -> Path:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_SETS)
    return path


def test_plan_json_counts_on_the_grid_and_rest_is_exact(two_sets: Path) -> None:
    result = run("plan", str(two_sets), "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["version"] == 1 and plan["title"] == "Two sets"
    counts: dict[int, list[int]] = {1: [], 2: []}
    for event in plan["events"]:
        if event["kind"] == "count" and event["rep"] is not None and event["cue_key"] == "count":
            counts[event["set"]].append(event["start_ms"])
    for starts in counts.values():
        assert len(starts) == 10
        assert {b - a for a, b in itertools.pairwise(starts)} == {5000}
    works = [e for e in plan["events"] if e["kind"] == "work"]
    assert [w["set"] for w in works] == [1, 2]
    announce = next(e for e in plan["events"] if e["cue_key"] == "rest_between_sets")
    assert works[1]["start_ms"] - announce["end_ms"] == 30_000  # "Rest 30 seconds."
    assert works[0]["end_ms"] - works[0]["start_ms"] == 50_000
    assert counts[2][0] == works[1]["start_ms"]
    spans = [e for e in plan["events"] if e["kind"] in ("work", "rest")]
    assert sum(e["end_ms"] - e["start_ms"] for e in spans) == plan["total_ms"]


def test_plan_table_ends_with_the_total(two_sets: Path) -> None:
    result = run("plan", str(two_sets))
    assert result.exit_code == 0
    assert "Glute bridge" in result.stdout
    assert "total" in result.stdout.splitlines()[-1].lower()


def test_bad_routine_gives_located_messages_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nexercises:\n  - name: a\n    rpes: 3\n    reps: 5\n    sets: -1\n")
    result = run("plan", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {bad}:4:5: exercises[0]: unknown key 'rpes'. did you mean 'reps'?",
        f"error: {bad}:6:11: exercises[0].sets: must be a whole number from 1 to 20, got -1. "
        "use a count like 2.",
    ]
    assert "Traceback" not in result.output


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    result = run("--debug", "plan", str(bad))
    assert isinstance(result.exception, RoutineError)


def test_unknown_routine_name(tmp_path: Path) -> None:
    result = run("validate", "low-back-rest")
    assert result.exit_code == 1
    assert "did you mean 'low-back-reset'?" in result.stderr


def test_validate_many_reports_each(two_sets: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nexercises: []\n")
    result = run("validate", str(two_sets), str(bad), "low-back-reset")
    assert result.exit_code == 1
    assert f"ok: {two_sets} (" in result.stdout
    assert "ok: low-back-reset (" in result.stdout
    assert f"error: {bad}:2:" in result.stderr


def test_list_shows_builtins_and_packs() -> None:
    result = run("list")
    assert result.exit_code == 0
    assert "low-back-reset" in result.stdout
    assert "default" in result.stdout


def test_new_writes_a_scaffold_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = run("new", "morning")
    assert first.exit_code == 0 and (tmp_path / "morning.yaml").exists()
    again = run("new", "morning")
    assert again.exit_code == 1
    assert again.stderr == (
        "error: morning.yaml already exists. choose another name or pass --force to overwrite it.\n"
    )
    assert run("new", "morning", "--force").exit_code == 0
    assert run("validate", "morning.yaml").exit_code == 0


def test_schema_is_json_schema() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "exercises" in schema["properties"]


def test_voices_lists_engines() -> None:
    result = run("voices")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("The default is piper's neural Joe voice")
    assert "fake (available)" in result.stdout
    if piper_available():
        assert lines[1].startswith("piper (available, the default (--engine auto))")
        assert lines[2] == " *en_US-joe-medium         Joe (US English, medium quality, CC0)"
    assert lines[-1] == "* the voice a render uses when you choose none"


def test_render_summary_and_quiet(two_sets: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.wav"
    cache = str(tmp_path / "cache")
    args = ("render", str(two_sets), "-o", str(out), "--engine", "fake", "--cache-dir", cache)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out} (")
    assert "\nvoice: fake tone, 160 wpm\n" in result.stdout
    assert f"wrote {tmp_path / 's.vtt'}" in result.stdout
    quiet = run(*args, "-q", "--transcript", "none")
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_render_refuses_unknown_format_before_work(two_sets: Path, tmp_path: Path) -> None:
    result = run("render", str(two_sets), "-o", str(tmp_path / "s.xyz"), "--engine", "fake")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unsupported output format .xyz. Use one of: .mp3, .wav, .flac, .ogg, .m4a.\n"
    )
    assert not (tmp_path / "s.xyz").exists()


def test_render_to_missing_folder(two_sets: Path, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "s.mp3"
    result = run("render", str(two_sets), "-o", str(target), "--engine", "fake")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {target}: the folder {target.parent} does not exist. create it first or "
        "choose another output path.\n"
    )


def test_render_warns_when_the_cache_cannot_be_written_even_when_quiet(
    two_sets: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    out = tmp_path / "s.wav"
    result = run(
        "render", str(two_sets), "-o", str(out), "--engine", "fake", "-q",
        "--cache-dir", str(blocker / "cache"),
    )  # fmt: skip
    assert result.exit_code == 0 and out.exists()
    assert result.stdout == ""
    assert result.stderr == (
        f"warning: cannot write the phrase cache at {blocker / 'cache'}: Not a directory. "
        "Choose a writable directory with --cache-dir.\n"
    )
