"""Durations and tempos: every documented form, and clear refusals."""

from __future__ import annotations

import pytest

from voicecoach.errors import VoicecoachError
from voicecoach.routine import DurationError, parse_duration, parse_tempo
from voicecoach.text import yaml_duration


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("30s", 30_000),
        ("1m30s", 90_000),
        ("1m 30s", 90_000),
        ("2m", 120_000),
        ("1h", 3_600_000),
        ("1h2m3s", 3_723_000),
        ("90", 90_000),
        (90, 90_000),
        (0, 0),
        ("0s", 0),
        ("1:30", 90_000),
        ("0:05", 5_000),
        ("1:02:03", 3_723_000),
        ("1.5s", 1_500),
        (1.5, 1_500),
        ("0.1s", 100),
        ("500ms", 500),
        ("1s500ms", 1_500),
        (" 45S ", 45_000),
        ("30 seconds", 30_000),
        ("30 sec", 30_000),
        ("1 minute 30 seconds", 90_000),
        ("1 min, 30 secs", 90_000),
        ("2 minutes and 5 seconds", 125_000),
        ("1 hour", 3_600_000),
        ("250 milliseconds", 250),
    ],
)
def test_parse_duration(value: object, ms: int) -> None:
    assert parse_duration(value) == ms


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        ("", "'' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        (
            "half a minute",
            "'half a minute' is not a duration. write it like 30s, 1m30s, 1:30, "
            "90 (seconds) or 500ms.",
        ),
        (
            "30 secondz",
            "'30 secondz' is not a duration. write it like 30s, 1m30s, 1:30, "
            "90 (seconds) or 500ms.",
        ),
        ("30x", "'30x' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        ("1:5", "'1:5' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        (
            "1:60",
            "'1:60' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms.",
        ),
        ("s", "'s' is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        ("-5s", "'-5s' is negative. use 0 or more seconds."),
        (-5, "-5 is negative. use 0 or more seconds."),
        (True, "true is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        (None, "null is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
        (
            float("inf"),
            "inf is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms.",
        ),
        ([1], "a list is not a duration. write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms."),
    ],
)
def test_parse_duration_refuses(value: object, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(value)
    assert str(caught.value) == message
    # Both the project's error and a ValueError, for library callers.
    assert isinstance(caught.value, VoicecoachError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "phases"),
    [
        ("2-1-2", (2000, 1000, 2000)),
        ("2-1-2-1", (2000, 1000, 2000, 1000)),
        ("1.5-0.5-2", (1500, 500, 2000)),
        ("2 - 0 - 2", (2000, 0, 2000)),
        ([3, 1, 3], (3000, 1000, 3000)),
        ("30-0-30", (30_000, 0, 30_000)),
    ],
)
def test_parse_tempo(value: object, phases: tuple[int, ...]) -> None:
    assert parse_tempo(value) == phases


TEMPO_HINT = "write seconds per phase like 2-1-2 (lift-hold-lower) or 2-1-2-1 (with a pause)."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2--1", f"'2--1' is not a tempo. {TEMPO_HINT}"),
        ("fast", f"'fast' is not a tempo. {TEMPO_HINT}"),
        ("2-1", f"a tempo has 3 or 4 phases (lift-hold-lower[-pause]), got 2. {TEMPO_HINT}"),
        (3, f"3 is not a tempo. {TEMPO_HINT}"),
        ("1-1-1-1-1", f"a tempo has 3 or 4 phases (lift-hold-lower[-pause]), got 5. {TEMPO_HINT}"),
        ("45-1-1", "the lift phase is 45s, more than 30s. use at most 30s per phase."),
        ("1-1-31", "the lower phase is 31s, more than 30s. use at most 30s per phase."),
        (
            "0.2-0.2-0.2",
            "one rep at tempo '0.2-0.2-0.2' lasts 600ms, less than 1s. "
            "slow the tempo so each count can be spoken.",
        ),
        ([1, "x", 1], f"a list is not a tempo. {TEMPO_HINT}"),
    ],
)
def test_parse_tempo_refuses(value: object, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_tempo(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0s"),
        (500, "500ms"),
        (1500, "1.5s"),
        (30_000, "30s"),
        (90_000, "1m30s"),
        (600_000, "10m"),
        (14_400_000, "4h"),
    ],
)
def test_format_duration_round_trips(ms: int, text: str) -> None:
    assert yaml_duration(ms) == text
    assert parse_duration(text) == ms
