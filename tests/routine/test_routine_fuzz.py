"""Property: any YAML-ish input either loads into a Routine or raises RoutineError."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from voicecoach.errors import RoutineError
from voicecoach.routine import Routine
from voicecoach.routine.loader import load_routine_text

VALID: dict[str, Any] = {
    "name": "Fuzz",
    "defaults": {"rest": "20s", "tempo": "2-1-2", "sets": 2},
    "profile": {"weak_side": "left", "level": "normal"},
    "sound": {"background": "pad"},
    "sections": [
        {
            "name": "One",
            "exercises": [
                {
                    "name": "Bridge",
                    "reps": 12,
                    "tempo_words": ["up", "squeeze", "down"],
                    "cues": [{"at": "half", "say": "Glutes."}, {"every": 4, "say": "Breathe."}],
                },
                {
                    "name": "Stretch",
                    "hold": "30s",
                    "sides": "both",
                    "cues": [{"at": "10s", "say": "Tall.", "side": "left"}],
                },
                {"rounds": 2, "rest": "1m", "exercises": [{"name": "Dead bug", "reps": 8}]},
            ],
        }
    ],
}

KEYS = [
    "name",
    "reps",
    "hold",
    "tempo",
    "sets",
    "rest",
    "sides",
    "at",
    "every",
    "say",
    "exercises",
    "sections",
    "rounds",
    "cues",
    "profile",
    "weak_side",
    "phrases",
    "x",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        ["30s", "1:30", "2-1-2", "half", "last", "both", "left", "-1", "0", "1e9", "10s"]
    ),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)


def check(text: str | bytes) -> None:
    try:
        result = load_routine_text(text, "fuzz.yaml")
    except RoutineError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert isinstance(result, Routine)


@given(data)
def test_arbitrary_data_loads_or_raises_routine_error(value: Any) -> None:
    check(yaml.safe_dump(value, allow_unicode=True))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


PATHS = _paths(VALID)[1:]


@given(st.lists(st.tuples(st.sampled_from(PATHS), data), min_size=1, max_size=3))
def test_mutated_valid_routine_loads_or_raises_routine_error(
    mutations: list[tuple[tuple[Any, ...], Any]],
) -> None:
    routine = copy.deepcopy(VALID)
    for path, value in mutations:
        parent = routine
        try:
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced this branch
    check(yaml.safe_dump(routine, allow_unicode=True))


@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_raises_routine_error(text: str) -> None:
    check(text)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_load_or_raise_routine_error(raw: bytes) -> None:
    check(raw)


def test_the_valid_seed_loads() -> None:
    check(yaml.safe_dump(VALID))
    assert load_routine_text(yaml.safe_dump(VALID), "fuzz.yaml").name == "Fuzz"
