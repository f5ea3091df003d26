"""Print the timing table of docs/timing.md: each built-in rendered at 0.6x, 1x and
1.5x its own length with ``--minutes``, and the rendered file's real length.

The length is read from the rendered WAV file (frames / rate), not from the plan.

    uv run python scripts/timing_table.py                    # the default voice (piper)
    uv run python scripts/timing_table.py --engine pyttsx3   # espeak-ng
    uv run python scripts/timing_table.py --engine fake      # quick, no real voice
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import wave
from pathlib import Path

FACTORS = (0.6, 1.0, 1.5)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def rows(engine_name: str | None, cache_dir: Path, out_dir: Path, names: list[str]) -> list[str]:
    from voicecoach.errors import VoicecoachError
    from voicecoach.personalize import Choices
    from voicecoach.render import RenderOptions, VoiceChoice, plan_routine, render
    from voicecoach.routine import load_routine

    out = []
    for name in names:
        base_min = plan_routine(load_routine(name)).total_ms / 60_000
        for factor in FACTORS:
            minutes = round(base_min * factor, 1)
            options = RenderOptions(
                voice=VoiceChoice(engine=engine_name),
                transcripts=(),
                cache_dir=cache_dir,
                personal=Choices(minutes=minutes),
            )
            target = out_dir / f"{name}-{factor}.wav"
            try:
                render(name, target, options)
            except VoicecoachError as exc:  # a row says why it could not render
                out.append(f"| {name} | {factor:g}x | {minutes:g} | refused: {exc} | |")
                continue
            real = wav_seconds(target)
            error = (real - minutes * 60) / (minutes * 60) * 100
            out.append(
                f"| {name} | {factor:g}x | {minutes:g} | {int(real // 60)}:{real % 60:04.1f} "
                f"| {error:+.1f} % |"
            )
            target.unlink()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=None, help="speech engine (default: the routine's)")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("names", nargs="*", help="built-ins (default: all)")
    args = parser.parse_args()
    from voicecoach.routine import list_builtin_routines

    names = args.names or [r.name for r in list_builtin_routines()]
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp) / "cache"
        print("| routine | length | asked minutes | rendered file | error |")
        print("|---|---|---|---|---|")
        for row in rows(args.engine, cache, Path(tmp), names):
            print(row)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
