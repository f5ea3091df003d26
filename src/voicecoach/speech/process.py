"""Parent side of the speech worker: run one batch in a child process, bounded in time.

Real engines run in `python -m voicecoach.speech.worker`, so a hang or crash inside a
TTS library never takes the render down with it: the child is killed (with its whole
process group) and a SpeechError names the engine and the phrase it was on.

Protocol: the request is one JSON object on the child's stdin; the child answers with
JSON lines on its stdout (everything else it prints goes to its stderr, a log file):
``{"type": "ready", "version": ...}``, ``{"type": "voices", ...}``,
``{"type": "start", "index": i}``, ``{"type": "done", "index": i, "path": ...}``,
``{"type": "error", "index": i, "error": ...}``, ``{"type": "end"}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..childproc import spawn, stop
from ..errors import SpeechError
from ..scratch import scratch_dir
from .audiofile import read_audio
from .base import Clip, Progress, describe_phrase, silent_clip, trim_silence

FIX = "Try again, or choose another engine with --engine (see 'voicecoach voices')."


class SilentPhrase(SpeechError):
    """The engine wrote silence for a phrase that has words."""


class EngineStartError(SpeechError):
    """The worker failed before its first phrase: the engine could not load."""


def _error(index: Any) -> type[SpeechError]:
    return SpeechError if isinstance(index, int) else EngineStartError


@dataclass(frozen=True)
class Timeouts:
    """A batch may take startup_s + per_phrase_s * n seconds in all.

    The budget is checked per phrase as it accrues (phrase k must be done by
    startup_s + per_phrase_s * (k + 1)), so a hang is caught early while a slow
    phrase may use time a fast one left over.
    """

    startup_s: float = 10.0
    per_phrase_s: float = 2.0

    def total(self, n: int) -> float:
        return self.startup_s + self.per_phrase_s * n


def _reader(stream: IO[str], out: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            out.put(line)
    except (OSError, ValueError):  # closed under us after a kill
        pass
    out.put(None)


def _kill(proc: subprocess.Popen[str]) -> None:
    """Kill the worker and anything it started; never leave a process behind."""
    stop(proc, wait_s=5)


def _close(proc: subprocess.Popen[str]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _log_tail(log: IO[bytes]) -> str:
    log.seek(0)
    lines = [
        ln.strip()
        for ln in log.read().decode("utf-8", "replace").splitlines()
        if ln.strip() and not ln.startswith("Audio saved to ")
    ]
    return lines[-1] if lines else ""


def run_worker(
    engine: str,
    request: dict[str, Any],
    texts: Sequence[str],
    timeouts: Timeouts,
    on_message: Callable[[dict[str, Any]], None],
    stop: threading.Event | None = None,
) -> None:
    """Run one request in a worker process; call on_message for each protocol message.

    stop: set by another thread to end this worker early (a sibling worker failed).

    Raises SpeechError (naming the engine and phrase) on timeout, crash or a reported
    error. The worker (and its process group) is gone when this returns or raises.
    """
    with tempfile.TemporaryFile() as log:
        started = time.monotonic()
        proc = _start(engine, log)
        assert proc.stdin is not None and proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        try:
            reader.start()
            try:
                proc.stdin.write(json.dumps(request))
                proc.stdin.close()
            except BrokenPipeError:
                pass  # it died at once; the closed stdout below reports the crash
            talk = _Conversation(engine, proc, lines, log, texts, timeouts, started, stop)
            _converse(talk, on_message)
        finally:
            _kill(proc)
            if reader.is_alive():
                reader.join(timeout=2)  # the pipe hits EOF once the worker is gone
            _close(proc)


def _start(engine: str, log: IO[bytes]) -> subprocess.Popen[str]:
    """The worker process, its stderr going to ``log``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    kept: list[subprocess.Popen[str]] = []
    try:
        # a hung worker must not outlive a killed render, nor escape a Ctrl-C
        spawn(
            [sys.executable, "-m", "voicecoach.speech.worker"],
            keep=kept.append,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            encoding="utf-8",
            env=env,
        )
    except OSError as exc:
        raise SpeechError(
            f"speech engine '{engine}' could not start its worker process: {exc}. {FIX}"
        ) from exc
    except BaseException:  # a signal delivered once the worker was kept
        for proc in kept:
            _kill(proc)
            _close(proc)
        raise
    return kept[0]


