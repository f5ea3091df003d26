"""Read YAML text into located nodes, refusing what a routine never needs.

PyYAML's SafeLoader composes the node graph (safe_load semantics: standard tags
only); we convert it ourselves so every value keeps its line and column, duplicate
keys are caught, and alias bombs or absurd nesting are refused *before* anything
is expanded: a first pass over the event stream sizes every anchor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor

from voicecoach.errors import Problem, RoutineError
from voicecoach.limits import DEFAULT_LIMITS, Limits

Kind = Literal["map", "seq", "scalar"]
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)
_MERGE = _TAG + "merge"


@dataclass(eq=False)
class YNode:
    """One YAML value and where it was written (1-based line and column).

    ``value`` is a dict of key -> YNode (in written order) for a mapping, a list of
    YNode for a sequence, or the constructed Python scalar. ``raw`` is a scalar's
    source text; ``key_at`` records where each mapping key was written. ``origin``
    names a source other than the file (e.g. "command line" for overrides).
    """

    kind: Kind
    value: Any
    line: int | None = None
    column: int | None = None
    raw: str | None = None
    plain: bool = False  # an unquoted scalar
    key_at: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    origin: str | None = None

    def to_python(self) -> Any:
        if self.kind == "map":
            return {k: v.to_python() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.to_python() for v in self.value]
        return self.value


def _problem(
    file: str,
    message: str,
    hint: str | None = None,
    *,
    line: int | None = None,
    column: int | None = None,
    key: str | None = None,
) -> Problem:
    return Problem(message, file=file, line=line, column=column, key=key or None, hint=hint)


def _fail(file: str, message: str, hint: str | None = None, **where: Any) -> RoutineError:
    return RoutineError.collect([_problem(file, message, hint, **where)])


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, file: str, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """File bytes -> text, refusing huge, binary and non-UTF-8 files with a location."""
    if len(data) > limits.max_file_bytes:
        raise too_large(file, len(data), limits)
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _line_col(data[:nul].decode("utf-8", "replace"), nul)
        raise _binary(file, line, column)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace")
        line, column = _line_col(good, len(good))
        raise _fail(
            file,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8 in your editor",
            line=line,
            column=column,
        ) from None


def too_large(file: str, size: int, limits: Limits = DEFAULT_LIMITS) -> RoutineError:
    """The error for a routine file over ``limits.max_file_bytes``."""
    limit = limits.max_file_bytes
    return _fail(
        file,
        f"the file is too large ({size / 1048576:.1f} MiB; at most {limit / 1048576:g} MiB)",
        "a routine is a short text file: check that this is the right file",
    )


def _binary(file: str, line: int, column: int) -> RoutineError:
    return _fail(
        file,
        "this is a binary file, not YAML text",
        "a routine is a text file written in YAML; `voicecoach new NAME` writes one",
        line=line,
        column=column,
    )


def parse(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS) -> YNode:
    """YAML text -> the document's root node. Raises RoutineError with every problem."""
    root = compose(text, file, limits=limits)
    if root is None:
        raise _fail(
            file,
            "the file is empty",
            "write a routine in it, or start from `voicecoach new NAME`",
            line=1,
            column=1,
        )
    return convert(root, file, limits=limits)


