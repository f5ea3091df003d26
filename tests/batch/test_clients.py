"""Client files: reading, errors, precedence, schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.clients import apply_client, load_client, safe_name
from voicecoach.errors import RoutineError
from voicecoach.planning.personalize import Choices, personalize
from voicecoach.routine.loader import load_routine


def test_a_client_file_over_the_routine_and_the_command_line_over_both(folder: Path) -> None:
    (folder / "bridge.yaml").write_text(
        (folder / "bridge.yaml").read_text(encoding="utf-8")
        + "profile: {level: hard, coach: chatty, author: Routine Author}\n"
        + "voice: {rate: 180, voice: routine-voice}\n",
        encoding="utf-8",
    )
    routine = apply_client(load_routine("bridge.yaml"), load_client("clients/sam.yaml"))
    assert (routine.profile.client, routine.profile.level, routine.profile.coach) == (
        "Sam", "easy", "quiet",
    )  # fmt: skip
    assert routine.profile.author == "Routine Author"  # the client file gives none
    assert (routine.voice.rate, routine.voice.voice) == (150, "routine-voice")
    final = personalize(routine, Choices(coach="standard")).routine
    assert final.profile.coach == "standard"


def test_every_problem_of_a_client_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "jo.yaml"
    path.write_text("name: Jo\nlevl: hard\nextra_weak_side_set: true\nvoice: {rate: 9000}\n")
    with pytest.raises(RoutineError) as info:
        load_client(path)
    assert str(info.value).splitlines() == [
        f"{path}:2:1: unknown key 'levl'. did you mean 'level'?",
        f"{path}:4:15: voice.rate: must be a whole number from 60 to 400, got 9000. "
        "use a rate like 160.",
        f"{path}:3:22: extra_weak_side_set: needs a weak side. "
        "add weak_side: left or weak_side: right.",
    ]


def test_validate_knows_a_client_file(folder: Path) -> None:
    (folder / "bad.yaml").write_text("name: Bo\ncoach: loud\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "clients/sam.yaml", "bad.yaml"])
    assert result.exit_code == 1
    assert result.output == (
        "ok: clients/sam.yaml (client file for Sam)\n"
        "error: bad.yaml:2:8: coach: must be one of quiet, standard, chatty, got loud.\n"
    )


def test_the_client_schema(folder: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["schema", "--client"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$id"] == "urn:voicecoach:client:v1"
    assert schema["required"] == ["name"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "name", "weak_side", "extra_weak_side_set", "level", "minutes", "coach", "check_ins",
        "author", "voice",
    }  # fmt: skip
    assert schema["properties"]["voice"] == {  # `voice: ~` is "not set", as the loader reads it
        "anyOf": [{"$ref": "#/$defs/voice"}, {"type": "null"}],
        "description": "speech settings for this client.",
    }
    assert set(schema["$defs"]["voice"]["properties"]) == {"engine", "voice", "rate"}
    assert schema["properties"]["level"]["anyOf"][0]["enum"] == ["easy", "normal", "hard"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [("Sam", "Sam"), ("Jo Lee", "Jo-Lee"), ("../..", "unnamed"), ("a/b\\c", "a-b-c"),
     (".hidden", "hidden"), ("Zoë", "Zoë"), ("x\ny", "x-y")],
)  # fmt: skip
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_a_client_file_that_is_a_pipe_is_never_opened(folder: Path) -> None:
    import os

    os.mkfifo(folder / "pipe.yaml")
    result = CliRunner().invoke(cli, ["render", "bridge.yaml", "--client", "pipe.yaml"])
    assert result.exit_code == 1
    assert result.output == (
        "error: 'pipe.yaml' is not a regular file: it is a named pipe (FIFO). "
        "give the path of a client file (.yaml).\n"
    )
