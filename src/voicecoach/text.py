"""Text shared by every message and output: times, "did you mean", quoting.

One function per written form, so a duration reads the same wherever it
appears. Times come in as integer milliseconds.

=====================  =====================  ==================================
function               example                where it is written
=====================  =====================  ==================================
``clock``              ``12:34.500``, ``12:35``  plan totals, CLI summaries, page
``minutes_clock``      ``12:35``              messages about a session's length
``table_clock``        ``12:34.500``          the plan table's first column
``timestamp``          ``00:12:34.500``       WebVTT/SRT cues, ffmetadata chapters
``lrc_stamp``          ``[12:34.50]``         LRC lyrics lines
``hms``                ``00:12:35``           podcast ``itunes:duration``
``hours_minutes``      ``1 h 5 min``          rough session lengths
``yaml_duration``      ``1m30s``, ``500ms``   values as a routine writes them
``seconds``            ``30``, ``1.5``        exact seconds (library, dosage)
``seconds_text``       ``30``, ``23``, ``1.5``  seconds as a coach says them
=====================  =====================  ==================================
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal

MAX_SHOWN = 40  # characters of user text a message repeats before cutting it


def clock(ms: int, *, millis: bool = True) -> str:
    """754500 -> '12:34.500' (or '12:35' without millis); hours when needed: '1:02:03.500'."""
    if not millis:
        ms = (ms + 500) // 1000 * 1000
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, milli = divmod(rest, 1000)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"{text}.{milli:03d}" if millis else text


def minutes_clock(ms: int) -> str:
    """754500 -> '12:35': whole seconds (half up) as M:SS, minutes never carried to hours."""
    total = (ms + 500) // 1000
    return f"{total // 60}:{total % 60:02d}"


def table_clock(ms: int) -> str:
    """754500 -> '12:34.500': MM:SS.mmm, minutes never carried to hours."""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def timestamp(ms: int, sep: str = ".") -> str:
    """754500 -> '00:12:34.500' (WebVTT, ffmetadata); ``sep=','`` for SRT."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, milli = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{milli:03d}"


def lrc_stamp(ms: int) -> str:
    """754567 -> '[12:34.56]': an LRC time tag (hundredths, cut not rounded)."""
    minutes, rest = divmod(ms, 60_000)
    return f"[{minutes:02d}:{rest // 1000:02d}.{(rest % 1000) // 10:02d}]"


def hms(ms: int) -> str:
    """754500 -> '00:12:34': HH:MM:SS, rounded to whole seconds (ties to even)."""
    total = round(ms / 1000)
    return f"{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}"


def hours_minutes(ms: int) -> str:
    """3_900_000 -> '1 h 5 min', 600_000 -> '10 min': a rough length, to the minute."""
    hours, minutes = divmod(round(ms / 60_000), 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def yaml_duration(ms: int) -> str:
    """Milliseconds -> the shortest YAML-style text: 30s, 1m30s, 1.5s, 500ms, 4h."""
    if ms < 1000 and ms % 1000:
        return f"{ms}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = Decimal(rest) / 1000
    out = ""
    if hours:
        out += f"{hours}h"
    if minutes:
        out += f"{minutes}m"
    if secs or not out:
        out += f"{secs.normalize():f}s"
    return out


def seconds(ms: int) -> str:
    """30000 -> '30', 1500 -> '1.5': exact seconds, without a unit."""
    return str(ms // 1000) if ms % 1000 == 0 else f"{ms / 1000:g}"


def seconds_text(ms: int) -> str:
    """30000 -> '30', 22500 -> '23', 1500 -> '1.5': how a duration is spoken.

    Nobody says "twenty-two point five seconds": from 10 s up, whole seconds
    (half up); below that, at most one decimal.
    """
    if ms % 1000 == 0:
        return str(ms // 1000)
    if ms >= 10_000:
        return str((ms + 500) // 1000)
    return f"{(ms + 50) // 100 / 10:.1f}".rstrip("0").rstrip(".")


def plural(count: int, word: str, *, shown: str | None = None) -> str:
    """'1 rep', '2 reps'; ``shown`` writes the count another way ('two reps')."""
    number = str(count) if shown is None else shown
    return f"{number} {word}" if count == 1 else f"{number} {word}s"


def suggest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice a misspelt ``word`` most likely meant, or None.

    The same letters in another order come first (difflib scores swapped
    letters low), then the closest by difflib; case is ignored in ``word``.
    """
    names = list(choices)
    lower = word.lower()
    same = [name for name in names if sorted(name) == sorted(lower)]
    if same:
        return same[0]
    close = difflib.get_close_matches(lower, names, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The hint "did you mean 'x'?" for the closest choice, or None when nothing is close."""
    close = suggest(word, choices, cutoff=cutoff)
    return f"did you mean '{close}'?" if close else None


def cut(text: str) -> str:
    """User text as a message repeats it: at most 40 characters, '...' when cut."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def show_value(value: object) -> str:
    """A value as it reads in a message: text quoted, numbers bare, long text cut."""
    if isinstance(value, str):
        return repr(cut(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
