"""Mind-body lines ("Feel your glutes, not your low back."): which bank, which
line, and where in a set; each exercise's focus groups take turns."""

from __future__ import annotations

from voicecoach.cues import CuePack, lines_for, normalize_focus, render
from voicecoach.cues.template import with_client
from voicecoach.planning.script_phrases import ScriptPhrases
from voicecoach.planning.script_slots import Slot
from voicecoach.planning.script_steps import CueRequest, Line
from voicecoach.routine.model import Exercise, Routine

FOCUS_KEY = "focus."
FOCUS_EVERY_MS = 15_000  # about one mind-body line per 15 s of work
FOCUS_MIN_WORK_MS = 8_000  # shorter sets get no mind-body line


class FocusLines(ScriptPhrases):
    """Mind-body lines, for the rests (chatty) and the sets alike; the rotation is
    kept per occurrence so a line is not repeated until its bank runs out."""

    def __init__(self, routine: Routine, seed: int, pack: CuePack) -> None:
        super().__init__(routine, seed, pack)
        self._focus_used: dict[int, set[str]] = {}  # lines said, per occurrence
        self._focus_turn: dict[int, int] = {}  # whose turn among the focus groups

    def focus_groups(self, ex: Exercise) -> list[str]:
        pack = self.pack_for(ex)
        groups = []
        for name in ex.focus:
            group = normalize_focus(name)
            if lines_for(pack, FOCUS_KEY + group, ex):
                groups.append(group)
            elif not pack.bank(group):
                self.warn(f"{ex.name}: no mind-body lines for focus '{name}'")
        return groups

    def next_focus(self, ex: Exercise, slot: Slot) -> tuple[str, str, tuple[str, ...]] | None:
        """(key, line, other lines of that bank to try if it does not fit), or None.

        Groups take turns; within one exercise a line is not repeated until the
        bank runs out.
        """
        groups = self.focus_groups(ex)
        if not groups:
            return None
        turn = self._focus_turn.get(slot.index, 0)
        self._focus_turn[slot.index] = turn + 1
        group = groups[turn % len(groups)]
        key = f"focus.{group}"
        client = self.routine.profile.client
        bank = with_client(lines_for(self.pack_for(ex), key, ex), client)
        start = self.picker.index(key, len(bank))
        rotated = [bank[(start + j) % len(bank)] for j in range(len(bank))]
        used = self._focus_used.setdefault(slot.index, set())
        order = [t for t in rotated if t not in used] + [t for t in rotated if t in used]
        used.add(order[0])
        if used.issuperset(bank):
            used.clear()
        texts = [render(t, {"exercise": ex.name, "client": client or ""}) for t in order]
        return key, texts[0], tuple(texts[1:])

    def focus_reminder(self, ex: Exercise, slot: Slot) -> list[Line]:
        """One mind-body line said in the rest before a set (chatty only), when there is room."""
        if not ex.focus or self.routine.profile.coach != "chatty":
            return []
        found = self.next_focus(ex, slot)
        if found is None:
            return []
        key, text, _others = found
        return [Line(text, key, "cue", required=False, ctx=slot.context(), role="bank")]

    def focus_cues(
        self, ex: Exercise, slot: Slot, work_ms: int, rep_ms: int | None
    ) -> list[CueRequest]:
        if not ex.focus or work_ms < FOCUS_MIN_WORK_MS:
            return []
        n = max(1, work_ms // FOCUS_EVERY_MS)
        if slot.set > 1 and self.routine.profile.coach != "chatty":
            n = 1  # mind-body lines go mostly to the first set of an exercise
        out: list[CueRequest] = []
        for i in range(n):
            found = self.next_focus(ex, slot)
            if found is None:
                return []
            key, text, others = found
            at = work_ms * (2 * i + 1) // (2 * n)
            if rep_ms:
                at = (at // rep_ms) * rep_ms
            out.append(CueRequest(text, key, at, "mind-body line", others, role="bank"))
        return out
