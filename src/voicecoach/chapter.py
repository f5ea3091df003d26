"""A chapter of a session: the one type the planner, the tag writers and the feed share."""

from __future__ import annotations

from typing import NamedTuple


class Chapter(NamedTuple):
    """One exercise (or section) of a session, ``start_ms`` to ``end_ms``.

    A named tuple, so ``title, start, end = chapter`` reads it as the tag code
    and the feed do, and ``chapter.start_ms`` as the planner does.
    """

    title: str
    start_ms: int
    end_ms: int
