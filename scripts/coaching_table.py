"""Print the coaching table of docs/coaching.md: each built-in at each coach level.

Phrase lengths come from the real default voice (`--engine auto`, as `render`: piper
where it is installed, else pyttsx3 with espeak-ng): every phrase is synthesized
(through a phrase cache) and the session is planned with the real clip lengths,
exactly as `render` does. Planning only: no mixing, no MP3. The last column is when
the first exercise is announced or set up (the 12 s rule, docs/coaching.md).

    uv run python scripts/coaching_table.py                 # this checkout
    uv run python scripts/coaching_table.py --engine fake   # quick, no real voice

To measure another version of the code (the "before" column), dump its plans with
that version's package, then tabulate with this one:

    PYTHONPATH=/path/to/old/src python scripts/coaching_table.py --dump /tmp/before
    uv run python scripts/coaching_table.py --from /tmp/before
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

LEVELS = ("quiet", "standard", "chatty")


def dump(folder: Path, engine_name: str, cache_dir: Path, rate: int | None = None) -> None:
    """Plan every built-in at every coach level this code knows; write the plan JSONs."""
    import dataclasses

    from voicecoach.planning.personalize import Choices, personalize
    from voicecoach.planning.plan_output import timeline_to_json
    from voicecoach.planning.script import build_script
    from voicecoach.planning.timeline import plan
    from voicecoach.routine import list_builtin_routines
    from voicecoach.routine.loader import load_routine
    from voicecoach.speech import get_engine
    from voicecoach.speech.cache import PhraseCache, synthesize_all

    has_coach = "coach" in {f.name for f in dataclasses.fields(Choices)}
    levels = LEVELS if has_coach else ("today",)
    folder.mkdir(parents=True, exist_ok=True)
    cache = PhraseCache(cache_dir)
    from voicecoach.speech import resolve_engine_name

    print(f"engine: {resolve_engine_name(engine_name)}", file=sys.stderr)
    for info in list_builtin_routines():
        routine = load_routine(info.name)
        engine = get_engine(engine_name, rate=rate or routine.voice.rate)
        for level in levels:
            choices = Choices(coach=level) if has_coach else Choices()  # type: ignore[call-arg]
            personal = personalize(routine, choices).routine
            script = build_script(personal)
            timeline = _plan_as_render(script, engine, cache, synthesize_all, plan)
            out = folder / f"{info.name}.{level}.json"
            out.write_text(json.dumps(timeline_to_json(timeline)), encoding="utf-8")
            print(f"planned {info.name} ({level})", file=sys.stderr)


def _plan_as_render(
    script: Any, engine: Any, cache: Any, synthesize_all: Any, plan: Any
) -> Any:
    """The script planned as `render` plans it (`plan_spoken`: the real lengths of the
    phrasings it speaks, in their pronounced form, synthesized through the cache).
    Older versions: every phrase synthesized, then planned on the clips."""
    try:
        from voicecoach.speech.cache import SynthesisResult
        from voicecoach.spoken_plan import plan_spoken
    except ImportError:  # a version before plan_spoken
        clips = synthesize_all(engine, script.phrases(), cache).clips
        return plan(script, lambda text: clips[text].duration_ms)
    return plan_spoken(script, engine, cache, SynthesisResult())


def first_instruction(events: list[dict[str, Any]]) -> int:
    """When the first exercise is announced or set up, in ms from the start."""
    keys = ("exercise_intro", "first_exercise_intro", "setup")
    return next(e["start_ms"] for e in events if (e.get("cue_key") or "").startswith(keys))


def table(folder: Path) -> str:
    from voicecoach.coach.metrics import condition_checker, measure
    from voicecoach.routine.loader import load_routine

    rows = [
        "| routine | coach | talk share (avg / worst span) | coaching lines per work min "
        "| < 5 s apart | near-duplicates within 60 s | condition violations "
        '| "3, 2, 1, 1" | misplaced "last one" | grammar | first instruction |',
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    order = {level: i for i, level in enumerate(LEVELS)}
    paths = sorted(
        folder.glob("*.json"),
        key=lambda p: (p.stem.rsplit(".", 1)[0], order.get(p.stem.rsplit(".", 1)[1], -1)),
    )
    for path in paths:
        name, level = path.stem.rsplit(".", 1)
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        # Plans from code before roles (the "before" column) have no `when:` to check.
        has_roles = any("role" in e for e in data["events"])
        check = condition_checker(load_routine(name)) if has_roles else None
        m = measure(data, check)
        cond = "n/a" if m.condition_violations is None else str(m.condition_violations)
        rows.append(
            f"| {name} | {level} | {m.talk_share:.0%} / {m.worst_span_share:.0%} "
            f"| {m.lines_per_minute:.1f} | {m.close_pairs} | {m.near_duplicates} | {cond} "
            f"| {m.countdown_echoes} | {m.misplaced_last_rep} | {m.grammar} "
            f"| {first_instruction(data['events']) / 1000:.1f} s |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", help="speech engine (default: auto, as render)")
    parser.add_argument("--dump", type=Path, help="only write the plan JSONs to this folder")
    parser.add_argument("--from", dest="source", type=Path, help="tabulate plan JSONs here")
    parser.add_argument("--rate", type=int, help="words per minute (default: the voice's)")
    parser.add_argument("--cache", type=Path, help="phrase cache folder (default: a temp one)")
    args = parser.parse_args()
    if args.source:
        print(table(args.source))
        return
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "cache"
        folder = args.dump or Path(tmp) / "plans"
        dump(folder, args.engine, cache, args.rate)
        if not args.dump:
            print(table(folder))


if __name__ == "__main__":
    main()
