"""The worker's side of the protocol with the parent (see process.py), shared by the
engines' worker operations: the channel to the parent, and the per-phrase loop that
reports each phrase as it starts and ends.

Lives below both `speech.worker` (which dispatches a request to an engine's
``WORKER_OPS``) and the engines, so neither imports the other for it.

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
