"""The planner's refusal of a session over its length limit.

Its own module so that the script builder and the planner both use it without
importing each other. The limit itself is ``Limits.max_session_ms``, passed in.
"""

from __future__ import annotations

from voicecoach.limits import Limits
from voicecoach.text import clock


def too_long_message(total_ms: int, limits: Limits) -> str:
    """The refusal for a session that lasts at least ``total_ms``."""
    limit = limits.max_session_ms
    # "4 hour limit" as users know it; a limit under an hour as a clock time ("10:00")
    span = f"{limit / 3_600_000:g} hour" if limit >= 3_600_000 else clock(limit, millis=False)
    return (
        f"the session would last at least {clock(total_ms)}, over the "
        f"{span} limit. use fewer sets, reps or rounds, or shorter rests and holds"
    )
