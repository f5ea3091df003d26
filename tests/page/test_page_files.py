"""The page, the picture and the timeline sidecar, without a browser; and the CLI."""

from __future__ import annotations

import base64
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import VoicecoachError
from voicecoach.page import build_page, timeline_svg
from voicecoach.page.sidecar import canonical_hash, read_session

TINY = """\
name: Tiny
exercises:
  - name: Plank
    hold: 3s
    sides: both
    rest: 2s
sound: {background: none, chimes: false}
"""
SVG_NS = "{http://www.w3.org/2000/svg}"


def _data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="vc-data">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_render_writes_page_and_sidecar_with_hashes(session_dir: Path, sidecar: dict) -> None:
    assert sidecar["audio"] == "pagetest.mp3"
    assert sidecar["timeline_sha256"] == canonical_hash(sidecar["timeline"])
    assert sidecar["exercises"]["Bridge"] == {
        "setup": "Lie on your back, knees bent, feet flat.",
        "sets": 2,
        "reps": 4,
        "hold_ms": None,
        "sides": None,
        "focus": [],
    }
    html = (session_dir / "pagetest.html").read_text(encoding="utf-8")
    assert '<audio id="audio" preload="auto" src="pagetest.mp3">' in html
    data = _data(html)
    wanted = [e for e in sidecar["timeline"]["events"] if e["kind"] not in ("tick", "tone")]
    assert [row[:3] for row in data["events"]] == [
        [e["start_ms"], e["end_ms"], e["kind"]] for e in wanted
    ]


def test_page_is_self_contained(session_dir: Path) -> None:
    html = (session_dir / "pagetest.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "<script src" not in html and "@import" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert 'aria-live="polite"' in html and "prefers-reduced-motion" in html


def test_page_escapes_titles_and_embeds_audio(sidecar: dict) -> None:
    timeline = dict(sidecar["timeline"], title="Mine </script><b>&")
    html = build_page(timeline, "a b.mp3", embed_audio=b"ID3 fake bytes")
    assert "</script><b>" not in html
    assert _data(html)["title"] == "Mine </script><b>&"
    src = re.search(r'<audio id="audio" preload="auto" src="([^"]+)"', html)
    assert src and src.group(1).startswith("data:audio/mpeg;base64,")
    assert base64.b64decode(src.group(1).split(",", 1)[1]) == b"ID3 fake bytes"
    by_name = build_page(timeline, "my folder/a b.mp3")
    assert 'src="my%20folder/a%20b.mp3"' in by_name


def test_svg_blocks_switches_speech_and_estimate_label(sidecar: dict) -> None:
    timeline = sidecar["timeline"]
    root = ET.fromstring(timeline_svg(timeline, estimated=True))
    rects = root.iter(f"{SVG_NS}rect")
    classes = [r.get("class") for r in rects]
    events = timeline["events"]
    assert classes.count("vc-work") == sum(e["kind"] == "work" for e in events)
    assert classes.count("vc-rest") == sum(e["kind"] == "rest" for e in events)
    switches = root.findall(f"{SVG_NS}g[@class='vc-switch']")
    assert len(switches) == 2  # clamshell and side plank each switch to the right once
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "ESTIMATE" in texts and "Bridge" in texts and "speech" in texts
    rendered = timeline_svg(timeline, estimated=False)
    assert "ESTIMATE" not in rendered and "lengths as rendered" in rendered
    assert 'id="vc-playhead"' not in rendered
    assert 'id="vc-playhead"' in timeline_svg(timeline, estimated=False, playhead=True)


def _copy_session(session_dir: Path, folder: Path) -> Path:
    for name in ("pagetest.mp3", "pagetest.timeline.json"):
        shutil.copy(session_dir / name, folder / name)
    return folder / "pagetest.mp3"


def test_sidecar_that_does_not_match_is_refused(session_dir: Path, tmp_path: Path) -> None:
    audio = _copy_session(session_dir, tmp_path)
    assert read_session(audio)["audio"] == "pagetest.mp3"
    sidecar = tmp_path / "pagetest.timeline.json"
    how = (
        "render it again with `voicecoach render ROUTINE -o pagetest.mp3` "
        "or run `voicecoach page ROUTINE` with the routine."
    )
    record = json.loads(sidecar.read_text())
    record["timeline"]["total_ms"] += 1
    sidecar.write_text(json.dumps(record))
    with pytest.raises(VoicecoachError) as err:
        read_session(audio)
    assert str(err.value) == (f"{sidecar}: the timeline does not match its hash (edited?). {how}")
    _copy_session(session_dir, tmp_path)
    with audio.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(VoicecoachError) as err:
        read_session(audio)
    assert str(err.value) == f"{sidecar}: describes another audio file than {audio}. {how}"
    sidecar.unlink()
    with pytest.raises(VoicecoachError) as err:
        read_session(audio)
    assert str(err.value) == (f"{sidecar}: missing, so the timeline of {audio} is unknown. {how}")


def test_cli_page_from_audio(session_dir: Path, tmp_path: Path, monkeypatch: Any) -> None:
    _copy_session(session_dir, tmp_path / "")
    (tmp_path / "pages").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["page", "pagetest.mp3", "-o", "pages/s.html"])
    assert result.exit_code == 0, result.output
    assert result.output == "wrote pages/s.html (audio: pagetest.mp3)\n"
    assert 'src="../pagetest.mp3"' in (tmp_path / "pages/s.html").read_text()
    bad = CliRunner().invoke(cli, ["page", "pagetest.mp3", "-o", "s.txt"])
    assert bad.exit_code == 1
    assert bad.output == (
        "error: s.txt: a session page is an HTML file. give a name ending in .html.\n"
    )
    (tmp_path / "pagetest.timeline.json").unlink()
    missing = CliRunner().invoke(cli, ["page", "pagetest.mp3"])
    assert missing.exit_code == 1
    assert missing.output.startswith("error: pagetest.timeline.json: missing, so the timeline")
    assert not (tmp_path / "pagetest.html").exists()


