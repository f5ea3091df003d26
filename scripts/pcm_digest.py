"""SHA-256 of the exact PCM a render streams into the encoder, and the peak RSS.

Compares two checkouts' mixes sample for sample without writing gigabytes of PCM:
run it in each (warm phrase cache) and compare the digests.

    uv run python scripts/pcm_digest.py ROUTINE.yaml CACHE_DIR [--engine auto]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
from pathlib import Path

from voicecoach.mixdown import SessionAudio
from voicecoach.pipeline import VoiceChoice, make_engine
from voicecoach.planning.script import build_script
from voicecoach.routine.loader import load_routine
from voicecoach.speech.cache import PhraseCache, SynthesisResult
from voicecoach.spoken_plan import plan_spoken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("routine", type=Path)
    parser.add_argument("cache", type=Path, help="phrase cache folder (as the render used)")
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()
    routine = load_routine(args.routine)
    script = build_script(routine)
    speech = make_engine(routine, VoiceChoice(engine=args.engine), None)
    said = SynthesisResult()  # as the render plans: see spoken_plan.plan_spoken
    timeline = plan_spoken(script, speech, PhraseCache(args.cache), said)
    session = SessionAudio.check(routine.sound, fmt="mp3", bitrate="128k")
    digest, samples = hashlib.sha256(), 0
    for block in session.blocks(timeline, said.clips, release=True):
        digest.update(block.astype("<f4").tobytes())
        samples += len(block)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{samples} samples, sha256 {digest.hexdigest()}, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
