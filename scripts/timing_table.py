"""Print the timing table of docs/timing.md: each built-in rendered at 0.6x, 1x and
1.5x its own length with ``--minutes``, and the rendered file's real length.

"Its own length" is the built-in's length with the chosen voice (planned on that
voice's synthesized clips, as `render` plans). The length in the table is read
from the rendered WAV file (frames / rate), not from the plan.

    uv run python scripts/timing_table.py                    # the default voice (piper)
    uv run python scripts/timing_table.py --engine pyttsx3   # espeak-ng
    uv run python scripts/timing_table.py --engine fake      # quick, no real voice
    uv run python scripts/timing_table.py --write-docs       # also rewrite docs/timing.md's table
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import wave
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "timing.md"
BEGIN, END = "<!-- timing table: begin -->", "<!-- timing table: end -->"
FACTORS = (0.6, 1.0, 1.5)
HEADER = (
    "| routine | length | asked minutes | rendered file | error | left out to fit |\n"
    "|---|---|---|---|---|---|"
)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def rows(
    engine_name: str | None, cache_dir: Path, out_dir: Path, names: list[str], voices: set[str]
) -> Iterator[str]:
    """One table row per built-in and length, as each render finishes; the voices
    used are added to ``voices``."""
    from voicecoach.errors import VoicecoachError
    from voicecoach.pipeline import (
        RenderOptions,
        VoiceChoice,
        describe_voice,
        prepare_render,
        real_length,
        render,
        speak,
    )
    from voicecoach.planning.personalize import Choices
    from voicecoach.speech.cache import PhraseCache

    voice = VoiceChoice(engine=engine_name)
    for name in names:
        plain = RenderOptions(voice=voice, transcripts=(), cache_dir=cache_dir)
        prepared = prepare_render(name, out_dir / "base.wav", plain)
        speech, engine, _ = speak(prepared)
        voices.add(describe_voice(engine))
        measure = real_length(0, engine, PhraseCache(cache_dir), speech)
        own = measure(prepared.routine) / 60_000
        for factor in FACTORS:
            minutes = round(own * factor, 1)
            options = RenderOptions(
                voice=voice, transcripts=(), cache_dir=cache_dir, personal=Choices(minutes=minutes)
            )
            target = out_dir / f"{name}-{factor}.wav"
            try:
                result = render(name, target, options, engine=engine)
            except VoicecoachError as exc:  # a row says why it could not render
                yield f"| {name} | {factor:g}x | {minutes:g} | refused: {exc} | | |"
                continue
            real = wav_seconds(target)
            error = (real - minutes * 60) / (minutes * 60) * 100
            said = "left out to fit: "
            left_out = next((c[len(said) :] for c in result.changes if c.startswith(said)), "")
            yield (
                f"| {name} | {factor:g}x | {minutes:g} | {clock(real)} | {error:+.1f} % "
                f"| {left_out} |"
            )
            target.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=None, help="speech engine (default: the routine's)")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--write-docs", action="store_true", help=f"update the table in {DOC}")
    parser.add_argument("names", nargs="*", help="built-ins (default: all)")
    args = parser.parse_args()
    from voicecoach.routine import list_builtin_routines

    names = args.names or [r.name for r in list_builtin_routines()]
    lines = [HEADER]
    voices: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="voicecoach-timing-") as tmp:
        cache = args.cache_dir or Path(tmp) / "cache"
        print(HEADER)
        for row in rows(args.engine, cache, Path(tmp), names, voices):
            print(row)
            sys.stdout.flush()
            lines.append(row)
    engine = f" --engine {args.engine}" if args.engine else ""
    caption = (
        f"Voice: {'; '.join(sorted(voices))}. Measured with "
        f"`uv run python scripts/timing_table.py{engine} --write-docs`.\n"
    )
    print(caption)
    lines.insert(0, caption)
    if args.write_docs:
        doc = DOC.read_text(encoding="utf-8")
        head, found, rest = doc.partition(BEGIN)
        _, ended, tail = rest.partition(END)
        if not (found and ended):
            sys.exit(f"error: {DOC} has no {BEGIN} ... {END} markers around its table")
        text = "\n".join(lines)
        DOC.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
        print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
