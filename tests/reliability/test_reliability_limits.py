"""Ceilings on session length, phrase count and file size refuse absurd input, and a
caller can raise them (module attributes read at call time, see README "Limits")."""

from __future__ import annotations

import pytest

from voicecoach import plan_limits
from voicecoach.errors import PlanError, RoutineError
from voicecoach.pipeline import plan_routine
from voicecoach.routine import limits, load_routine_text

# 5 h of holds: 3 exercises x 10 sets x 10 min
LONG = "name: Long\nexercises:\n" + "".join(
    f"  - {{name: Hold {i}, hold: 10m, sets: 10, rest: 0s}}\n" for i in range(3)
)


def test_session_length_ceiling_and_raising_it(monkeypatch):
    with pytest.raises(RoutineError) as err:
        load_routine_text(LONG, "long.yaml")
    assert str(err.value) == (
        "long.yaml:1:1: the session would last about 5 h 2 min, more than the 4 h limit. "
        "use fewer sets, reps or rounds, or shorter holds and rests."
    )
    monkeypatch.setattr(limits, "MAX_SESSION_MS", 6 * 3_600_000)
    monkeypatch.setattr(plan_limits, "MAX_SESSION_MS", 6 * 3_600_000)
    assert plan_routine(load_routine_text(LONG, "long.yaml")).total_ms > 5 * 3_600_000


def test_phrase_count_ceiling_and_raising_it(monkeypatch):
    text = "name: Reps\nexercises:\n  - {name: Bridge, reps: 60, tempo: 1-0-1, sets: 3}\n"
    monkeypatch.setattr(plan_limits, "MAX_SPOKEN_PHRASES", 50)
    with pytest.raises(PlanError) as err:
        plan_routine(load_routine_text(text, "reps.yaml"))
    assert str(err.value) == (
        "the session has more than 50 spoken phrases. use fewer reps, sets or rounds"
    )
    monkeypatch.setattr(plan_limits, "MAX_SPOKEN_PHRASES", 5000)
    assert plan_routine(load_routine_text(text, "reps.yaml")).total_ms > 0


def test_file_size_ceiling_and_raising_it(monkeypatch, tmp_path):
    from voicecoach.routine import load_routine

    path = tmp_path / "big.yaml"
    path.write_text("name: Big\n" + "# padding\n" * 120_000 + "exercises: [{name: A, reps: 2}]\n")
    with pytest.raises(RoutineError) as err:
        load_routine(path)
    assert str(err.value) == (
        f"{path}: the file is too large (1.1 MiB; at most 1 MiB). "
        "a routine is a short text file: check that this is the right file."
    )
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 4 * 1024 * 1024)
    assert load_routine(path).name == "Big"
