"""How well an independent recognizer understands each engine's voice in a real session.

    uv run python scripts/intelligibility.py                 # piper, pyttsx3, fake
    uv run python scripts/intelligibility.py --write-docs    # also rewrite docs/voice.md's table

The routine tests/speech/data/intelligibility.yaml (counts, cues, side switches) is
rendered through the engine to a WAV file, mixed as a user hears it (background pad,
ducking, loudness). Each spoken line is cut from that mix at its planned time, heard
in a quiet room (a -60 dBFS noise floor, ROOM_FLOOR_DBFS), and pocketsphinx (its own US
English model, from PyPI) picks the most likely phrase among all the session's distinct
phrases: a forced choice through a JSGF grammar of those phrases. The table also gives
the bare cut's figure, without the room. Chance is 1 / the number of distinct phrases.
The fake engine's tone bursts are the negative control: they carry no words, so they
must score near chance.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecoach.audio.ffmpeg import find_ffmpeg  # honours $VOICECOACH_FFMPEG
from voicecoach.cues.spoken import number_words

REPO = Path(__file__).resolve().parent.parent
ROUTINE = REPO / "tests" / "speech" / "data" / "intelligibility.yaml"
DOC = REPO / "docs" / "voice.md"
RATE = 16000
# The cut: each line's planned span, from just before the voice's onset to just after
# the clip ends (the last phoneme's decay). Wider margins take in the pad around the word,
# which the recognizer hears as speech even 35 dB under the voice (docs/voice.md).
BEFORE_MS, AFTER_MS = 30, 80
# The room the recognizer listens in: a steady broadband noise floor at -60 dBFS RMS
# (white, fixed seed), added to every cut alike. At a comfortable level (speech around
# -20 dBFS ~ 65 dB SPL) that is a quiet bedroom's 25 dB SPL, 40 dB under the voice:
# no listener hears it. Without it, the near-silence of a rendered file (digital zeros,
# or a pad with nothing above a few kHz) puts frames whose empty mel bands sit at the
# log floor into the features, far outside the recorded speech the acoustic model
# learned from, and the recognizer misses short words a person hears plainly
# (docs/voice.md, "Intelligibility").
ROOM_FLOOR_DBFS = -60.0
# Words of the test routine that the recognizer's dictionary lacks, in its phone set
# (ARPAbet without stress), so that the grammar holds every spoken word.
PRONOUNCE = {
    "glute": "G L UW T",
    "glutes": "G L UW T S",
    "flexor": "F L EH K S ER",
    "tailbone": "T EY L B OW N",
}


def normalize(text: str) -> list[str]:
    """Words as the recognizer's dictionary spells them."""
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text.lower())
    text = text.replace("’", "'").replace("-", " ").replace("/", " ")
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text)


@dataclass(frozen=True)
class Line:
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Score:
    engine: str
    mix: str
    voice: str
    lines: int
    correct: int
    phrases: int
    unknown: tuple[str, ...] = ()  # words left out of the grammar (not in any dictionary)
    bare_correct: int | None = None  # picked right from the bare cut, no room floor

    @property
    def accuracy(self) -> float:
        return self.correct / self.lines if self.lines else 0.0

    @property
    def chance(self) -> float:
        return 1.0 / self.phrases


MIXES = ("as heard", "voice only")  # the routine's own sound; no background pad, no chimes


def render_session(
    engine: str, workdir: Path, rate: int | None = None, mix: str = MIXES[0]
) -> tuple[Path, list[Line], str]:
    import dataclasses

    from voicecoach.pipeline import RenderOptions, VoiceChoice, render
    from voicecoach.routine import load_routine

    routine = load_routine(ROUTINE)
    if mix == "voice only":
        sound = dataclasses.replace(routine.sound, background="none", chimes=False)
        routine = dataclasses.replace(routine, sound=sound)
    out = workdir / f"{engine}-{mix.replace(' ', '-')}.wav"
    options = RenderOptions(
        voice=VoiceChoice(engine=engine, rate=rate),
        transcripts=(),
        cache_dir=workdir / "cache",
    )
    result = render(routine, out, options)
    lines = [Line(e.start_ms, e.end_ms, e.text) for e in result.timeline.events if e.text]
    return out, lines, result.voice


def read_mono_16k(path: Path) -> np.ndarray:
    cmd = [find_ffmpeg(), "-v", "error", "-nostdin", "-i", str(path)]
    cmd += ["-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"]
    done = subprocess.run(cmd, capture_output=True, check=True, timeout=300)
    return np.frombuffer(done.stdout, dtype="<i2")


