"""`voicecoach cache info/clear` and the size cap (least recently used clips go first)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import SpeechError
from voicecoach.speech import FakeEngine, PhraseCache, synthesize_all
from voicecoach.speech.cache_admin import clear, info, parse_size, trim


def fill(directory: Path, engine: FakeEngine, texts: list[str]) -> None:
    synthesize_all(engine, texts, PhraseCache(directory))


class OtherEngine(FakeEngine):
    name = "piper"  # a double: another engine's entries, made instantly


def test_info_groups_by_engine_and_voice(tmp_path):
    fill(tmp_path, FakeEngine(), ["one two", "three four", "five"])
    fill(tmp_path, OtherEngine(), ["one two"])
    found = info(tmp_path)
    assert found.entries == 4
    assert {k: g.entries for k, g in found.by_voice.items()} == {
        ("fake", "tone"): 3,
        ("piper", "tone"): 1,
    }
    assert found.bytes == sum(p.stat().st_size for p in tmp_path.rglob("*.clip"))


def test_clear_one_engine_then_all(tmp_path):
    fill(tmp_path, FakeEngine(), ["one two", "three four"])
    fill(tmp_path, OtherEngine(), ["one two"])
    assert clear(tmp_path, "piper")[0] == 1
    assert info(tmp_path).entries == 2
    assert clear(tmp_path)[0] == 2
    assert info(tmp_path).entries == 0


def test_trim_evicts_least_recently_used(tmp_path):
    engine = FakeEngine()
    texts = [f"phrase {i}" for i in range(6)]
    fill(tmp_path, engine, texts)
    files = sorted(tmp_path.rglob("*.clip"))
    size = files[0].stat().st_size
    for age, path in enumerate(files):  # oldest first in this order
        os.utime(path, ns=(10**18 + age * 10**9, 10**18 + age * 10**9))
    assert trim(tmp_path, limit=3 * size) == 3
    assert sorted(tmp_path.rglob("*.clip")) == files[3:]


def test_reading_a_clip_marks_it_recently_used(tmp_path):
    engine = FakeEngine()
    fill(tmp_path, engine, ["old one", "new one"])
    for path in tmp_path.rglob("*.clip"):
        os.utime(path, ns=(10**18, 10**18))
    synthesize_all(engine, ["old one"], PhraseCache(tmp_path))  # a hit touches it
    size = next(tmp_path.rglob("*.clip")).stat().st_size
    assert trim(tmp_path, limit=size) == 1
    assert synthesize_all(engine, ["old one"], PhraseCache(tmp_path)).cached == 1


def test_cap_from_the_environment(monkeypatch, tmp_path):
    assert parse_size("500M") == 500_000_000 and parse_size("2g") == 2_000_000_000
    assert parse_size("1234") == 1234
    monkeypatch.setenv("VOICECOACH_CACHE_MAX", "1K")
    fill(tmp_path, FakeEngine(), [f"a long phrase to fill the cache {i}" for i in range(5)])
    assert info(tmp_path).bytes <= 1000
    with pytest.raises(SpeechError) as err:
        parse_size("lots")
    assert str(err.value) == (
        "VOICECOACH_CACHE_MAX='lots' is not a size. Use bytes or a number with K, M or G, "
        "e.g. 500M or 2G (0 means no cap)."
    )


def test_cli_info_and_clear(tmp_path):
    fill(tmp_path, FakeEngine(), ["one two", "three four"])
    runner = CliRunner()
    shown = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert lines[0].startswith(f"{tmp_path}: 2 clips, ") and lines[0].endswith("(cap 1000 MB)")
    assert lines[1].split()[:4] == ["fake", "tone", "2", "clips"]
    bad = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(tmp_path), "--engine", "x"])
    assert bad.exit_code == 1
    assert bad.stderr == "error: unknown speech engine 'x'. choose one of: pyttsx3, piper, fake.\n"
    done = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert done.exit_code == 0 and done.output.startswith("removed 2 clips (")
    assert info(tmp_path).entries == 0
