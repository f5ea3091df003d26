"""`import voicecoach` and `voicecoach --help` stay light (issue 15).

The package's public names are imported on first use (PEP 562 ``__getattr__``), and
the command imports what a command needs inside it. Each check runs a fresh
interpreter and reads what it imported from ``-X importtime`` (its stderr lists
every module as it is imported), so nothing earlier in the test session can hide
or add an import. How long start-up takes is measured by scripts/bench.py, not here.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import voicecoach

HEAVY = ("numpy", "piper", "onnxruntime", "playwright")


def _imported(command: list[str]) -> set[str]:
    """The modules a fresh interpreter imported while running `command`."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("PYTHONSTARTUP", None)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name)
    assert "voicecoach" in names, "the import log is empty: -X importtime did not run"
    return names


def _console_script() -> str:
    beside = Path(sys.executable).with_name("voicecoach")
    found = str(beside) if beside.exists() else shutil.which("voicecoach")
    if found is None:
        pytest.skip("the voicecoach console script is not installed")
    return found


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([sys.executable, "-c", "import voicecoach"], id="import"),
        pytest.param([sys.executable, "-m", "voicecoach", "--help"], id="python-m-help"),
        pytest.param(["SCRIPT", "--help"], id="console-script-help"),
    ],
)
def test_start_up_imports_nothing_heavy(command: list[str]) -> None:
    if command[0] == "SCRIPT":
        command = [_console_script(), *command[1:]]
    heavy = sorted(name for name in _imported(command) if name.split(".")[0] in HEAVY)
    assert heavy == []


def test_public_names_resolve_lazily_to_their_modules() -> None:
    for name, (module, attribute) in voicecoach._EXPORTS.items():
        assert getattr(voicecoach, name) is getattr(importlib.import_module(module), attribute)
    assert set(voicecoach.__all__) == {*voicecoach._EXPORTS, "__version__"}
    assert set(voicecoach.__all__) <= set(dir(voicecoach))
    from voicecoach import Choices, load_routine, plan, render
    from voicecoach.pipeline import plan_routine
    from voicecoach.pipeline import render as render_function
    from voicecoach.planning.personalize import Choices as PlannerChoices

    assert (Choices, plan, render) == (PlannerChoices, plan_routine, render_function)
    assert callable(load_routine)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'voicecoach' has no attribute 'rendr'"):
        voicecoach.rendr  # noqa: B018
    assert not hasattr(voicecoach, "rendr")