class Recognizer:
    """pocketsphinx, choosing among the given phrases (a JSGF grammar of them)."""

    def __init__(self, phrases: Sequence[str]) -> None:
        from pocketsphinx import Decoder, get_model_path

        model = Path(get_model_path())
        self.decoder = Decoder(
            hmm=str(model / "en-us" / "en-us"),
            dict=str(model / "en-us" / "cmudict-en-us.dict"),
            samprate=RATE,
            loglevel="FATAL",
        )
        for word, phones in PRONOUNCE.items():
            if self.decoder.lookup_word(word) is None:
                self.decoder.add_word(word, phones, False)
        known = {self.spelled(p): p for p in phrases}
        known.pop("", None)
        self.by_words = known
        rules = " | ".join(f"( {w} )" for w in known)
        grammar = f"#JSGF V1.0;\ngrammar session;\npublic <phrase> = {rules};\n"
        self.decoder.add_jsgf_string("session", grammar)
        self.decoder.activate_search("session")

    def spelled(self, phrase: str) -> str:
        """The phrase as the grammar has it: words missing from the dictionary and from
        PRONOUNCE are left out, so the rest must carry the phrase."""
        words = normalize(phrase)
        return " ".join(w for w in words if self.decoder.lookup_word(w) is not None)

    def pick(self, pcm: np.ndarray) -> str | None:
        self.decoder.start_utt()
        self.decoder.process_raw(np.ascontiguousarray(pcm).tobytes(), full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return " ".join(hyp.hypstr.split()) if hyp is not None and hyp.hypstr else None


def in_the_room(cut: np.ndarray, seed: int) -> np.ndarray:
    """The cut as the recognizer hears it: plus the room's steady noise floor."""
    sigma = 32768.0 * 10.0 ** (ROOM_FLOOR_DBFS / 20.0)
    noise = np.random.default_rng(seed).normal(0.0, sigma, cut.size)
    return np.clip(np.round(cut + noise), -32768, 32767).astype("<i2")


def score(
    engine: str,
    workdir: Path,
    rate: int | None = None,
    mix: str = MIXES[0],
    bare: bool = False,
) -> Score:
    """Each line heard in the room (ROOM_FLOOR_DBFS); with `bare`, also the bare cut
    (digital silence where the mix has none), for comparison."""
    wav, lines, voice = render_session(engine, workdir, rate, mix)
    pcm = read_mono_16k(wav)
    phrases = sorted({line.text for line in lines})
    # one decoder per condition: its running cepstral mean carries from line to line
    recognizer, bare_recognizer = Recognizer(phrases), Recognizer(phrases) if bare else None
    correct = bare_correct = 0
    for n, line in enumerate(lines):
        a = max(0, (line.start_ms - BEFORE_MS) * RATE // 1000)
        b = min(pcm.size, (line.end_ms + AFTER_MS) * RATE // 1000)
        expected = recognizer.spelled(line.text)
        correct += recognizer.pick(in_the_room(pcm[a:b], seed=n)) == expected
        if bare_recognizer is not None:
            bare_correct += bare_recognizer.pick(pcm[a:b]) == expected
    spoken = {w for line in lines for w in normalize(line.text)}
    unknown = sorted(spoken - set(" ".join(recognizer.by_words).split()))
    return Score(
        engine,
        mix,
        voice,
        len(lines),
        correct,
        len(recognizer.by_words),
        tuple(unknown),
        bare_correct if bare else None,
    )


def table(scores: Sequence[Score]) -> str:
    rows = [
        "| engine | mix | voice (as rendered) | lines | picked right | bare cut, no room "
        "| chance |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        bare = (
            "" if s.bare_correct is None else f"{s.bare_correct} ({s.bare_correct / s.lines:.0%})"
        )
        rows.append(
            f"| {s.engine} | {s.mix} | {s.voice} | {s.lines} | {s.correct} ({s.accuracy:.0%}) "
            f"| {bare} | {s.chance:.1%} (1 in {s.phrases}) |"
        )
    return "\n".join(rows)


BEGIN, END = "<!-- intelligibility table: begin -->", "<!-- intelligibility table: end -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--engines", default="piper,pyttsx3,fake")
    parser.add_argument("--rate", type=int, help="words per minute (default: each engine's)")
    parser.add_argument("--write-docs", action="store_true", help=f"update the table in {DOC}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="voicecoach-intelligibility-") as tmp:
        scores = [
            score(e, Path(tmp), args.rate, mix, bare=True)
            for e in args.engines.split(",")
            for mix in MIXES
        ]
    text = table(scores)
    print(text)
    if args.write_docs:
        doc = DOC.read_text(encoding="utf-8")
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
        print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
