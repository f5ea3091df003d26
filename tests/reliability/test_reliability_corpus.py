"""The bad-input corpus: every case exits 1 with its exact message and touches nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.reliability_support import (
    CORPUS,
    GENERATED,
    OLD_BYTES,
    expectations,
    make_corpus,
    render_args,
    snapshot,
    voicecoach_command,
)
from voicecoach.cli import cli

CASES = expectations()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus"))


def test_corpus_is_complete():
    """At least 40 inputs, each committed or generated, each with one expectation."""
    named = [c["case"] for c in CASES]
    assert len(named) == len(set(named)) >= 40
    files = {p.name for p in CORPUS.glob("[0-9]*.yaml")} | {n for n in GENERATED if "/" not in n}
    assert files == {c["case"] for c in CASES if "routine" not in c}


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_gives_one_exact_message(case, corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(corpus)
    output = corpus / case.get("output", "out.mp3")
    output.write_bytes(OLD_BYTES)  # yesterday's good file
    before = snapshot(corpus)

    result = CliRunner().invoke(cli, render_args(case, tmp_path / "cache"))

    assert result.exit_code == 1, result.output
    expected = case["stderr"].replace("{dir}", str(corpus))
    assert result.stderr == expected + "\n"
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    # the old output is intact, no sidecar or temp file appeared, nothing else changed
    assert snapshot(corpus) == before
    assert output.read_bytes() == OLD_BYTES


@pytest.mark.parametrize(
    "name", ["03-yaml-tab-indent.yaml", "68-billion-laughs.yaml", "72-binary.yaml"]
)
def test_bad_input_in_a_real_process(name, corpus, tmp_path):
    """The same through the installed command: exit 1, stderr exactly the message."""
    case = next(c for c in CASES if c["case"] == name)
    done = subprocess.run(
        [*voicecoach_command(), *render_args({**case, "output": "proc.mp3"}, tmp_path)],
        cwd=corpus,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == case["stderr"].replace("{dir}", str(corpus)) + "\n"
    assert done.stdout == b""
    assert not (corpus / "proc.mp3").exists()


def test_validate_and_plan_report_the_same_message(corpus, monkeypatch):
    monkeypatch.chdir(corpus)
    case = next(c for c in CASES if c["case"] == "46-unknown-template-variable.yaml")
    for command in (["validate"], ["plan", "--json"]):
        result = CliRunner().invoke(cli, [*command, case["case"]])
        assert result.exit_code == 1
        assert result.stderr == case["stderr"] + "\n"
        assert result.stdout == ""