@dataclass
class _Conversation:
    """One worker's side of a request, as the parent follows it."""

    engine: str
    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None]  # the worker's stdout; None once it is closed
    log: IO[bytes]  # the worker's stderr
    texts: Sequence[str]
    timeouts: Timeouts
    started: float  # time.monotonic() when the worker was started
    stop: threading.Event | None
    current: int | None = None  # the phrase the worker is on; None while starting


def _converse(talk: _Conversation, on_message: Callable[[dict[str, Any]], None]) -> None:
    """Follow the worker's messages until "end"; a reported error is raised."""
    while True:
        msg = _parse(_next_line(talk))
        kind = msg.get("type")
        if kind == "end":
            return
        if kind == "start":
            talk.current = int(msg["index"])
        elif kind == "done":
            talk.current = int(msg["index"]) + 1
        elif kind == "error":
            raise _error(msg.get("index"))(
                f"speech engine '{talk.engine}' failed{_where(msg.get('index'), talk.texts)}: "
                f"{msg.get('error')}. {FIX}"
            )
        if kind:
            on_message(msg)


def _next_line(talk: _Conversation) -> str:
    """The worker's next line, within the time budget of the phrase it is on.

    Kills the worker and raises SpeechError when it is stopped, out of time or gone.
    """
    engine, texts, timeouts, stop = talk.engine, talk.texts, talk.timeouts, talk.stop
    while True:
        current = talk.current
        allowed = 0 if current is None else min(current, max(len(texts) - 1, 0))
        budget = timeouts.startup_s + timeouts.per_phrase_s * (allowed + 1)
        remaining = talk.started + budget - time.monotonic()
        try:
            wait = remaining if stop is None else min(remaining, 0.25)
            line = talk.lines.get(timeout=wait) if remaining > 0 else ""
        except queue.Empty:
            if stop is None or not stop.is_set():
                continue
            line = ""
        if stop is not None and stop.is_set():
            _kill(talk.proc)
            raise SpeechError(f"speech engine '{engine}' was stopped. {FIX}")
        if line == "":  # nothing within the budget
            _kill(talk.proc)
            raise _error(current)(
                f"speech engine '{engine}' timed out after "
                f"{time.monotonic() - talk.started:.1f} s{_where(current, texts)} "
                f"and was stopped. {FIX}"
            )
        if line is None:  # stdout closed: the worker exited without "end"
            _kill(talk.proc)
            detail = _log_tail(talk.log)
            raise _error(current)(
                f"speech engine '{engine}' crashed ({_exit_reason(talk.proc.returncode)})"
                f"{_where(current, texts)}{': ' + detail if detail else ''}. {FIX}"
            )
        return line


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _parse(line: str) -> dict[str, Any]:
    """A protocol message; stray output (not a JSON object) is ignored."""
    try:
        msg = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return msg if isinstance(msg, dict) else {}


def _where(index: Any, texts: Sequence[str]) -> str:
    if isinstance(index, int) and 0 <= index < len(texts):
        return " on " + describe_phrase(index, len(texts), texts[index])
    return " while starting"


