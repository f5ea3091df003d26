"""Finding and reading cue pack files: the bundled packs, a pack's `extends` chain.

A pack file is read by the routine's located-YAML reader
(`voicecoach.routine.yamlsrc`): the same size, binary, nesting, alias and
duplicate-key checks, every value with its line and column. This module checks
the pack's own shape (see `voicecoach.cues.pack` for the format) and reports
every problem in the file at once, as a `CueError`.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from voicecoach.cues.keys import FOCUS_PREFIX, OPTIONAL_KEYS, all_keys
from voicecoach.cues.pack import BUILTIN_PREFIX, CuePack, CuePackInfo
from voicecoach.cues.template import check_key, check_template
from voicecoach.cues.when import When, parse_when
from voicecoach.errors import CueError, Problem, RoutineError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import yamlsrc
from voicecoach.routine.focus import FOCUS_GROUPS
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import suggest
from voicecoach.textsafe import CONTROL_HINT, control_character_message, one_line

_TOP_KEYS = ("name", "description", "extends", "cues", "focus", "pronounce")
# Keys added after packs were first written: a complete pack may leave them out and
# gets the bundled pack's lines.
_NEWER_KEYS = ("safety",)

Pos = tuple[int | None, int | None]  # 1-based line and column


# --- bundled packs ----------------------------------------------------------------


def _bundled_dir() -> Path:
    return Path(str(importlib.resources.files("voicecoach.cues")))


def _bundled_names() -> list[str]:
    return sorted(p.stem for p in _bundled_dir().glob("*.yaml"))


def list_cue_packs() -> list[CuePackInfo]:
    """The bundled cue packs, for `voicecoach list`."""
    return [
        CuePackInfo(name, pack.description, pack.source)
        for name in _bundled_names()
        for pack in [_load_bundled(name)]
    ]


def safety_text() -> str:
    """The bundled pack's safety line (what `voicecoach list` and the README print)."""
    lines = _load_bundled("default").get("safety")
    return lines[0] if lines else ""


@functools.lru_cache(maxsize=8)
def _load_bundled(name: str) -> CuePack:
    return _PackReader().load(_bundled_dir() / f"{name}.yaml", display=BUILTIN_PREFIX + name)


