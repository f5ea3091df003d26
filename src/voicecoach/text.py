"""Text shared by every message and output: how a time is written.

One function per written form, so a duration reads the same wherever it
appears. Times come in as integer milliseconds.
"""

from __future__ import annotations


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
