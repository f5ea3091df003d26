"""Spoken English: numbers, plurals, durations in minutes, titles, pronunciation."""

from __future__ import annotations

import pytest

from voicecoach.cues import render
from voicecoach.cues.spoken import (
    duration_words,
    number_words,
    plural,
    pronounce,
    tidy,
    title_in_sentence,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "zero"), (1, "one"), (12, "twelve"), (45, "forty-five"), (90, "ninety"),
     (120, "one hundred and twenty"), (1500, "one thousand five hundred")],
)  # fmt: skip
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_plural_for_digits_and_words() -> None:
    assert plural(1, "second") == "1 second"
    assert plural(2, "rep") == "2 reps"
    assert plural(1, "chapter", words=True) == "one chapter"
    assert plural(3, "set", words=True) == "three sets"


@pytest.mark.parametrize(
    ("ms", "said"),
    [(1000, "1 second"), (1500, "1.5 seconds"), (30_000, "30 seconds"),
     (59_000, "59 seconds"), (60_000, "a minute"), (90_000, "a minute and a half"),
     (120_000, "two minutes"), (150_000, "two and a half minutes"),
     (75_000, "a minute and 15 seconds")],
)  # fmt: skip
def test_duration_words(ms: int, said: str) -> None:
    assert duration_words(ms) == said


@pytest.mark.parametrize(
    ("text", "tidied"),
    [("Rest 1 seconds.", "Rest 1 second."), ("one seconds to go", "one second to go"),
     ("2 sets of 1 reps", "2 sets of 1 rep"), ("1 chapters", "1 chapter"),
     ("Take 120 seconds.", "Take two minutes."), ("Rest 90 seconds.", "Rest a minute and a half."),
     ("Rest 45 seconds.", "Rest 45 seconds."), ("11 seconds", "11 seconds")],
)  # fmt: skip
def test_tidy_fixes_grammar(text: str, tidied: str) -> None:
    assert tidy(text) == tidied


def test_render_tidies_and_derives_duration_and_lower_titles() -> None:
    assert render("Rest {seconds} seconds.", {"seconds": "1"}) == "Rest 1 second."
    assert render("Take {seconds} seconds.", {"seconds": "120"}) == "Take two minutes."
    assert render("Rest {duration}.", {"seconds": "90"}) == "Rest a minute and a half."
    assert render("{exercise}. {sets} sets of {reps} reps.", {"exercise": "Bridge", "sets": 2,
                  "reps": 1}) == "Bridge. 2 sets of 1 rep."  # fmt: skip
    said = render("Now we {section_lower}.", {"section": "Loosen the hip flexors"})
    assert said == "Now we loosen the hip flexors."


def test_titles_in_a_sentence_keep_names() -> None:
    assert title_in_sentence("Wake up the glutes") == "wake up the glutes"
    assert title_in_sentence("McGill curl-up") == "McGill curl-up"
    assert title_in_sentence("90/90 hip switch") == "90/90 hip switch"
    assert title_in_sentence("ABC drill") == "ABC drill"


def test_pronounce_table_and_sets_of() -> None:
    table = {"90/90": "ninety-ninety", "&": "and"}
    assert pronounce("90/90 hip switch", table) == "ninety-ninety hip switch"
    assert pronounce("Do 2x12 & rest.", table) == "Do two sets of twelve and rest."
    assert pronounce("1x8 each side", {}) == "one set of eight each side"
    assert pronounce("no match 190/905", table) == "no match 190/905"  # whole forms only
    assert pronounce("a\\b", {"a": "x\\1"}) == "x\\1\\b"  # no regex escapes from the table


def test_grammar_problems_are_named() -> None:
    from voicecoach.cues.fit_check import grammar_problems

    assert grammar_problems("Rest 1 seconds, then 120 seconds.") == [
        "a plural after one: '1 seconds'",
        "a minute or more said in seconds: '120 seconds'",
    ]
    assert grammar_problems("Rest 45 seconds. One set of twelve.") == []
    # Spelled-out numbers too, and singulars after more than one.
    assert grammar_problems("One seconds left. Two set of 3 rep, then ninety seconds.") == [
        "a plural after one: 'One seconds'",
        "a singular after more than one: 'Two set'",
        "a singular after more than one: '3 rep'",
        "a minute or more said in seconds: 'ninety seconds'",
    ]
    assert grammar_problems("Set 2 of 3. Round 2 of 3. 2 sets of 12 reps.") == []
