"""What is said between two work blocks: the session's opening, each exercise's
introduction, rests between sets and exercises, side switches, countdowns and the
closing. Rests are announced with the time they give (docs/timing.md)."""

from __future__ import annotations

from dataclasses import replace

from voicecoach.cues import lines_for, most_specific_lines, render
from voicecoach.cues.template import with_client
from voicecoach.planning.script_focus import FocusLines
from voicecoach.planning.script_slots import (
    Slot,
    alternates,
    extra_set_here,
    final_set,
    switch_rest_ms,
)
from voicecoach.planning.script_steps import (
    COUNTDOWN_SECONDS,
    REST_CALL_S,
    SESSION,
    Context,
    Countdown,
    Gap,
    Line,
    RestTexts,
)
from voicecoach.routine.model import Exercise, Routine, Standalone
from voicecoach.text import seconds_text

# What comes next is said in the last part of a rest between exercises, after at
# least this share of it has passed in quiet (docs/timing.md).
QUIET_SHARE = 0.4
CHECK_IN_ANSWER_MS = 4000  # quiet after a check-in the routine asks, to answer it


def _intro_key(ex: Exercise) -> tuple[str, dict[str, object]]:
    """The key that introduces ``ex`` and its values."""
    if ex.is_hold:
        secs = seconds_text(ex.hold_ms or 0)
        if ex.sets > 1:
            return "exercise_intro_hold", {"exercise": ex.name, "sets": ex.sets, "seconds": secs}
        return "exercise_intro_hold_one_set", {"exercise": ex.name, "seconds": secs}
    if ex.sets > 1:
        return "exercise_intro", {"exercise": ex.name, "sets": ex.sets, "reps": ex.reps}
    return "exercise_intro_one_set", {"exercise": ex.name, "reps": ex.reps}


def session_opening(routine: Routine) -> list[Line]:
    """After the welcome: the long intro, when asked for."""
    if routine.profile.long_intro and routine.intro_long:
        return [Line(routine.intro_long, None)]
    return []


def session_safety(routine: Routine, safety: list[Line]) -> list[Line]:
    """When to stop, said once: the pack's ``safety``, the routine's own text, or
    nothing with ``safety: false``. It comes after the first exercise's setup, just
    before the first effort, so the first instruction comes within seconds."""
    out: list[Line] = []
    if isinstance(routine.safety, str):
        out.append(Line(routine.safety, "safety"))
    elif routine.safety:
        out += safety
    return out


