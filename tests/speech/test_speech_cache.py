"""Phrase cache: keys, hits and misses, corruption, atomic concurrent use."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from voicecoach.speech import FakeEngine, PhraseCache, default_cache_dir, synthesize_all
from voicecoach.speech.cache import cache_key, decode_clip, encode_clip

CUES = [
    "Glute bridges.",
    "Squeeze your glutes, not your low back.",
    "One.",
    "Two.",
    "Three.",
    "Rest.",
]


def entries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.clip"))


def test_first_render_synthesizes_then_all_hits(tmp_path):
    cache, engine = PhraseCache(tmp_path), FakeEngine()
    first = synthesize_all(engine, CUES, cache)
    assert (first.synthesized, first.cached) == (6, 0)
    again = synthesize_all(engine, CUES, cache)
    assert (again.synthesized, again.cached) == (0, 6)
    assert engine.batches == [CUES]  # one batch, and none the second time
    for text in CUES:
        assert np.array_equal(first.clips[text].samples, again.clips[text].samples)
        assert again.clips[text].lead == first.clips[text].lead
    assert len(entries(tmp_path)) == 6


def test_editing_one_cue_synthesizes_exactly_one_phrase(tmp_path):
    cache, engine = PhraseCache(tmp_path), FakeEngine()
    synthesize_all(engine, CUES, cache)
    edited = [*CUES[:1], "Squeeze your glutes, keep your ribs down.", *CUES[2:]]
    result = synthesize_all(engine, edited, cache)
    assert (result.synthesized, result.cached) == (1, 5)
    assert engine.batches[-1] == ["Squeeze your glutes, keep your ribs down."]
    assert engine.synthesized == 7


def test_duplicates_are_synthesized_once(tmp_path):
    engine = FakeEngine()
    result = synthesize_all(engine, ["One.", "Two.", "One.", "One.", "Two."], PhraseCache(tmp_path))
    assert result.synthesized == 2 and engine.batches == [["One.", "Two."]]
    assert set(result.clips) == {"One.", "Two."}


def test_without_a_cache_every_distinct_phrase_is_synthesized():
    engine = FakeEngine()
    result = synthesize_all(engine, ["a", "b", "a"], None)
    assert (result.synthesized, result.cached) == (2, 0) and engine.batches == [["a", "b"]]


def test_progress_counts_distinct_phrases(tmp_path):
    cache = PhraseCache(tmp_path)
    synthesize_all(FakeEngine(), CUES[:2], cache)
    seen: list[tuple[int, int]] = []
    synthesize_all(FakeEngine(), CUES, cache, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]


@pytest.mark.parametrize(
    "change",
    [
        {"rate": 170},
        {"voice": "other"},
        {"version": "fake-2"},
        {"name": "fake2"},
    ],
)
def test_key_depends_on_engine_voice_rate_version(change):
    base = FakeEngine()
    other = FakeEngine()
    for attr, value in change.items():
        setattr(other, attr, value)
    assert cache_key(base, "Go.") != cache_key(other, "Go.")
    assert cache_key(base, "Go.") == cache_key(FakeEngine(), "Go.")
    assert cache_key(base, "Go.") != cache_key(base, "Go!")


def test_encode_decode_round_trip():
    clip = FakeEngine().synthesize(["Breathe out."])[0]
    back = decode_clip(encode_clip(clip))
    assert back is not None
    assert np.array_equal(back.samples, clip.samples)
    assert (back.sample_rate, back.lead) == (clip.sample_rate, clip.lead)


def _truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _flip_payload(blob: bytes) -> bytes:
    b = bytearray(blob)
    b[-100] ^= 0xFF
    return bytes(b)


def _flip_header(blob: bytes) -> bytes:
    b = bytearray(blob)
    b[45] ^= 0x01
    return bytes(b)


@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_payload, _flip_header, lambda b: b"", lambda b: b"VCCLIP1\n" + b"x" * 80],
    ids=["truncated", "payload-flip", "header-flip", "empty", "garbage"],
)
def test_corrupt_entry_is_detected_deleted_and_resynthesized(tmp_path, damage):
    cache, engine = PhraseCache(tmp_path), FakeEngine()
    first = synthesize_all(engine, CUES, cache)
    victim = cache.path(cache_key(engine, "Rest."))
    victim.write_bytes(damage(victim.read_bytes()))
    assert cache.get(cache_key(engine, "Rest.")) is None
    assert not victim.exists() and cache.corrupt == 1

    victim_again = cache.path(cache_key(engine, "Three."))
    victim_again.write_bytes(damage(victim_again.read_bytes()))
    result = synthesize_all(engine, CUES, cache)
    assert (result.synthesized, result.cached) == (2, 4)
    assert engine.batches[-1] == ["Three.", "Rest."]
    assert np.array_equal(result.clips["Rest."].samples, first.clips["Rest."].samples)
    assert decode_clip(victim.read_bytes()) is not None  # rewritten whole


def test_writes_leave_no_temp_files(tmp_path):
    synthesize_all(FakeEngine(), CUES, PhraseCache(tmp_path))
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 6 and all(p.suffix == ".clip" for p in files)


def test_unwritable_cache_is_a_warning_not_a_failure(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    result = synthesize_all(FakeEngine(), ["Go."], PhraseCache(blocker))
    assert result.synthesized == 1 and "Go." in result.clips
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"cannot write the phrase cache at {blocker}: ")
    assert result.warnings[0].endswith(". Choose a writable directory with --cache-dir.")


def test_default_directory_is_the_user_cache_dir(tmp_path, monkeypatch):
    if sys.platform in ("darwin", "win32"):
        pytest.skip("XDG_CACHE_HOME applies on Linux only")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "voicecoach" / "phrases"
    assert PhraseCache().directory == tmp_path / "voicecoach" / "phrases"


WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voicecoach.speech import FakeEngine, PhraseCache, synthesize_all
    texts = [f"phrase {i} " + "word " * (i % 7) for i in range(int(sys.argv[2]), int(sys.argv[3]))]
    result = synthesize_all(FakeEngine(), texts, PhraseCache(Path(sys.argv[1])))
    assert len(result.clips) == len(texts) and not result.warnings
    print(result.synthesized, result.cached)
    """
)


