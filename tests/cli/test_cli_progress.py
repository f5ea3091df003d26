"""The render's progress bar follows counts that grow (a further round of phrases)
or start over (speech again after the engine fell back)."""

from __future__ import annotations

from voicecoach.cli.progress import ProgressBar


def test_a_growing_total_lengthens_the_bar() -> None:
    bar = ProgressBar()
    bar("speech", 3, 5)
    bar("speech", 5, 5)
    bar("speech", 7, 9)  # plan_spoken's second round: 4 more phrases
    assert (bar._bar.pos, bar._bar.length) == (7, 9)
    bar.close()


def test_a_count_that_starts_over_gets_a_new_bar() -> None:
    bar = ProgressBar()
    bar("speech", 4, 10)
    first = bar._bar
    bar("speech", 1, 10)  # the fallback engine starts from the first phrase
    assert bar._bar is not first
    assert (bar._bar.pos, bar._bar.length) == (1, 10)
    bar.close()
