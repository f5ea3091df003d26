"""Planning on real phrase lengths: where the speech engine meets the planner.

`plan_spoken` plans a script on the lengths of the clips it will really say,
synthesizing only the phrasings the plan picks; `real_length` is the same as a
`Measure` for `--minutes`. The planner itself (voicecoach.planning) never imports
speech: it is handed these lengths as a ``text -> ms`` function.
"""

from __future__ import annotations

from collections.abc import Callable

from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.planning.script import Script, build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.progress import Progress
from voicecoach.routine import Routine
from voicecoach.speech.base import SpeechEngine
from voicecoach.speech.cache import PhraseCache, SynthesisResult, synthesize_all

# After this many rounds of `plan_spoken`, every phrasing of the script is synthesized.
SPOKEN_ROUNDS = 4


def plan_spoken(
    script: Script,
    engine: SpeechEngine,
    cache: PhraseCache,
    speech: SynthesisResult,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Timeline:
    """Plan on the real lengths of the phrases the plan speaks, synthesizing only those.

    The script offers several phrasings for many lines (the cue pack's alternatives,
    check-ins' wordings); the planner picks one by the room it has, so only the picked
    ones are needed (about 3 in 4 of a session's phrasings). Round 1 plans on
    `estimate_phrase_ms`; each round synthesizes the spoken texts that have no real
    length yet and plans again, until the plan speaks only real lengths. Which lengths
    are real depends only on the script and the engine, never on what ``speech`` or the
    cache already hold, so the render is the same cold or warm, alone or in a batch.
    ``speech`` gains the clips (and counts) made or read.
    """
    known: set[str] = set()
    done = 0
    scale = {True: 1.0, False: 1.0}  # real / estimated, for short calls and for lines

    def estimate(text: str) -> int:
        return estimate_phrase_ms(script.spoken(text), engine.rate)

    def length(text: str) -> int:
        if text in known:
            return speech.clips[text].duration_ms
        return round(estimate(text) * scale[_short(text)])

    for round_ in range(1, SPOKEN_ROUNDS + 2):
        timeline = plan(script, length, limits=limits)
        wanted = [e.text for e in timeline.events if e.spoken and e.text]
        wanted = [t for t in dict.fromkeys(wanted) if t not in known]
        if round_ > SPOKEN_ROUNDS:  # not settled: take every phrasing, as before
            wanted += [t for t in script.phrases() if t not in known and t not in wanted]
        if not wanted:
            return timeline
        missing = [t for t in wanted if t not in speech.clips]
        if missing:
            offset = done

            def report(n: int, total: int, offset: int = offset) -> None:
                if progress:
                    progress("speech", offset + n, offset + total)

            _add(
                speech,
                synthesize_all(engine, missing, cache, progress=report, spoken=script.spoken),
            )
            done += len(missing)
        known.update(wanted)
        for short in scale:  # the engine's pace, learnt from the lengths known so far
            texts = [t for t in sorted(known) if _short(t) == short]
            guessed = sum(estimate(t) for t in texts)
            if guessed:
                scale[short] = sum(speech.clips[t].duration_ms for t in texts) / guessed
    return plan(script, clip_lengths(script, engine, cache, speech), limits=limits)


def _short(text: str) -> bool:
    """A count or a one- or two-word call (engines say these at their own pace)."""
    return len(text.split()) <= 2


def clip_lengths(
    script: Script, engine: SpeechEngine, cache: PhraseCache, speech: SynthesisResult
) -> Callable[[str], int]:
    """The planner's phrase lengths from the real clips. A text the planner makes up
    while planning (a rest that grew is announced with its real length) is
    synthesized when first asked for, and joins ``speech.clips``."""

    def length(text: str) -> int:
        if text not in speech.clips:
            _add(speech, synthesize_all(engine, [text], cache, spoken=script.spoken))
        return speech.clips[text].duration_ms

    return length


def _add(speech: SynthesisResult, more: SynthesisResult) -> None:
    speech.clips.update(more.clips)
    speech.synthesized += more.synthesized
    speech.cached += more.cached
    speech.warnings += more.warnings


def real_length(
    seed: int,
    engine: SpeechEngine,
    cache: PhraseCache,
    speech: SynthesisResult,
    limits: Limits = DEFAULT_LIMITS,
) -> Callable[[Routine], int]:
    """A `Measure` for `personalize`: a routine's length planned as the render plans it
    (`plan_spoken`: the real clips of the phrasings it speaks, synthesized once), so
    the fit is exact on what will be heard, and unused phrasings are never made."""

    def measure(routine: Routine) -> int:
        script = build_script(routine, seed=seed, limits=limits)
        return plan_spoken(script, engine, cache, speech, limits=limits).total_ms

    return measure
