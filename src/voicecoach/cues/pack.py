"""Cue packs: key -> phrasings, loaded from YAML with located errors.

A pack file looks like::

    name: gentle
    description: softer wording
    extends: default          # or a path to another pack, relative to this file
    cues:
      rest_announce: ["Breathe for {seconds} seconds. Then {next}."]
    focus:
      glutes:
        - "Find your glutes."
        - say: "Squeeze at the top."
          when: {type: [strength], dosage: reps}
    pronounce:
      "90/90": "ninety-ninety"

A phrase is text, or a mapping with ``say`` and ``when`` (the exercises it fits;
see `voicecoach.cues.when`). ``pronounce`` maps a written form to how it is said;
it merges with the parent's table (the bundled pack has the English one).

`extends` merges key by key: the child's list replaces the parent's list for that
key. A pack without `extends` must define every key. Errors carry FILE:LINE:COL and
the key path, and every problem in the file is reported, not just the first.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import yaml

from voicecoach.cues.keys import FOCUS_GROUPS, FOCUS_PREFIX, OPTIONAL_KEYS, all_keys
from voicecoach.cues.template import check_key, check_template
from voicecoach.cues.when import When, parse_when
from voicecoach.errors import CueError, Problem
from voicecoach.routine.model import Exercise, Where
from voicecoach.routine.traits import Traits, exercise_traits
from voicecoach.text import suggest
from voicecoach.textsafe import CONTROL_HINT, control_character_message, one_line

BUILTIN_PREFIX = "builtin:"
_TOP_KEYS = ("name", "description", "extends", "cues", "focus", "pronounce")
_MAX_PACK_BYTES = 512 * 1024
_MAX_EXTENDS_DEPTH = 20
# Keys added after packs were first written: a complete pack may leave them out and
# gets the bundled pack's lines.
_NEWER_KEYS = ("safety",)


@dataclass(frozen=True)
class CuePack:
    """Phrasings per cue key. Focus banks live under ``focus.<group>`` keys."""

    name: str
    phrases: Mapping[str, tuple[str, ...]]
    description: str = ""
    source: str = BUILTIN_PREFIX + "default"
    # key -> one condition per phrasing (None: fits everywhere); missing key: none
    conditions: Mapping[str, tuple[When | None, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    pronunciations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, key: str) -> tuple[str, ...]:
        """The phrasings for ``key`` (empty: the key is silenced)."""
        return self.phrases.get(key, ())

    def when(self, key: str) -> tuple[When | None, ...]:
        """The condition of each phrasing of ``key`` (None: it fits everywhere)."""
        texts = self.get(key)
        found = self.conditions.get(key, ())
        return found if len(found) == len(texts) else (None,) * len(texts)

    def fitting(self, key: str, traits: Traits | None) -> tuple[str, ...]:
        """The phrasings of ``key`` whose `when:` fits an exercise with ``traits``.

        ``traits`` None (a session-level line): only lines without conditions.
        """
        return tuple(
            text
            for text, cond in zip(self.get(key), self.when(key), strict=True)
            if cond is None or (traits is not None and cond.fits(traits))
        )

    def bank(self, group: str) -> tuple[str, ...]:
        """The mind-body lines for a focus group (e.g. 'glutes')."""
        return self.phrases.get(FOCUS_PREFIX + group, ())

    @property
    def banks(self) -> dict[str, tuple[str, ...]]:
        return {g: self.bank(g) for g in FOCUS_GROUPS}

    def with_overrides(
        self,
        overrides: Mapping[str, tuple[str, ...]],
        *,
        where: Mapping[str, Where] | None = None,
        origin: Where | None = None,
    ) -> CuePack:
        """A copy with ``overrides`` applied; invalid keys or texts raise CueError.

        ``where`` locates each key (e.g. the routine's ``cue_override_where``);
        ``origin`` is the fallback location (e.g. the exercise).
        """
        if not overrides:
            return self
        problems: list[Problem] = []
        merged = dict(self.phrases)
        for key, texts in overrides.items():
            message = validate_override(key, tuple(texts))
            if message is not None:
                at = (where or {}).get(key) or origin or Where()
                path = at.key if (where and key in where) else _join(at.key, key)
                problems.append(Problem(message, at.file, at.line, at.column, path))
                continue
            merged[key] = tuple(texts)
        if problems:
            raise CueError.collect(problems)
        conditions = {k: v for k, v in self.conditions.items() if k not in overrides}
        return replace(
            self, phrases=MappingProxyType(merged), conditions=MappingProxyType(conditions)
        )


@dataclass(frozen=True)
class CuePackInfo:
    """One line of `voicecoach list`."""

    name: str
    description: str
    source: str = field(default="")


def lines_for(pack: CuePack, key: str, exercise: Exercise | None) -> tuple[str, ...]:
    """The phrasings of ``key`` that fit ``exercise`` (its `when:` conditions hold).

    The one filter the script builder calls wherever it picks a line; ``exercise``
    None (session-level lines) keeps only lines without conditions.
    """
    return pack.fitting(key, exercise_traits(exercise) if exercise is not None else None)


def most_specific_lines(pack: CuePack, key: str, exercise: Exercise | None) -> tuple[str, ...]:
    """The fitting phrasings of ``key`` that ask for something (a `when:` with at
    least one condition); the ones that fit everywhere only when none of those fits.

    Check-ins use it: the question about what the exercise targets wins, the general
    one is the fallback (e.g. for an exercise that does not say its type).
    """
    traits = exercise_traits(exercise) if exercise is not None else None
    fitting = set(pack.fitting(key, traits))
    specific = tuple(
        text
        for text, cond in zip(pack.get(key), pack.when(key), strict=True)
        if text in fitting and cond is not None and cond != When()
    )
    return specific or tuple(t for t in pack.get(key) if t in fitting)


def safety_text() -> str:
    """The bundled pack's safety line (what `voicecoach list` and the README print)."""
    lines = _load_bundled("default").get("safety")
    return lines[0] if lines else ""


def validate_override(key: str, texts: tuple[str, ...]) -> str | None:
    """None if ``key: texts`` is a valid cue override, else the message saying why.

    Used by the routine loader, which adds the location.
    """
    message = check_key(key)
    if message is not None:
        return message
    if isinstance(texts, str) or not isinstance(texts, tuple | list):
        return "expected a list of phrases. write each phrase as a list item"
    for text in texts:
        if not isinstance(text, str):
            return f"phrase {text!r} is not text. put it in quotes"
        message = check_template(key, text)
        if message is not None:
            return message
    return None


def cue_keys() -> dict[str, tuple[str, ...]]:
    """Every cue key (including ``focus.<group>``) -> its allowed variables, sorted."""
    from voicecoach.cues.keys import allowed_variables

    return {k: tuple(sorted(allowed_variables(k) or ())) for k in all_keys()}


def _join(base: str | None, key: str) -> str:
    return f"{base}.cue_overrides.{key}" if base else key


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


@functools.lru_cache(maxsize=8)
def _load_bundled(name: str) -> CuePack:
    return _PackReader().load(_bundled_dir() / f"{name}.yaml", display=BUILTIN_PREFIX + name)


def load_cue_pack(ref: str | None, *, base_dir: Path | None = None) -> CuePack:
    """Load a cue pack: None or a bundled name ("default"), or a YAML file path.

    Relative paths resolve against ``base_dir`` (the routine's folder), else the
    current directory.
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
    return _PackReader().load(path)


# --- reading a pack file ------------------------------------------------------------


def _what(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "null": "nothing",
        "str": "text",
    }.get(tag, "a value")


def _is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


class _PackReader:
    """Reads one pack and its `extends` chain, collecting located problems."""

    def __init__(self) -> None:
        self.chain: list[Path] = []

    def load(self, path: Path, *, display: str | None = None) -> CuePack:
        resolved = path.resolve()
        shown = display or str(path)
        if len(self.chain) >= _MAX_EXTENDS_DEPTH:
            raise CueError.at(
                "too many levels of extends",
                file=shown,
                hint=f"a pack may extend at most {_MAX_EXTENDS_DEPTH} others",
            )
        self.chain.append(resolved)
        root = self._compose(path, shown)
        own, meta, problems, extends_node = self._read(root, shown)
        conditions, table = self._conditions, self._pronounce
        parent: CuePack | None = None
        if extends_node is not None and not problems:
            parent = self._parent(extends_node, path, shown)
        if problems:
            raise CueError.collect(problems)
        self.chain.pop()
        if parent is None:
            missing = [
                k
                for k in all_keys()
                if k not in own and k not in OPTIONAL_KEYS and k not in _NEWER_KEYS
            ]
            if missing:
                listed = ", ".join(missing[:6]) + (
                    f" and {len(missing) - 6} more" if len(missing) > 6 else ""
                )
                raise CueError.at(
                    f"the pack does not define {len(missing)} cue keys: {listed}",
                    file=shown,
                    line=1,
                    column=1,
                    hint="add `extends: default` to inherit them",
                )
            merged: dict[str, tuple[str, ...]] = own
            for key in _NEWER_KEYS:  # a pack written before the key existed keeps working
                if key not in merged:
                    merged[key] = _load_bundled("default").get(key)
            description = meta.get("description", "")
        else:
            merged = {**parent.phrases, **own}
            description = meta.get("description", parent.description)
            kept = {k: v for k, v in parent.conditions.items() if k not in own}
            conditions = {**kept, **conditions}
            table = {**parent.pronunciations, **table}
        name = meta.get("name") or (path.stem if display is None else display.split(":")[-1])
        return CuePack(
            name,
            MappingProxyType(merged),
            description,
            display or str(resolved),
            MappingProxyType(conditions),
            MappingProxyType(table),
        )

    def _compose(self, path: Path, shown: str) -> yaml.MappingNode:
        try:
            if path.stat().st_size > _MAX_PACK_BYTES:
                raise CueError.at(
                    "the cue pack is too large",
                    file=shown,
                    hint=f"keep it under {_MAX_PACK_BYTES // 1024} KiB",
                )
            data = path.read_bytes()
        except OSError as exc:
            raise CueError.at(
                f"cannot read the cue pack ({exc.__class__.__name__})",
                file=shown,
                hint="check that the file exists and is UTF-8 text",
            ) from exc
        from voicecoach.routine import yamlsrc

        # located errors for binary and non-UTF-8 files (as for routines)
        text = yamlsrc.decode(data, shown)
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:  # PyYAML composes recursively: deep brackets overflow it
            raise CueError.at(
                "the data is nested too deeply",
                file=shown,
                hint="a cue pack needs only a few levels: check the indentation and brackets",
            ) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise CueError.at(
                f"invalid YAML: {exc.problem or exc.context}",
                file=shown,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint="fix the syntax (indentation, quotes, colons)",
            ) from exc
        except yaml.YAMLError as exc:
            raise CueError.at(f"invalid YAML: {exc}", file=shown) from exc
        if not isinstance(root, yaml.MappingNode):
            raise CueError.at(
                "a cue pack must be a mapping with a `cues:` section",
                file=shown,
                line=(root.start_mark.line + 1) if root is not None else 1,
                column=(root.start_mark.column + 1) if root is not None else 1,
                hint="start from `extends: default` and a `cues:` mapping",
            )
        return root

    def _read(
        self, root: yaml.MappingNode, shown: str
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, str], list[Problem], yaml.Node | None]:
        own: dict[str, tuple[str, ...]] = {}
        self._conditions: dict[str, tuple[When | None, ...]] = {}
        self._pronounce: dict[str, str] = {}
        meta: dict[str, str] = {}
        problems: list[Problem] = []
        extends: yaml.Node | None = None

        def at(node: yaml.Node, key: str, message: str) -> None:
            mark = node.start_mark
            problems.append(Problem(message, shown, mark.line + 1, mark.column + 1, key))

        def read_phrases(key: str, path: str, value: yaml.Node) -> None:
            if _is_text(value):
                items: list[yaml.Node] = [value]
            elif isinstance(value, yaml.SequenceNode):
                items = list(value.value)
            else:
                at(
                    value,
                    path,
                    f"expected a list of phrases, got {_what(value)}. "
                    'write each phrase as a list item: - "..."',
                )
                return
            texts: list[str] = []
            conds: list[When | None] = []
            for i, item in enumerate(items):
                cond: When | None = None
                if isinstance(item, yaml.MappingNode):
                    found = self._phrase_mapping(item, f"{path}[{i}]", at)
                    if found is None:
                        continue
                    item, cond = found
                if not _is_text(item):
                    at(
                        item,
                        f"{path}[{i}]",
                        f"phrase {i + 1} is {_what(item)}, not text. put it in quotes",
                    )
                    continue
                message = check_template(key, item.value)
                control = control_character_message(item.value)
                if control is not None:
                    message = f"{control}. {CONTROL_HINT}"
                if message is not None:
                    at(item, f"{path}[{i}]", message)
                    continue
                texts.append(one_line(item.value))
                conds.append(cond)
            own[key] = tuple(texts)
            if any(c is not None for c in conds):
                self._conditions[key] = tuple(conds)

        seen: set[str] = set()
        for key_node, value in root.value:
            if not _is_text(key_node):
                at(key_node, "", f"a key must be text, got {_what(key_node)}")
                continue
            top = key_node.value
            if top in seen:
                at(key_node, top, f"duplicate key '{top}'. keep only one")
                continue
            seen.add(top)
            if top not in _TOP_KEYS:
                close = suggest(top, _TOP_KEYS)
                hint = f" did you mean '{close}'?" if close else (" use: " + ", ".join(_TOP_KEYS))
                at(key_node, top, f"unknown setting '{top}'.{hint}")
            elif top in ("name", "description"):
                if _is_text(value):
                    meta[top] = value.value
                else:
                    at(value, top, f"expected text, got {_what(value)}")
            elif top == "extends":
                if _is_text(value) and value.value.strip():
                    extends = value
                else:
                    at(
                        value,
                        top,
                        f"expected a pack name or path, got {_what(value)}. "
                        "write `extends: default`",
                    )
            elif top == "pronounce":
                self._read_pronounce(value, at)
            elif not isinstance(value, yaml.MappingNode):
                at(value, top, f"expected a mapping of cue keys, got {_what(value)}")
            else:
                keys_seen: set[str] = set()
                for k_node, v_node in value.value:
                    if not _is_text(k_node):
                        at(k_node, top, f"a cue key must be text, got {_what(k_node)}")
                        continue
                    name = k_node.value
                    full = FOCUS_PREFIX + name if top == "focus" else name
                    path = f"{top}.{name}"
                    if full in keys_seen:
                        at(k_node, path, f"duplicate cue key '{name}'. keep only one")
                        continue
                    keys_seen.add(full)
                    message = _check_pack_key(top, name, full)
                    if message is not None:
                        at(k_node, path, message)
                        continue
                    read_phrases(full, path, v_node)
        return own, meta, problems, extends

    def _phrase_mapping(
        self, node: yaml.MappingNode, path: str, at: Callable[[yaml.Node, str, str], None]
    ) -> tuple[yaml.Node, When | None] | None:
        """``{say: ..., when: {...}}`` -> (the say node, its condition), or None."""
        parts: dict[str, yaml.Node] = {}
        for k_node, v_node in node.value:
            name = k_node.value if _is_text(k_node) else None
            if name not in ("say", "when"):
                at(k_node, path, f"unknown phrase key '{name}'. use say and when")
                return None
            parts[str(name)] = v_node
        if "say" not in parts:
            at(node, path, 'a phrase mapping needs say: "..."')
            return None
        if "when" not in parts:
            return parts["say"], None
        when_node = parts["when"]
        cond, problem = parse_when(_plain(when_node))
        if problem is not None:
            sub, message = problem
            target = when_node
            if isinstance(when_node, yaml.MappingNode):
                for k_node, v_node in when_node.value:
                    if sub and k_node.value == sub:
                        target = k_node if message.startswith("unknown condition") else v_node
            at(target, f"{path}.when" + (f".{sub}" if sub else ""), message)
            return None
        return parts["say"], cond

    def _read_pronounce(self, node: yaml.Node, at: Callable[[yaml.Node, str, str], None]) -> None:
        if not isinstance(node, yaml.MappingNode):
            at(
                node,
                "pronounce",
                f'expected a mapping like "90/90": ninety-ninety, got {_what(node)}',
            )
            return
        for k_node, v_node in node.value:
            if (
                not (_is_text(k_node) or isinstance(k_node, yaml.ScalarNode))
                or not str(k_node.value).strip()
            ):
                at(k_node, "pronounce", "a written form must be text")
                continue
            if not isinstance(v_node, yaml.ScalarNode) or not str(v_node.value).strip():
                at(v_node, f"pronounce.{k_node.value}", "expected how it is said, as text")
                continue
            self._pronounce[str(k_node.value)] = str(v_node.value)

    def _parent(self, node: yaml.Node, path: Path, shown: str) -> CuePack:
        assert isinstance(node, yaml.ScalarNode)
        ref = node.value.strip()
        bundled = _bundled_names()
        if ref in bundled or (
            ref.startswith(BUILTIN_PREFIX) and ref[len(BUILTIN_PREFIX) :] in bundled
        ):
            name = ref.removeprefix(BUILTIN_PREFIX)
            target = _bundled_dir() / f"{name}.yaml"
            return self.load(target, display=BUILTIN_PREFIX + name)
        target = Path(ref).expanduser()
        if not target.is_absolute():
            target = path.parent / target
        if not target.is_file():
            mark = node.start_mark
            raise CueError.at(
                f"cannot find the cue pack '{ref}' named in extends",
                file=shown,
                line=mark.line + 1,
                column=mark.column + 1,
                key="extends",
                hint="use default, or a path relative to this file",
            )
        if target.resolve() in self.chain:
            names = [p.name for p in self.chain] + [target.name]
            mark = node.start_mark
            raise CueError.at(
                "extends cycle: " + " -> ".join(names),
                file=shown,
                line=mark.line + 1,
                column=mark.column + 1,
                key="extends",
                hint="remove one of the extends",
            )
        return self.load(target)


def _plain(node: yaml.Node) -> object:
    """A composed node as plain Python data (safe constructors only)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _check_pack_key(section: str, name: str, full: str) -> str | None:
    if section == "cues":
        return check_key(name)
    if name in FOCUS_GROUPS:
        return None
    close = suggest(name, FOCUS_GROUPS)
    if close:
        return f"unknown focus group '{name}'. did you mean '{close}'?"
    return f"unknown focus group '{name}'. use one of: " + ", ".join(FOCUS_GROUPS)
