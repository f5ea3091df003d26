"""Built-in routines (bundled YAML) and the scaffold that `voicecoach new` writes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from voicecoach.errors import RoutineError, VoicecoachError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import yamlsrc

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_SCAFFOLD = "scaffold.yaml.in"


@dataclass(frozen=True)
class BuiltinRoutine:
    name: str  # what `voicecoach render NAME` takes
    title: str  # the routine's `name:`
    description: str
    path: str  # the bundled YAML file


def _folder() -> Traversable:
    return resources.files("voicecoach") / "builtin"


def builtin_names() -> list[str]:
    """Names of the bundled routines, sorted."""
    return sorted(
        entry.name[: -len(".yaml")]
        for entry in _folder().iterdir()
        if entry.name.endswith(".yaml") and _NAME.fullmatch(entry.name[: -len(".yaml")])
    )


def read_builtin(name: str) -> tuple[bytes, Path] | None:
    """The bytes of a built-in routine and its folder, or None if there is none."""
    if not _NAME.fullmatch(name) or name not in builtin_names():
        return None
    entry = _folder() / f"{name}.yaml"
    return entry.read_bytes(), Path(str(_folder()))


def list_builtin_routines() -> list[BuiltinRoutine]:
    """Every built-in routine with its title and description (read from the file)."""
    out = []
    for name in builtin_names():
        entry = _folder() / f"{name}.yaml"
        title, description = name, ""
        try:
            root = yamlsrc.parse(entry.read_text(encoding="utf-8"), f"builtin:{name}")
        except RoutineError:
            root = None
        if root is not None and root.kind == "map":
            data = root.to_python()
            title = str(data.get("name") or name)
            description = " ".join(str(data.get("description") or "").split())
        out.append(BuiltinRoutine(name, title, description, str(entry)))
    return out


def scaffold(name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A commented routine for `voicecoach new NAME` (written to NAME.yaml)."""
    stem = Path(name).name
    stem = stem[: -len(".yaml")] if stem.endswith(".yaml") else stem
    title = " ".join(re.sub(r"[-_]+", " ", stem).split())
    if not title:
        raise VoicecoachError("the routine name is empty. give a name like my-warmup.")
    if len(title) > limits.max_name_chars:
        raise VoicecoachError(
            f"the routine name is too long ({len(title)} characters; at most "
            f"{limits.max_name_chars}). use a shorter name."
        )
    title = title[0].upper() + title[1:]
    text = (_folder() / _SCAFFOLD).read_text(encoding="utf-8")
    return text.replace("__TITLE__", json.dumps(title, ensure_ascii=False)).replace(
        "__FILE__", f"{stem}.yaml"
    )
