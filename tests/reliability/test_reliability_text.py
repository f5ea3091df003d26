"""Injection: text from a routine cannot break a transcript, a tag or a terminal.

The transcripts are checked by parsing the written files with strict parsers that
follow each format's rules (a WebVTT block ends at a blank line, a line holding
"-->" starts a new cue, "<" opens a tag; an SRT block is index, timing, text; an LRC
line is time tags then text).
"""

from __future__ import annotations

import ast
import html
import json
import re
import unicodedata
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import voicecoach.cli
from voicecoach.chapter import Chapter
from voicecoach.cli import cli
from voicecoach.planning.timeline import SPOKEN_KINDS, Event, Timeline
from voicecoach.textsafe import one_line, printable
from voicecoach.transcript import render_transcript

HINT = 'remove it (in quoted YAML text, escapes like "\\e" or "\\x1b" write one).'


def run(*args: str, cwd: Path | None = None):
    return CliRunner().invoke(cli, list(args), prog_name="voicecoach")


# --- strict parsers of the three subtitle formats ------------------------------------

_VTT_TIME = r"(\d{2,}:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME} --> {_VTT_TIME}$")
_SRT_TIMING = re.compile(r"^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$")
_LRC_LINE = re.compile(r"^((?:\[\d{2}:\d{2}\.\d{2}\])+)(.*)$")


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        assert "\r" not in line
        if line == "":
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    return [*blocks, current] if current else blocks


def parse_vtt(text: str) -> list[str]:
    """Cue payloads (entities decoded); fails on anything a WebVTT parser would read as
    a second cue, a tag, a broken NOTE or a multi-line payload."""
    blocks = _blocks(text)
    assert blocks[0] == ["WEBVTT"]
    cues = []
    for block in blocks[1:]:
        if block[0].startswith("NOTE"):
            assert not any("-->" in line for line in block), block
            continue
        timing = 0 if "-->" in block[0] else 1
        assert _VTT_TIMING.match(block[timing]), block
        payload = block[timing + 1 :]
        assert len(payload) == 1, block  # one spoken line is one cue line
        assert "-->" not in payload[0] and "<" not in payload[0], block
        assert re.sub(r"&(amp|lt|gt);", "", payload[0]).count("&") == 0, block
        cues.append(html.unescape(payload[0]))
    return cues


def parse_srt(text: str) -> list[str]:
    cues = []
    for number, block in enumerate(_blocks(text), start=1):
        assert block[0] == str(number), block
        assert _SRT_TIMING.match(block[1]), block
        assert len(block) == 3 and "-->" not in block[2], block
        cues.append(block[2])
    return cues


def parse_lrc(text: str) -> tuple[str, list[str]]:
    lines = text.split("\n")
    assert lines[-1] == ""
    title = re.fullmatch(r"\[ti:([^\[\]]*)\]", lines[0])
    assert title, lines[0]
    assert re.fullmatch(r"\[length:\d{2}:\d{2}\.\d{2}\]", lines[1])
    cues = []
    for line in lines[2:-1]:
        found = _LRC_LINE.match(line)
        assert found, line
        assert found.group(1).count("[") == 1, line  # one time tag: the line is said once
        assert "[" not in found.group(2) and "]" not in found.group(2), line
        cues.append(found.group(2))
    return title.group(1), cues


# --- transcripts ----------------------------------------------------------------------

ROUTINE = """\
name: "Arrows --> & <b>tags</b> [00:00.00]"
intro: |
  Hello.
  --> This line starts with an arrow.

  00:00:01.000 --> 00:00:09.000
  [00:01.00] Still the intro.
sound: {background: none, chimes: false}
exercises:
  - name: "Bridge <i>now</i> & then"
    reps: 3
    tempo: 3-1-3
    setup: "Lie down.\\r\\nKnees bent.\\tFeet flat."
    cues:
      - {at: 2, say: "Squeeze -->\\n\\n2\\n00:00:01,000 --> 00:00:02,000\\nnow"}
"""


