"""Children start safely, are bounded in time, and signals stop a render cleanly.

- A signal while ffmpeg starts never loses the handle (so the cleanup stops it), and
  the child gets the signals back after the death signal is set.
- SIGTERM and SIGHUP stop a render like Ctrl-C: cleanup, one line, 143 / 129.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.reliability.reliability_support import (
    OLD_BYTES,
    STALL_SLEEP,
    fake_ffmpeg,
    matching,
    start_cli,
    untagged,
    wait_for_encoder,
)
from voicecoach.audio import Encoder, measure_file, read_tags
from voicecoach.audio.ffmpeg import find_ffmpeg, run_ffmpeg
from voicecoach.childproc import HELD_SIGNALS, spawn
from voicecoach.cli import cli
from voicecoach.errors import AudioError, SpeechError, VoicecoachError
from voicecoach.pipeline import RenderOptions, render
from voicecoach.speech import FakeEngine
from voicecoach.speech.base import Clip
from voicecoach.speech.cache import decode_clip, encode_clip
from voicecoach.startup import Terminated


def _mask(status: str, field: str) -> set[int]:
    """The signal numbers set in a /proc/PID/status mask (SigBlk, SigIgn, ...)."""
    line = next(ln for ln in status.splitlines() if ln.startswith(field + ":"))
    bits = int(line.split()[1], 16)
    return {n for n in range(1, 65) if bits >> (n - 1) & 1}


def _status(pid: int) -> str:
    return Path(f"/proc/{pid}/status").read_text()


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


# --- point 1: signal-safe child start -------------------------------------------------


@pytest.mark.parametrize(
    "signum, sender",
    [
        (signal.SIGINT, "this thread"),
        (signal.SIGINT, "the process"),
        (signal.SIGTERM, "the process"),
    ],
)
def test_a_signal_while_ffmpeg_starts_never_orphans_it(tmp_path, monkeypatch, signum, sender):
    """The signal arrives inside Popen(), after the fork: the encoder still stops ffmpeg.

    Before the spawn helper, the KeyboardInterrupt surfaced inside Popen(), the handle
    was lost, and ffmpeg lived on to write the temp file after the cleanup.
    """
    old_handler = signal.getsignal(signum)
    if signum == signal.SIGTERM:  # as the command's handler does
        signal.signal(signum, _raise_terminated)
    real_popen = subprocess.Popen
    ffmpeg_name = Path(find_ffmpeg()).name[:15]  # as /proc/PID/comm shows it

    def popen_then_signal(cmd, *args, **kwargs):
        proc = real_popen(cmd, *args, **kwargs)
        if str(out) not in cmd:
            return proc  # not the encoder
        if sender == "this thread":
            signal.raise_signal(signum)
        else:
            os.kill(os.getpid(), signum)  # may be taken by any thread (numpy's, say)
        time.sleep(0.05)  # time for the handler to run, were it not held
        return proc

    out = tmp_path / "out.wav"
    monkeypatch.setattr(subprocess, "Popen", popen_then_signal)
    try:
        expected = KeyboardInterrupt if signum == signal.SIGINT else Terminated
        with pytest.raises(expected), Encoder(out, "wav") as enc:
            enc.write(np.zeros((44100, 2), dtype=np.float32))
    finally:
        signal.signal(signum, old_handler)
    # stopped and reaped by the cleanup: not running on, not even a zombie
    assert _children_named(ffmpeg_name) == []
    assert list(tmp_path.iterdir()) == []


def _children_named(comm: str) -> list[int]:
    """Our children (zombies too) whose program name is `comm`."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            with contextlib.suppress(OSError):
                if (Path("/proc") / pid / "comm").read_text().strip() == comm:
                    found.append(int(pid))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_the_child_takes_signals_again_and_has_a_session_of_its_own():
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    old_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    kept: list[subprocess.Popen[bytes]] = []
    try:
        proc = spawn(["sleep", "30"], keep=kept.append)
        assert kept == [proc]
        deadline = time.monotonic() + 5
        while "sleep" not in _cmdline(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)  # until exec: before it, the mask is still the parent's
        status = _status(proc.pid)
        held = {int(s) for s in HELD_SIGNALS}
        assert _mask(status, "SigBlk") & held == set()  # ffmpeg answers Ctrl-C and TERM
        assert _mask(status, "SigIgn") & held == {signal.SIGHUP}  # nohup stays nohup
        assert os.getsid(proc.pid) == proc.pid
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    finally:
        signal.signal(signal.SIGHUP, old_hup)
        for p in kept:
            p.kill()
            p.wait()


# --- point 5: SIGTERM and SIGHUP behave like SIGINT ----------------------------------


def _render_args(folder: Path) -> list[str]:
    args = ["render", "tiny.yaml", "-o", "out.wav", "--engine", "fake", "--transcript", "none"]
    return [*args, "-q", "--cache-dir", str(folder / "cache")]


