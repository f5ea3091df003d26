"""`render` with several routines or --client: the batch, its progress and summary.

Kept out of cli.py so the command stays thin; printing goes through the ``echo``
the command passes in (cli.echo, which escapes control characters).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from voicecoach.batch import Outcome, plan_jobs, render_batch
from voicecoach.clients import find_clients
from voicecoach.cues.spoken import plural
from voicecoach.personalize import Choices
from voicecoach.plan_output import format_duration
from voicecoach.render import Progress, RenderOptions, VoiceChoice

Echo = Callable[..., None]


def summary_line(outcome: Outcome) -> str:
    """One line per output: what was written, or why it failed."""
    if outcome.result is None:
        return f"failed: {outcome.job.output}: {outcome.error}"
    result = outcome.result
    return (
        f"wrote {result.path} ({format_duration(result.timeline.total_ms)}, "
        f"{result.size_bytes / 1e6:.1f} MB, {plural(len(result.timeline.chapters), 'chapter')}; "
        f"{outcome.seconds:.1f} s)"
    )


def render_many(
    routines: tuple[str, ...],
    client_args: tuple[str, ...],
    output: Path | None,
    *,
    jobs: int | None,
    voice: VoiceChoice,
    seed: int,
    bitrate: str,
    transcripts: tuple[str, ...],
    cache_dir: Path | None,
    timeout_s: float | None,
    quiet: bool,
    page: bool,
    embed: bool,
    personal: dict[str, Any],
    progress: Any,
    echo: Echo,
) -> None:
    """Render each routine for each client; exit 1 when any output failed."""
    started = time.monotonic()
    clients = find_clients(client_args)
    batch = plan_jobs(routines, clients, str(output) if output is not None else None)
    options = RenderOptions(
        voice=voice,
        seed=seed,
        bitrate=bitrate,
        transcripts=("vtt",) if not transcripts else tuple(t for t in transcripts if t != "none"),
        cache_dir=cache_dir,
        speech_timeout_s=timeout_s,
        personal=Choices(**personal),
        page=page or embed,
        embed=embed,
    )

    def done(outcome: Outcome, n: int, total: int) -> None:
        if outcome.result is None:
            echo(f"error: {outcome.job.output}: {outcome.error}", err=True)
        elif not quiet:
            echo(summary_line(outcome))
        if progress is not None:
            progress("outputs", n, total)

    report: Progress | None = progress
    try:
        result = render_batch(batch, options, workers=jobs, progress=report, done=done)
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
    if failed:
        sys.exit(1)