class GapLines(FocusLines):
    """The builder's part that writes the `Gap` steps."""

    def gap(self, prev: Slot | None, nxt: Slot) -> Gap:
        """What is said before ``nxt`` (``prev``: the slot before it, if any)."""
        heads: list[Line] = []
        if prev is None:
            return self.next_exercise(None, nxt, heads)
        heads += self.done_lines(prev)
        if prev.index != nxt.index:
            return self.next_exercise(prev, nxt, heads)
        turn = alternates(nxt.occ.ex) and prev.set != nxt.set
        if prev.side == nxt.side or turn:
            return self.next_set(prev, nxt, heads)
        return self.side_switch(nxt, heads)

    def next_set(self, prev: Slot, nxt: Slot, heads: list[Line]) -> Gap:
        """The rest between two sets of one exercise. Taking turns, from one set's
        second side to the next set's first: the larger of the rest and the switch."""
        ex, ctx = nxt.occ.ex, nxt.context()
        tails: list[Line] = []
        rest = ex.rest_ms if prev.side == nxt.side else max(ex.rest_ms, switch_rest_ms(ex))
        if rest > 0:
            heads += self.rest_line(
                "rest_between_sets", ex, ctx, rest, 0.0, set=nxt.set, sets=nxt.sets
            )
        tails += self.focus_reminder(ex, nxt)
        key = "last_set" if final_set(nxt, self.routine) else "next_set"
        tails += self.line(key, ex, ctx, required=False, set=nxt.set, sets=nxt.sets)
        if prev.side != nxt.side:
            tails += self.line("side_start", ex, ctx, side=nxt.side)
        countdown = self.countdown("rest_countdown", ex, ctx, required=False)
        call = self.rest_call(ex, ctx) if rest > 0 else None
        return Gap(rest, tuple(heads), tuple(tails), countdown, ctx, call=call)

    def side_switch(self, nxt: Slot, heads: list[Line]) -> Gap:
        """From one side of a set to the other, in the exercise's switch time."""
        ex, ctx = nxt.occ.ex, nxt.context()
        tails: list[Line] = []
        rest = switch_rest_ms(ex)
        switch = self.line("switch_sides", ex, ctx, side=nxt.side, seconds=seconds_text(rest))
        heads += [replace(line, opens_chapter=not alternates(ex)) for line in switch]
        tails += self.focus_reminder(ex, nxt)
        if not self.names_side("switch_sides", ex):  # one line announces the switch
            tails += self.line("side_start", ex, ctx, side=nxt.side)
        countdown = self.countdown("countdown", ex, ctx, required=False)
        return Gap(rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=not alternates(ex))

    def next_exercise(self, prev: Slot | None, nxt: Slot, heads: list[Line]) -> Gap:
        """Before an exercise: the session's opening (``prev`` None), or the rest
        after the previous exercise; then the exercise's introduction."""
        ex, ctx = nxt.occ.ex, nxt.context()
        tails: list[Line] = []
        safety: list[Line] = []
        rest = 0
        if prev is None:
            safety = self.session_start(nxt, tails)
        else:
            rest = self.rest_after(prev, nxt, heads)
        tails += self.intro_lines(nxt, ctx, safety, first=prev is None)
        countdown = self.countdown("countdown", ex, ctx, required=True)
        call = self.rest_call(ex, ctx) if rest > 0 else None
        return Gap(
            rest, tuple(heads), tuple(tails), countdown, ctx, new_chapter=prev is not None,
            call=call,
        )  # fmt: skip

    def session_start(self, first: Slot, tails: list[Line]) -> list[Line]:
        """The welcome and the routine's lines before the first exercise (added to
        ``tails``); returns the safety line, said after the first exercise's setup."""
        occ, ctx = first.occ, first.context()
        # A routine's own intro replaces the pack's generic welcome.
        if self.routine.intro:
            tails.append(Line(self.routine.intro, None, role="routine"))
        else:
            tails += self.line("session_intro", None, SESSION, name=self.routine.name)
        tails += session_opening(self.routine)
        safety = session_safety(self.routine, self.line("safety", None, SESSION))
        tails += self.item_lines(occ.before, ctx)
        if any(item.rest_ms for item in occ.before):
            self.warn(f"{occ.ex.name}: a rest before the first exercise is skipped")
        return safety

    def rest_after(self, prev: Slot, nxt: Slot, heads: list[Line]) -> int:
        """The check-in, the routine's own lines and the rest announcement between two
        exercises (or rounds), added to ``heads``; returns the rest's length."""
        occ, p, ctx = nxt.occ, prev.occ, nxt.context()
        items = p.after + occ.before
        user_lines = self.item_lines(items, ctx)
        if not any(line.key == "check_in" for line in user_lines):
            heads += self.check_in(prev, nxt)
        heads += user_lines
        between_rounds = p.group == occ.group and p.round is not None and occ.round == p.round + 1
        rest = p.round_rest_ms if between_rounds else p.ex.rest_after_ms
        rests = [item.rest_ms for item in items if item.rest_ms is not None]
        if rests:  # a standalone rest replaces the rest that was there
            rest, between_rounds = sum(rests), False
        if rest > 0 and between_rounds:
            heads += self.rest_line(
                "rest_between_rounds", None, ctx, rest, QUIET_SHARE,
                round=occ.round, rounds=occ.rounds,
            )  # fmt: skip
        elif rest > 0:
            heads += self.rest_line("rest_announce", p.ex, ctx, rest, QUIET_SHARE, next=occ.ex.name)
        return rest

    def done_lines(self, prev: Slot) -> list[Line]:
        ex, ctx = prev.occ.ex, prev.context()
        if ex.is_hold:
            return self.line("hold_done", ex, ctx, required=False, exercise=ex.name)
        return self.line("set_done", ex, ctx, required=False, set=prev.set, sets=prev.sets)

    def check_in(self, prev: Slot, nxt: Slot | None = None) -> list[Line]:
        """Asked once per section or circuit, after its last exercise."""
        if not self.routine.profile.check_ins:
            return []
        if (
            nxt is not None
            and nxt.occ.section is prev.occ.section
            and (prev.occ.rounds is None or nxt.occ.group == prev.occ.group)
        ):
            return []
        ex = prev.occ.ex
        pack = self.pack_for(ex)
        client = self.routine.profile.client
        options = with_client(most_specific_lines(pack, "check_in", ex), client)
        if not options:
            return []
        picked = self.picker.pick("check_in", options)
        # Other phrasings, the most specific first, for when the picked one would
        # repeat a line of the last minute ("Feel your glutes, not your low back.").
        others = [o for o in options if o != picked]
        others += [
            o for o in with_client(lines_for(pack, "check_in", ex), client) if o not in options
        ]
        values = {"exercise": ex.name, "client": client or ""}
        # Asked for in the profile, so it is worth a slightly longer rest.
        return [
            Line(
                render(picked, values), "check_in", "speech", True, prev.context(), role="bank",
                alternatives=tuple(render(o, values) for o in others),
            )
        ]  # fmt: skip

    def countdown(self, key: str, ex: Exercise, ctx: Context, required: bool) -> Countdown | None:
        numbers = []
        for k in range(1, COUNTDOWN_SECONDS + 1):
            numbers.append(self.say(key, ex, seconds=k) or "")
        # "3, 2, 1, go" and then rep 1 on its beat (never "3, 2, 1, 1"). A hold
        # starts with its own "and hold", so it gets no "go".
        go = self.say("countdown_go", ex) if not ex.is_hold and any(numbers) else None
        if not any(numbers):
            return Countdown((), key, required, ctx)
        return Countdown(tuple(numbers), key, required, ctx, go or None)

    def rest_line(
        self,
        key: str,
        ex: Exercise | None,
        ctx: Context,
        rest_ms: int,
        quiet_share: float,
        **values: object,
    ) -> list[Line]:
        """The line that announces a rest of ``rest_ms``: always said (the rest is
        counted from its end), and re-phrased by the planner if the rest must grow."""
        options = lines_for(self.pack_for(ex), key, ex)
        if not options:
            return []
        i = self.picker.index(key, len(options))
        order = tuple(options[(i + j) % len(options)] for j in range(len(options)))
        retext = RestTexts(order, tuple(values.items()))
        texts = retext(rest_ms)
        return [
            Line(
                texts[0], key, "speech", True, ctx, alternatives=texts[1:], rest_ms=rest_ms,
                retext=retext, quiet_share=quiet_share, own=self.user_wrote(key, ex),
            )
        ]  # fmt: skip

    def item_lines(self, items: tuple[Standalone, ...], ctx: Context) -> list[Line]:
        """The routine's own standalone lines, always said (docs/routine-format.md):
        ``say`` as written, ``check_in`` with a few seconds of quiet to answer."""
        out: list[Line] = []
        for item in items:
            if item.say:
                out.append(Line(item.say, "say", ctx=ctx, role="routine"))
            if item.check_in:
                out.append(
                    Line(
                        item.check_in, "check_in", ctx=ctx, role="routine",
                        after_ms=CHECK_IN_ANSWER_MS,
                    )
                )  # fmt: skip
        return out

    def names_side(self, key: str, ex: Exercise) -> bool:
        """Every phrasing of ``key`` says the side ("Switch to the {side} side."), so
        no "Right side." needs to follow it."""
        options = lines_for(self.pack_for(ex), key, ex)
        return bool(options) and all("{side}" in text for text in options)

    def rest_call(self, ex: Exercise | None, ctx: Context) -> Line | None:
        """The "10 seconds" call of a long rest."""
        found = self.line("rest_call", ex, ctx, required=False, seconds=REST_CALL_S)
        # A time call, like a countdown number: it never makes a coaching line wait.
        return replace(found[0], kind="count") if found else None

    def starts_with(self, key: str, ex: Exercise | None) -> bool:
        """Whether the session's first exercise uses ``first_<key>``: when the pack has
        it, and it is the user's own or ``key`` is not (a user's `exercise_intro` wins
        over the bundled first line)."""
        first = "first_" + key
        if not lines_for(self.pack_for(ex), first, ex):
            return False
        return self.user_wrote(first, ex) or not self.user_wrote(key, ex)

    def intro_lines(
        self, slot: Slot, ctx: Context, safety: list[Line], first: bool = False
    ) -> list[Line]:
        """What introduces a slot's exercise (``first``: the session's first)."""
        occ, ex = slot.occ, slot.occ.ex
        out: list[Line] = []
        if occ.first_in_section:
            if occ.section.name:
                key = "section_intro"
                if first and self.starts_with(key, None):
                    key = "first_section_intro"
                out += self.line(key, None, SESSION, section=occ.section.name)
            if occ.section.intro:
                out.append(Line(occ.section.intro, None, role="routine"))
        if occ.first_in_round:
            out += self.line("round_start", None, SESSION, round=occ.round, rounds=occ.rounds)
        out.append(Line(None, None, ctx=ctx, sound="chime"))
        key, values = _intro_key(ex)
        if first and self.starts_with(key, ex):
            key = "first_" + key
        out += self.line_with(key, ex, ctx, values)
        profile = self.routine.profile
        if ex.sides == "both" and slot.side is not None:
            key = "weak_side_first" if profile.weak_side else "sides_intro"
            out += self.line(key, ex, ctx, side=slot.side)
        if extra_set_here(ex, self.routine):
            out += self.line("extra_set_note", ex, ctx, side=profile.weak_side)
        if ex.setup and (occ.round is None or occ.round == 1):
            out += self.line("setup", ex, ctx, exercise=ex.name, setup=ex.setup)
        out += safety
        out += self.focus_reminder(ex, slot)
        if slot.side is not None:
            out += self.line("side_start", ex, ctx, side=slot.side)
        out += self.line("get_ready", ex, ctx, exercise=ex.name)
        return out

    def final_gap(self, prev: Slot | None) -> Gap:
        heads: list[Line] = []
        name = self.routine.name
        if self.routine.outro:
            outro = [Line(self.routine.outro, None, role="routine")]
        else:
            outro = self.line("session_outro", None, SESSION, name=name)
        if prev is not None:
            if not outro:  # the closing praise replaces the last "good, set done"
                heads += self.done_lines(prev)
            user_lines = self.item_lines(prev.occ.after, SESSION)
            if not any(line.key == "check_in" for line in user_lines):
                heads += self.check_in(prev)
            heads += user_lines
        heads += outro
        heads += self.line("session_end", None, SESSION, name=name)
        heads.append(Line(None, None, sound="done"))
        return Gap(0, tuple(heads), final=True)