def test_two_processes_share_one_cache(tmp_path):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), lo, hi],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        for lo, hi in (("0", "150"), ("50", "200"))
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        synthesized, cached = map(int, out.split())
        assert synthesized + cached == 150
    found = entries(tmp_path)
    assert len(found) == 200
    assert all(decode_clip(p.read_bytes()) is not None for p in found)
    assert not [p for p in tmp_path.rglob("*.tmp")]
    # both processes wrote the overlap or read it: a third run finds everything cached
    again = synthesize_all(
        FakeEngine(),
        [f"phrase {i} " + "word " * (i % 7) for i in range(200)],
        PhraseCache(tmp_path),
    )
    assert (again.synthesized, again.cached) == (0, 200)


def test_the_engine_says_the_spoken_form_and_the_cache_keys_on_it(tmp_path):
    from voicecoach.speech import FakeEngine

    engine = FakeEngine()
    say = {"90/90 stretch": "ninety ninety stretch"}
    result = synthesize_all(
        engine, ["90/90 stretch", "Hold."], PhraseCache(tmp_path), spoken=lambda t: say.get(t, t)
    )
    assert engine.batches == [["ninety ninety stretch", "Hold."]]
    assert set(result.clips) == {"90/90 stretch", "Hold."}  # keyed by the written form
    # another written form with the same spoken text is a cache hit
    again = synthesize_all(
        engine, ["90-90 stretch"], PhraseCache(tmp_path), spoken=lambda t: "ninety ninety stretch"
    )
    assert again.cached == 1 and engine.synthesized == 2
