"""The house rules on size: no module over 450 lines, no function over 60.

A long module usually does two jobs and a long function hides steps that deserve names.
The few exceptions are listed here with the reason they stay whole; a new one has to
argue its way into this list.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "voicecoach"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60

# "path:qualified name" -> why it stays longer than the rule.
EXCEPTIONS: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            yield name, node.end_lineno - node.lineno + 1  # type: ignore[operator]
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")


def _too_long() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            found[rel] = lines
        for name, length in _functions(ast.parse(source)):
            if length > MAX_FUNCTION_LINES:
                found[f"{rel}:{name}"] = length
    return found


def test_modules_and_functions_keep_to_their_size() -> None:
    over = {where: n for where, n in _too_long().items() if where not in EXCEPTIONS}
    assert not over, "over the size rule (split by job, or argue for an exception): " + ", ".join(
        f"{where} ({n} lines)" for where, n in sorted(over.items())
    )


def test_exceptions_are_few_and_still_needed() -> None:
    assert len(EXCEPTIONS) <= 3
    stale = set(EXCEPTIONS) - set(_too_long())
    assert not stale, f"no longer over the rule, drop from EXCEPTIONS: {sorted(stale)}"
