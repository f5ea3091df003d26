"""Durations and tempos as written in YAML, turned into integer milliseconds.

Durations: ``30s``, ``1m30s``, ``1h``, ``1.5s``, ``500ms``, ``90`` (seconds),
``1:30`` (m:ss), ``1:02:03`` (h:mm:ss), or spelled out: ``30 seconds``,
``1 minute 30 sec``. Tempos: seconds per phase joined by
dashes, ``2-1-2`` (lift-hold-lower) or ``2-1-2-1`` (lift-hold-lower-pause).
Decimal arithmetic keeps ``0.1s`` exactly 100 ms.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from voicecoach.errors import VoicecoachError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.text import show_value, yaml_duration

DURATION_HINT = "write it like 30s, 1m30s, 1:30, 90 (seconds) or 500ms"
TEMPO_HINT = "write seconds per phase like 2-1-2 (lift-hold-lower) or 2-1-2-1 (with a pause)"
TEMPO_PHASES = ("lift", "hold", "lower", "pause")

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = re.compile(
    rf"^(?:(?P<h>{_NUMBER})\s*h)?\s*(?:(?P<m>{_NUMBER})\s*m(?!s))?\s*"
    rf"(?:(?P<s>{_NUMBER})\s*s)?\s*(?:(?P<ms>{_NUMBER})\s*ms)?$"
)
_CLOCK = re.compile(r"^(?:(?P<h>\d+):(?=\d\d:))?(?P<m>\d+):(?P<s>[0-5]\d(?:\.\d+)?)$")
_SCALE = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}
# People write "30 seconds" or "1 minute 30 sec": spelled-out units become the short ones.
_WORD_UNITS = re.compile(
    r"(?<=[\d\s])(?:(?P<ms>milliseconds?|msecs?)|(?P<h>hours?|hrs?)|(?P<m>minutes?|mins?)"
    r"|(?P<s>seconds?|secs?))\b"
)
_MAX_DIGITS = 12  # longer numbers are typos, and would make huge integers


class DurationError(VoicecoachError, ValueError):
    """A duration or tempo could not be read. ``hint`` says how to write one."""

    def __init__(self, message: str, hint: str) -> None:
        self.reason = message
        self.hint = hint
        super().__init__(f"{message}. {hint}.")


def _seconds_to_ms(seconds: Decimal) -> int:
    return int((seconds * 1000).to_integral_value())


def parse_duration(value: object) -> int:
    """A YAML duration (number of seconds or text) -> integer milliseconds (>= 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DurationError(f"{show_value(value)} is not a duration", DURATION_HINT)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise DurationError(f"{show_value(value)} is not a duration", DURATION_HINT)
        if value < 0:
            raise DurationError(f"{show_value(value)} is negative", "use 0 or more seconds")
        if value > 10**_MAX_DIGITS:
            raise DurationError(f"{show_value(value)} is far too long", DURATION_HINT)
        return _seconds_to_ms(Decimal(str(value)))
    text = value.strip().lower()
    if text.startswith("-"):
        raise DurationError(f"{show_value(value)} is negative", "use 0 or more seconds")
    if len(text) > 40 or any(len(d) > _MAX_DIGITS for d in re.findall(r"\d+", text)):
        raise DurationError(f"{show_value(value)} is not a duration", DURATION_HINT)
    try:
        if re.fullmatch(_NUMBER, text):
            return _seconds_to_ms(Decimal(text))
        clock = _CLOCK.match(text)
        if clock:
            hours = Decimal(clock["h"] or 0)
            return _seconds_to_ms(hours * 3600 + Decimal(clock["m"]) * 60 + Decimal(clock["s"]))
        spelled = _WORD_UNITS.sub(lambda u: str(u.lastgroup), re.sub(r",|\band\b", " ", text))
        units = _UNITS.match(spelled)
        if text and units and any(units.groupdict().values()):
            total = sum(
                (
                    Decimal(amount) * _SCALE[unit]
                    for unit, amount in units.groupdict().items()
                    if amount is not None
                ),
                Decimal(0),
            )
            return int(total.to_integral_value())
    except InvalidOperation:  # pragma: no cover - the regexes only pass decimal digits
        pass
    raise DurationError(f"{show_value(value)} is not a duration", DURATION_HINT)


def parse_tempo(value: object, limits: Limits = DEFAULT_LIMITS) -> tuple[int, ...]:
    """A tempo (``2-1-2``, ``1.5-0.5-2-1``, or a list of 3 or 4 numbers) -> phase
    lengths in ms, in the order lift, hold, lower[, pause]. A phase may be 0."""
    parts: Sequence[object]
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(rf"{_NUMBER}(?:\s*-\s*{_NUMBER})*", text):
            raise DurationError(f"{show_value(value)} is not a tempo", TEMPO_HINT)
        parts = [p.strip() for p in text.split("-")]
    elif isinstance(value, (list, tuple)):
        parts = value
    else:
        raise DurationError(f"{show_value(value)} is not a tempo", TEMPO_HINT)
    if not 3 <= len(parts) <= len(TEMPO_PHASES):
        raise DurationError(
            f"a tempo has 3 or 4 phases (lift-hold-lower[-pause]), got {len(parts)}", TEMPO_HINT
        )
    phases: list[int] = []
    for index, part in enumerate(parts):
        if isinstance(part, bool) or not isinstance(part, (int, float, str)):
            raise DurationError(f"{show_value(value)} is not a tempo", TEMPO_HINT)
        try:
            ms = parse_duration(part)
        except DurationError:
            raise DurationError(f"{show_value(value)} is not a tempo", TEMPO_HINT) from None
        if ms > limits.max_tempo_phase_ms:
            raise DurationError(
                f"the {TEMPO_PHASES[index]} phase is {yaml_duration(ms)}, "
                f"more than {yaml_duration(limits.max_tempo_phase_ms)}",
                f"use at most {yaml_duration(limits.max_tempo_phase_ms)} per phase",
            )
        phases.append(ms)
    if sum(phases) < limits.min_rep_ms:
        raise DurationError(
            f"one rep at tempo {show_value(value)} lasts {yaml_duration(sum(phases))}, "
            f"less than {yaml_duration(limits.min_rep_ms)}",
            "slow the tempo so each count can be spoken",
        )
    return tuple(phases)
