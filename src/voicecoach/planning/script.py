"""The script: a routine expanded into what is said, in order, with every text rendered.

Sections, rounds, sides and sets are unrolled into alternating steps:
``Gap, Work, Gap, Work, ..., Gap``. A `Gap` is the time between two work blocks
(announcements, rests, countdowns); a `Work` is one set of reps or one hold, with
its counts and the coaching cues that want to be said inside it. The planner only
decides *when*; every *what* is decided here, deterministically from the seed.

The builder's jobs each have a module: the steps themselves (`script_steps`), the
routine unrolled into slots (`script_slots`), phrasings from the cue pack
(`script_phrases`), mind-body lines (`script_focus`), what is said between work
blocks (`script_gaps`) and inside them (`script_work`).
"""

from __future__ import annotations

from voicecoach.cues import CuePack, load_cue_pack
from voicecoach.errors import PlanError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.planning.plan_limits import too_long_message
from voicecoach.planning.script_gaps import GapLines
from voicecoach.planning.script_slots import (
    Occurrence,
    Slot,
    check_exercise,
    occurrences,
    plan_problem,
    side_plan,
    unroll,
)
from voicecoach.planning.script_steps import (
    SESSION,
    Context,
    Countdown,
    CueRequest,
    Gap,
    Line,
    Role,
    Script,
    Step,
    Work,
)
from voicecoach.planning.script_work import WorkLines
from voicecoach.routine.model import Routine
from voicecoach.text import seconds_text


class _Builder(GapLines, WorkLines):
    """One routine expanded into a `Script` (one instance per build: the seed's
    phrasing picks and the mind-body rotation are its state)."""

    def __init__(self, routine: Routine, seed: int, pack: CuePack, limits: Limits) -> None:
        super().__init__(routine, seed, pack)
        self.limits = limits

    def build(self) -> Script:
        occs = occurrences(self.routine)
        for occ in occs:
            check_exercise(occ.ex)
            if occ.ex.extra_weak_side_set and not self.routine.profile.weak_side:
                raise plan_problem(
                    f"{occ.ex.name}: extra_weak_side_set needs a weak side",
                    occ.ex.where,
                    "set profile.weak_side (or --weak-side), or remove extra_weak_side_set",
                )
        self._check_size(occs)
        slots, chapters = unroll(occs, self.routine)
        steps: list[Step] = []
        prev: Slot | None = None
        for slot in slots:
            steps.append(self.gap(prev, slot))
            steps.append(self.work(slot))
            prev = slot
        steps.append(self.final_gap(prev))
        table = {**self.pack.pronunciations, **self.routine.pronounce}
        return Script(
            self.routine.name,
            tuple(steps),
            tuple(chapters),
            tuple(self.warnings),
            self.routine.profile.coach,
            tuple(table.items()),
        )

    def _check_size(self, occs: list[Occurrence]) -> None:
        work_ms = 0
        reps = 0
        for occ in occs:
            for _side, sets in side_plan(occ.ex, self.routine):
                one = occ.ex.hold_ms if occ.ex.is_hold else occ.ex.reps * occ.ex.tempo.rep_ms  # type: ignore[operator]
                work_ms += sets * (one or 0) + (sets - 1) * occ.ex.rest_ms
                reps += sets * (occ.ex.reps or 0)
        if work_ms > self.limits.max_session_ms:
            raise PlanError(too_long_message(work_ms, self.limits))
        if reps > self.limits.max_script_reps:  # guards memory before the planner's limits
            raise PlanError(
                f"the session has {reps} reps, more than {self.limits.max_script_reps} "
                "can be planned. "
                "use fewer reps, sets or rounds"
            )


def build_script(
    routine: Routine,
    *,
    seed: int = 0,
    pack: CuePack | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Script:
    """Expand ``routine`` into a `Script` with every text rendered.

    ``pack`` replaces the routine's ``cue_pack``; the routine's cue overrides and then
    each exercise's overrides apply on top. A session over ``limits`` is refused.
    """
    base = pack if pack is not None else load_cue_pack(routine.cue_pack, limits=limits)
    return _Builder(routine, seed, base, limits).build()


__all__ = [
    "SESSION",
    "Context",
    "Countdown",
    "CueRequest",
    "Gap",
    "Line",
    "Role",
    "Script",
    "Step",
    "Work",
    "build_script",
    "seconds_text",
]
