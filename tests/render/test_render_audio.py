"""Render end to end with the fake engine and check the audio by its properties."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.render.render_helpers import SHORT_ROUTINE, read_wav
from voicecoach.audio.lazyclip import ClipLike, LazyClip
from voicecoach.audio.mixer import MixSpec
from voicecoach.errors import AudioError
from voicecoach.pipeline import RenderOptions, render
from voicecoach.planning.timeline import Timeline
from voicecoach.speech.fake import FakeEngine

TOLERANCE_MS = 10


def _render(routine: Path, out: Path, **options: object):
    opts = RenderOptions(cache_dir=out.parent / "cache", **options)  # type: ignore[arg-type]
    return render(routine, out, opts, engine=FakeEngine())


def _active_ms(audio: np.ndarray, rate: int, threshold: float = 0.01) -> np.ndarray:
    """One flag per millisecond: does anything sound above -40 dBFS?"""
    n = len(audio) * 1000 // rate
    edges = np.arange(n) * rate // 1000  # exact sample where each millisecond starts
    peaks = np.maximum.reduceat(np.abs(audio).max(axis=1), edges)
    return peaks > threshold


def _ms(ms: int) -> int:
    return ms * 44100 // 1000


def _spoken(timeline: Timeline) -> list:
    return [e for e in timeline.events if e.spoken and e.text]


def lazy(clip: ClipLike) -> LazyClip:
    assert isinstance(clip, LazyClip)
    return clip


def test_speech_starts_where_planned_and_nothing_sounds_elsewhere(
    short_routine: Path, tmp_path: Path
) -> None:
    result = _render(short_routine, tmp_path / "out.wav", transcripts=())
    audio, rate = read_wav(result.path)
    timeline = result.timeline
    assert rate == 44100 and audio.shape[1] == 2
    assert abs(len(audio) - timeline.total_ms * 44.1) <= 1

    active = _active_ms(audio, rate)
    spoken = _spoken(timeline)
    assert len(spoken) > 20
    for event in spoken:
        lo = max(0, event.start_ms - 3 * TOLERANCE_MS)
        window = np.flatnonzero(active[lo : event.start_ms + 3 * TOLERANCE_MS])
        assert window.size, f"no sound near {event.start_ms} ms for {event.text!r}"
        onset = lo + int(window[0])
        assert abs(onset - event.start_ms) <= TOLERANCE_MS, (event.text, onset, event.start_ms)

    allowed = np.zeros(len(active), dtype=bool)
    for event in spoken:
        allowed[max(0, event.start_ms - TOLERANCE_MS) : event.end_ms + TOLERANCE_MS] = True
    stray = np.flatnonzero(active & ~allowed)
    assert stray.size == 0, f"sound where the plan is silent, first at {stray[:1]} ms"


def test_chimes_sound_only_at_tone_events(short_routine: Path, tmp_path: Path) -> None:
    text = SHORT_ROUTINE.replace("chimes: false", "chimes: true")
    routine = tmp_path / "chimes.yaml"
    routine.write_text(text, encoding="utf-8")
    result = _render(routine, tmp_path / "chimes.wav", transcripts=())
    audio, rate = read_wav(result.path)
    active = _active_ms(audio, rate)
    tones = [e for e in result.timeline.events if e.kind == "tone"]
    assert {e.sound for e in tones} >= {"chime", "done"}  # beeps give way to spoken counts
    allowed = np.zeros(len(active), dtype=bool)
    for event in result.timeline.events:
        if event.spoken or event.kind == "tone":
            allowed[max(0, event.start_ms - TOLERANCE_MS) : event.end_ms + TOLERANCE_MS] = True
    assert not np.any(active & ~allowed)
    for event in tones:
        assert active[event.start_ms : event.start_ms + TOLERANCE_MS].any(), event


def _level_db(audio: np.ndarray, rate: int, hz: float) -> float:
    """Amplitude (dBFS) of one sine component, by projection onto sin and cos."""
    mono = audio.mean(axis=1).astype(np.float64)
    t = np.arange(len(mono)) / rate
    re = 2 * np.mean(mono * np.cos(2 * np.pi * hz * t))
    im = 2 * np.mean(mono * np.sin(2 * np.pi * hz * t))
    return 20 * np.log10(max(np.hypot(re, im), 1e-9))


def test_music_is_ducked_at_least_10_db_under_speech(
    short_routine: Path, tmp_path: Path, sine_music: Path
) -> None:
    sound = f"sound: {{background: none, chimes: false, music: {sine_music.name}}}"
    routine = tmp_path / "music.yaml"
    routine.write_text(SHORT_ROUTINE.replace("sound: {background: none, chimes: false}", sound))
    result = _render(routine, tmp_path / "music.wav", transcripts=())
    audio, rate = read_wav(result.path)
    spoken = _spoken(result.timeline)

    under, between = [], []
    for event in spoken:
        if event.end_ms - event.start_ms >= 700:
            a, b = event.start_ms + 150, event.end_ms - 100
            under.append(_level_db(audio[_ms(a) : _ms(b)], rate, 3000))
    starts = [e.start_ms for e in spoken]
    ends = [e.end_ms for e in spoken]
    # the bed comes back up only in pauses longer than the ducking holds it down
    ramps = MixSpec(0)
    joined = ramps.attack_ms + ramps.release_ms + ramps.hold_ms
    for end, nxt in zip(ends, starts[1:], strict=False):
        if nxt - end >= joined + 500 and end > 5000 and nxt < result.timeline.total_ms - 5000:
            a, b = end + round(ramps.release_ms) + 100, nxt - round(ramps.attack_ms) - 100
            between.append(_level_db(audio[_ms(a) : _ms(b)], rate, 3000))
    assert len(under) >= 3 and len(between) >= 2
    assert max(under) <= min(between) - 10, (under, between)


def test_transcripts_match_the_plan(short_routine: Path, tmp_path: Path) -> None:
    result = _render(short_routine, tmp_path / "t.wav", transcripts=("vtt", "srt", "lrc", "json"))
    assert sorted(p.suffix for p in result.sidecars) == [".json", ".lrc", ".srt", ".vtt"]
    spoken = _spoken(result.timeline)

    def clock(ms: int, sep: str) -> str:
        h, r = divmod(ms, 3_600_000)
        m, r = divmod(r, 60_000)
        return f"{h:02d}:{m:02d}:{r // 1000:02d}{sep}{r % 1000:03d}"

    vtt = (tmp_path / "t.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    cues = [line for line in vtt.splitlines() if " --> " in line]
    assert cues == [f"{clock(e.start_ms, '.')} --> {clock(e.end_ms, '.')}" for e in spoken]
    srt = (tmp_path / "t.srt").read_text()
    assert [line for line in srt.splitlines() if " --> " in line] == [
        f"{clock(e.start_ms, ',')} --> {clock(e.end_ms, ',')}" for e in spoken
    ]
    plan = json.loads((tmp_path / "t.json").read_text())
    assert plan["total_ms"] == result.timeline.total_ms
    assert len(plan["events"]) == len(result.timeline.events)
    lrc = (tmp_path / "t.lrc").read_text().splitlines()
    assert len([line for line in lrc if not line.startswith(("[ti:", "[length:"))]) == len(spoken)


def test_cache_synthesizes_only_what_changed(short_routine: Path, tmp_path: Path) -> None:
    first = _render(short_routine, tmp_path / "a.wav", transcripts=())
    assert first.synthesized > 10 and first.cached == 0
    second = _render(short_routine, tmp_path / "b.wav", transcripts=())
    assert second.synthesized == 0 and second.cached == first.synthesized
    short_routine.write_text(SHORT_ROUTINE.replace("Hello there.", "Hello again."))
    third = _render(short_routine, tmp_path / "c.wav", transcripts=())
    assert third.synthesized == 1


def test_failure_mid_render_keeps_the_old_file(
    short_routine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voicecoach.mixdown as mixdown
    from voicecoach.audio import master_blocks as real

    def failing(*args, **kwargs):
        for i, block in enumerate(real(*args, **kwargs)):
            if i == 3:
                raise AudioError("simulated failure while encoding")
            yield block

    monkeypatch.setattr(mixdown, "master_blocks", failing)
    target = tmp_path / "keep.mp3"
    target.write_bytes(b"yesterday's good session")
    with pytest.raises(AudioError, match="simulated failure"):
        _render(short_routine, target)
    assert target.read_bytes() == b"yesterday's good session"
    assert not (tmp_path / "keep.vtt").exists()
    leftovers = [p.name for p in tmp_path.iterdir() if ".part" in p.name]
    assert leftovers == []

    fresh = tmp_path / "new.mp3"
    with pytest.raises(AudioError):
        _render(short_routine, fresh)
    assert not fresh.exists()


def test_mix_spec_release_drops_each_clip_once_placed(short_routine: Path) -> None:
    """The renderer hands its clips to the mixdown, which parks each phrase once, at the
    engine's rate, in a temporary file: the same placements and audio, and the caller's
    mapping emptied of every spoken phrase."""
    from voicecoach.audio.lazyclip import Parked
    from voicecoach.mixdown import SessionAudio
    from voicecoach.planning.script import build_script
    from voicecoach.planning.timeline import plan
    from voicecoach.routine.loader import load_routine
    from voicecoach.speech.cache import PhraseCache, synthesize_all
    from voicecoach.spoken_plan import clip_lengths

    routine = load_routine(short_routine)
    script = build_script(routine)
    engine, cache = FakeEngine(), PhraseCache(short_routine.parent / "cache")
    speech = synthesize_all(engine, script.phrases(), cache, spoken=script.spoken)
    # (a rest that grows is announced with its real length: synthesized while planning)
    timeline = plan(script, clip_lengths(script, engine, cache, speech))
    clips = speech.clips
    session = SessionAudio.check(routine.sound, fmt="wav", bitrate="128k")
    kept = session.mix_spec(timeline, dict(clips))
    given = dict(clips)
    released = session.mix_spec(timeline, given, release=True)
    assert [s for s, _ in released.voice] == [s for s, _ in kept.voice]
    pairs = zip(released.voice, kept.voice, strict=True)
    assert all(np.array_equal(lazy(a).audio(), lazy(b).audio()) for (_, a), (_, b) in pairs)
    # each phrase's samples leave memory: parked once in the mix's temporary file
    parked = {id(lazy(c).source) for _, c in released.voice}
    assert all(isinstance(lazy(c).source, Parked) for _, c in released.voice)
    assert len(parked) == len({e.text for e in _spoken(timeline)})
    assert not set(given) & {e.text for e in _spoken(timeline)}
    assert len(released.voice) == len(_spoken(timeline)) > 20


@pytest.mark.parametrize("ceiling_db", [-1.0, -14.0])
def test_engine_rate_clips_mix_as_the_resampled_copies_did(
    short_routine: Path, monkeypatch: pytest.MonkeyPatch, ceiling_db: float
) -> None:
    """Phrases are held at the engine's rate and made at 44.1 kHz while mixing, their
    pre-limiting applied then: the PCM is the one the mix of 44.1 kHz copies, pre-limited
    in place, gave (the mixdown before). Under a -14 dBTP ceiling the pre-limiter has
    work to do on the fake engine's tones."""
    import dataclasses

    import voicecoach.mixdown as mixdown
    from voicecoach.audio.lazyclip import LazyClip
    from voicecoach.audio.resample import resample
    from voicecoach.planning.script import build_script
    from voicecoach.planning.timeline import plan
    from voicecoach.routine.loader import load_routine
    from voicecoach.speech.base import Clip
    from voicecoach.speech.cache import PhraseCache, synthesize_all
    from voicecoach.spoken_plan import clip_lengths

    routine = load_routine(short_routine)
    script = build_script(routine)
    engine, cache = FakeEngine(), PhraseCache(short_routine.parent / "cache")
    speech = synthesize_all(engine, script.phrases(), cache, spoken=script.spoken)
    timeline = plan(script, clip_lengths(script, engine, cache, speech))
    sound = dataclasses.replace(routine.sound, true_peak_db=ceiling_db)
    session = mixdown.SessionAudio.check(sound, fmt="wav", bitrate="128k")

    limited: list[np.ndarray] = []
    with_gain = LazyClip.with_gain

    def spy(self: LazyClip, gain: np.ndarray, group: int) -> LazyClip:
        limited.append(gain)
        return with_gain(self, gain, group)

    monkeypatch.setattr(LazyClip, "with_gain", spy)
    lazy = np.concatenate(list(session.blocks(timeline, dict(speech.clips))))

    def resampled_copy(clip: Clip, spill: object) -> tuple[int, np.ndarray]:  # before
        audio = resample(clip.samples, clip.sample_rate, mixdown.SAMPLE_RATE)
        lead = (clip.lead * mixdown.SAMPLE_RATE + clip.sample_rate // 2) // clip.sample_rate
        return lead, audio

    monkeypatch.setattr(mixdown, "_voice_clip", resampled_copy)
    eager = np.concatenate(list(session.blocks(timeline, dict(speech.clips))))
    assert all(c.sample_rate != mixdown.SAMPLE_RATE for c in speech.clips.values())
    assert lazy.shape == eager.shape and len(lazy) > 60 * mixdown.SAMPLE_RATE
    assert float(np.abs(lazy - eager).max()) <= 1e-6
    assert bool(limited) == (ceiling_db < -1.0)


def test_music_is_never_decoded_past_the_session(
    short_routine: Path, tmp_path: Path, sine_music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voicecoach.mixdown as mixdown
    from voicecoach.audio import load_music as real

    asked: list[int | None] = []

    def recording(path, sample_rate=44100, max_samples=None, **kw):
        asked.append(max_samples)
        return real(path, sample_rate, max_samples, **kw)

    monkeypatch.setattr(mixdown, "load_music", recording)
    sound = f"sound: {{background: none, chimes: false, music: {sine_music.name}}}"
    routine = tmp_path / "music.yaml"
    routine.write_text(SHORT_ROUTINE.replace("sound: {background: none, chimes: false}", sound))
    result = _render(routine, tmp_path / "music.wav", transcripts=())
    total = result.timeline.total_ms * 44100 // 1000 + 1
    assert asked and all(n is not None and n <= total for n in asked), asked
