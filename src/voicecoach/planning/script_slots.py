"""The routine unrolled: each exercise as it is done (in its section and round),
its sides and sets in order, and each set on each side as a `Slot`."""

from __future__ import annotations

from dataclasses import dataclass

from voicecoach.errors import PlanError, Problem
from voicecoach.planning.script_steps import Context
from voicecoach.routine.model import Exercise, Rounds, Routine, Section, SideName, Standalone, Where

# Seconds to change sides (roll over, turn round), by body position: about 5 s
# standing, seated, supine or kneeling; about 10 s lying on a side, prone, on hands
# and knees or half-kneeling (docs/routine-format.md, switch_rest).
SLOW_SWITCH_POSITIONS = frozenset({"side-lying", "prone", "quadruped", "half-kneeling"})
SWITCH_REST_MS = (5000, 10_000)


@dataclass(frozen=True)
class Occurrence:
    """One exercise as it is done: in its section, in its round."""

    ex: Exercise
    section: Section
    first_in_section: bool
    group: int  # index of the Rounds item (or exercise) in the routine
    round: int | None = None
    rounds: int | None = None
    round_rest_ms: int = 0
    first_in_round: bool = False
    last_in_round: bool = False
    before: tuple[Standalone, ...] = ()  # standalone items said before it
    after: tuple[Standalone, ...] = ()  # standalone items after it (a rest: the rest)


@dataclass(frozen=True)
class Slot:
    occ: Occurrence
    index: int  # occurrence index
    side: SideName | None
    set: int
    sets: int
    chapter: int

    def context(self) -> Context:
        """What the events of this slot belong to."""
        occ = self.occ
        return Context(
            occ.ex.name, self.side, self.set, self.sets, occ.round, occ.rounds, self.chapter
        )


def plan_problem(message: str, where: Where, hint: str) -> PlanError:
    problem = Problem(message, where.file, where.line, where.column, where.key, hint)
    return PlanError(problem.format(), problems=[problem])


def check_exercise(ex: Exercise) -> None:
    if ex.sets < 1:
        raise plan_problem(f"{ex.name}: sets must be at least 1", ex.where, "set sets: 1 or more")
    if min(ex.rest_ms, ex.rest_after_ms) < 0:
        raise plan_problem(f"{ex.name}: a rest is negative", ex.where, "use 0 or more")
    if ex.hold_ms is not None:
        if ex.hold_ms <= 0:
            raise plan_problem(
                f"{ex.name}: the hold is 0 s", ex.where, "give it a length, e.g. 30s"
            )
        return
    if ex.reps is None or ex.reps < 1:
        raise plan_problem(f"{ex.name}: reps must be at least 1", ex.where, "set reps or hold")
    if ex.tempo.rep_ms <= 0 or min(ex.tempo.phases_ms) < 0:
        raise plan_problem(
            f"{ex.name}: the tempo adds up to no time", ex.where, "use a tempo like 2-1-2"
        )


def occurrences(routine: Routine) -> list[Occurrence]:
    out: list[Occurrence] = []
    group = 0
    for section in routine.sections:
        first = True
        for item in section.items:
            if isinstance(item, Rounds):
                if item.count < 1 or item.rest_ms < 0 or not item.exercises:
                    raise plan_problem(
                        "rounds need a count of 1 or more, exercises and a rest of 0 or more",
                        item.where,
                        "fix the rounds block",
                    )
                last = len(item.exercises) - 1
                for r in range(1, item.count + 1):
                    for i, ex in enumerate(item.exercises):
                        before = (item.before if r == 1 and i == 0 else ()) + ex.before
                        after = ex.after + (item.after if r == item.count and i == last else ())
                        out.append(
                            Occurrence(
                                ex, section, first, group, r, item.count, item.rest_ms,
                                i == 0, i == last, before, after,
                            )
                        )  # fmt: skip
                        first = False
            else:
                out.append(
                    Occurrence(item, section, first, group, before=item.before, after=item.after)
                )
                first = False
            group += 1
    return out


def extra_set_here(ex: Exercise, routine: Routine) -> bool:
    """Does ``ex`` get the extra weak-side set? Its own ``extra_weak_side_set`` when
    written; else the profile's switch, unless some exercise says true (then only
    those get it)."""
    profile = routine.profile
    if not profile.weak_side or ex.sides not in ("both", profile.weak_side):
        return False
    if ex.extra_weak_side_set is not None:
        return ex.extra_weak_side_set
    if any(e.extra_weak_side_set for e in routine.exercises()):
        return False
    return profile.extra_weak_side_set


def side_plan(ex: Exercise, routine: Routine) -> list[tuple[SideName | None, int]]:
    """(side, sets) in the order they are done (one side after the other, or taking
    turns set by set with ``alternate_sides``)."""
    weak = routine.profile.weak_side
    extra = extra_set_here(ex, routine)
    if ex.sides is None:
        return [(None, ex.sets)]
    if ex.sides == "both":
        first: SideName = weak or "left"
        second: SideName = "right" if first == "left" else "left"
        order = [first, second]
    else:
        order = [ex.sides]
    return [(side, ex.sets + (1 if extra and side == weak else 0)) for side in order]


def switch_rest_ms(ex: Exercise) -> int:
    """The time between the two sides of a set."""
    if ex.switch_rest_ms is not None:
        return ex.switch_rest_ms
    return SWITCH_REST_MS[ex.position in SLOW_SWITCH_POSITIONS]


def alternates(ex: Exercise) -> bool:
    return ex.alternate_sides and ex.sides == "both"


def final_set(slot: Slot, routine: Routine) -> bool:
    """The last set of this exercise on every side (not the first side's last set)."""
    if slot.set != slot.sets:
        return False
    sides = side_plan(slot.occ.ex, routine)
    if alternates(slot.occ.ex):  # the side that does the last set overall
        _sets, index = max((sets, i) for i, (_side, sets) in enumerate(sides))
        return slot.side == sides[index][0]
    return slot.side == sides[-1][0]


def chapter_title(occ: Occurrence, side: SideName | None) -> str:
    title = occ.ex.name
    if side:
        title += f" — {side}"
    if occ.rounds and occ.rounds > 1:
        title += f" (round {occ.round} of {occ.rounds})"
    return title


def unroll(occs: list[Occurrence], routine: Routine) -> tuple[list[Slot], list[str]]:
    """Every set on every side in the order it is done, and the chapter titles
    (one per exercise and side; one per exercise when the sides take turns)."""
    slots: list[Slot] = []
    chapters: list[str] = []
    for i, occ in enumerate(occs):
        plan = side_plan(occ.ex, routine)
        if alternates(occ.ex):  # L, R, L, R: one chapter for the exercise
            chapters.append(chapter_title(occ, None))
            for s in range(1, max(sets for _side, sets in plan) + 1):
                for side, sets in plan:
                    if s <= sets:
                        slots.append(Slot(occ, i, side, s, sets, len(chapters) - 1))
            continue
        for side, sets in plan:
            chapters.append(chapter_title(occ, side))
            for s in range(1, sets + 1):
                slots.append(Slot(occ, i, side, s, sets, len(chapters) - 1))
    return slots, chapters
