"""The JSON Schema (draft 2020-12) of routine format v1, for editor autocomplete.

Built from the same key table as the loader (`spec`), so both accept the same keys.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import spec
from voicecoach.text import yaml_duration

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NUM = r"\d+(\.\d+)?"
DURATION_PATTERN = rf"^\s*(({_NUM}\s*(h|m|s|ms)\s*)+|{_NUM}|(\d+:)?\d+:[0-5]\d(\.\d+)?)\s*$"
TEMPO_PATTERN = rf"^\s*{_NUM}(\s*-\s*{_NUM}){{2,3}}\s*$"
_REF = "#/$defs/"


# Key types whose schema depends on nothing but the type.
_FIXED: dict[str, dict[str, Any]] = {
    "version": {"const": 1},
    "bool": {"type": "boolean"},
    "duration": {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": DURATION_PATTERN},
        ]
    },
    "tempo": {
        "anyOf": [
            {"type": "string", "pattern": TEMPO_PATTERN},
            {
                "type": "array",
                "items": {"type": "number", "minimum": 0},
                "minItems": 3,
                "maxItems": 4,
            },
        ]
    },
    "words": {"type": "array", "items": {"type": ["string", "null"]}, "maxItems": 4},
    "pronounce": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
    "at": {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"enum": ["half", "last"]},
            {"type": "string", "pattern": DURATION_PATTERN},
        ]
    },
}


def _texts(max_chars: int, limits: Limits) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "maxLength": max_chars},
            {
                "type": "array",
                "items": {"type": "string", "maxLength": max_chars},
                "maxItems": limits.max_variants,  # [] silences the cue
            },
        ]
    }


def _text(key: spec.Key, limits: Limits) -> dict[str, Any]:
    most = limits.max_name_chars if key.type == "name" else limits.max_text_chars
    return {"type": "string", "minLength": 1, "maxLength": most}


def _number(key: spec.Key, limits: Limits) -> dict[str, Any]:
    low, high = spec.bound(key.low, limits), spec.bound(key.high, limits)
    out: dict[str, Any] = {"type": "integer" if key.type == "int" else "number"}
    if low is not None:
        out["minimum"] = low
    if high is not None:
        out["maximum"] = high
    return out


def _focus(key: spec.Key, limits: Limits) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "maxLength": 50},
            {
                "type": "array",
                "items": {"type": "string", "maxLength": 50},
                "maxItems": limits.max_focus,
            },
        ]
    }


def _items(key: spec.Key, limits: Limits) -> dict[str, Any]:
    item = {"$ref": _REF + "item"} if key.of == "item" else {"$ref": _REF + "step"}
    return {"type": "array", "items": item, "minItems": 1}


def _sections(key: spec.Key, limits: Limits) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"$ref": _REF + "section"},
        "minItems": 1,
        "maxItems": limits.max_sections,
    }


# Key types whose schema depends on the key or on the limits.
_BUILT: dict[str, Callable[[spec.Key, Limits], dict[str, Any]]] = {
    "text": _text,
    "name": _text,
    "path": _text,
    "int": _number,
    "number": _number,
    "choice": lambda key, limits: {"enum": list(key.choices)},
    "focus": _focus,
    "safety": lambda key, limits: {
        "type": ["boolean", "string"],
        "maxLength": limits.max_text_chars,
    },
    "phrases": lambda key, limits: {
        "type": "object",
        "additionalProperties": _texts(limits.max_text_chars, limits),
    },
    "cues": lambda key, limits: {
        "type": "array",
        "items": {"$ref": _REF + "cue"},
        "maxItems": limits.max_cues,
    },
    "map": lambda key, limits: {"$ref": _REF + str(key.of)},
    "items": _items,
    "sections": _sections,
}


def _value(key: spec.Key, limits: Limits) -> dict[str, Any]:
    if key.type in _FIXED:
        return copy.deepcopy(_FIXED[key.type])
    build = _BUILT.get(key.type)
    if build is None:  # pragma: no cover
        raise AssertionError(f"no schema for key type {key.type!r}")
    return build(key, limits)


def _describe(key: spec.Key, limits: Limits) -> str:
    text = key.doc
    low, high = spec.bound(key.low, limits), spec.bound(key.high, limits)
    if key.type == "duration" and high is not None:
        text += f" ({yaml_duration(int(low or 0))} to {yaml_duration(int(high))})"
    elif key.type in ("int", "number") and high is not None:
        text += f" ({low:g} to {high:g})"
    if key.default is not None:
        text += f"; default {key.default}"
    return text + "."


def _object(table: str, limits: Limits) -> dict[str, Any]:
    return table_object(spec.TABLES[table], limits)


def table_object(table: tuple[spec.Key, ...], limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """A mapping described by a key table, as a JSON Schema object."""
    properties = {}
    for key in table:
        value = _value(key, limits)
        if not key.required:  # `key: ~` (empty) means "not set", as the loader reads it
            value = {"anyOf": [value, {"type": "null"}]}
        properties[key.name] = {**value, "description": _describe(key, limits)}
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    required = [key.name for key in table if key.required]
    if required:
        out["required"] = required
    return out


def routine_schema(limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The JSON Schema of a routine file (what `voicecoach schema` prints), with the
    bounds of ``limits``."""
    defs = {name: _object(name, limits) for name in spec.TABLES if name != "routine"}
    defs["exercise"]["not"] = {"required": ["reps", "hold"]}  # one or the other
    # `use: <library id>` brings the name (and the rest) from the library.
    defs["exercise"].pop("required", None)
    defs["exercise"]["anyOf"] = [{"required": ["name"]}, {"required": ["use"]}]
    defs["cue"]["oneOf"] = [{"required": ["at"]}, {"required": ["every"]}]
    defs["item"] = {
        "anyOf": [
            {"$ref": _REF + "exercise"},
            {"$ref": _REF + "rounds"},
            {"$ref": _REF + "standalone"},
        ]
    }
    defs["step"] = {"anyOf": [{"$ref": _REF + "exercise"}, {"$ref": _REF + "standalone"}]}
    defs["standalone"]["anyOf"] = [{"required": [k]} for k in ("rest", "say", "check_in")]
    defs["standalone"]["not"] = {"required": ["say", "check_in"]}
    top = _object("routine", limits)
    top["not"] = {"required": ["exercises", "sections"]}
    top["oneOf"] = [{"required": ["exercises"]}, {"required": ["sections"]}]
    return {
        "$schema": DRAFT,
        "$id": "urn:voicecoach:routine:v1",
        "title": "voicecoach routine (format v1)",
        "description": "A workout routine that voicecoach turns into a voice-guided "
        "audio session. See docs/routine-format.md.",
        **top,
        "$defs": defs,
    }