@pytest.mark.parametrize(
    "signum, code, to_job",
    [(signal.SIGTERM, 143, False), (signal.SIGHUP, 129, True)],
    ids=["SIGTERM-to-process", "SIGHUP-to-job"],
)
def test_sigterm_and_sighup_stop_a_render_like_ctrl_c(work, signum, code, to_job):
    proc = start_cli(_render_args(work), work)
    assert wait_for_encoder(proc), "the render never started ffmpeg"
    if to_job:
        os.killpg(proc.pid, signum)  # a closed terminal hangs up the whole job
    else:
        proc.send_signal(signum)  # as `kill` does
    out, err = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert (proc.returncode, err.decode()) == (
        code,
        f"stopped by {name}; nothing was left half-written.\n",
    )
    assert out == b""
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    assert sorted(p.name for p in work.iterdir() if ".part" in p.name) == []
    assert matching(f"voicecoach-{proc.pid}") == []  # ffmpeg was stopped, not orphaned


def test_sigterm_while_the_command_starts_is_one_line_too(work):
    """As soon as voicecoach catches SIGTERM (its first import), not only mid-render."""
    proc = start_cli(_render_args(work), work)
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if signal.SIGTERM in _mask(_status(proc.pid), "SigCgt"):
                break
        except OSError:
            break
        time.sleep(0.001)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err.decode()) == (
        143,
        "stopped by SIGTERM; nothing was left half-written.\n",
    )
    assert (work / "out.wav").read_bytes() == OLD_BYTES


# --- point 4: every ffmpeg call is bounded -------------------------------------------

STALLS = {
    # never reads its input: the pipe fills, the write waits on ffmpeg
    "takes no audio": (
        "sleep 987\n",
        "error: ffmpeg stalled while writing {temp}: it accepted no audio for 1 s, so it "
        "was stopped. Check that {fake} is a working ffmpeg, or give it more time with "
        "--ffmpeg-timeout.",
    ),
    # reads everything, then never finishes the file
    "never finishes": (
        "cat > /dev/null\nsleep 987\n",
        "error: ffmpeg stalled while writing {temp}: it did not finish within 1 s after the "
        "audio ended, so it was stopped. Check that {fake} is a working ffmpeg, or give it "
        "more time with --ffmpeg-timeout.",
    ),
}


def _no_stalled_child_left() -> None:
    deadline = time.monotonic() + 2
    while matching(STALL_SLEEP) and time.monotonic() < deadline:
        time.sleep(0.05)  # the kernel may take a moment to reap
    assert matching(STALL_SLEEP) == []  # the fake ffmpeg and its own child are gone


@pytest.mark.parametrize("stall", list(STALLS))
def test_a_stalled_encoder_is_stopped_after_the_ffmpeg_timeout(work, ffmpeg_env, stall):
    script, expected = STALLS[stall]
    fake = fake_ffmpeg(work, script)
    ffmpeg_env(fake)
    started = time.monotonic()
    result = CliRunner().invoke(cli, [*_render_args(work), "--ffmpeg-timeout", "1"])
    elapsed = time.monotonic() - started
    temp = f".out.voicecoach-{os.getpid()}.part.wav"
    assert (result.exit_code, untagged(result.stderr)) == (
        1,
        expected.format(temp=temp, fake=fake) + "\n",
    )
    assert elapsed < 15  # the render itself, 1 s of stall, the stop; not forever
    _no_stalled_child_left()
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    assert sorted(p.name for p in work.iterdir() if ".part" in p.name) == []


def test_waiting_for_our_own_mixing_is_never_a_stall(tmp_path, ffmpeg_env):
    """ffmpeg idles while we compute (slower than the timeout): no stall."""
    ffmpeg_env(fake_ffmpeg(tmp_path, 'for last; do :; done\ncat > "$last"\n'))
    with Encoder(tmp_path / "out.wav", "wav", timeout_s=0.3) as enc:
        for _ in range(3):
            enc.write(np.zeros((4410, 2), dtype=np.float32))
            time.sleep(0.5)  # "synthesis" or mixing that takes longer than the timeout
    assert (tmp_path / "out.wav").stat().st_size == 3 * 4410 * 2 * 4


