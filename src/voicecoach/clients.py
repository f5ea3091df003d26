"""Client files: one person's settings, applied to any routine (docs/clients.md).

A client file (``clients/sam.yaml``) holds the name, weak side, level, minutes, coach,
voice and author. Precedence, highest first: the command line, the client file, the
routine's ``profile:``, the routine's ``voice:``. `apply_client` writes the client's
values into the routine's profile and voice, so the command-line choices applied
afterwards by `personalize` still win.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from voicecoach.documents import document_root, read_document
from voicecoach.errors import Problem, RoutineError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.routine import spec
from voicecoach.routine.model import Routine, VoiceSettings
from voicecoach.routine.readers import FieldReader

_PROFILE = spec.keys("profile")
CLIENT = (
    spec.Key(
        "name",
        "name",
        "the client's name: {client} in cues, and in output paths",
        "Sam",
        required=True,
    ),
    *(
        _PROFILE[k]
        for k in (
            "weak_side",
            "extra_weak_side_set",
            "level",
            "minutes",
            "coach",
            "check_ins",
            "author",
        )
    ),
    spec.Key("voice", "map", "speech settings for this client", "{rate: 150}", of="voice"),
)
CLIENT_TABLES: dict[str, tuple[spec.Key, ...]] = {"client": CLIENT, "voice": spec.VOICE}
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Client:
    name: str
    source: str  # the file it came from
    settings: dict[str, Any]  # profile keys given in the file
    voice: dict[str, Any]  # voice keys given in the file

    @property
    def slug(self) -> str:
        return safe_name(self.name)


class _ClientReader(FieldReader):
    def table_keys(self, table: str) -> dict[str, spec.Key]:
        return {key.name: key for key in CLIENT_TABLES[table]}


def load_client(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Client:
    """Read and check one client file; every problem located, raised together."""
    label = os.fspath(path)
    data = read_document(Path(path), label, "client file", limits)
    reader = _ClientReader(label, limits)
    root = document_root(data, label, reader, "a client file", "start it with name: Sam")
    found = reader.fields(root, "client", "")
    voice: dict[str, Any] = {}
    if found is not None and found.ok("voice"):
        voice_fields = found.get("voice")
        voice = {k.name: voice_fields.get(k.name) for k in spec.VOICE if voice_fields.ok(k.name)}
    if found is not None and found.get("extra_weak_side_set") and not found.ok("weak_side"):
        reader.add(
            found.nodes["extra_weak_side_set"],
            "extra_weak_side_set",
            "needs a weak side",
            "add weak_side: left or weak_side: right",
        )
    if reader.problems or found is None:
        raise RoutineError.collect(reader.problems)
    settings = {k: found.get(k) for k in found.values if k not in ("name", "voice") and found.ok(k)}
    return Client(name=found.get("name"), source=label, settings=settings, voice=voice)


def apply_client(routine: Routine, client: Client | None) -> Routine:
    """The routine with the client's settings over its profile and voice."""
    if client is None:
        return routine
    profile = replace(routine.profile, client=client.name, **client.settings)
    voice = replace(routine.voice, **client.voice) if client.voice else routine.voice
    assert isinstance(voice, VoiceSettings)
    return replace(routine, profile=profile, voice=voice)


def find_clients(
    arguments: list[str] | tuple[str, ...], limits: Limits = DEFAULT_LIMITS
) -> list[Client]:
    """Client files from files, folders (their .yaml files) and quoted globs, in order,
    each once. An argument that matches nothing is an error."""
    paths: list[Path] = []
    for arg in arguments:
        path = Path(arg).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
            hint = "put client .yaml files in it, or give a file"
        elif glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(os.path.expanduser(arg)))
            found = [p for p in found if p.is_file()]
            hint = "check the pattern; quote it so the shell passes it on"
        else:
            found = [path] if path.exists() else []
            hint = "check the path"
        if not found:
            raise RoutineError.collect(
                [Problem(f"--client '{arg}' matches no client file", hint=hint)]
            )
        paths += [p for p in found if p not in paths]
    clients = [load_client(p, limits) for p in paths]
    if len(clients) > limits.max_batch_clients:
        raise RoutineError.collect(
            [
                Problem(
                    f"{len(clients)} client files; "
                    f"at most {limits.max_batch_clients} in one command",
                    hint="split the batch into several commands",
                )
            ]
        )
    return clients


_UNSAFE = re.compile(r"[^\w.,+@()-]+")


def safe_name(text: str) -> str:
    """A name made safe as one path component: no '/', '\\', '..', spaces or control
    characters, no leading dot; never empty. "Jo Lee" -> "Jo-Lee"."""
    cleaned = _UNSAFE.sub("-", text).strip(" .-")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    return cleaned[:80] or "unnamed"


def client_schema() -> dict[str, Any]:
    """The JSON Schema of a client file (what `voicecoach schema --client` prints)."""
    from voicecoach.routine.schema import DRAFT, table_object

    top = table_object(CLIENT)
    return {
        "$schema": DRAFT,
        "$id": "urn:voicecoach:client:v1",
        "title": "voicecoach client file",
        "description": "One person's settings, applied to any routine. See docs/clients.md.",
        **top,
        "$defs": {"voice": table_object(spec.VOICE)},
    }