def test_names_intro_and_cues_with_arrows_and_newlines_stay_one_cue_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "r.yaml").write_text(ROUTINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(
        "render", "r.yaml", "-o", "out.wav", "--engine", "fake", "--cache-dir", "cache",
        "--transcript", "vtt", "--transcript", "srt", "--transcript", "lrc",
        "--transcript", "json", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    spoken = [e["text"] for e in plan["events"] if e["kind"] in SPOKEN_KINDS and e["text"]]
    assert "Hello. --> This line starts with an arrow. 00:00:01.000 --> 00:00:09.000 " in (
        " ".join(spoken)
    )
    assert "Squeeze --> 2 00:00:01,000 --> 00:00:02,000 now" in spoken
    # Which phrasing of `setup` is said depends on the variant rotation (issue 9).
    assert any(t.endswith("Lie down. Knees bent. Feet flat.") for t in spoken)
    assert all("\n" not in text and "\r" not in text for text in spoken)

    assert parse_vtt((tmp_path / "out.vtt").read_text(encoding="utf-8")) == spoken
    srt = parse_srt((tmp_path / "out.srt").read_text(encoding="utf-8"))
    assert srt == [re.sub("--+>", "->", text) for text in spoken]
    title, lrc = parse_lrc((tmp_path / "out.lrc").read_text(encoding="utf-8"))
    assert title == "Arrows --> & <b>tags</b> (00:00.00)"
    assert lrc == [text.replace("[", "(").replace("]", ")") for text in spoken]


def test_transcript_writers_flatten_any_text_they_are_given() -> None:
    """Library users can build a Timeline by hand: line breaks of every kind in a
    text (and in the title) still give one cue per spoken event."""
    texts = ["a\n\nb", "c\r\n\r\nd", "e\u2028f\x85g", "  -->  ", "h\n-->\ni", "\n\n1\n"]
    events = tuple(Event(i * 1000, i * 1000 + 500, "speech", text=t) for i, t in enumerate(texts))
    timeline = Timeline("T\n\nNOTE -->\r", 10_000, events, ())
    expected = [one_line(t) for t in texts]
    assert parse_vtt(render_transcript(timeline, "vtt")) == expected
    assert parse_srt(render_transcript(timeline, "srt")) == [
        re.sub("--+>", "->", t) for t in expected
    ]
    title, lrc = parse_lrc(render_transcript(timeline, "lrc"))
    assert (title, lrc) == ("T NOTE -->", expected)


@given(st.lists(st.text(), min_size=1, max_size=6), st.text())
def test_any_text_gives_one_cue_per_spoken_event(texts: list[str], title: str) -> None:
    events = tuple(Event(i * 100, i * 100 + 50, "cue", text=t) for i, t in enumerate(texts))
    timeline = Timeline(title, 1000, events, ())
    expected = [one_line(t) for t in texts if one_line(t)]
    assert parse_vtt(render_transcript(timeline, "vtt")) == expected
    assert len(parse_srt(render_transcript(timeline, "srt"))) == len(expected)
    assert len(parse_lrc(render_transcript(timeline, "lrc"))[1]) == len(expected)
    for text in (*texts, title):
        shown = printable(text, keep_newlines=False)
        assert all(unicodedata.category(ch) != "Cc" or ch == "\t" for ch in shown)
        assert printable(shown) == shown


def test_blank_texts_make_no_empty_cue() -> None:
    events = (Event(0, 500, "speech", text=" \n "), Event(500, 900, "cue", text="Go."))
    timeline = Timeline("T", 1000, events, ())
    assert parse_vtt(render_transcript(timeline, "vtt")) == ["Go."]
    assert parse_srt(render_transcript(timeline, "srt")) == ["Go."]


# --- control characters in spoken text are refused where they are written -------------


@pytest.mark.parametrize(
    ("line", "where", "shown", "at"),
    [
        ('name: "Evil\\e[2J"', "1:7: name", "\\u001b", 5),
        ('intro: "Hello\\a there"', "2:8: intro", "\\u0007", 6),
        ('outro: "Bye\\x9b"', "2:8: outro", "\\u009b", 4),
        ('phrases: {rest: "Rest\\0 now"}', "2:17: phrases.rest", "\\u0000", 5),
    ],
)
def test_control_characters_in_spoken_text_are_refused_with_a_location(
    tmp_path: Path, line: str, where: str, shown: str, at: int
) -> None:
    body = "exercises:\n  - {name: B, reps: 3}\n"
    text = f"{line}\n{body}" if line.startswith("name") else f"name: A\n{line}\n{body}"
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}:{where}: contains the control character {shown} at character {at}. {HINT}\n"
    )


def test_control_characters_in_cues_words_and_cue_packs_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        'extends: default\ncues:\n  session_end: "Done\\e]0;pwned\\a"\n', encoding="utf-8"
    )
    path = tmp_path / "r.yaml"
    path.write_text(
        "name: A\ncue_pack: pack.yaml\nexercises:\n"
        '  - name: B\n    reps: 3\n    tempo_words: [up, "do\\x1bwn", x]\n'
        '    cues:\n      - {at: 2, say: "Squeeze\\x7f"}\n',
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:6:23: exercises[0].tempo_words[1]: contains the control character "
        f"\\u001b at character 3. {HINT}",
        f"error: {path}:8:22: exercises[0].cues[0].say: contains the control character "
        f"\\u007f at character 8. {HINT}",
    ]
    path.write_text("name: A\ncue_pack: pack.yaml\nexercises:\n  - {name: B, reps: 3}\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'pack.yaml'}:3:16: cues.session_end[0]: contains the control "
        f"character \\u001b at character 5. {HINT}\n"
    )


