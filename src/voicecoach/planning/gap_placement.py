"""Placing a gap: the announcements, the rest and the countdown between two work
blocks. A rest that is announced lasts what it says, from the end of its line to
the first beat (docs/timing.md); what must be said before work moves the work later."""

from __future__ import annotations

from dataclasses import replace

from voicecoach.planning.placement import (
    COUNTDOWN_STEP_MS,
    END_PAD_MS,
    LEAD_IN_MS,
    PAUSE_MS,
    TONE_MS,
    Placer,
)
from voicecoach.planning.script_steps import (
    COUNTDOWN_SECONDS,
    REST_CALL_MIN_MS,
    REST_CALL_S,
    Countdown,
    Gap,
    Line,
    Work,
)
from voicecoach.text import seconds_text

# Dropping these in a short rest is expected, not worth a warning
# (rest_announce / rest_between_rounds: the next exercise's intro names it anyway;
# mind-body reminders in rests are extras.)
_QUIET_DROPS = frozenset({"set_done", "hold_done", "rest_announce", "rest_between_rounds"})


class GapPlacer(Placer):
    """The planner's part that places gaps."""

    def gap(self, gap: Gap, work: Work | None) -> None:
        """Place ``gap`` before ``work`` (None: the closing gap)."""
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
        else:
            self.plain_gap(gap, start, lead_from, final=work is None)

    def plain_gap(self, gap: Gap, start: int, lead_from: int, final: bool) -> None:
        """A gap timed by its ``rest_ms`` (or, if longer, by its required lines): heads
        from its start, tails and the countdown packed back from the work."""
        slot = {
            id(line): self.line_ms(line) + PAUSE_MS + line.after_ms
            for line in gap.heads + gap.tails
        }
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
        chosen = self.optional_lines(gap, slot, {id(ln) for ln in required}, budget)
        if final:
            length += END_PAD_MS
        work_start = start + length
        self.say_gap(gap, chosen, slot, lead_from, work_start - steps * COUNTDOWN_STEP_MS)
        if cd is not None and cd_n > 0:
            self.countdown(cd, cd_n, work_start, go=steps > cd_n)
        if length > 0:
            self.emit(start, work_start, "rest", gap.ctx)
        self.advance(work_start)

    def optional_lines(
        self, gap: Gap, slot: dict[int, int], chosen: set[int], budget: int
    ) -> set[int]:
        """``chosen`` (the required lines, by id) and the optional lines that fit in
        ``budget``: announcements before mind-body extras."""
        chosen = set(chosen)
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
        return chosen

    def say_gap(
        self, gap: Gap, chosen: set[int], slot: dict[int, int], lead_from: int, tails_end: int
    ) -> None:
        """The chosen heads from ``lead_from``, the chosen tails ending at ``tails_end``
        (where the countdown starts), and where the gap's chapter starts."""
        t = lead_from
        opener: int | None = None  # a head that opens the chapter ("Switch to the right side.")
        for line in gap.heads:
            if id(line) in chosen:
                if line.opens_chapter and opener is None:
                    opener = t
                self.emit_line(line, t)
                t += slot[id(line)]
        tails = [ln for ln in gap.tails if id(ln) in chosen]
        t = tails_end - sum(slot[id(ln)] for ln in tails)
        if gap.new_chapter:
            self.chapter_starts.append(t if opener is None else opener)
        for line in tails:
            self.emit_line(line, t)
            t += slot[id(line)]

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


def _warn_if_left_out(line: Line) -> bool:
    """An announcement the user wrote (not the bundled pack's, not a mind-body extra,
    not a line that is quietly dropped) is worth a warning when it has no room."""
    return line.own and line.kind != "cue" and line.key not in _QUIET_DROPS


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _coach_seconds(ms: int) -> int:
    """``ms`` rounded up to a length a coach would say: whole 5 s."""
    return ceil_div(ms, 5000) * 5000
