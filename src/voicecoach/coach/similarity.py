"""When two spoken lines say nearly the same thing: one function, used everywhere.

``similarity`` is the Jaccard index of the two lines' content words (lower-cased,
punctuation, numbers, time units and a few filler words removed, a plural "s"
dropped), raised to the
overlap coefficient when the shorter line has two or more content words that all
appear in the longer one, and the longer has at most three times as many ("Last
one." inside "Last one. Hold the squeeze."; not "Squeeze your glutes." inside a
long setup sentence). Lines that name different exercises are not similar, nor are
two lines with only two content words between them that differ.
Lines are near-duplicates at ``NEAR_DUPLICATE`` (0.5) or more. Exercise names given
in ``names`` count as one word each, so "Next: dead bug." does not repeat "Dead bug.
Eight reps." by sharing "dead" and "bug".
"""

from __future__ import annotations

import re
from functools import lru_cache

NEAR_DUPLICATE = 0.5
WINDOW_MS = 60_000  # no two near-duplicates start within this of each other

# Words that carry no idea of their own: "Keep your ribs down" ~ "Ribs down".
_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "to",
        "of",
        "on",
        "in",
        "at",
        "for",
        "with",
        "your",
        "you",
        "it",
        "its",
        "this",
        "that",
        "is",
        "are",
        "be",
        "now",
        "just",
        "keep",
        "let",
        "let's",
        "lets",
        "go",
        "so",
        "as",
        "up",
        "there",
        "then",
    }
)


# Numbers and time units are data, not ideas: "Couch stretch, hold 40 seconds" does
# not repeat "And hold, 40 seconds" (while "Rest 30 seconds" repeats "Rest 20 seconds").
# ("one" stays: "Last one." is an idea.)
_DATA = frozenset(
    {
        "zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "ninety", "hundred", "half", "second", "minute",
    }
)  # fmt: skip


Names = tuple[str, ...]


@lru_cache(maxsize=8192)
def content_words(text: str, names: Names = ()) -> frozenset[str]:
    """The words of ``text`` that carry meaning, normalized. Each of ``names`` (exercise
    names) found in the text counts as one word: "Side plank" is not "Front plank"."""
    text = text.lower()
    for name in sorted(names, key=len, reverse=True):
        token = re.sub(r"[^a-z0-9]", "", name.lower())
        if token:
            text = re.sub(
                rf"(?<![a-z0-9]){re.escape(name.lower())}(?![a-z0-9])", f" {token}_ ", text
            )
    words = re.findall(r"[a-z0-9'_]+", text)
    out = set()
    for word in words:
        if word.endswith("_"):
            out.add(word)
            continue
        word = word.strip("'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word and word not in _FILLER and word not in _DATA and not word.isdigit():
            out.add(word)
    return frozenset(out)


def similarity(a: str, b: str, names: Names = ()) -> float:
    """0.0 (nothing shared) .. 1.0 (the same idea); symmetric."""
    wa, wb = content_words(a, names), content_words(b, names)
    if not wa or not wb:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    na, nb = {w for w in wa if w.endswith("_")}, {w for w in wb if w.endswith("_")}
    if na and nb and not na & nb:
        return 0.0  # about different exercises: "Next, side plank" after "Front plank"
    if len(wa | wb) <= 2 and wa != wb:
        return 0.0  # one shared word of two is chance ("Hold." and "Side plank, hold")
    shared = len(wa & wb)
    jaccard = shared / len(wa | wb)
    small, large = sorted((len(wa), len(wb)))
    if small >= 2 and shared == small and large <= 3 * small:
        return max(jaccard, 1.0)
    return jaccard


def near_duplicate(a: str, b: str, names: Names = ()) -> bool:
    return similarity(a, b, names) >= NEAR_DUPLICATE


__all__ = [
    "NEAR_DUPLICATE",
    "WINDOW_MS",
    "Names",
    "content_words",
    "near_duplicate",
    "similarity",
]
