"""Cue packs: the bundled pack, extends, strict templates and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicecoach.cues import (
    CuePack,
    VariantPicker,
    list_cue_packs,
    load_cue_pack,
    render,
    validate_override,
)
from voicecoach.cues.keys import CUE_KEYS, all_keys
from voicecoach.cues.template import check_template
from voicecoach.errors import CueError
from voicecoach.routine.focus import FOCUS_GROUPS, normalize_focus

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cue-keys.md"
NUMBER_KEYS = {"count", "countdown", "rest_countdown", "hold_countdown", "phase_word", "setup"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(CueError) as err:
        load_cue_pack(str(path))
    return err.value.format()


def test_default_pack_has_every_key_with_several_phrasings() -> None:
    pack = load_cue_pack(None)
    assert load_cue_pack("default") is pack
    assert set(all_keys()) == set(pack.phrases)
    for key, phrasings in pack.phrases.items():
        assert phrasings, key
        if key not in NUMBER_KEYS:
            assert len(phrasings) >= 2, f"{key} needs several phrasings"
        for text in phrasings:
            assert check_template(key, text) is None
    for group in FOCUS_GROUPS:
        assert len(pack.bank(group)) >= 3


def test_default_pack_speaks_to_the_right_muscles() -> None:
    lines = " ".join(t for bank in load_cue_pack(None).banks.values() for t in bank)
    for phrase in (
        "Feel your glutes, not your low back.",
        "Hamstrings taking over? Bring your feet closer.",
        "Thighs taking over? Shift your weight back to your heels.",
    ):
        assert phrase in lines
    # said on the wrong exercises (a side worked alone, two-legged moves, planks)
    assert "If one side feels weaker, slow that side down." not in lines
    assert any("low back" in t for t in load_cue_pack(None).get("check_in"))


def test_every_key_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for key, names in CUE_KEYS.items():
        assert f"`{key}`" in text, key
        for name in names:
            assert f"{{{name}}}" in text
    for group in FOCUS_GROUPS:
        assert f"`focus.{group}`" in text or f"`{group}`" in text


def test_extends_default_merges_key_by_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "gentle.yaml",
        'name: gentle\ndescription: softer\nextends: default\ncues:\n  get_ready: ["Settle in."]\n'
        'focus:\n  glutes: "Find your glutes."\n',
    )
    pack = load_cue_pack(path.name, base_dir=tmp_path)
    default = load_cue_pack(None)
    assert (pack.name, pack.description) == ("gentle", "softer")
    assert pack.get("get_ready") == ("Settle in.",)
    assert pack.bank("glutes") == ("Find your glutes.",)
    assert pack.get("rest_announce") == default.get("rest_announce")


def test_extends_another_pack_by_relative_path(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", 'extends: default\ncues:\n  set_done: ["Base."]\n')
    child = write(tmp_path, "child.yaml", 'extends: base.yaml\ncues:\n  get_ready: ["Child."]\n')
    pack = load_cue_pack(str(child))
    assert (pack.get("set_done"), pack.get("get_ready")) == (("Base.",), ("Child.",))


def test_extends_cycle_is_located(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "cues: {}\nextends: a.yaml\n")
    assert load_error(a) == (
        f"{b}:2:10: extends: extends cycle: a.yaml -> b.yaml -> a.yaml. remove one of the extends."
    )


def test_every_problem_in_a_pack_is_reported_with_its_location(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        "extends: default\n"
        "cues:\n"
        '  rest_anounce: ["x"]\n'
        '  rest_announce: ["Rest {sceonds}."]\n'
        "  count: 5\n"
        '  set_done: ["ok", 3]\n'
        "focus:\n"
        '  glute: ["x"]\n'
        "colour: red\n",
    )
    assert load_error(path).splitlines() == [
        f"{path}:3:3: cues.rest_anounce: unknown cue key 'rest_anounce'. "
        "did you mean 'rest_announce'?",
        f"{path}:4:19: cues.rest_announce[0]: unknown template variable {{sceonds}} in "
        "'Rest {sceonds}.'. did you mean {seconds}? allowed here: {duration}, {next}, "
        "{next_lower}, {seconds}.",
        f"{path}:5:10: cues.count: expected a list of phrases, got a number. write each phrase "
        'as a list item: - "...".',
        f"{path}:6:20: cues.set_done[1]: phrase 2 is a number, not text. put it in quotes.",
        f"{path}:8:3: focus.glute: unknown focus group 'glute'. did you mean 'glutes'?",
        f"{path}:9:1: colour: unknown setting 'colour'. use: name, description, extends, cues, "
        "focus, pronounce.",
    ]


def test_a_pack_without_extends_must_be_complete(tmp_path: Path) -> None:
    path = write(tmp_path, "tiny.yaml", 'cues:\n  count: ["{rep}"]\n')
    assert load_error(path) == (
        f"{path}:1:1: the pack does not define 42 cue keys: session_intro, session_outro, "
        "session_end, section_intro, round_start, exercise_intro and 36 more. "
        "add `extends: default` to inherit them."
    )


def test_yaml_syntax_and_missing_files_are_our_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "extends: default\ncues: [\n")
    assert load_error(path) == (
        f"{path}:3:1: invalid YAML: while parsing a flow node, expected the node content, "
        "but found '<stream end>'. check the indentation, colons and quotes on this line."
    )
    with pytest.raises(CueError) as err:
        load_cue_pack("nope.yaml", base_dir=tmp_path)
    assert str(err.value) == (
        "cue pack 'nope.yaml' not found. use the path of a .yaml file or a bundled pack: default."
    )


def test_validate_override_messages() -> None:
    assert validate_override("rest_announce", ("Rest {seconds}. Then {next}.",)) is None
    assert validate_override("focus.glutes", ("Glutes on {exercise}.",)) is None
    assert validate_override("set_done", ()) is None  # an empty list silences a key
    assert (
        validate_override("rest_anounce", ("x",))
        == "unknown cue key 'rest_anounce'. did you mean 'rest_announce'?"
    )
    assert validate_override("rest_announce", ("Rest {sceonds}",)) == (
        "unknown template variable {sceonds} in 'Rest {sceonds}'. did you mean {seconds}? "
        "allowed here: {duration}, {next}, {next_lower}, {seconds}"
    )
    assert validate_override("get_ready", ("Go {rep}",)) == (
        "unknown template variable {rep} in 'Go {rep}'. allowed here: {exercise}"
    )
    assert validate_override("count", ("{rep!r}",)) == (
        "format options are not supported in {rep} in '{rep!r}'. write the variable bare, "
        "like {rep}"
    )
    assert validate_override("count", ("{rep",)) == (
        "unbalanced brace in '{rep'. write {{ or }} for a literal brace"
    )
    assert validate_override("count", ("  ",)) == (
        "empty phrase. remove it, or use an empty list [] to silence this cue"
    )
    assert validate_override("xyzzy", ("x",)) == (
        "unknown cue key 'xyzzy'. the cue keys are listed in docs/cue-keys.md"
    )


def test_render_fills_variables_and_capitalises_a_leading_variable() -> None:
    assert render("{side} side.", {"side": "left"}) == "Left side."
    assert render("Now the {side} side.", {"side": "left"}) == "Now the left side."
    assert render("{{literal}} {rep}", {"rep": 3}) == "{literal} 3"


def test_variant_choice_is_deterministic_and_seeded() -> None:
    options = ["a", "b", "c", "d"]

    def run(seed: int) -> list[str]:
        picker = VariantPicker(seed)
        return [picker.pick("halfway", options) for _ in range(12)]

    assert run(1) == run(1)
    assert len({tuple(run(s)) for s in range(5)}) > 1
    assert all(a != b for a, b in zip(run(2), run(2)[1:], strict=False))  # never twice in a row
    assert run(7)[:3] == run(7)[:3]
    # issue 9: variants rotate, none repeated until all were used.
    for seed in range(5):
        said = run(seed)
        assert all(len(set(said[i : i + 4])) == 4 for i in range(0, 12, 4))


def test_overrides_replace_keys_and_are_validated() -> None:
    pack = load_cue_pack(None).with_overrides({"set_done": ("Done.",)})
    assert isinstance(pack, CuePack) and pack.get("set_done") == ("Done.",)
    with pytest.raises(CueError) as err:
        load_cue_pack(None).with_overrides({"set_dne": ("x",)})
    assert str(err.value) == "set_dne: unknown cue key 'set_dne'. did you mean 'set_done'?"


def test_list_and_focus_names() -> None:
    assert [p.name for p in list_cue_packs()] == ["default"]
    assert list_cue_packs()[0].description
    assert normalize_focus("Hip flexors") == "hip_flexors"
    assert normalize_focus("lower-back") == "low_back"


def test_a_pack_is_read_by_the_routine_yaml_reader(tmp_path: Path) -> None:
    """Duplicate keys and alias bombs get the routine reader's located messages."""
    path = write(tmp_path, "dup.yaml", "extends: default\ncues: {}\ncues: {}\n")
    assert load_error(path) == (
        f"{path}:3:1: cues: duplicate key 'cues' (first on line 2). remove one of them."
    )
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    path = write(tmp_path, "bomb.yaml", bomb)
    assert load_error(path) == (
        f"{path}:5:20: the file holds more than 50000 values once aliases are "
        "expanded. a cue pack needs far fewer: remove repeated aliases (*name)."
    )
