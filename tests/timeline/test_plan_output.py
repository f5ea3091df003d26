"""JSON and table output of a timeline."""

from __future__ import annotations

import json

from tests.timeline.plan_factories import bridge, plan_routine, routine_of
from voicecoach.planning.plan_output import format_plan_table, timeline_to_json
from voicecoach.text import clock

EVENT_KEYS = [
    "start_ms", "end_ms", "kind", "text", "sound", "cue_key",
    "exercise", "side", "set", "rep", "chapter", "role",
]  # fmt: skip


def test_json_is_stable_and_complete() -> None:
    tl = plan_routine(routine_of(bridge()))
    data = timeline_to_json(tl)
    assert list(data) == [
        "version", "title", "total_ms", "duration", "chapters", "events", "warnings",
    ]  # fmt: skip
    assert data["version"] == 1 and data["title"] == "Test session"
    assert data["duration"] == clock(tl.total_ms)
    assert data["chapters"] == [
        {"index": 0, "title": "Glute bridge", "start_ms": 0, "end_ms": tl.total_ms}
    ]
    assert all(list(e) == EVENT_KEYS for e in data["events"])
    tone = next(e for e in data["events"] if e["kind"] == "tone")
    assert tone["text"] is None and tone["sound"] in {"chime", "beep", "beep_end", "done"}
    assert json.loads(json.dumps(data)) == data
    assert data["warnings"] == []


def test_duration_format() -> None:
    assert clock(754_500) == "12:34.500"
    assert clock(3_723_004) == "1:02:03.004"
    assert clock(754_500, millis=False) == "12:35"
    assert clock(0) == "0:00.000"


def test_table_lists_what_is_said_and_ends_with_the_total() -> None:
    tl = plan_routine(routine_of(bridge()))
    table = format_plan_table(tl)
    lines = table.splitlines()
    assert lines[-1] == f"total {clock(tl.total_ms)} ({tl.total_ms} ms)"
    assert any('"1"' in line and "Glute bridge" in line for line in lines)
    assert any("── rest 3" in line for line in lines)  # 30 s after "Rest 30 seconds."
    assert any("[chime]" in line for line in lines)  # (beeps under a count are dropped)
    assert "tick" not in table
