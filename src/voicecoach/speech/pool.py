"""Synthesis across cores: a bounded number of worker processes, each loading the model once.

The phrases are dealt out round-robin (so long and short phrases spread evenly) to at
most `workers` workers, each a `python -m voicecoach.speech.worker` process running its
share in one go (see process.py). Clips reach `on_clip` as each worker makes them, so
the cache fills while synthesis goes on. If one worker fails, the others are stopped
and the first error is raised.

Worker count: VOICECOACH_SPEECH_WORKERS if set, else the cores this process may use,
at most MAX_WORKERS (each piper worker holds the model, about 150 MB), and never more
than one per MIN_PHRASES_PER_WORKER phrases (a worker costs a model load).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .base import Clip, Progress
from .process import Timeouts, synthesize_in_worker

MAX_WORKERS = 4
MIN_PHRASES_PER_WORKER = 6


def worker_count(phrases: int) -> int:
    env = os.environ.get("VOICECOACH_SPEECH_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        wanted = int(env)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            wanted = os.cpu_count() or 1
        wanted = min(wanted, MAX_WORKERS)
    return max(1, min(wanted, phrases // MIN_PHRASES_PER_WORKER or 1))


def synthesize_pool(
    engine: str,
    request: dict[str, Any],
    texts: Sequence[str],
    timeouts: Timeouts,
    progress: Progress | None = None,
    *,
    on_clip: Callable[[int, Clip], None] | None = None,
    workers: int | None = None,
) -> list[Clip]:
    """One clip per text, in order, made by up to `workers` worker processes at once."""
    texts = list(texts)
    count = workers or worker_count(len(texts))
    if count <= 1:
        return synthesize_in_worker(engine, request, texts, timeouts, progress, on_clip=on_clip)
    shares = [list(range(k, len(texts), count)) for k in range(count)]
    clips: list[Clip | None] = [None] * len(texts)
    lock = threading.Lock()
    done = [0] * count
    stop = threading.Event()

    def run(k: int) -> None:
        share = shares[k]

        def tick(n: int) -> None:
            with lock:
                done[k] = n
                if progress:
                    progress(sum(done))

        def made(j: int, clip: Clip) -> None:
            with lock:
                clips[share[j]] = clip
                if on_clip:
                    on_clip(share[j], clip)

        try:
            out = synthesize_in_worker(
                engine, request, [texts[i] for i in share], timeouts, tick, on_clip=made, stop=stop
            )
        except BaseException:
            stop.set()
            raise
        with lock:
            for j, clip in enumerate(out):
                clips[share[j]] = clip

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="voicecoach-speech") as pool:
        futures = [pool.submit(run, k) for k in range(count)]
        errors = [f.exception() for f in futures]
    first = next((e for e in errors if e is not None and "was stopped" not in str(e)), None)
    first = first or next((e for e in errors if e is not None), None)
    if first is not None:
        raise first
    return [c for c in clips if c is not None]
