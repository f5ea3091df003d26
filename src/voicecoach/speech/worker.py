"""Child side of the speech worker: ``python -m voicecoach.speech.worker``.

Reads one JSON request on stdin, answers with JSON lines (see process.py). Before any
engine loads, fd 1 is duplicated for the protocol and then pointed at fd 2, so whatever
a TTS library prints (pyttsx3's "Audio saved to ...") lands in the parent's log file and
never on the user's stdout.

The engines' operations share the protocol helpers in `speech.worker_io` (the test
hooks that hang or crash a worker are there too).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from .worker_io import Channel


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