def test_a_stalled_music_decode_is_stopped_after_the_ffmpeg_timeout(work, ffmpeg_env):
    (work / "song.wav").write_bytes(b"RIFF" + b"\0" * 60)  # never read: ffmpeg hangs first
    (work / "tiny.yaml").write_text((work / "tiny.yaml").read_text() + "sound: {music: song.wav}\n")
    fake = fake_ffmpeg(work, "sleep 987\n")
    ffmpeg_env(fake)
    result = CliRunner().invoke(cli, [*_render_args(work), "--ffmpeg-timeout", "1"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: ffmpeg stalled while decoding the music file {work / 'song.wav'}: it made no "
        f"progress for 1 s, so it was stopped. Check that {fake} is a working ffmpeg, or give "
        "it more time with --ffmpeg-timeout.\n",
    )
    _no_stalled_child_left()
    assert (work / "out.wav").read_bytes() == OLD_BYTES


@pytest.mark.parametrize("script", ["sleep 987\n", "exec 1>&- 2>&-\nsleep 987\n"])
def test_every_other_ffmpeg_call_is_bounded_too(tmp_path, ffmpeg_env, script):
    """Loudness and tags run through run_ffmpeg: silent, or with its output closed."""
    fake = fake_ffmpeg(tmp_path, script)
    ffmpeg_env(fake)
    with pytest.raises(AudioError) as err:
        run_ffmpeg(["-i", "x.wav"], doing="reading the tags of x.wav", timeout_s=0.5)
    said = "it made no progress for 0.5 s" if "exec" not in script else "it did not exit for 0.5 s"
    assert str(err.value) == (
        f"ffmpeg stalled while reading the tags of x.wav: {said}, so it was stopped. Check "
        f"that {fake} is a working ffmpeg, or give it more time with --ffmpeg-timeout."
    )
    _no_stalled_child_left()


def test_loudness_and_tags_use_the_bounded_runner(tmp_path, ffmpeg_env):
    ffmpeg_env(fake_ffmpeg(tmp_path, "sleep 987\n"))
    for call, doing in (
        (lambda: measure_file(tmp_path / "a.wav", timeout_s=0.3), "measuring the loudness"),
        (lambda: read_tags(tmp_path / "a.wav", timeout_s=0.3), "reading the tags"),
    ):
        with pytest.raises(AudioError, match=f"^ffmpeg stalled while {doing} of "):
            call()
    _no_stalled_child_left()


@pytest.mark.parametrize("value", ["nan", "0", "-1"])
def test_the_ffmpeg_timeout_must_be_a_positive_number(value):
    with pytest.raises(VoicecoachError, match=r"^ffmpeg timeout must be a number of seconds"):
        render("tiny", "x.wav", RenderOptions(ffmpeg_timeout_s=float(value)))


# --- point 9: NaN and inf samples never reach the encoder ----------------------------


class PoisonedEngine(FakeEngine):
    """The fake engine, but one phrase comes back with a NaN or an infinite sample."""

    def __init__(self, bad: float) -> None:
        super().__init__()
        self.bad = bad

    def synthesize(self, texts, progress=None):
        clips = super().synthesize(texts, progress)
        for text, clip in zip(texts, clips, strict=True):
            if "Bridge" in text:  # its intro: "First up: Bridge. 4 slow reps."
                clip.samples[len(clip.samples) // 2] = self.bad
        return clips


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_or_inf_from_an_engine_is_a_clear_error_naming_it(work, bad):
    options = RenderOptions(cache_dir=work / "cache", transcripts=())
    with pytest.raises(SpeechError) as err:
        render("tiny.yaml", "out.wav", options, engine=PoisonedEngine(bad))
    assert re.fullmatch(
        r"speech engine 'fake' returned audio with NaN or infinite samples for phrase \d+ "
        r"of \d+ \(\"(First up|To start): Bridge[.,] [^\"]*\"\)\. "
        r"Try again, or choose another engine with --engine\.",
        str(err.value),
    ), str(err.value)
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    for entry in (work / "cache").rglob("*.clip"):  # what was cached is finite
        clip = decode_clip(entry.read_bytes())
        assert clip is not None and clip.finite


def test_nan_or_inf_in_a_cache_entry_is_dropped_and_synthesized_again(work):
    options = RenderOptions(cache_dir=work / "cache", transcripts=())
    first = render("tiny.yaml", "first.wav", options, engine=FakeEngine())
    entries = sorted((work / "cache").rglob("*.clip"))
    for entry, bad in zip(entries, (float("nan"), float("inf")), strict=False):
        clip = decode_clip(entry.read_bytes())
        assert clip is not None
        samples = clip.samples.copy()
        samples[len(samples) // 2] = bad
        # a whole entry (its digest matches): only the samples are damaged
        entry.write_bytes(encode_clip(Clip(samples, clip.sample_rate, lead=clip.lead)))
    engine = FakeEngine()
    again = render("tiny.yaml", "again.wav", options, engine=engine)
    assert (again.synthesized, again.cached) == (2, len(entries) - 2)
    assert [len(batch) for batch in engine.batches] == [2]
    assert again.timeline == first.timeline
    for entry in entries[:2]:  # replaced by good ones
        clip = decode_clip(entry.read_bytes())
        assert clip is not None and clip.finite


def test_the_encoder_refuses_nan_blocks_and_leaves_no_file(tmp_path):
    block = np.zeros((4410, 2), dtype=np.float32)
    refused = pytest.raises(ValueError, match=r"^NaN or infinite samples in the block at 0\.1 s")
    with refused, Encoder(tmp_path / "out.wav", "wav") as enc:
        enc.write(block)
        block[7, 1] = np.nan
        enc.write(block)
    assert list(tmp_path.iterdir()) == []
