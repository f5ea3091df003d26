"""Every ```python block of docs/python-api.md, run in order like a reader would.

The blocks share one namespace (a later block uses what an earlier one made) and run
in an empty folder, with the user cache folder moved there too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cookbook.test_cookbook import FENCE

DOC = Path(__file__).resolve().parents[2] / "docs" / "python-api.md"


def python_blocks() -> list[tuple[str, str, int]]:
    """(info after `python`, body, line number) of every python block, in order."""
    text = DOC.read_text(encoding="utf-8")
    return [
        (m[2].strip(), m[3], text.count("\n", 0, m.start()) + 2)
        for m in FENCE.finditer(text)
        if m[1] == "python"
    ]


def test_every_python_block_is_run() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 6
    assert [info for info, _, _ in blocks] == [""] * len(blocks)  # none marked to skip


def test_the_python_api_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the phrase cache
    namespace: dict[str, object] = {"__name__": "python_api_docs"}
    for _, body, line in python_blocks():
        exec(compile(body, f"{DOC.name}:{line}", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("Low-back reset ")  # its name and number of exercises
    assert printed[1].endswith(" spoken lines") and printed[6].endswith(" 3 chapters")
    assert printed[5].startswith("fake tone, ")  # the voice, and phrases made and cached
    assert printed[7:] == [
        "weak side: left; per-side exercises start on it",
        "level easy (reps and holds x0.75, -1 set): Glute bridge 2 x 4 reps -> 1 x 4 reps",
        "the session would last at least 10:44.000, over the 10:00 limit",
        "Low-back reset",
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "quick-easy.timeline.json",
        "quick-easy.wav",
        "quick.mp3",
        "quick.timeline.json",
        "quick.vtt",
    ]
    assert list((tmp_path / "cache").rglob("*")), "the phrase cache went to the user folder"
