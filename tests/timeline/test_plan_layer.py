"""The planner gets real phrase lengths through what it is handed (a phrase-length
function, a `Measure`, a `cached_lengths.ClipLengths`), never by importing speech or
audio itself: no plan-side module imports them, at any depth of its code."""

from __future__ import annotations

import ast
from pathlib import Path

import voicecoach

SRC = Path(voicecoach.__file__).parent
# Every module of the planning package, and the text helpers it uses.
PLAN_SIDE = sorted(
    [f"planning/{p.stem}" for p in (SRC / "planning").glob("*.py")] + ["text"]
)
LATER_STAGES = (
    "voicecoach.speech",
    "voicecoach.audio",
    "voicecoach.mixdown",
    "voicecoach.pipeline",
)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, inside functions and try blocks too
    (an `if TYPE_CHECKING:` block only names types)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def test_no_plan_side_module_imports_speech_or_audio() -> None:
    found = {
        name: sorted(m for m in imported(SRC / f"{name}.py") if m.startswith(LATER_STAGES))
        for name in PLAN_SIDE
    }
    assert {name: mods for name, mods in found.items() if mods} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from voicecoach.audio import mixer\n"
        "def f():\n    from voicecoach.speech.cache import PhraseCache\n"
    )
    assert sorted(m for m in imported(module) if m.startswith(LATER_STAGES)) == [
        "voicecoach.speech.cache",
        "voicecoach.speech.cache.PhraseCache",
    ]
