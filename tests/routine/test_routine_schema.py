"""The JSON Schema and the loader accept the same keys (both come from `spec`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from voicecoach.errors import RoutineError
from voicecoach.routine import routine_schema, spec
from voicecoach.routine.loader import load_routine_text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "routine-format.md"


def _properties(schema: dict[str, Any], table: str) -> set[str]:
    node = schema if table == "routine" else schema["$defs"][table]
    return set(node["properties"])


def test_schema_is_draft_2020_12_json() -> None:
    schema = routine_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert json.loads(json.dumps(schema)) == schema
    assert schema["required"] == ["name"] and schema["additionalProperties"] is False


@pytest.mark.parametrize("table", list(spec.TABLES))
def test_schema_lists_exactly_the_table_keys(table: str) -> None:
    assert _properties(routine_schema(), table) == set(spec.keys(table))


def _routine_with(table: str, key: spec.Key) -> dict[str, Any]:
    """A small routine that sets ``key`` (in ``table``) to its documented example."""
    value = yaml.safe_load(f"v: {key.example}")["v"]
    exercise: dict[str, Any] = {"name": "Bridge", "reps": 12, "sides": "both"}
    routine: dict[str, Any] = {"name": "Keys", "exercises": [exercise]}
    if table == "routine":
        if key.name == "sections":
            del routine["exercises"]
        routine[key.name] = value
    elif table in ("defaults", "profile", "voice", "sound"):
        routine[table] = {key.name: value}
        if key.name == "extra_weak_side_set":
            routine[table]["weak_side"] = "left"
    elif table == "exercise":
        if key.name == "hold":
            del exercise["reps"]
        exercise[key.name] = value
    elif table == "cue":
        cue = {"say": "Hi.", "at": 2}
        if key.name == "every":
            del cue["at"]
        cue[key.name] = value
        exercise["cues"] = [cue]
    elif table == "rounds":
        rounds = {"rounds": 2, "exercises": [{"name": "Dead bug", "reps": 8}]}
        rounds[key.name] = value
        routine["exercises"] = [rounds]
    elif table == "standalone":
        routine["exercises"].append({key.name: value})
    elif table == "section":
        section = {"name": "Part", "exercises": [{"name": "Dead bug", "reps": 8}]}
        section[key.name] = value
        routine = {"name": "Keys", "sections": [section]}
    return routine


@pytest.mark.parametrize(
    ("table", "key"),
    [(t, k) for t, keys in spec.TABLES.items() for k in keys],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_loader_accepts_every_schema_key(table: str, key: spec.Key, tmp_path: Path) -> None:
    (tmp_path / "song.mp3").write_bytes(b"ID3")
    (tmp_path / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = yaml.safe_dump(_routine_with(table, key), sort_keys=False)
    load_routine_text(text, str(tmp_path / "r.yaml"))


@pytest.mark.parametrize("table", list(spec.TABLES))
def test_loader_refuses_keys_missing_from_the_schema(table: str, tmp_path: Path) -> None:
    routine = _routine_with(
        table, spec.keys(table)["name"] if "name" in spec.keys(table) else spec.TABLES[table][0]
    )
    target = {
        "routine": lambda r: r,
        "defaults": lambda r: r["defaults"],
        "profile": lambda r: r["profile"],
        "voice": lambda r: r["voice"],
        "sound": lambda r: r["sound"],
        "exercise": lambda r: r["exercises"][0],
        "cue": lambda r: r["exercises"][0]["cues"][0],
        "rounds": lambda r: r["exercises"][0],
        "section": lambda r: r["sections"][0],
        "standalone": lambda r: r["exercises"][1],
    }[table](routine)
    target["not_a_key"] = 1
    with pytest.raises(RoutineError) as caught:
        load_routine_text(yaml.safe_dump(routine), "r.yaml")
    assert "unknown key 'not_a_key'" in str(caught.value)


def test_docs_describe_every_key() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [
        f"{table}.{key.name}"
        for table, keys in spec.TABLES.items()
        for key in keys
        if f"`{key.name}`" not in docs
    ]
    assert missing == []
