"""`when:` conditions: which exercises a cue-pack line fits.

A phrase in a pack may be written as a mapping::

    - say: "Keep your hips stacked."
      when: {position: [side-lying], per_side: true}

Every condition given must hold (an exercise that does not say its ``type`` or
``position`` fails a condition on it); a line without ``when`` fits everywhere.

| key | value | holds when the exercise... |
|---|---|---|
| ``type`` | list of strength, stretch, mobility | has one of these types |
| ``position`` | list of positions | is done in one of these positions |
| ``per_side`` | true / false | is (not) done one side at a time |
| ``dosage`` | reps / hold | is counted reps / a timed hold |
| ``focus`` | list of focus groups | names at least one of these groups in ``focus`` |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voicecoach.routine.focus import FOCUS_GROUPS, normalize_focus
from voicecoach.routine.keyspec import POSITIONS, TYPES
from voicecoach.routine.traits import Traits
from voicecoach.text import suggest

WHEN_KEYS = ("type", "position", "per_side", "dosage", "focus")
DOSAGES = ("reps", "hold")


@dataclass(frozen=True)
class When:
    """A line's conditions; None = no condition on that trait."""

    type: frozenset[str] | None = None
    position: frozenset[str] | None = None
    per_side: bool | None = None
    dosage: str | None = None
    focus: frozenset[str] | None = None

    def violations(self, traits: Traits) -> list[str]:
        """The conditions ``traits`` break, in words (empty: the line fits)."""
        out: list[str] = []
        if self.type is not None and traits.type not in self.type:
            out.append(f"type {traits.type or 'unknown'} not in {sorted(self.type)}")
        if self.position is not None and traits.position not in self.position:
            out.append(f"position {traits.position or 'unknown'} not in {sorted(self.position)}")
        if self.per_side is not None and traits.per_side != self.per_side:
            out.append(f"per_side is {str(traits.per_side).lower()}")
        if self.dosage is not None and traits.dosage != self.dosage:
            out.append(f"dosage is {traits.dosage}")
        if self.focus is not None and not (traits.focus & self.focus):
            out.append(f"focus {sorted(traits.focus)} has none of {sorted(self.focus)}")
        return out

    def fits(self, traits: Traits) -> bool:
        return not self.violations(traits)


def parse_when(value: Any) -> tuple[When | None, tuple[str, str] | None]:
    """A ``when:`` mapping (plain Python data) -> (When, None), or (None, (key, message))
    where key is the offending sub-key ("" for the mapping itself)."""
    if not isinstance(value, Mapping):
        return None, ("", "must be a mapping like {type: [strength], dosage: reps}")
    fields: dict[str, Any] = {}
    for key, item in value.items():
        if key not in WHEN_KEYS:
            close = suggest(str(key), WHEN_KEYS)
            hint = f" did you mean '{close}'?" if close else " use: " + ", ".join(WHEN_KEYS)
            return None, (str(key), f"unknown condition '{key}'.{hint}")
        if key == "per_side":
            if not isinstance(item, bool):
                return None, (key, "must be true or false")
            fields[key] = item
        elif key == "dosage":
            if item not in DOSAGES:
                return None, (key, "must be reps or hold")
            fields[key] = item
        else:
            choices = {"type": TYPES, "position": POSITIONS, "focus": FOCUS_GROUPS}[key]
            items = [item] if isinstance(item, str) else item
            if not isinstance(items, list) or not items:
                return None, (key, f"must be a list of: {', '.join(choices)}")
            names = []
            for name in items:
                text = normalize_focus(name) if key == "focus" and isinstance(name, str) else name
                if text not in choices:
                    close = suggest(str(name), list(choices))
                    hint = f" did you mean '{close}'?" if close else " use: " + ", ".join(choices)
                    return None, (key, f"unknown {key} '{name}'.{hint}")
                names.append(text)
            fields[key] = frozenset(names)
    return When(**fields), None


__all__ = ["DOSAGES", "WHEN_KEYS", "When", "parse_when"]
