"""Several outputs from one command: each routine for each client (docs/clients.md).

A batch runs in three steps:

1. prepare every output in this process (load, apply the client, personalize,
   guard the output paths, build the script). Bad input and two outputs with the
   same path are refused here, before anything slow starts.
2. one synthesis step for the whole batch: the phrases of every output are grouped
   by voice (engine, voice, rate) and each distinct phrase is synthesized once,
   through the phrase cache shared by all renders (`speech.cache`; its entries are
   written to a temp file and renamed, so concurrent writers never corrupt it).
3. mixing and encoding in a bounded pool of processes (default: the number of
   cores). Each output is its own transaction: one that fails is reported and
   leaves no file, and the others go on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

from voicecoach.clients import apply_client
from voicecoach.errors import VoicecoachError
from voicecoach.jobs import Job
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.pipeline import (
    PreparedRender,
    RenderOptions,
    RenderResult,
    describe_voice,
    finish_render,
    make_engine,
    prepare_render,
)
from voicecoach.progress import Progress
from voicecoach.routine.loader import load_routine
from voicecoach.speech import EngineStartError, fallback_engine
from voicecoach.speech.base import SpeechEngine
from voicecoach.speech.cache import PhraseCache, SynthesisResult, synthesize_all


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    speech: SynthesisResult  # distinct phrases synthesized / from the cache, warnings


@dataclass(frozen=True)
class Outcome:
    job: Job
    result: RenderResult | None = None
    error: str | None = None  # the one-line message, when this output failed
    seconds: float = 0.0


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


Done = Callable[[Outcome, int, int], None]


def render_batch(
    jobs: Sequence[Job],
    options: RenderOptions,
    *,
    workers: int | None = None,
    engine: SpeechEngine | None = None,
    progress: Progress | None = None,
    done: Done | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BatchResult:
    """Render every job; a failure in one is reported in its `Outcome`, the others go on.

    ``engine`` (tests) replaces the speech engine of every job. ``done(outcome, n,
    total)`` is called as each output finishes. Each job's input is checked against
    ``limits``.
    """
    outcomes: dict[int, Outcome] = {}
    finished = 0

    def record(i: int, outcome: Outcome) -> None:
        nonlocal finished
        outcomes[i] = outcome
        finished += 1
        if done:
            done(outcome, finished, len(jobs))

    prepared = _prepare_all(jobs, options, record, limits)
    totals = SynthesisResult()
    speech = _synthesize(prepared, jobs, options, engine, progress, record, totals)
    mixable = {i: item for i, item in prepared.items() if i in speech}
    _finish_all(jobs, mixable, speech, workers, record)
    return BatchResult([outcomes[i] for i in range(len(jobs))], totals)


def _prepare_all(
    jobs: Sequence[Job],
    options: RenderOptions,
    record: Callable[[int, Outcome], None],
    limits: Limits,
) -> dict[int, PreparedRender]:
    """Step 1: every job prepared; bad input and two outputs (or sidecars) with the
    same path are recorded as failed outcomes."""
    prepared: dict[int, PreparedRender] = {}
    claimed: dict[Path, int] = {}
    for i, job in enumerate(jobs):
        try:
            item = _prepare(job, options, limits)
            for role in item.roles:  # sidecars of two outputs may meet (a.mp3, a.ogg)
                key = Path(os.path.abspath(role.path))
                if key in claimed:
                    raise VoicecoachError(
                        f"{role.path} would be written by two outputs: {jobs[claimed[key]].output} "
                        f"and {job.output}. {role.fix}"
                    )
                claimed[key] = i
            prepared[i] = item
        except VoicecoachError as exc:
            record(i, Outcome(job, error=_one_line(exc, job.output)))
    return prepared


def _finish_all(
    jobs: Sequence[Job],
    mixable: dict[int, PreparedRender],
    speech: dict[int, tuple[SynthesisResult, str]],
    workers: int | None,
    record: Callable[[int, Outcome], None],
) -> None:
    """Step 3: mix and encode each output, in a pool of processes when there are
    several workers and outputs."""
    count = min(workers or default_workers(), len(mixable)) if mixable else 0
    if count <= 1:
        for i, item in mixable.items():
            record(i, _finish(jobs[i], item, speech[i]))
        return
    pool = ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn"))
    try:
        futures: dict[Future[Outcome], int] = {
            pool.submit(_finish, jobs[i], item, speech[i]): i for i, item in mixable.items()
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                record(i, future.result())
            except BrokenProcessPool as exc:  # a worker that died (killed, out of memory)
                record(i, Outcome(jobs[i], error=f"the render process failed: {exc}"))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _prepare(job: Job, options: RenderOptions, limits: Limits) -> PreparedRender:
    routine = apply_client(load_routine(job.routine, limits=limits), job.client)
    if job.settings or job.album:
        profile = replace(routine.profile, **dict(job.settings))
        profile = replace(profile, album=job.album or profile.album)
        routine = replace(routine, profile=profile)
    if job.note:
        routine = replace(routine, description=f"{job.note}\n\n{routine.description}".strip())
    if not job.output.parent.exists():  # out/{client}/: one folder per client
        try:
            job.output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VoicecoachError(
                f"cannot create the folder {job.output.parent}: {exc.strerror or exc}. "
                "choose another output path with -o."
            ) from None
    return replace(prepare_render(routine, job.output, options, limits), tags=job.tags)


def _synthesize(
    prepared: dict[int, PreparedRender],
    jobs: Sequence[Job],
    options: RenderOptions,
    engine: SpeechEngine | None,
    progress: Progress | None,
    record: Callable[[int, Outcome], None],
    totals: SynthesisResult,
) -> dict[int, tuple[SynthesisResult, str]]:
    """One synthesis call per voice for the whole batch: each distinct phrase once.

    Returns each output's clips and the voice that made them (`describe_voice`)."""
    cache = PhraseCache(options.cache_dir)
    notes: list[str] = []
    groups: dict[tuple[object, ...], tuple[SpeechEngine, list[int]]] = {}
    for i, item in prepared.items():
        try:
            chosen = engine or make_engine(
                item.routine, options.voice, options.speech_timeout_s, notes.append, item.limits
            )
        except VoicecoachError as exc:
            record(i, Outcome(jobs[i], error=_one_line(exc)))
            continue
        key = (chosen.name, chosen.version, chosen.voice, chosen.rate)
        groups.setdefault(key, (chosen, []))[1].append(i)
    spoken_sets = [
        list(dict.fromkeys(_spoken(prepared[i]) for i in members)) for _, members in groups.values()
    ]
    texts_by_group = [list(dict.fromkeys(t for part in sets for t in part)) for sets in spoken_sets]
    total = sum(len(texts) for texts in texts_by_group)
    base = 0
    out: dict[int, tuple[SynthesisResult, str]] = {}
    for (chosen, members), texts in zip(groups.values(), texts_by_group, strict=True):
        offset = base
        base += len(texts)

        def report(n: int, _total: int, offset: int = offset) -> None:
            if progress:
                progress("speech", offset + n, total)

        item = prepared[members[0]]
        try:
            used, shared = _speak_group(chosen, texts, cache, item, options, engine, report, notes)
        except VoicecoachError as exc:
            for i in members:
                record(i, Outcome(jobs[i], error=_one_line(exc)))
            continue
        totals.synthesized += shared.synthesized
        totals.cached += shared.cached
        totals.warnings += [w for w in (*notes, *shared.warnings) if w not in totals.warnings]
        for i in members:
            script = prepared[i].script
            clips = {text: shared.clips[script.spoken(text)] for text in script.phrases()}
            out[i] = (SynthesisResult(clips=clips), describe_voice(used))
    return out


