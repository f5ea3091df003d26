"""What is said inside a set or a hold: counts, phase words, the hold's opening and
closing countdown, and the coaching lines that want a place in it (the routine's
timed cues, halfway, last rep, mind-body lines)."""

from __future__ import annotations

from math import ceil

from voicecoach.cues import lines_for
from voicecoach.cues.spoken import plural
from voicecoach.planning.script_focus import FocusLines
from voicecoach.planning.script_slots import Slot
from voicecoach.planning.script_steps import COUNTDOWN_SECONDS, CueRequest, Line, Work
from voicecoach.routine.model import Exercise, TimedCue
from voicecoach.text import seconds_text

HALFWAY_MIN_REPS = 6
LAST_REP_MIN_REPS = 3
HOLD_HALFWAY_MIN_MS = 20_000
COACH_STEP_MS = 5000  # a time a coach calls out (time left in a hold) is whole 5 s


def _says_time(template: str) -> bool:
    """The template says a length of time ("{duration} to go")."""
    return "{seconds}" in template or "{duration}" in template


class WorkLines(FocusLines):
    """The builder's part that writes the `Work` steps."""

    def work(self, slot: Slot) -> Work:
        ex, ctx = slot.occ.ex, slot.context()
        cues = self.timed_cues(ex, slot)
        if ex.is_hold:
            hold = ex.hold_ms or 0
            openings = self.say_all("hold_start", ex, seconds=seconds_text(hold))
            closing = tuple(
                self.say("hold_countdown", ex, seconds=k) or ""
                for k in range(1, COUNTDOWN_SECONDS + 1)
            )
            if hold >= HOLD_HALFWAY_MIN_MS and not self.has_half_cue(ex, slot):
                cues += self.hold_halfway(ex, hold)
            cues += self.focus_cues(ex, slot, hold, None)
            return Work(
                ctx,
                hold_ms=hold,
                opening=(
                    Line(openings[0], "hold_start", ctx=ctx, alternatives=openings[1:])
                    if openings
                    else None
                ),
                closing=closing if any(closing) else (),
                cues=tuple(cues),
            )
        reps = ex.reps or 0
        rep_ms = ex.tempo.rep_ms
        counts = tuple(self.say("count", ex, rep=r, reps=reps) or "" for r in range(1, reps + 1))
        words = tuple(
            (self.say("phase_word", ex, word=w) or "") if w else "" for w in ex.tempo.words
        )
        if reps >= LAST_REP_MIN_REPS:
            texts = self.say_all("last_rep", ex, rep=reps, reps=reps)
            if texts:
                # In the gap just before the final rep starts, or not at all.
                cues.append(
                    CueRequest(
                        texts[0], "last_rep", (reps - 2) * rep_ms, "last rep", texts[1:],
                        deadline_ms=(reps - 1) * rep_ms,
                    )
                )  # fmt: skip
        if reps >= HALFWAY_MIN_REPS and not self.has_half_cue(ex, slot):
            half = ceil(reps / 2)
            texts = self.say_all("halfway", ex, rep=half, reps=reps)
            if texts:
                cues.append(
                    CueRequest(texts[0], "halfway", (half - 1) * rep_ms, "halfway", texts[1:])
                )
        cues += self.focus_cues(ex, slot, reps * rep_ms, rep_ms)
        return Work(ctx, reps=reps, tempo=ex.tempo, counts=counts, words=words, cues=tuple(cues))

    def hold_halfway(self, ex: Exercise, hold: int) -> list[CueRequest]:
        """ "Halfway." at half the hold; a phrasing that says the time left only when
        that is a number a coach says (whole 5 s: "Halfway. 20 seconds to go." in a
        40 s hold, never "23 seconds" in a 45 s one). With only such phrasings, the
        line goes where the time left is whole 5 s (20 s before the end of 45)."""
        left = hold - hold // 2
        options = lines_for(self.pack_for(ex), "hold_halfway", ex)
        untimed = tuple(t for t in options if not _says_time(t))
        if left % COACH_STEP_MS and untimed:
            options = untimed
        elif left % COACH_STEP_MS:
            left = left // COACH_STEP_MS * COACH_STEP_MS
        texts = self.say_from("hold_halfway", options, seconds=seconds_text(left))
        if not texts:
            return []
        return [CueRequest(texts[0], "hold_halfway", hold - left, "halfway", texts[1:])]

    def timed_cues(self, ex: Exercise, slot: Slot) -> list[CueRequest]:
        out: list[CueRequest] = []
        for cue in ex.cues:
            if cue.side is not None and cue.side != slot.side:
                continue
            # Corrections are for when fatigue makes the error likely: not in a first set.
            early = slot.set == 1 and slot.sets > 1
            if cue.origin == "correction" and early and self.routine.profile.coach != "chatty":
                continue
            for at_ms in self.cue_times(ex, cue):
                out.append(CueRequest(cue.text, None, at_ms, f"cue '{cue.text}'", role=cue.origin))
        return out

    def has_half_cue(self, ex: Exercise, slot: Slot) -> bool:
        """A routine cue at ``half`` replaces the built-in halfway line."""
        return any(
            c.at == "half" and c.origin == "routine" and c.side in (None, slot.side)
            for c in ex.cues
        )

    def cue_times(self, ex: Exercise, cue: TimedCue) -> list[int]:
        label = f"{ex.name}: cue '{cue.text}'"
        if ex.is_hold:
            hold = ex.hold_ms or 0
            if cue.at == "half":
                return [hold // 2]
            if cue.at == "time" and 0 <= cue.value < hold:
                return [cue.value]
            if cue.at == "time":
                self.warn(f"{label} at {seconds_text(cue.value)} s is after the hold ends; "
                          "it is skipped")  # fmt: skip
            else:
                self.warn(f"{label} is placed by reps, but this is a hold; "
                          "it is skipped (use at: 10s)")  # fmt: skip
            return []
        reps, rep_ms = ex.reps or 0, ex.tempo.rep_ms
        if cue.at == "half":
            reps_at = [ceil(reps / 2)]
        elif cue.at == "last":
            reps_at = [reps]
        elif cue.at == "every":
            reps_at = list(range(cue.value, reps + 1, cue.value)) if cue.value > 0 else []
        elif cue.at == "time":
            if 0 <= cue.value < reps * rep_ms:
                return [cue.value]
            self.warn(f"{label} at {seconds_text(cue.value)} s is after the set ends; "
                      "it is skipped")  # fmt: skip
            return []
        else:
            reps_at = [cue.value] if 1 <= cue.value <= reps else []
        if not reps_at:
            self.warn(
                f"{label} at rep {cue.value} never happens in {plural(reps, 'rep')}; it is skipped"
            )
        return [(r - 1) * rep_ms for r in reps_at]
