"""Programs: loading, errors, schema, and a series rendered with the fake engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from tests.batch.batch_helpers import fast
from voicecoach.cli import cli
from voicecoach.errors import RoutineError
from voicecoach.programs import load_program

PROGRAM = """\
name: Bridge weeks
start: 2026-01-05
author: Alex Rivera
weeks:
  - - routine: bridge.yaml
      note: Progress only when pain-free.
    - routine: bridge2.yaml
      level: hard
  - - routine: bridge.yaml
      coach: quiet
"""


def test_a_program_renders_its_numbered_series_and_feed(folder: Path) -> None:
    (folder / "program.yaml").write_text(PROGRAM, encoding="utf-8")
    args = ["render", "program.yaml", "-o", "series/", "--base-url", "https://example.com/s/"]
    result = CliRunner().invoke(cli, args + fast(folder))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Bridge weeks: 3 sessions over 2 weeks\n")
    assert "  note: Progress only when pain-free.\n" in result.output
    assert "wrote series/feed.xml (3 sessions); subscribe to: https://example.com/s/feed.xml\n" in (
        result.output
    )
    names = sorted(p.name for p in (folder / "series").glob("*.mp3"))
    assert names == ["01-w1-bridge.mp3", "02-w1-bridge2.mp3", "03-w2-bridge.mp3"]
    tags = ID3(folder / "series/03-w2-bridge.mp3")
    assert str(tags["TXXX:VOICECOACH_PROGRAM"]) == "Bridge weeks"
    assert str(tags["TXXX:VOICECOACH_POSITION"]) == "3"
    assert str(tags["TXXX:VOICECOACH_DATE"]) == "2026-01-12"
    assert str(tags["TALB"]) == "Bridge weeks" and str(tags["TPE1"]) == "Alex Rivera"
    first = ID3(folder / "series/01-w1-bridge.mp3")
    assert "Progress only when pain-free." in str(first["COMM::eng"])
    feed = (folder / "series/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 3
    # the note is shown, never spoken
    assert "pain-free" not in (folder / "series/01-w1-bridge.vtt").read_text(encoding="utf-8")


def test_without_a_base_url_it_prints_the_feed_command(folder: Path) -> None:
    (folder / "program.yaml").write_text(PROGRAM, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", "program.yaml", "-o", "s/", "-q", *fast(folder)])
    assert result.exit_code == 0, result.output
    assert result.output == "next: voicecoach feed s --base-url https://YOUR.HOST/s/\n"


def test_a_program_with_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: P\nstart: soon\nweeks:\n  - - routine: glute-activation\n      levl: hard\n"
        "    - routine: nope.yaml\n  - x\n",
        encoding="utf-8",
    )
    with pytest.raises(RoutineError) as info:
        load_program(path)
    assert str(info.value).splitlines() == [
        f"{path}:2:8: start: is not a date: soon. write it like start: 2026-01-05.",
        f"{path}:5:7: weeks[0][0]: unknown key 'levl'. did you mean 'level'?",
        f"{path}:6:16: weeks[0][1].routine: no such routine file or built-in routine "
        "'nope.yaml'. give a file relative to the program, or a name from `voicecoach list`.",
        f"{path}:7:5: weeks[1]: must be a list of sessions, got x. "
        "write it like - - routine: glute-activation.",
    ]


def test_the_built_in_program_follows_the_seed() -> None:
    program = load_program("low-back-4-weeks")
    weeks = {w: [s for s in program.sessions if s.week == w] for w in range(1, 5)}
    early = {s.routine for w in (1, 2) for s in weeks[w]}
    assert early == {"hip-flexor-release", "glute-activation", "core-prep"}
    late = [s for w in (3, 4) for s in weeks[w]]
    assert {"pre-lift-warmup", "pre-run-warmup"} <= {s.routine for s in late}
    assert any(s.overrides.get("level") == "hard" for s in late)
    for w in (2, 3, 4):  # each step up says when to take it
        assert "pain-free" in (weeks[w][0].note or "") and "stay on week" in (
            weeks[w][0].note or ""
        )


def test_validate_schema_and_list_know_programs(folder: Path) -> None:
    (folder / "program.yaml").write_text(PROGRAM, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "program.yaml", "low-back-4-weeks"])
    assert result.output == (
        "ok: program.yaml (program 'Bridge weeks', 3 sessions over 2 weeks)\n"
        "ok: low-back-4-weeks (program 'Low-back 4 weeks', 12 sessions over 4 weeks)\n"
    )
    schema = json.loads(runner.invoke(cli, ["schema", "--program"]).output)
    assert schema["$id"] == "urn:voicecoach:program:v1"
    assert schema["required"] == ["name", "weeks"]
    assert schema["properties"]["weeks"]["items"]["items"] == {"$ref": "#/$defs/session"}
    session = schema["$defs"]["session"]
    assert session["required"] == ["routine"]
    assert set(session["properties"]) == {"routine", "level", "minutes", "coach", "note"}
    listed = runner.invoke(cli, ["list"]).output
    assert "Built-in programs (render with: voicecoach render NAME -o FOLDER/):" in listed
    assert "  low-back-4-weeks       4 weeks, 12 sessions. " in listed
