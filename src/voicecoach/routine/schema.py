"""The JSON Schema (draft 2020-12) of routine format v1, for editor autocomplete.

Built from the same key table as the loader (`spec`), so both accept the same keys.
"""

from __future__ import annotations

from typing import Any

from voicecoach.routine import limits, spec
from voicecoach.text import yaml_duration

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NUM = r"\d+(\.\d+)?"
DURATION_PATTERN = rf"^\s*(({_NUM}\s*(h|m|s|ms)\s*)+|{_NUM}|(\d+:)?\d+:[0-5]\d(\.\d+)?)\s*$"
TEMPO_PATTERN = rf"^\s*{_NUM}(\s*-\s*{_NUM}){{2,3}}\s*$"
_REF = "#/$defs/"


def _duration(key: spec.Key) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": DURATION_PATTERN},
        ]
    }


def _texts(max_chars: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "maxLength": max_chars},
            {
                "type": "array",
                "items": {"type": "string", "maxLength": max_chars},
                "maxItems": limits.MAX_VARIANTS,  # [] silences the cue
            },
        ]
    }


def _value(key: spec.Key) -> dict[str, Any]:
    low, high = spec.bound(key.low), spec.bound(key.high)
    kind = key.type
    if kind == "version":
        return {"const": 1}
    if kind in ("text", "name", "path"):
        most = limits.MAX_NAME_CHARS if kind == "name" else limits.MAX_TEXT_CHARS
        return {"type": "string", "minLength": 1, "maxLength": most}
    if kind in ("int", "number"):
        out: dict[str, Any] = {"type": "integer" if kind == "int" else "number"}
        if low is not None:
            out["minimum"] = low
        if high is not None:
            out["maximum"] = high
        return out
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "duration":
        return _duration(key)
    if kind == "tempo":
        return {
            "anyOf": [
                {"type": "string", "pattern": TEMPO_PATTERN},
                {
                    "type": "array",
                    "items": {"type": "number", "minimum": 0},
                    "minItems": 3,
                    "maxItems": 4,
                },
            ]
        }
    if kind == "choice":
        return {"enum": list(key.choices)}
    if kind == "words":
        return {"type": "array", "items": {"type": ["string", "null"]}, "maxItems": 4}
    if kind == "focus":
        return {
            "anyOf": [
                {"type": "string", "maxLength": 50},
                {
                    "type": "array",
                    "items": {"type": "string", "maxLength": 50},
                    "maxItems": limits.MAX_FOCUS,
                },
            ]
        }
    if kind == "safety":
        return {"type": ["boolean", "string"], "maxLength": limits.MAX_TEXT_CHARS}
    if kind == "pronounce":
        return {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}
    if kind == "phrases":
        return {"type": "object", "additionalProperties": _texts(limits.MAX_TEXT_CHARS)}
    if kind == "at":
        return {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"enum": ["half", "last"]},
                {"type": "string", "pattern": DURATION_PATTERN},
            ]
        }
    if kind == "cues":
        return {"type": "array", "items": {"$ref": _REF + "cue"}, "maxItems": limits.MAX_CUES}
    if kind == "map":
        return {"$ref": _REF + str(key.of)}
    if kind == "items":
        item = {"$ref": _REF + "item"} if key.of == "item" else {"$ref": _REF + "step"}
        return {"type": "array", "items": item, "minItems": 1}
    if kind == "sections":
        return {
            "type": "array",
            "items": {"$ref": _REF + "section"},
            "minItems": 1,
            "maxItems": limits.MAX_SECTIONS,
        }
    raise AssertionError(f"no schema for key type {kind!r}")  # pragma: no cover


def _describe(key: spec.Key) -> str:
    text = key.doc
    low, high = spec.bound(key.low), spec.bound(key.high)
    if key.type == "duration" and high is not None:
        text += f" ({yaml_duration(int(low or 0))} to {yaml_duration(int(high))})"
    elif key.type in ("int", "number") and high is not None:
        text += f" ({low:g} to {high:g})"
    if key.default is not None:
        text += f"; default {key.default}"
    return text + "."


def _object(table: str) -> dict[str, Any]:
    return table_object(spec.TABLES[table])


def table_object(table: tuple[spec.Key, ...]) -> dict[str, Any]:
    """A mapping described by a key table, as a JSON Schema object."""
    properties = {}
    for key in table:
        value = _value(key)
        if not key.required:  # `key: ~` (empty) means "not set", as the loader reads it
            value = {"anyOf": [value, {"type": "null"}]}
        properties[key.name] = {**value, "description": _describe(key)}
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    required = [key.name for key in table if key.required]
    if required:
        out["required"] = required
    return out


def routine_schema() -> dict[str, Any]:
    """The JSON Schema of a routine file (what `voicecoach schema` prints)."""
    defs = {name: _object(name) for name in spec.TABLES if name != "routine"}
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
    top = _object("routine")
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
