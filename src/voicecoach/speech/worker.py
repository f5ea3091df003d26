"""Child side of the speech worker: ``python -m voicecoach.speech.worker``.

Reads one JSON request on stdin, answers with JSON lines (see process.py). Before any
engine loads, fd 1 is duplicated for the protocol and then pointed at fd 2, so whatever
a TTS library prints (pyttsx3's "Audio saved to ...") lands in the parent's log file and
never on the user's stdout.

Test hooks, read only here: VOICECOACH_TEST_WORKER_HANG / VOICECOACH_TEST_WORKER_CRASH
make the worker hang (sleep) or die (exit 3) when it starts a phrase containing the
given text ("*" matches every phrase).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import IO, Any


class Channel:
    """The protocol stream to the parent."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def send(self, type_: str, **fields: Any) -> None:
        self._stream.write(json.dumps({"type": type_, **fields}) + "\n")
        self._stream.flush()


def _test_hook(text: str) -> None:
    for var, action in (
        ("VOICECOACH_TEST_WORKER_HANG", "hang"),
        ("VOICECOACH_TEST_WORKER_CRASH", "crash"),
    ):
        want = os.environ.get(var)
        if want and (want == "*" or want in text):
            if action == "hang":
                while True:
                    time.sleep(3600)
            sys.stderr.write("test hook: crashing on purpose\n")
            sys.stderr.flush()
            os._exit(3)


def starting(channel: Channel, index: int, text: str) -> None:
    """Tell the parent which phrase is next (so a timeout can name it)."""
    channel.send("start", index=index)
    _test_hook(text)


def synthesize_each(
    channel: Channel,
    texts: list[str],
    outdir: str,
    synth_one: Callable[[str, str], int],
    suffix: str = ".wav",
) -> None:
    """Run synth_one(text, path) -> sample_rate for each phrase, reporting progress."""
    for index, text in enumerate(texts):
        starting(channel, index, text)
        path = os.path.join(outdir, f"{index:05d}{suffix}")
        try:
            rate = synth_one(text, path)
        except Exception as exc:
            traceback.print_exc()
            channel.send("error", index=index, error=f"{type(exc).__name__}: {exc}")
            raise SystemExit(1) from exc
        channel.send("done", index=index, path=path, sample_rate=rate)


def main() -> int:
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # library output (C or Python) goes to the log, not the protocol
    sys.stdout = sys.stderr
    channel = Channel(proto)
    try:
        request = json.loads(sys.stdin.read())
        handler = _handler(request["engine"], request["op"])
        handler(request, channel)
    except Exception as exc:  # report, then exit non-zero; the parent raises SpeechError
        traceback.print_exc()
        channel.send("error", index=None, error=f"{type(exc).__name__}: {exc}")
        return 1
    channel.send("end")
    return 0


def _handler(engine: str, op: str) -> Callable[[dict[str, Any], Channel], None]:
    if engine == "pyttsx3":
        from . import pyttsx3_engine as module
    elif engine == "piper":
        from . import piper_engine as module  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown engine {engine!r}")
    return module.WORKER_OPS[op]


if __name__ == "__main__":
    sys.exit(main())
