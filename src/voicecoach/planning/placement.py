"""The planner's common ground: its state as it walks the script (the time, the
events placed, the lines said lately, the talk budget), placing one event, and the
60 s rule against near-duplicates. `gap_placement` and `work_placement` build on it."""

from __future__ import annotations

import numbers
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace

from voicecoach.coach.budget import TalkBudget, rules_for
from voicecoach.coach.similarity import WINDOW_MS, near_duplicate
from voicecoach.errors import PlanError
from voicecoach.limits import Limits
from voicecoach.planning.plan_limits import too_long_message
from voicecoach.planning.script_steps import Context, Gap, Line, Role, Script
from voicecoach.planning.timeline_events import SPOKEN_KINDS, Event, EventKind

PAUSE_MS = 250  # silence after each announcement, before the next one
CUE_MARGIN_MS = 400  # breathing room around a coaching line inside a set
COUNTDOWN_STEP_MS = 1000  # one countdown number per second
END_PAD_MS = 500  # silence after the closing tone
LEAD_IN_MS = 1000  # quiet before the first word, so earbuds waking up don't clip it
# How long each bundled sound lasts (audio_assets/*.wav), so tones that precede
# speech (the chime) get their time and the session ends after the closing tone.
TONE_MS: dict[str, int] = {"chime": 1600, "beep": 140, "beep_end": 420, "done": 2760, "tick": 30}

# Signal beeps that a spoken word replaces: a countdown's beep under its spoken number,
# the work's closing beep under the first count or "And hold.". A beep masks the
# word's onset (the recognizer check in docs/voice.md); the word is the signal then.
MASKING_TONES = frozenset({"beep", "beep_end"})


def clear_of_speech(events: list[Event]) -> list[Event]:
    """``events`` without the beeps (MASKING_TONES) that would sound under speech."""
    spoken = sorted((e.start_ms, e.end_ms) for e in events if e.spoken)
    starts = [s for s, _ in spoken]
    longest = max((b - a for a, b in spoken), default=0)

    def under_speech(e: Event) -> bool:
        i = bisect_right(starts, e.end_ms - 1)  # spoken events starting before e ends
        j = bisect_right(starts, e.start_ms - longest)
        return any(b > e.start_ms for _, b in spoken[j:i])

    return [
        e for e in events if not (e.kind == "tone" and e.sound in MASKING_TONES and under_speech(e))
    ]


class Placer:
    """The state `plan` keeps while it walks a script, and the helpers every
    placement uses; one instance plans one script."""

    def __init__(
        self, script: Script, phrase_ms: Callable[[str], int], limits: Limits
    ) -> None:
        self.script = script
        self.phrase_ms = phrase_ms
        self.limits = limits
        self.events: list[Event] = []
        self.t = 0  # end of the last step
        self.busy = 0  # end of the last speech placed
        self.spoken = 0
        self.chapter_starts = [0]
        self.warnings: dict[tuple[str | None, str], int] = {}
        self.lengths: dict[str, int] = {}
        self.said: dict[str | None, set[str]] = {}  # coaching lines said, per exercise
        self.budget = TalkBudget(rules_for(script.coach))
        self.recent: list[tuple[int, str]] = []  # (start, text) of lines said, not counts
        self.names = tuple(sorted({w.ctx.exercise for w in script.works() if w.ctx.exercise}))

    def length(self, text: str) -> int:
        if text not in self.lengths:
            value = self.phrase_ms(text)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise PlanError(
                    f"the length of the phrase '{text}' is {value!r}. "
                    "a phrase length must be a whole number of milliseconds, 0 or more"
                )
            self.lengths[text] = int(value)
        return self.lengths[text]

    def line_ms(self, line: Line) -> int:
        if line.sound is not None:
            return TONE_MS.get(line.sound, 0)
        return self.length(line.text or "")

    def warn(self, exercise: str | None, message: str) -> None:
        key = (exercise, message)
        self.warnings[key] = self.warnings.get(key, 0) + 1

    def emit(
        self,
        start: int,
        end: int,
        kind: EventKind,
        ctx: Context,
        *,
        text: str | None = None,
        sound: str | None = None,
        key: str | None = None,
        rep: int | None = None,
        role: Role | None = None,
    ) -> None:
        if kind in SPOKEN_KINDS:
            role = role or "structural"
            if kind != "count" and text:
                self.recent.append((start, text))
            self.spoken += 1
            if self.spoken > self.limits.max_spoken_phrases:
                raise PlanError(
                    f"the session has more than {self.limits.max_spoken_phrases} spoken phrases. "
                    "use fewer reps, sets or rounds"
                )
            self.busy = max(self.busy, end)
        self.events.append(
            Event(
                start, end, kind, text, sound, key, ctx.exercise, ctx.side, ctx.set, rep,
                role=role,
            )
        )  # fmt: skip

    def emit_line(self, line: Line, start: int) -> None:
        if line.sound is not None:
            self.emit(start, start + self.line_ms(line), "tone", line.ctx, sound=line.sound)
        else:
            end = start + self.line_ms(line)
            self.emit(start, end, line.kind, line.ctx, text=line.text, key=line.key, role=line.role)

    def repeats(self, text: str, at: int, also: list[str] | tuple[str, ...] = ()) -> bool:
        """Would ``text`` at ``at`` say nearly what was said within 60 s (or ``also``)?"""
        if any(near_duplicate(text, other, self.names) for other in also):
            return True
        return any(
            abs(start - at) < WINDOW_MS and near_duplicate(text, said, self.names)
            for start, said in self.recent
        )

    def forget_old(self) -> None:
        """Lines more than a window before the current step can no longer repeat."""
        horizon = self.t - WINDOW_MS
        if self.recent and self.recent[0][0] < horizon:
            self.recent = [(s, t) for s, t in self.recent if s >= horizon]

    def unrepeated(self, gap: Gap, at: int) -> dict[int, Line]:
        """The gap's lines (by the original line's id), each in a phrasing that does
        not repeat a recent line or an earlier line of the gap. An optional line with
        no such phrasing is left out; a needed one stays, and an optional line of the
        gap that it repeats gives way to it."""
        out: dict[int, Line] = {}
        for line in gap.heads + gap.tails:
            if line.sound is not None or not line.text:
                out[id(line)] = line
                continue
            earlier = [ln.text or "" for ln in out.values() if ln.sound is None and ln.text]
            choice = next(
                (t for t in (line.text, *line.alternatives) if not self.repeats(t, at, earlier)),
                None,
            )
            needed = line.required or gap.final
            if choice is None and not needed:
                continue
            if choice is None:
                needed_before = [
                    ln.text for ln in out.values()
                    if ln.text and ln.sound is None and (ln.required or gap.final)
                ]  # fmt: skip
                if any(self.similar(line.text, t) for t in needed_before):
                    continue  # the gap has just said it ("Both sides, left first" + "Left side")
                # Keep it as written; drop the optional lines of this gap it repeats.
                for key, other in list(out.items()):
                    optional = not (other.required or gap.final)
                    if optional and other.text and self.similar(other.text, line.text):
                        del out[key]
                choice = line.text
            out[id(line)] = replace(line, text=choice) if choice != line.text else line
        return out

    def similar(self, a: str, b: str) -> bool:
        return near_duplicate(a, b, self.names)

    def advance(self, to: int) -> None:
        self.t = to
        if to > self.limits.max_session_ms:
            raise PlanError(too_long_message(to, self.limits))
