"""Reading one mapping of a routine against the key table, value by value.

Each reader returns the converted value, or `BAD` after recording a located
problem, so the loader can go on and report every problem in the file at once.
This module holds the mapping check and the scalar readers (text, numbers,
durations, choices); `voicecoach.routine.readers` adds lists and nested values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from voicecoach.errors import Problem, Where
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import spec
from voicecoach.routine.durations import (
    DURATION_HINT,
    DurationError,
    parse_duration,
    parse_tempo,
)
from voicecoach.routine.yamlsrc import YNode
from voicecoach.text import cut, did_you_mean, show_value, suggest, yaml_duration
from voicecoach.textsafe import CONTROL_HINT, control_character_message, one_line

BAD = object()  # a value that failed validation (its problem is already recorded)


def show(node: YNode) -> str:
    """A value as a message quotes it: plain scalars as written, text quoted."""
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    value = node.value
    if node.plain and node.raw is not None:
        return cut(node.raw)
    if value is None or isinstance(value, (bool, str)):
        return show_value(value)
    return repr(value)


# Keys people write from other docs or tools, and what this format calls them.
SYNONYMS = {"cue_overrides": "phrases", "overrides": "phrases", "cue_pack_overrides": "phrases"}

# What a nameless item in an exercises list may have meant (issue 10).
STANDALONE_HINT = (
    "for a rest or a spoken line between exercises write it on its own: "
    "'- rest: 45s' (with an optional say:), '- say: \"...\"' or '- check_in: \"...\"'"
)


@dataclass
class Fields:
    """One mapping's values after checking: key -> converted value, and its nodes."""

    node: YNode
    values: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, YNode] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if value is BAD else value

    def has(self, key: str) -> bool:
        return key in self.values

    def ok(self, key: str) -> bool:
        return key in self.values and self.values[key] is not BAD


