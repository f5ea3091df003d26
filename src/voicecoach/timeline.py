"""The timeline: every event with an exact start and end, and chapters; and the planner.

`plan` is pure (no I/O, no audio): a `Script` plus the spoken length of each phrase
gives a `Timeline`. Rules it keeps (tests check each):

- speech never overlaps speech;
- each rep count starts exactly on its rep's tempo grid;
- coaching cues go in the gaps and never over a count, by priority and within the
  talk budget of ``script.coach`` (`voicecoach.coach.budget`); a cue that cannot fit
  moves to the next gap in the same set or hold; a routine's own cue is left out only
  when there is no room at all (with a warning), and may take one count's place;
- no line except counts and countdowns is said within 60 s of a near-duplicate
  (`voicecoach.coach.similarity`); another phrasing is tried first;
- rests and holds are timed by the clock, not by the speech; announcements that must
  precede work (exercise intro, setup, side switch, get ready) take the time they
  need, moving the work later; a countdown ends exactly when the work starts;
- the work and rest spans tile [0, total_ms) in order.
"""

from __future__ import annotations

import numbers
import re
from bisect import bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from voicecoach.chapter import Chapter
from voicecoach.coach.budget import PRIORITY, Span, TalkBudget, free_slot, rules_for
from voicecoach.coach.similarity import WINDOW_MS, near_duplicate
from voicecoach.errors import PlanError
from voicecoach.script import (
    COUNTDOWN_SECONDS,
    REST_CALL_MIN_MS,
    REST_CALL_S,
    Context,
    Countdown,
    CueRequest,
    Gap,
    Line,
    Role,
    Script,
    Work,
    seconds_text,
)

# Spoken kinds are placed from synthesized clips; the others are timing spans or sounds.
EventKind = Literal[
    "speech",  # announcements, setup lines, rest announcements, intro/outro
    "cue",  # mind-body coaching lines (may move or be dropped to fit)
    "count",  # rep counts, phase words and countdown numbers, on the grid
    "tone",  # a bundled sound (chime, beep), named in `sound`
    "tick",  # metronome tick on the tempo grid
    "work",  # a set of reps or a hold (span, silent)
    "rest",  # rest between sets / exercises / rounds (span, silent)
]
SPOKEN_KINDS = frozenset({"speech", "cue", "count"})


@dataclass(frozen=True)
class Event:
    start_ms: int
    end_ms: int
    kind: EventKind
    text: str | None = None  # what is said (spoken kinds)
    sound: str | None = None  # asset name for tone/tick
    cue_key: str | None = None  # the cue-pack key the text came from
    exercise: str | None = None
    side: str | None = None
    set: int | None = None
    rep: int | None = None
    chapter: int | None = None  # index into Timeline.chapters
    role: Role | None = None  # spoken kinds: whose words (docs/plan-json.md, "Roles")

    @property
    def spoken(self) -> bool:
        return self.kind in SPOKEN_KINDS


@dataclass(frozen=True)
class Timeline:
    title: str
    total_ms: int
    events: tuple[Event, ...]  # sorted by (start_ms, end_ms)
    chapters: tuple[Chapter, ...]  # contiguous, first starts at 0, last ends at total_ms
    warnings: tuple[str, ...] = ()


# --- planning -------------------------------------------------------------------------
#
# Limits are read when `plan` runs, so a caller can raise them:
# ``voicecoach.timeline.MAX_SESSION_MS = 6 * 3_600_000``.
MAX_SESSION_MS = 4 * 3_600_000
MAX_SPOKEN_PHRASES = 5000

PAUSE_MS = 250  # silence after each announcement, before the next one
CUE_MARGIN_MS = 400  # breathing room around a coaching line inside a set
COUNTDOWN_STEP_MS = 1000  # one countdown number per second
END_PAD_MS = 500  # silence after the closing tone
LEAD_IN_MS = 1000  # quiet before the first word, so earbuds waking up don't clip it
# How long each bundled sound lasts (audio_assets/*.wav), so tones that precede
# speech (the chime) get their time and the session ends after the closing tone.
TONE_MS: dict[str, int] = {"chime": 1600, "beep": 140, "beep_end": 420, "done": 2760, "tick": 30}

