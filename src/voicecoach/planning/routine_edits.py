"""Addressing one item of a routine by its path, and leaving out optional parts:
the edits the `--minutes` fitter (`voicecoach.planning.fitting`) makes to a candidate."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeVar

from voicecoach.routine.model import Exercise, Rounds, Routine

Path = tuple[int, int, int]  # section, item, exercise inside rounds (-1: the item itself)
T = TypeVar("T")


def paths(routine: Routine) -> Iterator[tuple[Path, Exercise | Rounds]]:
    """Every exercise and rounds block with its path, in order (a rounds block
    before its exercises)."""
    for si, section in enumerate(routine.sections):
        for ii, item in enumerate(section.items):
            yield (si, ii, -1), item
            if isinstance(item, Rounds):
                for ri, ex in enumerate(item.exercises):
                    yield (si, ii, ri), ex


def item_at(routine: Routine, path: Path) -> Exercise | Rounds:
    si, ii, ri = path
    item = routine.sections[si].items[ii]
    return item.exercises[ri] if ri >= 0 and isinstance(item, Rounds) else item


def put_item(routine: Routine, path: Path, new: Exercise | Rounds) -> Routine:
    si, ii, ri = path
    section = routine.sections[si]
    item = section.items[ii]
    if ri >= 0 and isinstance(item, Rounds):
        assert isinstance(new, Exercise)
        new = replace(item, exercises=_swap(item.exercises, ri, new))
    sections = _swap(routine.sections, si, replace(section, items=_swap(section.items, ii, new)))
    return replace(routine, sections=sections)


def _swap(items: tuple[T, ...], index: int, new: T) -> tuple[T, ...]:
    return (*items[:index], new, *items[index + 1 :])


def without_optional(routine: Routine) -> list[tuple[Routine, str]]:
    """The routine with more and more optional parts left out (the last first)."""
    out: list[tuple[Routine, str]] = []
    current, names = routine, []
    while True:
        step = _drop_last_optional(current)
        if step is None:
            return out
        current, name = step
        names.append(name)
        out.append((current, ", ".join(names)))


def _drop_last_optional(routine: Routine) -> tuple[Routine, str] | None:
    sections = list(routine.sections)
    for si in range(len(sections) - 1, -1, -1):
        items = list(sections[si].items)
        for ii in range(len(items) - 1, -1, -1):
            item = items[ii]
            if isinstance(item, Rounds):
                if item.count > 1 and any(e.optional for e in item.exercises):
                    items[ii] = replace(item, count=item.count - 1)
                    what = f"one round of {item.name or item.exercises[0].name}"
                else:
                    continue
            elif item.optional:
                del items[ii]
                what = item.name
            else:
                continue
            if items:
                sections[si] = replace(sections[si], items=tuple(items))
            else:
                del sections[si]
            if not sections:
                return None
            return replace(routine, sections=tuple(sections)), what
    return None
