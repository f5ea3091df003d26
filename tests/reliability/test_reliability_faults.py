"""Faults mid-render: engines that hang or crash, a broken ffmpeg, an unwritable or full
disk, SIGINT/SIGKILL at random moments, a damaged cache and two renders at once.

Whatever happens, the target path holds either yesterday's file, untouched, or a
complete new one; temp files are removed now or by the next run; no process is left.
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.reliability_support import (
    OLD_BYTES,
    children_of,
    fake_ffmpeg,
    first_child,
    matching,
    start_cli,
    untagged,
    wait_for_encoder,
)
from voicecoach.cli import cli
from voicecoach.errors import SpeechError
from voicecoach.pipeline import RenderOptions, render
from voicecoach.speech import FakeEngine, Pyttsx3Engine, Timeouts

FIX = "Try again, or choose another engine with --engine (see 'voicecoach voices')."
INTERRUPTED = "interrupted; nothing was left half-written.\n"


def our_workers() -> list[int]:
    """Speech workers started by this test process that are still running."""
    return [p for p in children_of(os.getpid()) if p in matching("voicecoach.speech.worker")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def cli_render(folder: Path, *extra: str) -> list[str]:
    args = ["render", "tiny.yaml", "-o", "out.wav", "--engine", "fake", "--transcript", "none"]
    return [*args, "-q", "--cache-dir", str(folder / "cache"), *extra]


# --- speech engine ----------------------------------------------------------------------


STARTUP_S = 20.0


def test_hanging_engine_is_stopped_within_its_timeout(work, monkeypatch):
    # A generous start-up budget: a loaded CI machine may take seconds to start the
    # worker, and this test is about the hung phrase, not a slow start.
    engine = Pyttsx3Engine(timeouts=Timeouts(startup_s=STARTUP_S, per_phrase_s=1.0))
    _ = engine.voice  # the voice probe runs before the hang is armed
    monkeypatch.setenv("VOICECOACH_TEST_WORKER_HANG", "Bridge")
    start = time.monotonic()
    with pytest.raises(SpeechError) as err:
        render("tiny.yaml", "out.wav", RenderOptions(cache_dir=work / "cache"), engine=engine)
    elapsed = time.monotonic() - start
    found = re.fullmatch(
        r"speech engine 'pyttsx3' timed out after (\d+\.\d) s on phrase (\d+) of \d+ "
        r"\(\"[^\"]*Bridge[^\"]*\"\) and was stopped\. " + re.escape(FIX),
        str(err.value),
    )
    assert found, str(err.value)
    phrase = int(found[2])
    assert elapsed < STARTUP_S + 1.0 * phrase + 2.0  # the budget for that phrase, plus slack
    assert our_workers() == []
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    assert leftovers(work) == []


def test_crashing_engine_is_one_clear_line(work):
    proc = start_cli(
        ["render", "tiny.yaml", "-o", "out.wav", "--engine", "pyttsx3", "--cache-dir", "c"],
        work,
        env={"VOICECOACH_TEST_WORKER_CRASH": "Bridge"},
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert re.fullmatch(
        r"error: speech engine 'pyttsx3' crashed \(exit code 3\) on phrase \d+ of \d+ "
        r"\(\"[^\"]*Bridge[^\"]*\"\): test hook: crashing on purpose\. " + re.escape(FIX) + "\n",
        err.decode(),
    ), err.decode()
    assert out == b""
    assert children_of(proc.pid) == []  # the CLI is gone, and so is its worker
    assert matching(f"voicecoach-{proc.pid}") == []
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    assert leftovers(work) == []


# --- ffmpeg -------------------------------------------------------------------------------


def temp_name() -> str:
    return f".out.voicecoach-{os.getpid()}.part.wav"


FFMPEG_FAULTS = {
    "missing": (
        None,
        "error: VOICECOACH_FFMPEG names '{dir}/no-ffmpeg', which is not an executable file. "
        "Install ffmpeg and put it on PATH, reinstall voicecoach so its imageio-ffmpeg binary "
        "is present (`pip install imageio-ffmpeg`), or set VOICECOACH_FFMPEG to the ffmpeg "
        "program.",
    ),
    "crashing": (
        # crashes while finishing the file (the reason is then always its exit status)
        'cat > /dev/null\necho "Segmentation fault" >&2\nkill -SEGV $$\n',
        "error: ffmpeg failed to write {temp} (exit code -11); ffmpeg said: "
        "Segmentation fault. Check free disk space and that the output folder is writable.",
    ),
    "producing nothing": (
        "cat > /dev/null\nexit 0\n",
        "error: ffmpeg failed to write {temp} (no output was written); ffmpeg said: "
        "nothing. Check free disk space and that the output folder is writable.",
    ),
    "disk full": (
        # writes part of the file, then fails the way a full disk does
        'for last; do :; done\nhead -c 4096 /dev/zero > "$last"\n'
        'echo "Error writing trailer: No space left on device" >&2\ncat > /dev/null\nexit 1\n',
        "error: ffmpeg failed to write {temp} (exit code 1); ffmpeg said: Error writing "
        "trailer: No space left on device. Check free disk space and that the output folder "
        "is writable.",
    ),
}


@pytest.mark.parametrize("fault", list(FFMPEG_FAULTS))
def test_broken_ffmpeg_is_one_clear_line_and_no_partial_file(fault, work, ffmpeg_env):
    script, expected = FFMPEG_FAULTS[fault]
    ffmpeg_env(fake_ffmpeg(work, script) if script else str(work / "no-ffmpeg"))
    result = CliRunner().invoke(cli, cli_render(work))
    assert result.exit_code == 1
    assert untagged(result.stderr) == expected.format(dir=work, temp=temp_name()) + "\n"
    assert (work / "out.wav").read_bytes() == OLD_BYTES
    assert leftovers(work) == []


def test_missing_output_folder_fails_before_any_work(work):
    result = CliRunner().invoke(cli, [*cli_render(work), "-o", "nowhere/out.wav"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: nowhere/out.wav: the folder nowhere does not exist. "
        "create it first or choose another output path.\n"
    )
    assert not (work / "nowhere").exists() and not (work / "cache").exists()


def test_unwritable_output_folder(work):
    if os.geteuid() != 0:
        folder = work / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        result = CliRunner().invoke(cli, [*cli_render(work), "-o", "locked/out.wav"])
        assert result.stderr == (
            "error: locked/out.wav: the folder locked is not writable. "
            "choose another output path.\n"
        )
        folder.chmod(0o755)
        assert result.exit_code == 1 and list(folder.iterdir()) == []
        return
    # root may write anywhere a mode allows: sysfs refuses even root
    result = CliRunner().invoke(cli, [*cli_render(work), "-o", "/sys/out.wav"])
    assert result.exit_code == 1
    # refused when the transaction takes its lock in the folder, before ffmpeg starts
    assert result.stderr == (
        "error: /sys/out.wav: permission denied. choose a folder you can write to.\n"
    )
    assert not Path("/sys/out.wav").exists()


# --- signals ------------------------------------------------------------------------------


def wait_until_started(pid: int) -> None:
    """Until voicecoach's own code runs (numpy is mapped), or the process is gone.

    Before that the interpreter itself is starting, and a SIGINT there gets Python's
    default treatment; from the first import of voicecoach on, it is ours.
    """
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if "numpy" in Path(f"/proc/{pid}/maps").read_text():
                return
        except OSError:
            return
        time.sleep(0.01)


def undisturbed_render(work: Path) -> tuple[float, float]:
    """(seconds from the start of our code to the exit, seconds ffmpeg ran) of one render."""
    proc = start_cli(cli_render(work), work)
    wait_until_started(proc.pid)
    started = time.monotonic()
    assert wait_for_encoder(proc)
    encoding = time.monotonic()
    while first_child(proc.pid):
        time.sleep(0.002)
    encoded = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return time.monotonic() - started, encoded - encoding


# Where a trial's signal lands: at the fork of ffmpeg (the signal-safe spawn), at a
# random point of its encoding, or at a random point of the whole render.
MOMENTS = ("at spawn", "while encoding", "anywhere")


def test_sigint_and_sigkill_at_random_moments_never_damage_the_output(work):
    """20 renders, each interrupted (Ctrl-C to the job) or killed in the middle.

    The moments are aimed at the render's phases as they are seen happen (not at times
    guessed from another run), so every run lands at least 5 of each signal mid-render
    however fast or loaded the machine is; the counts are printed (pytest -s).
    """
    rng = random.Random(20240605)
    landed: dict[str, dict[str, int]] = {"SIGINT": {}, "SIGKILL": {}}
    finished = 0
    whole, encoding = undisturbed_render(work)  # also fills the phrase cache
    for trial in range(20):
        sig = signal.SIGINT if trial % 2 == 0 else signal.SIGKILL
        moment = MOMENTS[(trial // 2) % len(MOMENTS)]
        (work / "out.wav").write_bytes(OLD_BYTES)
        proc = start_cli(cli_render(work), work)
        wait_until_started(proc.pid)
        if moment == "anywhere":
            time.sleep(rng.uniform(0.0, 0.9 * whole))
        elif wait_for_encoder(proc) and moment == "while encoding":
            time.sleep(rng.uniform(0.0, 0.6 * encoding))
        try:
            if sig == signal.SIGINT:
                os.killpg(proc.pid, sig)  # as a terminal does: the whole job
            else:
                proc.kill()  # as the OOM killer does: only us
        except ProcessLookupError:
            pass
        _, err = proc.communicate(timeout=30)
        target = (work / "out.wav").read_bytes()
        if target != OLD_BYTES:  # renamed into place before the signal: a complete file
            assert wav_seconds(work / "out.wav") > 20, f"trial {trial}: output damaged"
            finished += 1
            continue
        if sig == signal.SIGINT:
            assert (proc.returncode, err.decode()) == (130, INTERRUPTED), f"trial {trial}"
            # removed on exit
            assert not [n for n in leftovers(work) if f"voicecoach-{proc.pid}-" in n]
            assert matching(f"voicecoach-{proc.pid}-") == []  # ffmpeg was stopped
        else:
            assert proc.returncode == -signal.SIGKILL
            # ffmpeg died with us: nothing goes on writing the temp file
            deadline = time.monotonic() + 2
            while matching(f"voicecoach-{proc.pid}-") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert matching(f"voicecoach-{proc.pid}-") == []
        landed[sig.name][moment] = landed[sig.name].get(moment, 0) + 1
    counts = {name: sum(by_moment.values()) for name, by_moment in landed.items()}
    print(f"\nsignal trials: landed mid-render {counts} by moment {landed}; finished {finished}")
    assert counts["SIGINT"] >= 5 and counts["SIGKILL"] >= 5, landed
    # the next run cleans what the killed ones left behind, then writes a whole file
    proc = start_cli(cli_render(work), work)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert leftovers(work) == []
    assert wav_seconds(work / "out.wav") > 20


# --- cache ----------------------------------------------------------------------------------


def test_damaged_cache_entries_are_detected_and_synthesized_again(work):
    options = RenderOptions(cache_dir=work / "cache", transcripts=())
    first = render("tiny.yaml", "first.wav", options, engine=FakeEngine())
    entries = sorted((work / "cache").rglob("*.clip"))
    assert first.synthesized == len(entries) >= 3 and first.cached == 0
    entries[0].write_bytes(entries[0].read_bytes()[:-100])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-5] ^= 0xFF  # one flipped byte
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"")  # empty
    engine = FakeEngine()
    again = render("tiny.yaml", "again.wav", options, engine=engine)
    assert again.synthesized == 3 and again.cached == len(entries) - 3
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 3
    assert again.timeline == first.timeline
    assert wav_seconds(work / "again.wav") == wav_seconds(work / "first.wav")


def test_two_renders_at_once_share_one_cache(work):
    procs = [start_cli([*cli_render(work), "-o", name], work) for name in ("one.wav", "two.wav")]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert wav_seconds(work / "one.wav") == wav_seconds(work / "two.wav") > 20
    again = render(
        "tiny.yaml",
        "three.wav",
        RenderOptions(cache_dir=work / "cache", transcripts=()),
        engine=FakeEngine(),
    )
    assert again.synthesized == 0  # every entry either render wrote is whole
    assert leftovers(work) == []
