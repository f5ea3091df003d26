"""Which bundled mind-body lines and check-ins fit which library exercises.

    uv run python scripts/cue_audit.py              # print the table (Markdown)
    uv run python scripts/cue_audit.py --write      # replace it in docs/cue-audit.md

Every line of the bundled pack's `focus.*` banks and `check_in` carries a `when:`
condition; a line can be said on an exercise only when the condition holds for the
exercise's traits (type, position, per side, reps or hold, focus) and, for a bank
line, when the exercise names that focus group. This prints, for every such line,
the library exercises it can be said on, so a physiotherapist can read the audit
line by line. tests/cues/test_cue_fit.py checks the same rule on planned sessions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voicecoach.cues import load_cue_pack
from voicecoach.cues.when import When
from voicecoach.library import library
from voicecoach.routine.focus import FOCUS_GROUPS
from voicecoach.routine.traits import Traits, exercise_traits

DOC = Path(__file__).resolve().parents[1] / "docs" / "cue-audit.md"
BEGIN = "<!-- audit:begin (scripts/cue_audit.py) -->"
END = "<!-- audit:end -->"


def _condition(when: When | None) -> str:
    if when is None:
        return "everywhere"
    parts = []
    for name in ("type", "position", "focus"):
        value = getattr(when, name)
        if value is not None:
            parts.append(f"{name}: {', '.join(sorted(value))}")
    if when.per_side is not None:
        parts.append(f"per_side: {str(when.per_side).lower()}")
    if when.dosage is not None:
        parts.append(f"dosage: {when.dosage}")
    return "; ".join(parts)


def table() -> str:
    pack = load_cue_pack(None)
    traits: dict[str, Traits] = {i: exercise_traits(e.exercise) for i, e in library().items()}
    rows = ["| key | line | when | library exercises it fits |", "|---|---|---|---|"]
    for key in [f"focus.{g}" for g in FOCUS_GROUPS] + ["check_in"]:
        group = key.removeprefix("focus.")
        for text, when in zip(pack.get(key), pack.when(key), strict=True):
            fits = [
                entry
                for entry, t in traits.items()
                if (when is None or when.fits(t)) and (key == "check_in" or group in t.focus)
            ]
            shown = ", ".join(fits) if fits else "none (kept for routines' own exercises)"
            rows.append(f"| `{key}` | {text} | {_condition(when)} | {shown} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"update {DOC.name}")
    args = parser.parse_args()
    text = table()
    if not args.write:
        sys.stdout.write(text)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    head, rest = doc.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