def test_cli_page_from_routine_renders_only_when_needed(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tiny.yaml").write_text(TINY)
    runner = CliRunner()
    first = runner.invoke(cli, ["page", "tiny.yaml", "-o", "s.html", "--engine", "fake"])
    assert first.exit_code == 0, first.output
    assert "rendered s.mp3" in first.output and Path("s.timeline.json").is_file()
    stamp = Path("s.mp3").stat().st_mtime_ns
    again = runner.invoke(cli, ["page", "tiny.yaml", "-o", "s.html", "--engine", "fake"])
    assert again.exit_code == 0 and "rendered" not in again.output
    assert Path("s.mp3").stat().st_mtime_ns == stamp
    changed = runner.invoke(
        cli, ["page", "tiny.yaml", "-o", "s.html", "--engine", "fake", "--weak-side", "right"]
    )
    assert changed.exit_code == 0 and "rendered s.mp3" in changed.output
    data = _data(Path("s.html").read_text())
    assert data["chapters"][0]["title"] == "Plank — right"


def test_cli_page_never_renders_over_audio_it_did_not_make(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tiny.yaml").write_text(TINY)
    Path("s.mp3").write_bytes(b"my own recording")
    result = CliRunner().invoke(cli, ["page", "tiny.yaml", "-o", "s.html", "--engine", "fake"])
    assert result.exit_code == 1
    assert result.output == (
        "error: s.mp3: exists and has no voicecoach timeline beside it (s.timeline.json), "
        "so it is not overwritten. choose another audio name with --audio, or move the file "
        "away.\n"
    )
    assert Path("s.mp3").read_bytes() == b"my own recording" and not Path("s.html").exists()


def test_cli_render_page_and_plan_svg(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    Path("tiny.yaml").write_text(TINY)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["render", "tiny.yaml", "-o", "w.mp3", "--engine", "fake", "--embed"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote w.timeline.json\nwrote w.html\n" in result.output
    assert 'src="data:audio/mpeg;base64,' in Path("w.html").read_text()
    svg = runner.invoke(cli, ["plan", "tiny.yaml", "--svg", "t.svg"])
    assert svg.exit_code == 0 and "wrote t.svg" in svg.output
    assert "ESTIMATE" in Path("t.svg").read_text()
    bad = runner.invoke(cli, ["plan", "tiny.yaml", "--svg", "tiny.yaml"])
    assert bad.exit_code == 1
    assert bad.output == (
        "error: tiny.yaml: the picture is an SVG file. give a name ending in .svg.\n"
    )


def test_page_files_follow_the_final_audio_name(tmp_path: Path) -> None:
    from voicecoach.page.files import page_files
    from voicecoach.pipeline import plan_routine
    from voicecoach.routine.loader import load_routine

    (tmp_path / "tiny.yaml").write_text(TINY)
    routine = load_routine(str(tmp_path / "tiny.yaml"))
    temp = tmp_path / ".warmup.part.mp3"
    temp.write_bytes(b"audio bytes")
    final = tmp_path / "warmup.mp3"
    files = dict(page_files(temp, plan_routine(routine), routine, key="k", page=True, final=final))
    assert sorted(p.name for p in files) == ["warmup.html", "warmup.timeline.json"]
    record = json.loads(files[tmp_path / "warmup.timeline.json"])
    assert record["audio"] == "warmup.mp3" and record["audio_bytes"] == len(b"audio bytes")
    assert 'src="warmup.mp3"' in files[tmp_path / "warmup.html"]