# Dropping these in a short rest is expected, not worth a warning
# (rest_announce / rest_between_rounds: the next exercise's intro names it anyway;
# mind-body reminders in rests are extras.)
_QUIET_DROPS = frozenset({"set_done", "hold_done", "rest_announce", "rest_between_rounds"})


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


def too_long_message(total_ms: int) -> str:
    from voicecoach.text import clock

    hours = MAX_SESSION_MS / 3_600_000
    return (
        f"the session would last at least {clock(total_ms)}, over the "
        f"{hours:g} hour limit. use fewer sets, reps or rounds, or shorter rests and holds"
    )


def estimate_phrase_ms(text: str, wpm: int = 160) -> int:
    """How long ``text`` takes to say at ``wpm`` words per minute (no audio needed).

    Long words count as more than one word, and each pause mark inside the text
    (, . ; : ! ?) adds a short breath.
    """
    if wpm <= 0:
        raise PlanError(f"a speaking rate of {wpm} words per minute is impossible. use 60-400")
    words = re.findall(r"[\w']+", text)
    if not words:
        return 0
    units = max(len(words), sum(len(w) for w in words) / 5.5)
    breaths = len(re.findall(r"[,.;:!?](?=\s*\S)", text))
    return round(150 + units * 60_000 / wpm + 180 * breaths)


def plan(
    script: Script,
    phrase_ms: Callable[[str], int],
    *,
    max_session_ms: int | None = None,
    max_spoken: int | None = None,
) -> Timeline:
    """Place every part of ``script`` in time. Pure: same inputs, same Timeline.

    ``phrase_ms`` gives the spoken length of a text in milliseconds (the real clip
    length when rendering, `estimate_phrase_ms` otherwise).
    """
    limits = (
        MAX_SESSION_MS if max_session_ms is None else max_session_ms,
        MAX_SPOKEN_PHRASES if max_spoken is None else max_spoken,
    )
    return _Planner(script, phrase_ms, *limits).run()


