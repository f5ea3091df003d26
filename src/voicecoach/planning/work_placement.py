"""Placing a work block: ticks and counts on the tempo grid, phase words where
they fit, a hold's opening and closing countdown, and the coaching lines by
priority within the talk budget (docs/coaching.md)."""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import replace

from voicecoach.coach.budget import PRIORITY, Span, free_slot
from voicecoach.planning.placement import COUNTDOWN_STEP_MS, CUE_MARGIN_MS, TONE_MS, Placer
from voicecoach.planning.script_steps import CueRequest, Work
from voicecoach.text import seconds_text


class WorkPlacer(Placer):
    """The planner's part that places work blocks."""

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


def _phase_offsets(work: Work) -> list[int]:
    phases = work.tempo.phases_ms
    return [sum(phases[:i]) for i in range(len(phases))]
