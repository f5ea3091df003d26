"""Every YAML block in README and docs/, every built-in and the test routines the
loader accepts are valid against `voicecoach schema`; what the loader refuses for a
reason a schema can express fails it too (issue 10, point 7).

Each ```yaml fence says its kind: ``kind=routine`` (a whole routine),
``kind=fragment`` (top-level routine keys), ``kind=exercise`` (keys of one
exercise), ``kind=pack`` (a cue pack), ``kind=refused-pack`` (a cue pack shown for its
error), ``kind=client`` (a client file, against `schema --client`; a
``refused-client`` is shown for its error and must fail it) or
``kind=program`` (a program, against `schema --program`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.cues import load_cue_pack
from voicecoach.errors import VoicecoachError
from voicecoach.routine import list_builtin_routines
from voicecoach.routine.builtins import read_builtin
from voicecoach.routine.loader import load_routine_text

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```yaml([^\n]*)\n(.*?)^```", re.M | re.S)
KINDS = {"routine", "fragment", "exercise", "pack", "refused-pack", "client", "program"}
KINDS.add("refused-client")  # a client file shown for its error: the schema refuses it too


def schema(*flag: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["schema", *flag])
    assert result.exit_code == 0
    out: dict[str, Any] = json.loads(result.stdout)
    return out


VALIDATOR = jsonschema.Draft202012Validator(schema())
OTHER_VALIDATORS = {
    "client": jsonschema.Draft202012Validator(schema("--client")),
    "program": jsonschema.Draft202012Validator(schema("--program")),
}


def fences() -> list[tuple[str, str, str]]:
    """(where, kind, body) of every yaml block."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            kind = re.search(r"kind=([\w-]+)", m[1])
            out.append((f"{doc.name}:{line}", kind[1] if kind else "", m[2]))
    return out


def as_routine(kind: str, body: str) -> dict[str, Any]:
    data = yaml.safe_load(body) or {}
    if kind == "exercise":
        return {"name": "T", "exercises": [{"name": "E", "reps": 10, **data}]}
    if kind == "fragment":
        data.setdefault("name", "T")
        if "exercises" not in data and "sections" not in data:
            data["exercises"] = [{"name": "E", "reps": 10}]
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(("where", "kind", "body"), fences(), ids=lambda v: str(v)[:30])
def test_every_yaml_block_says_its_kind_and_is_valid(where: str, kind: str, body: str) -> None:
    assert kind in KINDS, f"{where}: tag the fence, e.g. ```yaml kind=routine"
    if kind in ("pack", "refused-pack"):
        return  # cue packs are checked by the loader (the cookbook loads them)
    if kind == "refused-client":
        assert list(OTHER_VALIDATORS["client"].iter_errors(yaml.safe_load(body))), where
        return
    if kind in OTHER_VALIDATORS:
        # as a JSON editor sees it: YAML's dates (start: 2026-01-05) are strings there
        data = json.loads(json.dumps(yaml.safe_load(body), default=str))
        assert [e.message for e in OTHER_VALIDATORS[kind].iter_errors(data)] == [], where
        return
    errors = [e.message for e in VALIDATOR.iter_errors(as_routine(kind, body))]
    assert errors == [], where


@pytest.mark.parametrize("name", [r.name for r in list_builtin_routines()])
def test_builtins_are_valid(name: str) -> None:
    found = read_builtin(name)
    assert found is not None
    VALIDATOR.validate(yaml.safe_load(found[0]))


ACCEPTED = [
    "name: T\nphrases: {set_done: []}\nexercises: [{name: A, reps: 5}]\n",
    "name: T\nintro: ~\nexercises: [{name: A, reps: 5, setup: ~}]\n",
    "name: T\nexercises: [{name: A, reps: 5}, {rest: 45s, say: Breathe.}, {check_in: 'Ok?'}]\n",
    "name: T\nexercises: [{rounds: 2, exercises: [{name: A, reps: 5}, {say: Next.}]}]\n",
    "name: T\nprofile: {weak_side: left}\n"
    "exercises: [{name: A, reps: 5, sides: both, alternate_sides: true, switch_rest: 8s,"
    " extra_weak_side_set: true, fixed: true, optional: true}]\n",
]
REFUSED = [
    "name: T\nexercises: [{name: A, reps: many}]\n",  # type
    "name: T\nexercises: [{name: A, reps: 5, colour: red}]\n",  # unknown key
    "name: T\nexercises: [{name: A, reps: 0}]\n",  # range
    "name: T\ncue_overrides: {set_done: []}\nexercises: [{name: A, reps: 5}]\n",
    "name: T\nexercises: [{name: A, reps: 5}, {say: Hi., check_in: 'Ok?'}]\n",
    "name: T\nexercises: [{name: A, reps: 5, sets: 99}]\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_the_loader_accepts_the_schema_accepts(text: str) -> None:
    load_routine_text(text)
    VALIDATOR.validate(yaml.safe_load(text))


@pytest.mark.parametrize("text", REFUSED)
def test_what_the_loader_refuses_for_a_schema_reason_the_schema_refuses(text: str) -> None:
    with pytest.raises(VoicecoachError):
        load_routine_text(text)
    assert list(VALIDATOR.iter_errors(yaml.safe_load(text)))


def test_cue_overrides_suggests_phrases() -> None:
    with pytest.raises(VoicecoachError) as caught:
        load_routine_text(REFUSED[3], "r.yaml")
    assert str(caught.value) == "r.yaml:2:1: unknown key 'cue_overrides'. did you mean 'phrases'?"


def test_the_default_pack_loads() -> None:
    assert load_cue_pack("default")
