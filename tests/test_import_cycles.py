"""No import cycles inside src/voicecoach (issue 15).

Data flows one way (routine -> cues -> plan -> speech/audio -> mixdown -> pipeline ->
cli), so the import graph must have no cycle. The graph is read with `ast`, not by
importing anything, and counts every import at every depth: inside functions, `try`
blocks and `except ImportError` fallbacks too, and `importlib.import_module("...")`
with a literal name. Only `if TYPE_CHECKING:` blocks are exempt (they never run).

Edges follow what Python executes:

- `import a.b.c` and `from a.b.c import name` import module ``a.b.c``;
  `from a.b import c` imports the submodule ``a.b.c`` when there is one, else the
  package ``a.b`` (its ``__init__``).
- A module with a PEP 562 ``__getattr__`` (the package's lazy public API) imports
  each module it names in a string, when that name is first used.
- Importing ``a.b.c`` first runs the ``__init__`` of every package above it, so the
  importer also depends on ``a.b`` and ``a``, except on the packages it lives in
  itself (those are already being imported when it runs).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "voicecoach"

# Cycles still open, each as the set of modules in it. Empty this set once they are
# broken: from then on, any cycle fails.
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_files(root: Path = SRC / PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom | ast.Call]:
    """Every import statement and `import_module(...)` call, at any depth, outside
    `if TYPE_CHECKING:` bodies (their `else:` still counts)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "import_module":
                yield node
        stack.extend(ast.iter_child_nodes(node))


def _lazy_exports(tree: ast.Module, modules: dict[str, Path]) -> Iterator[str]:
    """The modules a lazy module ``__getattr__`` imports: every string in the module
    that names one of the package's modules."""
    if not any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in modules:
            yield str(node.value)


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of `name` that is a module of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _targets(
    importer: str, is_package: bool, node: ast.AST, modules: dict[str, Path]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = importer.split(".")
            if not is_package:
                base.pop()
            base = base[: len(base) - (node.level - 1)]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            yield submodule if submodule in modules else source
    elif isinstance(node, ast.Call) and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def import_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Module -> the package's modules that importing it runs directly."""
    modules = module_files() if modules is None else modules
    graph: dict[str, set[str]] = {}
    for importer, path in modules.items():
        parts = importer.split(".")
        own_packages = {".".join(parts[:i]) for i in range(1, len(parts))}
        is_package = path.name == "__init__.py"
        deps: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets = [
            t for n in _import_nodes(tree) for t in _targets(importer, is_package, n, modules)
        ]
        for target in [*targets, *_lazy_exports(tree, modules)]:
            known = _known(target, modules)
            if known is None:
                continue
            deps.add(known)
            names = known.split(".")
            above = (".".join(names[:i]) for i in range(1, len(names)))
            deps.update(parent for parent in above if parent not in own_packages)
        deps.discard(importer)
        graph[importer] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
    return found


def _one_loop(component: frozenset[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete loop through the component's first module, for the message."""
    start = min(component)
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph[node] & component):
            if succ == start:
                return [*paths[node], start]
            if succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return sorted(component)


@functools.cache
def _package_graph() -> dict[str, set[str]]:
    return import_graph()


def test_no_import_cycles() -> None:
    graph = _package_graph()
    unexpected = [c for c in cycles(graph) if c not in KNOWN_CYCLES]
    loops = [
        f"{' -> '.join(_one_loop(c, graph))} (all in the cycle: {', '.join(sorted(c))})"
        for c in unexpected
    ]
    assert not loops, "import cycles:\n" + "\n".join(loops)


def test_known_cycles_are_still_open() -> None:
    """An allowance that is no longer needed goes, so the cycle cannot come back."""
    closed = KNOWN_CYCLES - set(cycles(_package_graph()))
    assert not closed, f"no longer cycles, remove from KNOWN_CYCLES: {sorted(map(sorted, closed))}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a cycle hidden in a function, behind `except ImportError`
        (
            {
                "a": "def f():\n    try:\n        from pkg import b\n    except ImportError:\n"
                "        pass\n",
                "b": "import pkg.a\n",
            },
            [{"pkg.a", "pkg.b"}],
        ),
        # TYPE_CHECKING imports are exempt; the else branch is not
        (
            {
                "a": "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.b import X\n",
                "b": "from pkg.a import Y\n",
            },
            [],
        ),
        (
            {
                "a": "import typing\n"
                "if typing.TYPE_CHECKING:\n    pass\nelse:\n    from . import b\n",
                "b": "from .a import Y\n",
            },
            [{"pkg.a", "pkg.b"}],
        ),
        # importing a submodule runs its package's __init__
        (
            {
                "sub/__init__": "from pkg.sub.inner import X\n",
                "sub/inner": "from pkg.c import Y\n",
                "c": "import importlib\nM = importlib.import_module('pkg.sub.other')\n",
                "sub/other": "",
            },
            [{"pkg.sub", "pkg.sub.inner", "pkg.c"}],
        ),
        # a lazy module __getattr__ imports the modules its strings name
        (
            {
                "sub/__init__": "import importlib\nNAMES = {'x': 'pkg.c'}\n"
                "def __getattr__(name):\n    return importlib.import_module(NAMES[name])\n",
                "c": "from pkg.sub import thing\n",
            },
            [{"pkg.sub", "pkg.c"}],
        ),
    ],
)
def test_graph_sees(tmp_path: Path, source: dict[str, str], expected: list[set[str]]) -> None:
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    for name, text in source.items():
        (root / f"{name}.py").write_text(text)
    if not (root / "sub" / "__init__.py").exists():
        (root / "sub" / "__init__.py").write_text("")
    found = cycles(import_graph(module_files(root)))
    assert sorted(map(set, found), key=sorted) == expected