class _Planner:
    def __init__(
        self, script: Script, phrase_ms: Callable[[str], int], max_ms: int, max_spoken: int
    ) -> None:
        self.script = script
        self.phrase_ms = phrase_ms
        self.max_ms = max_ms
        self.max_spoken = max_spoken
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

    # -- helpers

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
            if self.spoken > self.max_spoken:
                raise PlanError(
                    f"the session has more than {self.max_spoken} spoken phrases. "
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
        if to > self.max_ms:
            raise PlanError(too_long_message(to))

    # -- the whole session

    def run(self) -> Timeline:
        steps = self.script.steps
        for i, step in enumerate(steps):
            if isinstance(step, Work):
                self.work(step)
            else:
                nxt = steps[i + 1] if i + 1 < len(steps) else None
                self.gap(step, nxt if isinstance(nxt, Work) else None)
        total = self.t
        events = tuple(
            replace(e, chapter=bisect_right(self.chapter_starts, e.start_ms) - 1)
            for e in sorted(clear_of_speech(self.events), key=lambda e: (e.start_ms, e.end_ms))
        )
        titles = self.script.chapters or (self.script.title,)
        starts = self.chapter_starts[: len(titles)]
        chapters = tuple(
            Chapter(title, start, starts[i + 1] if i + 1 < len(starts) else total)
            for i, (title, start) in enumerate(zip(titles, starts, strict=True))
        )
        warnings = list(self.script.warnings)
        for (exercise, message), times in self.warnings.items():
            text = f"{exercise}: {message}" if exercise else message
            warnings.append(text + (f" ({times} times)" if times > 1 else ""))
        return Timeline(self.script.title, total, events, chapters, tuple(warnings))

    # -- gaps

    def gap(self, gap: Gap, work: Work | None) -> None:
        start = self.t
        self.forget_old()
        lead_from = max(start, self.busy, LEAD_IN_MS if not self.events else 0)
        kept = self.unrepeated(gap, lead_from)
        gap = replace(
            gap,
            heads=tuple(kept[id(ln)] for ln in gap.heads if id(ln) in kept),
            tails=tuple(kept[id(ln)] for ln in gap.tails if id(ln) in kept),
        )
        if work is not None and gap.heads and gap.heads[-1].rest_ms is not None:
            self.rest_gap(gap, start, lead_from)
            return
        slot = {
            id(line): self.line_ms(line) + PAUSE_MS + line.after_ms
            for line in gap.heads + gap.tails
        }
        final = work is None
        required = [ln for ln in gap.heads + gap.tails if ln.required or final]
        cd = gap.countdown if not final else None
        go = 1 if cd is not None and cd.go else 0  # "go" takes the second before the work
        cd_n = COUNTDOWN_SECONDS if cd is not None and cd.required else 0
        steps = cd_n + (go if cd_n else 0)
        need = (
            (lead_from - start) + sum(slot[id(ln)] for ln in required) + steps * COUNTDOWN_STEP_MS
        )
        length = need if final else max(gap.rest_ms, need)
        budget = length - need
        if cd is not None and not cd.required:
            cd_n = min(COUNTDOWN_SECONDS, budget // COUNTDOWN_STEP_MS - go)
            cd_n = max(cd_n, 0)
            steps = cd_n + (go if cd_n else 0)
            budget -= steps * COUNTDOWN_STEP_MS
        chosen = {id(ln) for ln in required}
        # Priority: the countdown, then announcements, then mind-body extras.
        optional = [ln for ln in reversed(gap.tails) if ln.kind != "cue"]
        optional += list(gap.heads)
        optional += [ln for ln in reversed(gap.tails) if ln.kind == "cue"]
        optional = [ln for ln in optional if id(ln) not in chosen]
        for line in optional:
            if slot[id(line)] <= budget:
                chosen.add(id(line))
                budget -= slot[id(line)]
            elif gap.rest_ms > 0 and _warn_if_left_out(line):
                self.warn(
                    line.ctx.exercise,
                    f"'{line.key}' does not fit in the rest of {seconds_text(gap.rest_ms)} s; "
                    "it is left out",
                )
        if final:
            length += END_PAD_MS
        work_start = start + length

        t = lead_from
        opener: int | None = None  # a head that opens the chapter ("Switch to the right side.")
        for line in gap.heads:
            if id(line) in chosen:
                if line.opens_chapter and opener is None:
                    opener = t
                self.emit_line(line, t)
                t += slot[id(line)]
        tails = [ln for ln in gap.tails if id(ln) in chosen]
        countdown_start = work_start - steps * COUNTDOWN_STEP_MS
        t = countdown_start - sum(slot[id(ln)] for ln in tails)
        if gap.new_chapter:
            self.chapter_starts.append(t if opener is None else opener)
        for line in tails:
            self.emit_line(line, t)
            t += slot[id(line)]
        if cd is not None and cd_n > 0:
            self.countdown(cd, cd_n, work_start, go=steps > cd_n)
        if length > 0:
            self.emit(start, work_start, "rest", gap.ctx)
        self.advance(work_start)

    def rest_gap(self, gap: Gap, start: int, lead_from: int) -> None:
        """A gap that announces its rest ("Rest 30 seconds."): the work starts exactly
        that long after the announcement ends. What comes next (and the countdown) is
        said in the rest's last part, after ``quiet_share`` of it has passed in quiet;
        if it does not fit, the rest grows (to a multiple of 5 s) and is announced
        with its real length. A rest of 30 s or more gets its "10 seconds" call."""
        announce = gap.heads[-1]
        rest = announce.rest_ms or 0
        cd = gap.countdown
        go = 1 if cd is not None and cd.go else 0
        required = [ln for ln in gap.tails if ln.required]
        chosen = list(required)
        cd_n = COUNTDOWN_SECONDS if cd is not None and cd.required else 0
        for _ in range(8):  # the call and the grown rest change the layout; settle it
            allowed = rest - round(rest * announce.quiet_share)
            if cd is not None and not cd.required:
                room = allowed - self.tails_span(required, 0, None, rest)
                cd_n = max(0, min(COUNTDOWN_SECONDS, room // COUNTDOWN_STEP_MS - go))
            steps = cd_n + (go if cd_n else 0)
            cd_ms = steps * COUNTDOWN_STEP_MS
            chosen = self.pick_tails(gap, required, allowed, cd_ms, rest)
            span = self.tails_span(chosen, cd_ms, gap.call, rest)
            if span <= allowed or self.tails_span(chosen, cd_ms, None, rest) <= allowed:
                break  # (the call itself never makes a rest grow)
            grown = _coach_seconds(ceil_div(span * 1000, 1000 - round(announce.quiet_share * 1000)))
            rest = max(grown, rest + 1000)
        announce = self.rephrase(announce, rest)
        heads = (*gap.heads[:-1], announce)
        t = lead_from
        for line in heads:
            self.emit_line(line, t)
            t += self.line_ms(line) + PAUSE_MS + line.after_ms
        work_start = t - PAUSE_MS + rest
        steps = cd_n + (go if cd_n else 0)
        countdown_start = work_start - steps * COUNTDOWN_STEP_MS
        placed = self.layout_tails(chosen, countdown_start, gap.call, work_start, rest)
        if gap.new_chapter:
            firsts = [at for line, at in placed if line is not gap.call]
            self.chapter_starts.append(firsts[0] if firsts else countdown_start)
        for line, at in placed:
            self.emit_line(line, at)
        if cd is not None and cd_n > 0:
            self.countdown(cd, cd_n, work_start, go=steps > cd_n)
        self.emit(start, work_start, "rest", gap.ctx)
        self.advance(work_start)

    def rephrase(self, line: Line, rest: int) -> Line:
        """``line`` announcing ``rest`` (the same phrasing it had)."""
        if line.retext is None or rest == line.rest_ms:
            return line
        before = line.retext(line.rest_ms or 0)
        index = before.index(line.text) if line.text in before else 0
        after = line.retext(rest)
        return replace(line, text=after[index], alternatives=(), rest_ms=rest)

    def pick_tails(
        self, gap: Gap, required: list[Line], allowed: int, cd_ms: int, rest: int
    ) -> list[Line]:
        """The tails to say: the required ones, then optional ones while they fit
        (announcements before mind-body extras), in their order. An optional line
        that does not fit tries its other phrasings; only a line the user wrote is
        warned about when none fits (the bundled pack's lines are the coach's choice)."""
        chosen = {id(ln): ln for ln in required}
        optional = [ln for ln in reversed(gap.tails) if ln.kind != "cue"]
        optional += [ln for ln in reversed(gap.tails) if ln.kind == "cue"]
        for line in optional:
            if id(line) in chosen:
                continue
            fits = self.fitting_phrasing(gap, line, chosen, (allowed, cd_ms, rest))
            if fits is not None:
                chosen[id(line)] = fits
            elif _warn_if_left_out(line):
                self.warn(
                    line.ctx.exercise,
                    f"'{line.key}' does not fit in the rest of {seconds_text(rest)} s; "
                    "it is left out",
                )
        return [chosen[id(ln)] for ln in gap.tails if id(ln) in chosen]

    def fitting_phrasing(
        self, gap: Gap, line: Line, chosen: dict[int, Line], room: tuple[int, int, int]
    ) -> Line | None:
        """``line`` in the first of its phrasings that fits with the ``chosen`` tails
        (and does not repeat a recent line), or None. ``room``: (allowed, cd_ms, rest)."""
        allowed, cd_ms, rest = room
        for text in (line.text, *line.alternatives):
            if text != line.text and (text is None or self.repeats(text, self.t)):
                continue
            candidate = line if text == line.text else replace(line, text=text)
            trial = [candidate if ln is line else chosen.get(id(ln)) for ln in gap.tails]
            kept = [ln for ln in trial if ln is not None]
            if self.tails_span(kept, cd_ms, gap.call, rest) <= allowed:
                return candidate
        return None

    def tails_span(self, tails: list[Line], cd_ms: int, call: Line | None, rest: int) -> int:
        """How long before the work the first of ``tails`` starts."""
        placed = self.layout_tails(tails, -cd_ms, call, 0, rest)
        return -(placed[0][1]) if placed else cd_ms

    def layout_tails(
        self, tails: list[Line], end: int, call: Line | None, work_start: int, rest: int
    ) -> list[tuple[Line, int]]:
        """Each tail and its start, packed back from ``end``; with a call (rests of
        30 s or more), the call at 10 s before the work and the tails around it."""
        out: list[tuple[Line, int]] = []
        window: tuple[int, int] | None = None
        if call is not None and call.text and rest >= REST_CALL_MIN_MS:
            at = work_start - REST_CALL_S * 1000
            window = (at, at + self.line_ms(call) + PAUSE_MS)
            if window[1] > end:  # the countdown would start inside the call
                window = None
        t = end
        for line in reversed(tails):
            slot = self.line_ms(line) + PAUSE_MS + line.after_ms
            if window is not None and t - slot < window[1] and t > window[0]:
                t = window[0]
            out.append((line, t - slot))
            t -= slot
        if window is not None and call is not None:
            out.append((call, window[0]))
        return sorted(out, key=lambda pair: pair[1])

    def countdown(self, cd: Countdown, n: int, work_start: int, *, go: bool = False) -> None:
        """The numbers, one a second; with ``go``, "go" in the last second before work."""
        shift = COUNTDOWN_STEP_MS if go else 0
        for k in range(n, 0, -1):
            at = work_start - shift - k * COUNTDOWN_STEP_MS
            self.emit(at, at + TONE_MS["beep"], "tone", cd.ctx, sound="beep")
            text = cd.numbers[k - 1] if k <= len(cd.numbers) else ""
            if not text:
                continue
            ms = self.length(text)
            if ms <= COUNTDOWN_STEP_MS and at >= self.busy:
                self.emit(at, at + ms, "count", cd.ctx, text=text, key=cd.key)
            else:
                self.warn(cd.ctx.exercise, f"the countdown number '{text}' is longer than "
                          "a second; only the beep sounds")  # fmt: skip
        if go and cd.go:
            at = work_start - COUNTDOWN_STEP_MS
            ms = self.length(cd.go)
            if ms <= COUNTDOWN_STEP_MS and at >= self.busy:
                self.emit(at, at + ms, "count", cd.ctx, text=cd.go, key="countdown_go")
        self.emit(work_start, work_start + TONE_MS["beep_end"], "tone", cd.ctx, sound="beep_end")

    # -- work

    def work(self, work: Work) -> None:
        start = self.t
        self.forget_old()
        end = start + work.duration_ms
        taken: list[tuple[int, int]] = []  # speech inside this block, sorted
        span = self.budget.open(work.duration_ms)
        if work.hold_ms is not None:
            self.hold(work, start, end, taken, span)
            self.cues(work, start, end, taken, span, {})
        else:
            words, counts = self.counts(work, start, end, taken)
            # Coaching cues before phase words: a cue is worth more than one "squeeze".
            self.cues(work, start, end, taken, span, counts)
            for (s, e), (text, rep) in counts.items():
                self.emit(s, e, "count", work.ctx, text=text, key="count", rep=rep)
            self.phase_words(work, words, start, end, taken)
        self.budget.close(span)
        self.emit(start, end, "work", work.ctx)
        self.advance(end)

    def cues(
        self,
        work: Work,
        start: int,
        end: int,
        taken: list[tuple[int, int]],
        span: Span,
        counts: dict[tuple[int, int], tuple[str, int]],
    ) -> None:
        """Place the set's lines by priority (docs/coaching.md): the routine's own words,
        then structure (halfway, last rep), library cues, corrections, bank lines; each
        only where the talk budget has room and where it does not repeat a recent line."""
        what = "hold" if work.hold_ms is not None else "set"
        said = self.said.setdefault(work.ctx.exercise, set())
        for cue in sorted(work.cues, key=lambda c: PRIORITY[c.role]):
            user = cue.role == "routine"
            coaching = cue.role != "structural"
            # Prefer lines not yet said in this exercise, so fallbacks don't repeat.
            options = (cue.text, *cue.alternatives)
            options = tuple(t for t in options if t not in said) + tuple(
                t for t in options if t in said
            )
            placed: tuple[str, int, int] | None = None
            no_room = False
            for text in options:
                ms = self.length(text)
                if coaching and not user and not self.budget.allows(span, ms):
                    continue
                if not coaching and not self.budget.fits_span(span, ms):
                    continue  # even halfway gives way to the user's words in a full span
                at = self.cue_slot(cue, ms, start, end, taken)
                if at is None and user:
                    at = self.skip_counts(cue, ms, start, end, taken, counts)
                if at is None:
                    no_room = True
                    continue
                if self.repeats(text, at):
                    continue  # heard less than a minute ago: nothing is lost
                placed = (text, at, ms)
                break
            if placed is None:
                if user and no_room:
                    self.warn(work.ctx.exercise, f"{cue.label} does not fit in the gaps of "
                              f"the {what}; it is left out")  # fmt: skip
                continue
            text, at, ms = placed
            insort(taken, (at, at + ms))
            said.add(text)
            self.budget.add(span, at, at + ms, coaching=coaching)
            rep = None
            if work.reps:
                rep = min(work.reps, (at - start) // work.tempo.rep_ms + 1)
            self.emit(at, at + ms, "cue", work.ctx, text=text, key=cue.key, rep=rep, role=cue.role)

    def cue_slot(
        self, cue: CueRequest, ms: int, start: int, end: int, taken: list[tuple[int, int]]
    ) -> int | None:
        """Where ``cue`` (``ms`` long) can go: clear of speech and, for a coaching line,
        of the quiet kept around other coaching lines. A cue with a deadline goes as
        late as it can before it, never after."""
        hi = end if cue.deadline_ms is None else start + cue.deadline_ms - CUE_MARGIN_MS
        target = start + cue.at_ms
        blocked = list(taken)
        if cue.role != "structural":
            blocked += self.budget.quiet_zones(start, end)
        if cue.deadline_ms is not None:
            late = free_slot(blocked, start, hi, max(target, hi - ms), ms, CUE_MARGIN_MS)
            if late is not None:
                return late
        at = free_slot(blocked, start, hi, target, ms, CUE_MARGIN_MS)
        if at is None and cue.role == "routine" and len(blocked) > len(taken):
            at = free_slot(taken, start, hi, target, ms, CUE_MARGIN_MS)  # the user's words win
        return at

    def skip_counts(
        self,
        cue: CueRequest,
        ms: int,
        start: int,
        end: int,
        taken: list[tuple[int, int]],
        counts: dict[tuple[int, int], tuple[str, int]],
    ) -> int | None:
        """At a fast tempo, leave out the counts a routine cue needs room for (never
        the first or the final rep's), at most one per cue; the ticks keep the rhythm.
        Returns the cue's start, or None."""
        # The earliest place that leaving out a single count opens up.
        last = max((rep for _text, rep in counts.values()), default=0)
        for iv in sorted(iv for iv, (_text, rep) in counts.items() if 1 < rep < last):
            if iv[1] <= start + cue.at_ms:
                continue
            keep = [other for other in taken if other != iv]
            at = free_slot(keep, start, end, start + cue.at_ms, ms, CUE_MARGIN_MS)
            if at is not None and iv[0] < at + ms + CUE_MARGIN_MS:
                del counts[iv]
                taken.remove(iv)
                return at
        return None

    def hold(
        self, work: Work, start: int, end: int, taken: list[tuple[int, int]], span: Span
    ) -> None:
        opening = work.opening
        if opening is not None and opening.text:
            # "And hold", in a phrasing not said a moment ago (else the beep marks it).
            text = next(
                (t for t in (opening.text, *opening.alternatives) if not self.repeats(t, start)),
                None,
            )
            if text is not None:
                ms = self.length(text)
                self.emit_line(replace(opening, text=text), start)
                taken.append((start, start + ms))
                self.budget.add(span, start, start + ms, coaching=False)
        for k in range(len(work.closing), 0, -1):
            at = end - k * COUNTDOWN_STEP_MS
            text = work.closing[k - 1]
            if not text or at < start:
                continue
            ms = self.length(text)
            if ms <= COUNTDOWN_STEP_MS and at >= self.busy:
                self.emit(at, at + ms, "count", work.ctx, text=text, key="hold_countdown")
                taken.append((at, at + ms))

    def counts(
        self, work: Work, start: int, end: int, taken: list[tuple[int, int]]
    ) -> tuple[tuple[str, ...], dict[tuple[int, int], tuple[str, int]]]:
        """Ticks on the grid; the rep counts to say ({(start, end): (text, rep)}, emitted
        after the cues, which may skip some); and the phase words still to place."""
        rep_ms = work.tempo.rep_ms
        offsets = _phase_offsets(work)
        lengths = [self.length(c) if c else 0 for c in work.counts]
        counts_fit = all(ms <= rep_ms for ms in lengths)
        if not counts_fit:
            self.warn(work.ctx.exercise, f"a rep count is longer than one rep "
                      f"({seconds_text(rep_ms)} s); phase words are left out and only the "
                      "counts that fit are said")  # fmt: skip
        out: dict[tuple[int, int], tuple[str, int]] = {}
        said_to = self.busy
        for r in range(1, (work.reps or 0) + 1):
            g = start + (r - 1) * rep_ms
            for b in sorted({g + off for off in offsets if g + off < end}):
                self.emit(b, b + TONE_MS["tick"], "tick", work.ctx, sound="tick", rep=r)
            text = work.counts[r - 1] if r <= len(work.counts) else ""
            if text and g >= said_to:
                ms = lengths[r - 1]
                out[(g, g + ms)] = (text, r)
                said_to = g + ms
                taken.append((g, g + ms))
        return (work.words if counts_fit else ()), out

    def phase_words(
        self,
        work: Work,
        words: tuple[str, ...],
        start: int,
        end: int,
        taken: list[tuple[int, int]],
    ) -> None:
        """Each word on its phase boundary, only where it fits before the next speech."""
        if not any(words):
            return
        rep_ms = work.tempo.rep_ms
        too_long = 0
        for r in range(1, (work.reps or 0) + 1):
            g = start + (r - 1) * rep_ms
            bound = min(g + rep_ms, end)
            for i, off in enumerate(_phase_offsets(work)):
                word = words[i] if i < len(words) else ""
                at = g + off
                if not word:
                    continue
                ms = self.length(word)
                j = bisect_right(taken, (at, 1 << 62))
                after_prev = j == 0 or taken[j - 1][1] <= at
                before_next = j == len(taken) or at + ms <= taken[j][0]
                if after_prev and before_next and at + ms <= bound:
                    self.emit(at, at + ms, "count", work.ctx, text=word, key="phase_word", rep=r)
                    insort(taken, (at, at + ms))
                elif i > 0 and at + ms > bound:
                    too_long += 1
        if too_long:
            self.warn(work.ctx.exercise, "some phase words are longer than their phase; "
                      "they are left out")  # fmt: skip


def _warn_if_left_out(line: Line) -> bool:
    """An announcement the user wrote (not the bundled pack's, not a mind-body extra,
    not a line that is quietly dropped) is worth a warning when it has no room."""
    return line.own and line.kind != "cue" and line.key not in _QUIET_DROPS


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _coach_seconds(ms: int) -> int:
    """``ms`` rounded up to a length a coach would say: whole 5 s."""
    return ceil_div(ms, 5000) * 5000


def _phase_offsets(work: Work) -> list[int]:
    phases = work.tempo.phases_ms
    return [sum(phases[:i]) for i in range(len(phases))]
