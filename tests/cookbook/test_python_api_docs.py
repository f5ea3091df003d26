"""Every ```python block of docs/python-api.md, run in order like a reader would.

The blocks share one namespace (a later block uses what an earlier one made) and run
in an empty folder, with the user cache folder moved there too. Blocks marked
``python pending`` show API that other branches are adding: they are only compiled
here, and only allowed in the section that says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cookbook.test_cookbook import FENCE

DOC = Path(__file__).resolve().parents[2] / "docs" / "python-api.md"
PENDING_SECTION = "## Coming with the next merge"


def python_blocks() -> list[tuple[str, str, int]]:
    """(info after `python`, body, line number) of every python block, in order."""
    text = DOC.read_text(encoding="utf-8")
    return [
        (m[2].strip(), m[3], text.count("\n", 0, m.start()) + 2)
        for m in FENCE.finditer(text)
        if m[1] == "python"
    ]


def test_python_blocks_are_runnable_or_marked_pending() -> None:
    text = DOC.read_text(encoding="utf-8")
    pending_from = text.index(PENDING_SECTION)
    blocks = python_blocks()
    assert sum(info == "" for info, _, _ in blocks) >= 5
    for info, body, line in blocks:
        assert info in ("", "pending"), (line, info)
        if info == "pending":
            assert text.index(body) > pending_from, f"line {line}: pending outside its section"
            compile(body, f"{DOC.name}:{line}", "exec")  # at least it is Python


def test_the_python_api_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the phrase cache
    namespace: dict[str, object] = {"__name__": "python_api_docs"}
    for info, body, line in python_blocks():
        if info == "":
            exec(compile(body, f"{DOC.name}:{line}", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Low-back reset ")  # its name and number of exercises
    assert printed[1].endswith(" spoken lines") and printed[6].endswith(" 3 chapters")
    assert printed[5].startswith("fake tone, ")  # the voice, and phrases made and cached
    assert printed[7:] == [
        "weak side: left; per-side exercises start on it",
        "level easy (reps and holds x0.75, -1 set): Glute bridge 2 x 4 reps -> 1 x 4 reps",
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "quick-easy.timeline.json",
        "quick-easy.wav",
        "quick.mp3",
        "quick.timeline.json",
        "quick.vtt",
    ]
    assert list((tmp_path / "cache").rglob("*")), "the phrase cache went to the user folder"
