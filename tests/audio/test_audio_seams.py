"""The audio modules meet through public names only (issue 15): no module imports
another's private (_underscore) names, and none reaches into another object's private
attributes (estimate once called MusicBed._raw)."""

from __future__ import annotations

import ast
from pathlib import Path

import voicecoach

SRC = Path(voicecoach.__file__).parent
AUDIO = SRC / "audio"


def private_imports(path: Path) -> list[str]:
    """``module: name`` for each private name ``path`` imports from a voicecoach module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("voicecoach")
        ):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.module}: {alias.name}")
    return found


def test_no_module_imports_a_private_name_of_an_audio_module() -> None:
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        inside = path.is_relative_to(AUDIO)
        names = [n for n in private_imports(path) if inside or n.startswith("voicecoach.audio")]
        if names:
            offenders[str(path.relative_to(SRC))] = names
    assert offenders == {}


def test_audio_modules_use_no_other_objects_private_attributes() -> None:
    offenders = []
    for path in sorted(AUDIO.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                and not (  # an override calling the method it overrides
                    isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Name)
                    and node.value.func.id == "super"
                )
            ):
                offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == []
