"""`render ROUTINE... --client ...`: several outputs from one command (fake engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from tests.batch.batch_helpers import fast, finish_with_a_bug
from voicecoach import batch
from voicecoach.batch import render_batch
from voicecoach.clients import find_clients
from voicecoach.errors import AudioError, VoicecoachError
from voicecoach.jobs import Job, plan_jobs
from voicecoach.pipeline import RenderOptions, VoiceChoice
from voicecoach.speech.fake import FakeEngine


def test_each_routine_for_each_client(folder: Path) -> None:
    args = ["render", "bridge.yaml", "bridge2.yaml", "--client", "clients/"]
    from voicecoach.cli import cli

    result = CliRunner().invoke(cli, [*args, "-o", "out/{client}/{routine}.mp3", *fast(folder)])
    assert result.exit_code == 0, result.output
    made = sorted(str(p.relative_to(folder)) for p in (folder / "out").rglob("*.mp3"))
    assert made == [
        "out/Jo-Lee/bridge.mp3",
        "out/Jo-Lee/bridge2.mp3",
        "out/Sam/bridge.mp3",
        "out/Sam/bridge2.mp3",
    ]
    lines = result.output.splitlines()
    assert sum(line.startswith("wrote out/") for line in lines) == 4
    assert lines[-1].startswith("4 outputs in ") and ": 4 written, 0 failed; " in lines[-1]
    # {client} in a line: the client's name
    assert "See you next time, Jo Lee." in (folder / "out/Jo-Lee/bridge.vtt").read_text("utf-8")
    tags = ID3(folder / "out/Sam/bridge.mp3")
    assert str(tags["TXXX:VOICECOACH_CLIENT"]) == "Sam"


def test_without_a_client_the_line_drops_the_name(folder: Path) -> None:
    from voicecoach.cli import cli

    result = CliRunner().invoke(cli, ["render", "bridge.yaml", "-o", "b.mp3", *fast(folder)])
    assert result.exit_code == 0, result.output
    vtt = (folder / "b.vtt").read_text(encoding="utf-8")
    assert "See you next time." in vtt and "{client}" not in vtt


def test_one_failing_output_does_not_stop_the_others(folder: Path) -> None:
    (folder / "junk.wav").write_bytes(b"RIFF" + b"junk" * 300)
    bad = (folder / "bridge.yaml").read_text(encoding="utf-8")
    bad = bad.replace("background: none", "background: none, music: junk.wav")
    (folder / "broken.yaml").write_text(bad, encoding="utf-8")
    from voicecoach.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "render",
            "bridge.yaml",
            "broken.yaml",
            "bridge2.yaml",
            "-o",
            "out/{routine}.mp3",
            *fast(folder),
        ],
    )
    assert result.exit_code == 1
    assert (
        f"error: out/broken.mp3: music file is corrupt or truncated, no audio could be "
        f"decoded: {folder / 'junk.wav'}. Re-export or download it again."
    ) in result.output
    assert "3 outputs in " in result.output and ": 2 written, 1 failed; " in result.output
    assert sorted(p.name for p in (folder / "out").iterdir()) == [
        "bridge.mp3", "bridge.timeline.json", "bridge.vtt",
        "bridge2.mp3", "bridge2.timeline.json", "bridge2.vtt",
    ]  # fmt: skip


def test_a_failure_while_mixing_leaves_no_file_and_the_rest_render(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicecoach.pipeline import finish_render as real

    def finish(prepared, speech, progress=None, **kw):
        if prepared.target.name == "bridge.mp3":
            raise AudioError("the disk is full")
        return real(prepared, speech, progress, **kw)

    monkeypatch.setattr(batch, "finish_render", finish)
    jobs = plan_jobs(["bridge.yaml", "bridge2.yaml"], [], "out/{routine}.mp3")
    (folder / "out").mkdir()
    options = RenderOptions(voice=VoiceChoice(engine="fake"), cache_dir=folder / "cache")
    result = render_batch(jobs, options, workers=1, engine=FakeEngine())
    assert [o.error for o in result.outcomes] == ["the disk is full", None]
    assert sorted(p.name for p in (folder / "out").iterdir()) == [
        "bridge2.mp3", "bridge2.timeline.json", "bridge2.vtt",
    ]  # fmt: skip


def test_a_bug_in_a_render_process_is_an_internal_error_not_a_failed_output(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed output is exit 1; an exception from voicecoach's own code in a pool
    worker is a bug, exit 70, as it is without the pool. (The bug here: the worker
    raises a RuntimeError. Not a function that cannot be sent to the process: with
    cancel_futures, CPython 3.11's pool can deadlock on that, python/cpython#116685.)"""
    from voicecoach.cli import EXIT_INTERNAL, cli

    monkeypatch.setattr(batch, "_finish", finish_with_a_bug)
    args = ["render", "bridge.yaml", "bridge2.yaml", "-o", "out/{routine}.mp3", *fast(folder)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_INTERNAL, result.output
    assert result.stderr.startswith("error: internal error: ")
    assert "a bug in the render process" in result.stderr
    assert result.stderr.count("\n") == 1


def test_shared_synthesis_says_each_phrase_once(folder: Path) -> None:
    """Two clients, the same routine: the common phrases are synthesized once."""
    engine = FakeEngine()
    calls: list[str] = []
    real = engine.synthesize

    def counting(texts, progress=None):
        calls.extend(texts)
        return real(texts, progress=progress)

    engine.synthesize = counting  # type: ignore[method-assign]
    clients = find_clients(["clients/sam.yaml", "clients/jo.yaml"])
    jobs = plan_jobs(["bridge.yaml"], clients, "out/{client}-{routine}.mp3")
    (folder / "out").mkdir()
    options = RenderOptions(cache_dir=folder / "cache")
    result = render_batch(jobs, options, workers=1, engine=engine)
    assert all(o.error is None for o in result.outcomes)
    assert len(calls) == len(set(calls)) == result.speech.synthesized
    assert "Glute bridge." in calls or any("Glute bridge" in c for c in calls)


@pytest.mark.parametrize(
    ("routines", "clients", "template", "message"),
    [
        (
            ["bridge.yaml", "bridge2.yaml"],
            [],
            "out/session.mp3",
            "-o 'out/session.mp3' names one file, but this command makes 2 outputs. "
            "put {routine} in it, like -o 'out/{client}/{routine}.mp3'.",
        ),
        (
            ["bridge.yaml"],
            ["clients/"],
            "out/{routine}.mp3",
            "-o 'out/{routine}.mp3' names one file, but this command makes 2 outputs. "
            "put {client} in it, like -o 'out/{client}/{routine}.mp3'.",
        ),
        (
            ["bridge.yaml", "bridge2.yaml"],
            [],
            "out/{client}/{routine}.mp3",
            "-o 'out/{client}/{routine}.mp3' uses {client} but no --client was given. "
            "add --client FILE, or leave {client} out.",
        ),
    ],
)
def test_templates_that_cannot_name_every_output(
    folder: Path, routines: list[str], clients: list[str], template: str, message: str
) -> None:
    with pytest.raises(VoicecoachError) as info:
        plan_jobs(routines, find_clients(clients), template)
    assert str(info.value) == message


def test_two_outputs_with_the_same_path_are_refused_before_rendering(folder: Path) -> None:
    (folder / "clients" / "sam2.yaml").write_text("name: Sam\n", encoding="utf-8")
    from voicecoach.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "render",
            "bridge.yaml",
            "--client",
            "clients/*.yaml",
            "-o",
            "{client}.mp3",
            *fast(folder),
        ],
    )
    assert result.exit_code == 1
    assert result.output == (
        "error: two outputs would both be written to Sam.mp3: bridge.yaml for Sam "
        "(clients/sam.yaml) and bridge.yaml for Sam (clients/sam2.yaml). give the clients "
        "different names, or change -o.\n"
    )
    assert not list(folder.glob("*.mp3"))


def test_names_are_made_safe_for_paths(folder: Path) -> None:
    (folder / "evil.yaml").write_text("name: ../../etc/passwd\n", encoding="utf-8")
    jobs = plan_jobs(["bridge.yaml"], find_clients(["evil.yaml"]), "out/{client}/{routine}.mp3")
    assert jobs == [Job("bridge.yaml", jobs[0].client, Path("out/etc-passwd/bridge.mp3"))]


def test_a_client_argument_that_matches_nothing(folder: Path) -> None:
    from voicecoach.cli import cli

    result = CliRunner().invoke(cli, ["render", "bridge.yaml", "--client", "nobody/*.yaml"])
    assert result.exit_code == 1
    assert result.output == (
        "error: --client 'nobody/*.yaml' matches no client file. "
        "check the pattern; quote it so the shell passes it on.\n"
    )