def compose(
    text: str, file: str, *, what: str = "routine", limits: Limits = DEFAULT_LIMITS
) -> yaml.Node | None:
    """YAML text -> PyYAML's composed root (None: an empty document), after refusing
    huge, binary, deeply nested and alias-bomb text. ``what`` names the kind of file
    in hints ("routine", "cue pack"). Raises RoutineError with a location."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_file_bytes:
        raise too_large(file, size, limits)
    if "\0" in text:
        raise _binary(file, *_line_col(text, text.index("\0")))
    _scan(text, file, what, limits)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, file, what) from None
    except RecursionError:  # pragma: no cover - _scan refuses deep nesting first
        raise _too_deep(file, None, None, what, limits.max_depth) from None


def convert(
    root: yaml.Node, file: str, *, what: str = "routine", limits: Limits = DEFAULT_LIMITS
) -> YNode:
    """A composed root -> located YNodes; every problem (duplicate keys, unsupported
    tags, unreadable values) raised together as one RoutineError."""
    converter = _Converter(file, what, limits)
    node = converter.convert(root, "", 0)
    if converter.problems:
        raise RoutineError.collect(converter.problems)
    return node


def _syntax_error(exc: yaml.YAMLError, text: str, file: str, what: str) -> RoutineError:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        return _fail(
            file,
            f"invalid character #x{exc.character:04x} in the text"
            if isinstance(exc.character, int)
            else "invalid character in the text",
            "remove it, or save the file as plain UTF-8 text",
            line=line,
            column=column,
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "cannot read this"
        if exc.context and exc.problem:
            problem = f"{exc.context}, {problem}"
        hint = "check the indentation, colons and quotes on this line"
        if "'\\t'" in problem:
            hint = "indent with spaces, not tabs"
        elif "expected a single document" in problem:
            hint = f"remove the '---' line: a {what} file holds one document"
        elif "undefined alias" in problem:
            hint = "define the anchor (&name) before using the alias (*name)"
        return _fail(
            file,
            f"invalid YAML: {problem}",
            hint,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
    return _fail(file, f"invalid YAML: {exc}", "check the file's syntax")  # pragma: no cover


def _too_deep(
    file: str, line: int | None, column: int | None, what: str, most: int
) -> RoutineError:
    return _fail(
        file,
        f"the data is nested more than {most} levels deep",
        f"a {what} needs only a few levels: check the indentation and brackets",
        line=line,
        column=column,
    )


def _scan(text: str, file: str, what: str, limits: Limits) -> None:
    """Size every anchor from the event stream, so aliases that would expand past
    ``limits.max_nodes``, recursive aliases and deep nesting are refused without building them.
    Syntax errors are left to compose, which reports them the same way."""
    sizes: dict[str, int] = {}
    open_anchors: set[str] = set()
    stack: list[list[Any]] = []  # [anchor, count] per open collection
    total = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line, column = _pos(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    raise _fail(
                        file,
                        f"alias *{event.anchor} is used inside its own anchor",
                        "an alias can only repeat a value that is already complete",
                        line=line,
                        column=column,
                    )
                size = sizes.get(event.anchor or "", 1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= limits.max_depth:
                    raise _too_deep(file, line, column, what, limits.max_depth)
                stack.append([event.anchor, 1])
                if event.anchor:
                    open_anchors.add(event.anchor)
                continue
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                    open_anchors.discard(anchor)
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            else:
                continue
            if stack:
                stack[-1][1] += size
            else:
                total += size
            if total + sum(frame[1] for frame in stack) > limits.max_nodes:
                raise _fail(
                    file,
                    f"the file holds more than {limits.max_nodes} values once aliases are expanded",
                    f"a {what} needs far fewer: remove repeated aliases (*name)",
                    line=line,
                    column=column,
                )
    except yaml.YAMLError:
        return  # compose reports it with its location


def _pos(mark: Any) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _tag(node: yaml.Node) -> str:
    return "!!" + node.tag[len(_TAG) :] if node.tag.startswith(_TAG) else node.tag


class _Converter:
    def __init__(self, file: str, what: str, limits: Limits) -> None:
        self.file = file
        self.what = what
        self.limits = limits
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = SafeConstructor()

    def add(self, node: yaml.Node, path: str, message: str, hint: str) -> None:
        line, column = _pos(node.start_mark)
        self.problems.append(_problem(self.file, message, hint, key=path, line=line, column=column))

    def convert(self, node: yaml.Node, path: str, depth: int) -> YNode:
        self.count += 1
        line, column = _pos(node.start_mark)
        if depth > self.limits.max_depth:
            raise _too_deep(self.file, line, column, self.what, self.limits.max_depth)
        if self.count > self.limits.max_nodes:  # pragma: no cover - _scan refuses these first
            raise _fail(
                self.file,
                f"the file holds more than {self.limits.max_nodes} values",
                f"a {self.what} needs far fewer",
            )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.add(node, path, f"unsupported YAML tag '{_tag(node)}'", "remove the tag")
            items = [self.convert(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node.value)]
            return YNode("seq", items, line, column)
        if node.tag not in _SCALAR_TAGS:
            self.add(node, path, f"unsupported YAML tag '{_tag(node)}'", "remove the tag")
            value: Any = node.value
        else:
            try:
                value = self.constructor.construct_object(node)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                reason = getattr(exc, "problem", None) or str(exc)
                self.add(node, path, f"cannot read this value: {reason}", "quote it as text")
                value = node.value
        plain = getattr(node, "style", None) is None
        return YNode("scalar", value, line, column, raw=node.value, plain=plain)

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> YNode:
        if node.tag != _TAG + "map":
            self.add(node, path, f"unsupported YAML tag '{_tag(node)}'", "remove the tag")
        out = YNode("map", {}, *_pos(node.start_mark))
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, path, "a key must be plain text", "write it like name: value")
                continue
            key = key_node.value
            child = f"{path}.{key}" if path else key
            if key in out.value:
                first = out.key_at[key][0]
                self.add(
                    key_node,
                    child,
                    f"duplicate key '{key}' (first on line {first})",
                    "remove one of them",
                )
                continue
            out.key_at[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out.value[key] = self.convert(value_node, child, depth + 1)
        for merge in merges:  # explicit keys win over merged ones ("<<: *base")
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.add(
                        merge,
                        path,
                        "'<<' must merge a mapping",
                        "write it like <<: *anchor_of_a_mapping",
                    )
                    continue
                merged = self.mapping(source, path, depth)
                for key, value in merged.value.items():
                    if key not in out.value:
                        out.value[key] = value
                        out.key_at[key] = merged.key_at[key]
        return out


def from_python(data: Any, origin: str) -> YNode:
    """Plain Python data (e.g. command-line overrides) -> nodes without a line.
    Dotted mapping keys ("profile.weak_side") become nested mappings."""
    if isinstance(data, Mapping):
        out = YNode("map", {}, origin=origin)
        for key, value in data.items():
            parts = str(key).split(".")
            target = out
            for part in parts[:-1]:
                nested = target.value.get(part)
                if nested is None or nested.kind != "map":
                    nested = YNode("map", {}, origin=origin)
                    target.value[part] = nested
                    target.key_at[part] = (None, None)
                target = nested
            target.value[parts[-1]] = from_python(value, origin)
            target.key_at[parts[-1]] = (None, None)
        return out
    if isinstance(data, (list, tuple)):
        return YNode("seq", [from_python(v, origin) for v in data], origin=origin)
    raw = data if isinstance(data, str) else None
    return YNode("scalar", data, raw=raw, plain=False, origin=origin)


def merge(base: YNode, over: YNode) -> YNode:
    """Overlay ``over`` on ``base``: mappings merge key by key, anything else replaces."""
    if base.kind != "map" or over.kind != "map":
        return over
    out = YNode(
        "map",
        dict(base.value),
        base.line,
        base.column,
        key_at=dict(base.key_at),
        origin=base.origin,
    )
    for key, value in over.value.items():
        out.value[key] = merge(base.value[key], value) if key in base.value else value
        out.key_at[key] = base.key_at.get(key, over.key_at.get(key, (None, None)))
    return out
