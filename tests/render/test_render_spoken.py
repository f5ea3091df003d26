"""Only the phrasings the plan speaks are synthesized (render.plan_spoken)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from voicecoach.planning.script import build_script
from voicecoach.routine.loader import load_routine
from voicecoach.speech.base import Clip
from voicecoach.speech.cache import PhraseCache, SynthesisResult, synthesize_all
from voicecoach.speech.fake import FakeEngine
from voicecoach.spoken_plan import plan_spoken


def _said(timeline) -> set[str]:
    return {e.text for e in timeline.events if e.spoken and e.text}


def test_only_the_spoken_phrasings_are_synthesized(tmp_path: Path) -> None:
    script = build_script(load_routine("low-back-reset"))
    engine, speech = FakeEngine(), SynthesisResult()
    timeline = plan_spoken(script, engine, PhraseCache(tmp_path / "cache"), speech)
    said = _said(timeline)
    assert speech.synthesized == engine.synthesized == len(speech.clips)
    assert said <= set(speech.clips)
    # the other phrasings were never made (a few picked on estimates may be dropped)
    assert len(said) <= engine.synthesized < 0.8 * len(script.phrases())
    # every spoken phrase lasts its real clip's length
    for event in timeline.events:
        if event.spoken and event.text:
            assert event.end_ms - event.start_ms == speech.clips[event.text].duration_ms


class _Uneven(FakeEngine):
    """A voice whose pace varies from line to line (0.5x to 2x the fake's): estimates
    pick other phrasings than the real lengths would."""

    def clip(self, text: str) -> Clip:
        clip = super().clip(text)
        stretch = 0.5 + 1.5 * (zlib.crc32(text.encode()) % 100) / 100
        n = round(clip.num_samples * stretch)
        samples = np.resize(clip.samples, (n, 1)).astype(np.float32)
        return Clip(samples, clip.sample_rate, lead=min(clip.lead, n))


def test_the_plan_does_not_depend_on_what_is_already_synthesized(tmp_path: Path) -> None:
    script = build_script(load_routine("low-back-reset"))
    cold = plan_spoken(script, _Uneven(), PhraseCache(tmp_path / "a"), SynthesisResult())
    # a cache and clips holding every phrasing (a batch synthesizes them all)
    cache = PhraseCache(tmp_path / "b")
    everything = synthesize_all(_Uneven(), script.phrases(), cache, spoken=script.spoken)
    warm = plan_spoken(script, _Uneven(), cache, everything)
    assert warm == cold
