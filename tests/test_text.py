"""voicecoach.text: one written form per kind of time, "did you mean", quoting."""

from __future__ import annotations

import pytest

from voicecoach import text


@pytest.mark.parametrize(
    ("form", "ms", "expected"),
    [
        (text.clock, 754_500, "12:34.500"),
        (text.clock, 3_723_004, "1:02:03.004"),
        (text.minutes_clock, 754_500, "12:35"),
        (text.minutes_clock, 4_500_000, "75:00"),
        (text.table_clock, 754_500, "12:34.500"),
        (text.timestamp, 754_500, "00:12:34.500"),
        (text.lrc_stamp, 754_567, "[12:34.56]"),
        (text.hms, 3_754_500, "01:02:34"),
        (text.hours_minutes, 3_900_000, "1 h 5 min"),
        (text.hours_minutes, 14_400_000, "4 h"),
        (text.yaml_duration, 90_000, "1m30s"),
        (text.yaml_duration, 500, "500ms"),
        (text.seconds, 1500, "1.5"),
        (text.seconds_text, 22_500, "23"),
        (text.seconds_text, 1540, "1.5"),
    ],
)
def test_each_time_form(form: object, ms: int, expected: str) -> None:
    assert callable(form)
    assert form(ms) == expected


def test_clock_without_millis_rounds_half_up() -> None:
    assert text.clock(754_500, millis=False) == "12:35"


def test_srt_timestamp_uses_a_comma() -> None:
    assert text.timestamp(1_001, ",") == "00:00:01,001"


def test_suggest_prefers_swapped_letters_then_difflib() -> None:
    assert text.suggest("sest", ["sets", "set"]) == "sets"
    assert text.suggest("Tempoo", ["tempo", "reps"]) == "tempo"
    assert text.suggest("xyz", ["tempo", "reps"]) is None
    assert text.did_you_mean("rpes", ["reps"]) == "did you mean 'reps'?"
    assert text.did_you_mean("xyz", ["reps"]) is None


def test_quoting_cuts_long_text() -> None:
    assert text.cut("a" * 41) == "a" * 37 + "..."
    assert text.show_value("x" * 50) == repr("x" * 37 + "...")
    values: tuple[object, ...] = (True, None, 3, [1], {})
    assert [text.show_value(v) for v in values] == [
        "true",
        "null",
        "3",
        "a list",
        "a mapping",
    ]


def test_plural() -> None:
    assert [text.plural(n, "rep") for n in (1, 2)] == ["1 rep", "2 reps"]
    assert text.plural(2, "rep", shown="two") == "two reps"
