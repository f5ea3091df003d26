"""The planner's ceilings: how long a session and how many spoken phrases.

They are read when a script is built and planned, so a caller can raise them:
``voicecoach.plan_limits.MAX_SESSION_MS = 6 * 3_600_000``. (Their own module so
that the script builder and the planner both read them without importing each
other.)
"""

from __future__ import annotations

from voicecoach.text import clock

MAX_SESSION_MS = 4 * 3_600_000
MAX_SPOKEN_PHRASES = 5000


def too_long_message(total_ms: int) -> str:
    """The refusal for a session that lasts at least ``total_ms``."""
    hours = MAX_SESSION_MS / 3_600_000
    return (
        f"the session would last at least {clock(total_ms)}, over the "
        f"{hours:g} hour limit. use fewer sets, reps or rounds, or shorter rests and holds"
    )