def load_cue_pack(
    ref: str | None, *, base_dir: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> CuePack:
    """Load a cue pack: None or a bundled name ("default"), or a YAML file path.

    Relative paths resolve against ``base_dir`` (the routine's folder), else the
    current directory. A pack file is refused over ``limits``.
    """
    if ref is None or ref in _bundled_names():
        return _load_bundled(ref or "default")
    if ref.startswith(BUILTIN_PREFIX) and ref[len(BUILTIN_PREFIX) :] in _bundled_names():
        return _load_bundled(ref[len(BUILTIN_PREFIX) :])
    path = Path(ref).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        names = ", ".join(_bundled_names())
        raise CueError.at(
            f"cue pack '{ref}' not found",
            hint=f"use the path of a .yaml file or a bundled pack: {names}",
        )
    return _PackReader(limits).load(path)


# --- one pack file ------------------------------------------------------------------


def _what(node: YNode) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    value = node.value
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "text" if isinstance(value, str) else "a value"


def _is_text(node: YNode) -> bool:
    return node.kind == "scalar" and isinstance(node.value, str)


def _pos(node: YNode) -> Pos:
    return node.line, node.column


@dataclass
class _Parsed:
    """What one pack file says, and every problem found in it."""

    shown: str
    own: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conditions: dict[str, tuple[When | None, ...]] = field(default_factory=dict)
    pronounce: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    extends: YNode | None = None

    def at(self, pos: Pos, key: str, message: str) -> None:
        self.problems.append(Problem(message, self.shown, pos[0], pos[1], key))


def _compose(path: Path, shown: str, limits: Limits) -> YNode:
    """The pack file as located nodes; unreadable or malformed files raise CueError."""
    try:
        if path.stat().st_size > limits.max_cue_pack_bytes:
            raise CueError.at(
                "the cue pack is too large",
                file=shown,
                hint=f"keep it under {limits.max_cue_pack_bytes // 1024} KiB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CueError.at(
            f"cannot read the cue pack ({exc.__class__.__name__})",
            file=shown,
            hint="check that the file exists and is UTF-8 text",
        ) from exc
    try:
        text = yamlsrc.decode(data, shown, limits=limits)
        root = yamlsrc.compose(text, shown, what="cue pack", limits=limits)
        if isinstance(root, yaml.MappingNode):
            return yamlsrc.convert(root, shown, what="cue pack", limits=limits)
    except CueError:
        raise
    except RoutineError as exc:
        raise CueError.collect(exc.problems) from None
    raise CueError.at(
        "a cue pack must be a mapping with a `cues:` section",
        file=shown,
        line=(root.start_mark.line + 1) if root is not None else 1,
        column=(root.start_mark.column + 1) if root is not None else 1,
        hint="start from `extends: default` and a `cues:` mapping",
    )


def _read(root: YNode, shown: str) -> _Parsed:
    """Every top-level setting of a pack, checked."""
    parsed = _Parsed(shown)
    for top, value in root.value.items():
        if top not in _TOP_KEYS:
            close = suggest(top, _TOP_KEYS)
            hint = f" did you mean '{close}'?" if close else (" use: " + ", ".join(_TOP_KEYS))
            parsed.at(root.key_at[top], top, f"unknown setting '{top}'.{hint}")
        elif top in ("name", "description"):
            if _is_text(value):
                parsed.meta[top] = value.value
            else:
                parsed.at(_pos(value), top, f"expected text, got {_what(value)}")
        elif top == "extends":
            if _is_text(value) and value.value.strip():
                parsed.extends = value
            else:
                parsed.at(
                    _pos(value),
                    top,
                    f"expected a pack name or path, got {_what(value)}. write `extends: default`",
                )
        elif top == "pronounce":
            _read_pronounce(parsed, value)
        elif value.kind != "map":
            parsed.at(_pos(value), top, f"expected a mapping of cue keys, got {_what(value)}")
        else:
            _read_section(parsed, top, value)
    return parsed


def _read_section(parsed: _Parsed, section: str, node: YNode) -> None:
    """``cues:`` or ``focus:``: cue key -> its phrases."""
    for name, value in node.value.items():
        full = FOCUS_PREFIX + name if section == "focus" else name
        path = f"{section}.{name}"
        message = _check_pack_key(section, name)
        if message is not None:
            parsed.at(node.key_at[name], path, message)
            continue
        _read_phrases(parsed, full, path, value)


def _read_phrases(parsed: _Parsed, key: str, path: str, value: YNode) -> None:
    if _is_text(value):
        items = [value]
    elif value.kind == "seq":
        items = list(value.value)
    else:
        parsed.at(
            _pos(value),
            path,
            f"expected a list of phrases, got {_what(value)}. "
            'write each phrase as a list item: - "..."',
        )
        return
    texts: list[str] = []
    conds: list[When | None] = []
    for i, item in enumerate(items):
        found = _read_phrase(parsed, key, f"{path}[{i}]", i, item)
        if found is not None:
            texts.append(found[0])
            conds.append(found[1])
    parsed.own[key] = tuple(texts)
    if any(c is not None for c in conds):
        parsed.conditions[key] = tuple(conds)


def _read_phrase(
    parsed: _Parsed, key: str, path: str, index: int, item: YNode
) -> tuple[str, When | None] | None:
    """One phrase (text, or ``{say, when}``) -> (its text, its condition), or None."""
    cond: When | None = None
    if item.kind == "map":
        found = _phrase_mapping(parsed, item, path)
        if found is None:
            return None
        item, cond = found
    if not _is_text(item):
        parsed.at(
            _pos(item), path, f"phrase {index + 1} is {_what(item)}, not text. put it in quotes"
        )
        return None
    message = check_template(key, item.value)
    control = control_character_message(item.value)
    if control is not None:
        message = f"{control}. {CONTROL_HINT}"
    if message is not None:
        parsed.at(_pos(item), path, message)
        return None
    return one_line(item.value), cond


def _phrase_mapping(parsed: _Parsed, node: YNode, path: str) -> tuple[YNode, When | None] | None:
    """``{say: ..., when: {...}}`` -> (the say node, its condition), or None."""
    for name in node.value:
        if name not in ("say", "when"):
            parsed.at(node.key_at[name], path, f"unknown phrase key '{name}'. use say and when")
            return None
    parts: dict[str, YNode] = node.value
    if "say" not in parts:
        parsed.at(_pos(node), path, 'a phrase mapping needs say: "..."')
        return None
    if "when" not in parts:
        return parts["say"], None
    when_node = parts["when"]
    cond, problem = parse_when(when_node.to_python())
    if problem is not None:
        sub, message = problem
        target = _pos(when_node)
        if when_node.kind == "map" and sub and sub in when_node.value:
            unknown = message.startswith("unknown condition")
            target = when_node.key_at[sub] if unknown else _pos(when_node.value[sub])
        parsed.at(target, f"{path}.when" + (f".{sub}" if sub else ""), message)
        return None
    return parts["say"], cond


def _read_pronounce(parsed: _Parsed, node: YNode) -> None:
    if node.kind != "map":
        parsed.at(
            _pos(node),
            "pronounce",
            f'expected a mapping like "90/90": ninety-ninety, got {_what(node)}',
        )
        return
    for written, said in node.value.items():
        if not written.strip():
            parsed.at(node.key_at[written], "pronounce", "a written form must be text")
            continue
        if said.kind != "scalar" or not (said.raw or "").strip():
            parsed.at(_pos(said), f"pronounce.{written}", "expected how it is said, as text")
            continue
        parsed.pronounce[written] = str(said.raw)


def _check_pack_key(section: str, name: str) -> str | None:
    if section == "cues":
        return check_key(name)
    if name in FOCUS_GROUPS:
        return None
    close = suggest(name, FOCUS_GROUPS)
    if close:
        return f"unknown focus group '{name}'. did you mean '{close}'?"
    return f"unknown focus group '{name}'. use one of: " + ", ".join(FOCUS_GROUPS)


class _PackReader:
    """Reads one pack and its `extends` chain, collecting located problems."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.chain: list[Path] = []

    def load(self, path: Path, *, display: str | None = None) -> CuePack:
        shown = display or str(path)
        if len(self.chain) >= self.limits.max_pack_extends:
            raise CueError.at(
                "too many levels of extends",
                file=shown,
                hint=f"a pack may extend at most {self.limits.max_pack_extends} others",
            )
        self.chain.append(path.resolve())
        parsed = _read(_compose(path, shown, self.limits), shown)
        parent: CuePack | None = None
        if parsed.extends is not None and not parsed.problems:
            parent = self._parent(parsed.extends, path, shown)
        if parsed.problems:
            raise CueError.collect(parsed.problems)
        self.chain.pop()
        name = parsed.meta.get("name") or (path.stem if display is None else shown.split(":")[-1])
        source = display or str(path.resolve())
        if parent is None:
            return _complete(parsed, name, source)
        kept = {k: v for k, v in parent.conditions.items() if k not in parsed.own}
        return CuePack(
            name,
            MappingProxyType({**parent.phrases, **parsed.own}),
            parsed.meta.get("description", parent.description),
            source,
            MappingProxyType({**kept, **parsed.conditions}),
            MappingProxyType({**parent.pronunciations, **parsed.pronounce}),
        )

    def _parent(self, node: YNode, path: Path, shown: str) -> CuePack:
        ref = str(node.value).strip()
        bundled = _bundled_names()
        if ref in bundled or (
            ref.startswith(BUILTIN_PREFIX) and ref[len(BUILTIN_PREFIX) :] in bundled
        ):
            name = ref.removeprefix(BUILTIN_PREFIX)
            return self.load(_bundled_dir() / f"{name}.yaml", display=BUILTIN_PREFIX + name)
        target = Path(ref).expanduser()
        if not target.is_absolute():
            target = path.parent / target
        if not target.is_file():
            raise CueError.at(
                f"cannot find the cue pack '{ref}' named in extends",
                file=shown,
                line=node.line,
                column=node.column,
                key="extends",
                hint="use default, or a path relative to this file",
            )
        if target.resolve() in self.chain:
            names = [p.name for p in self.chain] + [target.name]
            raise CueError.at(
                "extends cycle: " + " -> ".join(names),
                file=shown,
                line=node.line,
                column=node.column,
                key="extends",
                hint="remove one of the extends",
            )
        return self.load(target)


def _complete(parsed: _Parsed, name: str, source: str) -> CuePack:
    """A pack without `extends`: it must define every key (newer keys excepted)."""
    own = parsed.own
    missing = [
        k for k in all_keys() if k not in own and k not in OPTIONAL_KEYS and k not in _NEWER_KEYS
    ]
    if missing:
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        raise CueError.at(
            f"the pack does not define {len(missing)} cue keys: {', '.join(missing[:6])}{more}",
            file=parsed.shown,
            line=1,
            column=1,
            hint="add `extends: default` to inherit them",
        )
    merged = dict(own)
    for key in _NEWER_KEYS:  # a pack written before the key existed keeps working
        if key not in merged:
            merged[key] = _load_bundled("default").get(key)
    return CuePack(
        name,
        MappingProxyType(merged),
        parsed.meta.get("description", ""),
        source,
        MappingProxyType(parsed.conditions),
        MappingProxyType(parsed.pronounce),
    )