def test_line_breaks_and_tabs_in_text_are_read_as_spaces(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        'name: "Two\\nlines"\nintro: |\n  One.\n\n  Two.\t Three.\r\n'
        "exercises:\n  - {name: B, reps: 3}\n",
        encoding="utf-8",
    )
    result = run("plan", str(path), "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["title"] == "Two lines"
    assert "One. Two. Three." in [e["text"] for e in plan["events"]]


# --- nothing reaches the terminal raw ------------------------------------------------


def test_printable_escapes_every_control_character_and_only_those() -> None:
    unsafe = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\t"]
    unsafe += ["\u2028", "\u2029", "\u202e", "\u2066"]
    for ch in unsafe:
        shown = printable(f"a{ch}b")
        assert shown.isprintable() and len(shown) > 3, repr(ch)
        assert json.loads(f'"{shown}"') == f"a{ch}b"  # also a valid JSON escape
        assert printable(shown) == shown
    assert printable("a\tb\nc é ✓ \\e") == "a\tb\nc é ✓ \\e"
    assert printable("a\nb", keep_newlines=False) == "a\\nb"


def test_an_escape_sequence_in_a_key_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text('name: A\n"\\e[2J\\e[H": 1\nexercises:\n  - {name: B, reps: 3}\n')
    for command in ("validate", "plan"):
        result = run(command, str(path))
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: {path}:2:1: unknown key '\\u001b[2J\\u001b[H'. valid keys here: version, "
            "name, description, intro, intro_long, outro, safety, pronounce, author, album, "
            "cover, defaults, profile, voice, sound, cue_pack, phrases, exercises, sections.\n"
        )


def test_an_escape_sequence_in_a_file_name_is_shown_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "\x1b[2Jr\r.yaml"
    Path(name).write_text("name: A\nexercises:\n  - {name: B, reps: 3}\n")
    result = run("validate", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: \\u001b[2Jr\\r.yaml (")
    Path(name).write_text("name: A\nexercises: 3\n")
    result = run("plan", name)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: \\u001b[2Jr\\r.yaml:2:12: exercises: must be a list of exercises, got 3. "
        "start each exercise with '- name: ...' on its own line.\n"
    )


def test_library_and_usage_errors_show_escapes(tmp_path: Path) -> None:
    result = run("library", "\x1b[2Jbridge")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown exercise '\\u001b[2Jbridge' in the library. "
        "run `voicecoach library` to see them all.\n"
    )
    result = run("plan", "x", "--level", "\x1b[2J")
    assert result.exit_code == 2
    assert result.stderr == (  # click quotes the value with repr()
        "error: invalid value for '--level': '\\x1b[2J' is not one of 'easy', 'normal', "
        "'hard'. see 'voicecoach plan --help'.\n"
    )
    result = run("plan", "x", "--\x1b[2J")
    assert result.exit_code == 2
    assert result.stderr == ("error: no such option '--\\x1b[2J'. see 'voicecoach plan --help'.\n")


def test_plan_json_escapes_c1_controls_as_json() -> None:
    """json.dumps(ensure_ascii=False) escapes C0 but writes C1 and bidi raw; the printed
    JSON must still parse to the same value."""
    value = {"title": "a\x9b2J\u202eb"}
    shown = printable(json.dumps(value, ensure_ascii=False))
    assert shown.isprintable() and json.loads(shown) == value


def test_the_cli_prints_only_through_the_escaping_helper() -> None:
    """Every click.echo in the cli package is the one inside `echo`, which escapes."""
    folder = Path(voicecoach.cli.__file__).parent
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.py"))]
    calls = []
    for func in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(func, ast.FunctionDef):
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "click"
                    and node.attr in ("echo", "secho")
                ):
                    calls.append(func.name)
    assert calls == ["echo"]


# --- tags -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["m4a", "wav"])
def test_carriage_returns_in_tag_text_do_not_break_ffmetadata_tags(
    tmp_path: Path, fmt: str
) -> None:
    """ffmpeg's ffmetadata reader ends a line at CR as well as LF: an unescaped CR cut
    the title there and lost the rest (and every tag after it). A trailing backslash
    (which it reads as a line continuation) is dropped so the next tag survives."""
    import numpy as np

    from voicecoach.audio.encode import Encoder
    from voicecoach.audio.tags import read_chapters, read_tags

    path = tmp_path / f"s.{fmt}"
    title = "Back\rreset\r\nline=2;#x\\y"
    with Encoder(
        path,
        metadata={"title": title, "album": "Warm-ups\\", "artist": "voicecoach", "comment": "a\rb"},
        chapters=[Chapter("Glute\rbridge", 0, 500), Chapter("Plank\r", 500, 1000)],
    ) as encoder:
        encoder.write(np.zeros((44100, 2), np.float32))
    tags = read_tags(path)
    assert (tags["title"], tags["artist"], tags["comment"]) == (title, "voicecoach", "a\rb")
    assert tags["album"] == "Warm-ups"  # ffmetadata cannot end a value with a backslash
    if fmt == "m4a":
        from mutagen.mp4 import MP4, MP4Tags

        assert cast(MP4Tags, MP4(path).tags)["\xa9nam"] == [title]  # read without ffmpeg as well
        assert read_chapters(path) == [("Glute\rbridge", 0, 500), ("Plank\r", 500, 1000)]