class MappingReader:
    """Checks mappings and scalar values from `spec`, collecting located problems.

    `voicecoach.routine.readers.FieldReader` adds the readers of lists and nested
    values; ``value`` finds each key's reader by its type (``read_<type>``).
    """

    def __init__(self, file: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.file = file
        self.limits = limits
        self.problems: list[Problem] = []

    # -- problems and locations ------------------------------------------------

    def where(self, node: YNode, path: str) -> Where:
        return Where(node.origin or self.file, node.line, node.column, path or None)

    def add(self, node: YNode, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem.at(self.where(node, path), message, hint))

    def add_at_key(
        self, parent: YNode, key: str, path: str, message: str, hint: str | None = None
    ) -> None:
        line, column = parent.key_at.get(key, (parent.line, parent.column))
        self.problems.append(
            Problem(message, parent.origin or self.file, line, column, path or None, hint)
        )

    # -- generic mapping reading ------------------------------------------------

    def fields(self, node: YNode, table: str, path: str) -> Fields | None:
        """Check a mapping against a table: unknown keys, required keys, and each
        scalar value's type and limits. Nested structures are returned as nodes."""
        if node.kind != "map":
            what = {"routine": "routine"}.get(table, table)
            self.add(
                node, path, f"must be a mapping of {what} keys, got {show(node)}", map_hint(table)
            )
            return None
        known = self.table_keys(table)
        out = Fields(node)
        for key, child in node.value.items():
            child_path = f"{path}.{key}" if path else key
            if key not in known:
                self.unknown_key(node, key, path, known)
                continue
            entry = known[key]
            if child.kind == "scalar" and child.value is None:
                if entry.required:
                    self.add(child, child_path, "is empty", f"write it like {key}: {entry.example}")
                    out.values[key] = BAD
                continue  # null means "not set"
            out.nodes[key] = child
            out.values[key] = self.value(entry, child, child_path)
        for entry in known.values():
            if entry.required and entry.name not in node.value:
                hint = f"add {entry.name}: {entry.example}"
                if table == "exercise" and entry.name == "name":
                    hint += f", or {STANDALONE_HINT}"
                self.add(node, path, f"missing required key '{entry.name}'", hint)
        return out

    def table_keys(self, table: str) -> dict[str, spec.Key]:
        """The keys of ``table`` (readers of other file kinds add their own tables)."""
        return spec.keys(table)

    def unknown_key(self, node: YNode, key: str, path: str, known: Mapping[str, Any]) -> None:
        names = list(known)
        close = SYNONYMS[key] if SYNONYMS.get(key) in known else suggest(key, names)
        valid = "valid keys here: " + ", ".join(names)
        hint = f"did you mean '{close}'?" if close else valid
        self.add_at_key(node, key, path, f"unknown key '{cut(key)}'", hint)

    def value(self, key: spec.Key, node: YNode, path: str) -> Any:
        reader: Callable[[spec.Key, YNode, str], Any] = getattr(self, f"read_{key.type}")
        return reader(key, node, path)

    # -- value readers: return the converted value, or BAD after adding a problem --

    def read_version(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind == "scalar" and type(node.value) is int and node.value == 1:
            return 1
        self.add(
            node,
            path,
            f"must be 1, got {show(node)}",
            "this voicecoach reads routine format version 1",
        )
        return BAD

    def read_text(
        self,
        key: spec.Key,
        node: YNode,
        path: str,
        limit: int | None = None,
        *,
        spoken: bool = True,
    ) -> Any:
        """Text, refused with a located message if it holds a control character, with
        its line breaks and runs of spaces read as one space (not for paths)."""
        limit = limit or self.limits.max_text_chars
        if node.kind != "scalar" or isinstance(node.value, bool) or node.value is None:
            self.add(
                node,
                path,
                f"must be text, got {show(node)}",
                f"write it like {key.name}: {key.example}"
                + (" (quote it to keep it as text)" if node.kind == "scalar" else ""),
            )
            return BAD
        text = node.value if isinstance(node.value, str) else (node.raw or str(node.value))
        if spoken:
            control = control_character_message(text)
            if control is not None:
                self.add(node, path, control, CONTROL_HINT)
                return BAD
        text = one_line(text) if spoken else text.strip()
        if not text:
            self.add(node, path, "must not be empty", f"write it like {key.name}: {key.example}")
            return BAD
        if len(text) > limit:
            self.add(
                node, path, f"is too long ({len(text)} characters; at most {limit})", "shorten it"
            )
            return BAD
        return text

    def read_name(self, key: spec.Key, node: YNode, path: str) -> Any:
        return self.read_text(key, node, path, self.limits.max_name_chars)

    def read_path(self, key: spec.Key, node: YNode, path: str) -> Any:
        return self.read_text(key, node, path, spoken=False)

    def _range_text(self, key: spec.Key) -> tuple[Any, Any]:
        return spec.bound(key.low, self.limits), spec.bound(key.high, self.limits)

    def read_int(self, key: spec.Key, node: YNode, path: str) -> Any:
        low, high = self._range_text(key)
        value = node.value if node.kind == "scalar" else None
        if type(value) is int and (low is None or value >= low) and (high is None or value <= high):
            return value
        self.add(
            node, path, f"must be a whole number from {low} to {high}, got {show(node)}", key.hint
        )
        return BAD

    def read_number(self, key: spec.Key, node: YNode, path: str) -> Any:
        low, high = self._range_text(key)
        value = node.value if node.kind == "scalar" else None
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and (low is None or value >= low)
            and (high is None or value <= high)
        ):
            return value
        self.add(
            node,
            path,
            f"must be a number from {low:g} to {high:g}, got {show(node)}",
            key.hint or f"write it like {key.name}: {key.example}",
        )
        return BAD

    def read_bool(self, key: spec.Key, node: YNode, path: str) -> Any:
        if node.kind == "scalar" and isinstance(node.value, bool):
            return node.value
        self.add(node, path, f"must be true or false, got {show(node)}")
        return BAD

    def read_duration(self, key: spec.Key, node: YNode, path: str) -> Any:
        low, high = self._range_text(key)
        span = f"from {yaml_duration(int(low or 0))} to {yaml_duration(int(high or 0))}"
        try:
            ms = parse_duration(duration_source(node))
        except DurationError:
            self.add(node, path, f"must be a duration {span}, got {show(node)}", DURATION_HINT)
            return BAD
        if (low is not None and ms < low) or (high is not None and ms > high):
            self.add(node, path, f"must be a duration {span}, got {yaml_duration(ms)}", key.hint)
            return BAD
        return ms

    def read_tempo(self, key: spec.Key, node: YNode, path: str) -> Any:
        value: Any = node.to_python() if node.kind == "seq" else duration_source(node)
        try:
            return parse_tempo(value, self.limits)
        except DurationError as exc:
            self.add(node, path, exc.reason, exc.hint)
            return BAD

    def read_choice(self, key: spec.Key, node: YNode, path: str) -> Any:
        value = node.value if node.kind == "scalar" else None
        if isinstance(value, str) and value.strip().lower() in key.choices:
            return value.strip().lower()
        wrote = node.raw if node.kind == "scalar" and node.raw is not None else ""
        self.add(
            node,
            path,
            f"must be one of {', '.join(key.choices)}, got {show(node)}",
            did_you_mean(wrote, key.choices, cutoff=0.5),
        )
        return BAD


def duration_source(node: YNode) -> Any:
    """What a duration is read from: YAML 1.1 reads ``1:30`` as the number 90 (base
    60), so plain scalars with a colon are read from their source text."""
    if node.kind != "scalar":
        return None
    if node.plain and node.raw is not None and ":" in node.raw:
        return node.raw
    return node.value


def map_hint(table: str) -> str:
    if table in ("exercise", "rounds"):
        return "write each exercise as a mapping, like '- name: Glute bridge' then 'reps: 12'"
    if table == "section":
        return "write each section like '- name: Warm up' then 'exercises:'"
    if table == "cue":
        return "write each cue like '- {at: half, say: Breathe.}'"
    return f"write it like {table}: " + next(
        (k.example for k in spec.ROUTINE if k.name == table), "{...}"
    )
