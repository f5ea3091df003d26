"""Timed coaching cues inside an exercise (`cues:` / `corrections:`), read and checked.

A cue goes `at` a rep, `half`, `last` or a time into a hold, or repeats `every` N
reps, optionally on one side. Whether a placement makes sense depends on the
exercise's reps, hold and sides, so the exercise builder passes those in.
"""

from __future__ import annotations

from typing import Any

from voicecoach.routine.durations import DurationError, parse_duration
from voicecoach.routine.fields import BAD, Fields, duration_source, show
from voicecoach.routine.model import TimedCue
from voicecoach.routine.readers import FieldReader
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import plural, yaml_duration


class TimedCueReader(FieldReader):
    """The cue part of the routine builder: adds located problems, returns None on error."""

    def bad(self, found: Fields) -> bool:
        return any(v is BAD for v in found.values.values())

    def cues(
        self,
        found: Fields,
        path: str,
        *,
        reps: int | None,
        hold: int | None,
        sides: str | None,
        key: str = "cues",
    ) -> tuple[TimedCue, ...] | None:
        node = found.get(key)
        if node is None:
            return () if not found.has(key) else None
        out: list[TimedCue] = []
        ok = True
        for index, child in enumerate(node.value):
            cue = self.cue(child, f"{path}.{key}[{index}]", reps=reps, hold=hold, sides=sides)
            ok = ok and cue is not None
            if cue is not None:
                out.append(cue)
        return tuple(out) if ok else None

    def cue(
        self, node: YNode, path: str, *, reps: int | None, hold: int | None, sides: str | None
    ) -> TimedCue | None:
        found = self.fields(node, "cue", path)
        if found is None:
            return None
        ok = not self.bad(found)
        if found.has("at") and found.has("every"):
            self.add_at_key(
                node,
                "every",
                path,
                "has both at and every",
                "a cue goes at one place or repeats every N reps: keep one",
            )
            return None
        if not found.has("at") and not found.has("every"):
            self.add(node, path, "needs at or every", "add at: half, at: 5 or every: 4")
            return None
        side = found.get("side")
        if side is not None and sides is None:
            self.add(
                found.nodes["side"],
                f"{path}.side",
                "side only works on an exercise with sides",
                "add sides: both to the exercise, or remove side",
            )
            ok = False
        elif side is not None and sides in ("left", "right") and side != sides:
            self.add(
                found.nodes["side"],
                f"{path}.side",
                f"this exercise only works the {sides} side",
                f"use side: {sides}, or remove side",
            )
            ok = False
        if found.has("every"):
            place = self.every(found, path, reps=reps, hold=hold)
        else:
            place = self.at(found.nodes["at"], f"{path}.at", reps=reps, hold=hold)
        if place is None or not ok:
            return None
        return TimedCue(found.get("say"), place[0], place[1], side, self.where(node, path))

    def every(
        self, found: Fields, path: str, *, reps: int | None, hold: int | None
    ) -> tuple[Any, int] | None:
        every = found.get("every")
        node = found.nodes["every"]
        if hold is not None:
            self.add(
                node,
                f"{path}.every",
                "every counts reps, and this exercise is a hold",
                "use at: with a time, like at: 10s",
            )
            return None
        if every is None:
            return None
        if reps is not None and every > reps:
            self.add(
                node,
                f"{path}.every",
                f"every {every} reps never happens in a set of {reps}",
                f"use a number from 1 to {reps}",
            )
            return None
        return "every", every

    def at(
        self, node: YNode, path: str, *, reps: int | None, hold: int | None
    ) -> tuple[Any, int] | None:
        value: Any = node.value if node.kind == "scalar" else None
        if isinstance(value, str) and value.strip().lower() in ("half", "last"):
            return value.strip().lower(), 0
        counted = type(value) is int and hold is None and not (node.raw and ":" in node.raw)
        if counted:
            if reps is not None and not 1 <= value <= reps:
                if value > reps:
                    self.add(
                        node,
                        path,
                        f"rep {value} is beyond the {plural(reps, 'rep')}",
                        f"use a rep from 1 to {reps}, half or last",
                    )
                else:
                    self.add(
                        node,
                        path,
                        f"must be a rep from 1 to {reps}, half or last, got {value}",
                        "reps count from 1",
                    )
                return None
            return "rep", value
        try:
            ms = parse_duration(duration_source(node))
        except DurationError:
            what = (
                "a time like 10s, half or last"
                if hold is not None
                else ("a rep number, half or last")
            )
            self.add(
                node,
                path,
                f"must be {what}, got {show(node)}",
                "see the cue placement rules in docs/routine-format.md",
            )
            return None
        if hold is None:
            self.add(
                node,
                path,
                f"a time like {show(node)} only works in a hold",
                "use a rep number, half or last",
            )
            return None
        if ms >= hold:
            self.add(
                node,
                path,
                f"{yaml_duration(ms)} is at or beyond the end of the {yaml_duration(hold)} hold",
                f"use a time under {yaml_duration(hold)}",
            )
            return None
        return "time", ms
