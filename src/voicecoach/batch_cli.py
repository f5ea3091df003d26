"""`render` with several routines or --client: the batch, its progress and summary.

Kept out of cli.py so the command stays thin; printing goes through the ``echo``
the command passes in (cli.echo, which escapes control characters).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecoach.batch import Outcome, render_batch
from voicecoach.clients import find_clients, safe_name
from voicecoach.cues.spoken import plural
from voicecoach.errors import VoicecoachError
from voicecoach.jobs import Job, plan_jobs
from voicecoach.pipeline import RenderOptions, VoiceChoice
from voicecoach.planning.personalize import Choices
from voicecoach.progress import Progress
from voicecoach.text import clock

Echo = Callable[..., None]


def summary_line(outcome: Outcome) -> str:
    """One line per output: what was written, or why it failed."""
    if outcome.result is None:
        return f"failed: {outcome.job.output}: {outcome.error}"
    result = outcome.result
    return (
        f"wrote {result.path} ({clock(result.timeline.total_ms)}, "
        f"{result.size_bytes / 1e6:.1f} MB, {plural(len(result.timeline.chapters), 'chapter')}; "
        f"{outcome.seconds:.1f} s)"
    )


@dataclass(frozen=True)
class BatchSettings:
    """The render command's options, for every output of the batch."""

    voice: VoiceChoice
    seed: int
    bitrate: str
    transcripts: tuple[str, ...]
    cache_dir: Path | None
    timeout_s: float | None
    quiet: bool
    page: bool
    embed: bool
    personal: dict[str, Any]
    jobs: int | None = None
    ffmpeg_timeout_s: float | None = None

    def options(self) -> RenderOptions:
        chosen = self.transcripts
        return RenderOptions(
            voice=self.voice,
            seed=self.seed,
            bitrate=self.bitrate,
            transcripts=("vtt",) if not chosen else tuple(t for t in chosen if t != "none"),
            cache_dir=self.cache_dir,
            speech_timeout_s=self.timeout_s,
            ffmpeg_timeout_s=self.ffmpeg_timeout_s,
            personal=Choices(**self.personal),
            page=self.page or self.embed,
            embed=self.embed,
        )


def render_many(
    routines: tuple[str, ...],
    client_args: tuple[str, ...],
    output: Path | None,
    settings: BatchSettings,
    progress: Any,
    echo: Echo,
) -> None:
    """Render each routine for each client; exit 1 when any output failed."""
    started = time.monotonic()
    clients = find_clients(client_args)
    batch = plan_jobs(routines, clients, str(output) if output is not None else None)
    if run(batch, settings, progress, echo, started):
        sys.exit(1)


def render_program_series(
    source: str,
    client_args: tuple[str, ...],
    output: Path | None,
    base_url: str | None,
    settings: BatchSettings,
    progress: Any,
    echo: Echo,
) -> None:
    """Render a program's numbered series into a folder (one per client with several),
    then write its feed (with --base-url) or say how to."""
    from voicecoach.programs import load_program, program_jobs

    started = time.monotonic()
    program = load_program(source)
    clients = find_clients(client_args)
    folder = output if output is not None else Path(safe_name(program.name))
    if folder.suffix:
        raise VoicecoachError(
            f"-o {folder}: a program renders a series of sessions into a folder. "
            "give a folder, like -o sessions/"
        )
    batch = program_jobs(program, clients, folder)
    if not settings.quiet:
        echo(
            f"{program.name}: {plural(len(program.sessions), 'session')} over "
            f"{plural(program.weeks, 'week')}"
        )
    failed = run(batch, settings, progress, echo, started)
    if failed:
        sys.exit(1)
    folders = sorted({job.output.parent for job in batch})
    for place in folders:
        if base_url is None:
            echo(f"next: voicecoach feed {place} --base-url https://YOUR.HOST/{place.name}/")
            continue
        from voicecoach.feed import build_feed

        url = base_url if len(folders) == 1 else f"{base_url.rstrip('/')}/{place.name}/"
        feed = build_feed(
            place,
            url,
            title=program.name,
            description=program.description or None,
            start=program.start,
        )
        echo(
            f"wrote {feed.path} ({plural(len(feed.episodes), 'session')}); "
            f"subscribe to: {feed.base_url}{feed.path.name}"
        )


def run(
    batch: list[Job], settings: BatchSettings, progress: Any, echo: Echo, started: float
) -> int:
    """Render the batch with one progress display and a line per output; the number
    of outputs that failed."""
    quiet = settings.quiet

    def done(outcome: Outcome, n: int, total: int) -> None:
        if outcome.result is None:
            echo(f"error: {outcome.job.output}: {outcome.error}", err=True)
        elif not quiet:
            echo(summary_line(outcome))
            if outcome.job.note:
                echo(f"  note: {' '.join(outcome.job.note.split())}")
        if outcome.result is not None:  # even with -q, as a single render does
            for warning in outcome.result.timeline.warnings:
                echo(f"warning: {outcome.job.output}: {warning}", err=True)
        if progress is not None:
            progress("outputs", n, total)

    report: Progress | None = progress
    try:
        result = render_batch(
            batch, settings.options(), workers=settings.jobs, progress=report, done=done
        )
    finally:
        if progress is not None:
            progress.close()
    failed = [o for o in result.outcomes if o.result is None]
    for warning in result.speech.warnings:
        echo(f"warning: {warning}", err=True)
    if not quiet:
        speech = result.speech
        echo(
            f"{plural(len(batch), 'output')} in {time.monotonic() - started:.1f} s: "
            f"{len(batch) - len(failed)} written, {len(failed)} failed; "
            f"{plural(speech.synthesized, 'phrase')} synthesized, {speech.cached} from cache"
        )
    return len(failed)
