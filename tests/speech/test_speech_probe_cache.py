"""The pyttsx3 worker is asked for its voices and version once per installation."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecoach.speech import probe_cache, pyttsx3_engine


@pytest.fixture
def probe_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(probe_cache, "_folder", lambda: tmp_path)
    monkeypatch.setattr(pyttsx3_engine, "_PROBES", {})
    return tmp_path


def test_second_process_reuses_the_stored_probe(
    probe_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pyttsx3_engine.Pyttsx3Engine()
    version, voice = first.version, first.voice
    assert version.startswith("pyttsx3 ") and voice
    assert len(list(probe_dir.glob("pyttsx3-*.json"))) == 1

    # A new process: nothing in memory, and no worker may be started for the probe.
    monkeypatch.setattr(pyttsx3_engine, "_PROBES", {})

    def no_worker(*args: object, **kwargs: object) -> None:
        raise AssertionError("the worker was started again")

    monkeypatch.setattr(pyttsx3_engine, "run_worker", no_worker)
    again = pyttsx3_engine.Pyttsx3Engine()
    assert (again.version, again.voice) == (version, voice)


def test_new_software_means_a_new_probe(probe_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = pyttsx3_engine.Pyttsx3Engine().version
    monkeypatch.setattr(pyttsx3_engine, "_PROBES", {})
    real = pyttsx3_engine._installed_software
    monkeypatch.setattr(pyttsx3_engine, "_installed_software", lambda: [*real(), "upgraded"])
    assert pyttsx3_engine.Pyttsx3Engine().version == before
    assert len(list(probe_dir.glob("pyttsx3-*.json"))) == 2


def test_a_damaged_probe_file_is_asked_again(probe_dir: Path) -> None:
    assert pyttsx3_engine.Pyttsx3Engine().version
    (stored,) = probe_dir.glob("pyttsx3-*.json")
    stored.write_text("{not json")
    pyttsx3_engine._PROBES.clear()
    assert pyttsx3_engine.Pyttsx3Engine().version.startswith("pyttsx3 ")
    assert stored.read_text().startswith("{")
    assert "voices" in stored.read_text()
