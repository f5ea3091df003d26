"""Spoken English: numbers, plurals, durations, titles and pronunciation.

What is written and what is said differ. A transcript keeps "90/90" and "2x12";
the voice says "ninety-ninety" and "two sets of twelve". A phrase rendered from a
template says "1 second", never "1 seconds", and "two minutes", never "120 seconds".

- `number_words(n)`: 12 -> "twelve".
- `plural(n, word)`: "1 second", "3 seconds" (``words=True``: "one second").
- `duration_words(ms)`: 30000 -> "30 seconds", 90000 -> "a minute and a half".
- `tidy(text)`: fixes singulars after 1/one and says "N seconds" (N >= 60) in minutes.
- `title_in_sentence(name)`: "Loosen the hip flexors" -> "loosen the hip flexors".
- `pronounce(text, table)`: the written form -> the form given to the speech engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from voicecoach.text import plural as _plural
from voicecoach.text import seconds_text

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """0..999999 in words ("forty-five", "one hundred and twenty"); larger as digits."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        tail = "" if not rest else (" and " if rest < 100 else " ") + number_words(rest)
        return f"{number_words(thousands)} thousand{tail}"
    return str(n)


# Words whose plural is word + "s" and which follow a count in cues and summaries.
_COUNTED = (
    "second",
    "minute",
    "hour",
    "rep",
    "set",
    "hold",
    "round",
    "chapter",
    "exercise",
    "time",
    "breath",
    "side",
    "phrase",
    "word",
    "warning",
    "problem",
    "cue",
    "line",
)


def plural(count: int, word: str, *, words: bool = False) -> str:
    """'1 second' / '2 seconds'; with ``words``: 'one second' / 'two seconds'."""
    return _plural(count, word, shown=number_words(count) if words else None)


def seconds_words(ms: int) -> str:
    """A duration under a minute as said: '30 seconds', '1 second', '1.5 seconds'."""
    said = seconds_text(ms)
    return f"{said} second" if said == "1" else f"{said} seconds"


def duration_words(ms: int) -> str:
    """How a person says a duration: '45 seconds', 'a minute', 'a minute and a half',
    'two minutes', 'two and a half minutes', 'a minute and 15 seconds'."""
    total = (ms + 500) // 1000
    if total < 60:
        return seconds_words(ms)
    minutes, seconds = divmod(total, 60)
    if seconds == 30:
        if minutes == 1:
            return "a minute and a half"
        return f"{number_words(minutes)} and a half minutes"
    head = "a minute" if minutes == 1 else f"{number_words(minutes)} minutes"
    return head if seconds == 0 else f"{head} and {plural(seconds, 'second')}"


_ONE = r"(?:1|one|One|a single|A single)"
_SINGULAR = re.compile(rf"\b({_ONE})(\s+)({'|'.join(_COUNTED)})s\b")
_LONG_SECONDS = re.compile(r"\b(\d{2,})(\s+)seconds\b")


def tidy(text: str) -> str:
    """Grammar a template cannot know: '1 seconds' -> '1 second', 'one reps' ->
    'one rep', '120 seconds' -> 'two minutes'."""
    text = _SINGULAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}", text)

    def minutes(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return m.group(0) if n < 60 else duration_words(n * 1000)

    return _LONG_SECONDS.sub(minutes, text)


_KEEP_CASE = re.compile(r"^[A-Z][a-z'’-]*$")


def title_in_sentence(name: str) -> str:
    """A title as said inside a sentence: the first word lower-cased when it is a
    plain capitalised word ('Loosen the hip flexors' -> 'loosen the hip flexors');
    names like 'McGill curl-up' or '90/90 hip switch' stay as written."""
    first, sep, rest = name.partition(" ")
    if _KEEP_CASE.match(first) and not (first.isupper() and len(first) > 1):
        first = first.lower()
    return first + sep + rest


_SETS_OF = re.compile(r"\b(\d{1,3})\s*[x×]\s*(\d{1,4})\b")


def _sets_of(m: re.Match[str]) -> str:
    sets, reps = int(m.group(1)), int(m.group(2))
    what = "set" if sets == 1 else "sets"
    return f"{number_words(sets)} {what} of {number_words(reps)}"


def pronounce(text: str, table: Mapping[str, str]) -> str:
    """The form of ``text`` the speech engine is given.

    Each ``table`` entry replaces a written form (whole words, case-sensitive,
    longest first) with how it is said; then "2x12" becomes "two sets of twelve".
    Transcripts keep ``text`` itself.
    """
    for written in sorted(table, key=len, reverse=True):
        if written and written in text:
            pattern = (r"(?<!\w)" if written[0].isalnum() else "") + re.escape(written)
            pattern += r"(?!\w)" if written[-1].isalnum() else ""
            spoken = table[written].replace("\\", "\\\\")
            text = re.sub(pattern, spoken, text)
    return _SETS_OF.sub(_sets_of, text)


__all__ = [
    "duration_words",
    "number_words",
    "plural",
    "pronounce",
    "seconds_words",
    "tidy",
    "title_in_sentence",
]