def synthesize_in_worker(
    engine: str,
    request: dict[str, Any],
    texts: Sequence[str],
    timeouts: Timeouts,
    progress: Progress | None = None,
    default_rate: int = 22050,
    *,
    on_clip: Callable[[int, Clip], None] | None = None,
    stop: threading.Event | None = None,
    retry_silent: bool = True,
) -> list[Clip]:
    """Synthesize a batch in one worker; blank phrases become silent clips without it.

    on_clip(index, clip) hears each clip as soon as the worker has made it (for the
    cache); stop ends the worker early (see run_worker).
    """
    got = _Clips.blanks_made(texts, default_rate, on_clip, progress)
    batch = [texts[i].strip() for i in got.todo]
    if batch:
        with tempfile.TemporaryDirectory(prefix="speech-", dir=scratch_dir()) as outdir:
            silent: list[int] = []  # phrases to try once more, in a fresh worker

            def collect(msg: dict[str, Any]) -> None:
                if msg.get("type") == "done":
                    j = int(msg["index"])
                    try:
                        made = _load(
                            engine, (Path(msg["path"]), int(msg.get("sample_rate", 0))), j, batch
                        )
                    except SilentPhrase:
                        if not retry_silent:
                            raise
                        silent.append(j)
                        return
                    Path(msg["path"]).unlink(missing_ok=True)
                    got.add(j, made)

            full = {**request, "op": "synthesize", "texts": batch, "outdir": outdir}
            run_worker(engine, full, batch, timeouts, collect, stop)
            if silent:
                # espeak now and then writes a silent file for a short phrase ("1")
                again = synthesize_in_worker(
                    engine,
                    request,
                    [batch[j] for j in silent],
                    timeouts,
                    default_rate=default_rate,
                    stop=stop,
                    retry_silent=False,
                )
                for j, clip in zip(silent, again, strict=True):
                    got.add(j, clip)
            got.check(engine, batch)
    return [c for c in got.clips if c is not None]


@dataclass
class _Clips:
    """The clips of a batch as they arrive, by phrase index."""

    clips: list[Clip | None]
    todo: list[int]  # the index in the batch of each phrase sent to the worker
    done: int  # clips made so far, blank phrases included
    on_clip: Callable[[int, Clip], None] | None
    progress: Progress | None

    @classmethod
    def blanks_made(
        cls,
        texts: Sequence[str],
        rate: int,
        on_clip: Callable[[int, Clip], None] | None,
        progress: Progress | None,
    ) -> _Clips:
        """A batch's clips with its blank phrases already silent (and counted)."""
        todo = [i for i, t in enumerate(texts) if t.strip()]
        clips: list[Clip | None] = [None if t.strip() else silent_clip(rate) for t in texts]
        got = cls(clips, todo, len(texts) - len(todo), on_clip, progress)
        if progress and got.done:
            progress(got.done)
        return got

    def add(self, j: int, clip: Clip) -> None:
        """The clip of the j-th phrase sent to the worker."""
        self.clips[self.todo[j]] = clip
        self.done += 1
        if self.on_clip:
            self.on_clip(self.todo[j], clip)
        if self.progress:
            self.progress(self.done)

    def check(self, engine: str, batch: Sequence[str]) -> None:
        """Raise SpeechError for the first phrase sent that has no clip."""
        for j, index in enumerate(self.todo):
            if self.clips[index] is None:
                raise SpeechError(
                    f"speech engine '{engine}' returned no audio for "
                    f"{describe_phrase(j, len(batch), batch[j])}. {FIX}"
                )


def _load(engine: str, result: tuple[Path, int], j: int, batch: Sequence[str]) -> Clip:
    path, reported_rate = result
    try:
        audio, rate = read_audio(path)
    except (OSError, ValueError) as exc:
        raise SpeechError(
            f"speech engine '{engine}' wrote unreadable audio for "
            f"{describe_phrase(j, len(batch), batch[j])}: {exc}. {FIX}"
        ) from exc
    rate = rate or reported_rate
    silent = audio.size == 0 or float(np.max(np.abs(audio))) < 1e-4
    if silent and rate > 0 and not any(ch.isalnum() for ch in batch[j]):
        return silent_clip(rate)  # punctuation only: nothing to say
    if silent or rate <= 0:
        raise SilentPhrase(
            f"speech engine '{engine}' returned silence for "
            f"{describe_phrase(j, len(batch), batch[j])}. {FIX}"
        )
    return trim_silence(audio, rate)