def _spoken(item: PreparedRender) -> tuple[str, ...]:
    return tuple(item.script.spoken(text) for text in item.script.phrases())


def _speak_group(
    chosen: SpeechEngine,
    texts: list[str],
    cache: PhraseCache,
    item: PreparedRender,
    options: RenderOptions,
    given: SpeechEngine | None,
    report: Callable[[int, int], None],
    notes: list[str],
) -> tuple[SpeechEngine, SynthesisResult]:
    """synthesize_all for one voice; `--engine auto` falls back from piper to pyttsx3
    when piper cannot start (as a single render does, `pipeline.speak`)."""
    try:
        return chosen, synthesize_all(chosen, texts, cache, progress=report)
    except EngineStartError as exc:
        routine = item.routine
        auto = given is None and (options.voice.engine or routine.voice.engine).lower() == "auto"
        if not (
            auto and chosen.name == "piper" and not (options.voice.voice or routine.voice.voice)
        ):
            raise
        rate = options.voice.rate if options.voice.rate is not None else routine.voice.rate
        fallback = fallback_engine(
            rate, str(exc), options.speech_timeout_s, notes.append, limits=item.limits
        )
        return fallback, synthesize_all(fallback, texts, cache, progress=report)


def _finish(job: Job, item: PreparedRender, speech: tuple[SynthesisResult, str]) -> Outcome:
    begun = time.monotonic()
    try:
        result = finish_render(item, speech[0], voice=speech[1])
    except VoicecoachError as exc:
        return Outcome(job, error=_one_line(exc, job.output), seconds=time.monotonic() - begun)
    except OSError as exc:
        return Outcome(job, error=f"{job.output}: {exc}", seconds=time.monotonic() - begun)
    return Outcome(job, result=result, seconds=time.monotonic() - begun)


def _one_line(exc: VoicecoachError, output: Path | None = None) -> str:
    text = " / ".join(line for line in exc.format().splitlines() if line.strip())
    prefix = f"{output}: " if output is not None else ""
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text
