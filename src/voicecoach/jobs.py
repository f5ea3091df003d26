"""What a batch makes: one `Job` per output (routine, client, output path and a
program session's settings), and the job list for routines x clients (`plan_jobs`).

Below both the batch that renders jobs (`voicecoach.batch`) and the programs that
make them (`voicecoach.programs.program_jobs`); it knows nothing of rendering.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecoach.clients import Client, safe_name
from voicecoach.errors import VoicecoachError


@dataclass(frozen=True)
class Job:
    routine: str  # a routine file or a built-in name
    client: Client | None
    output: Path
    # A program session's own settings: over the client's, under the command line.
    settings: tuple[tuple[str, Any], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()  # extra tag fields (program, position, date)
    album: str | None = None  # the series, e.g. the program's name
    note: str | None = None  # shown with the session (its comment tag), never spoken


def routine_label(routine: str) -> str:
    """{routine} in -o: the file's stem or the built-in's name, made path-safe."""
    return safe_name(Path(routine).stem if routine.endswith((".yaml", ".yml")) else routine)


def plan_jobs(
    routines: Sequence[str], clients: Sequence[Client], template: str | None
) -> list[Job]:
    """One job per routine and client, with its output path from ``template``.

    Several routines need {routine} in the template, several clients {client}; two
    outputs with the same path are refused.
    """
    people: list[Client | None] = list(clients) or [None]
    several = len(routines) * len(people) > 1
    if template is None:
        template = "{client}/{routine}.mp3" if clients and several else "{routine}.mp3"
        if not several:
            template = f"{routine_label(routines[0])}.mp3"
    if several:
        # the names that tell the outputs apart: {routine} with several routines,
        # {client} with several clients
        needed = (["{routine}"] if len(routines) > 1 else []) + (
            ["{client}"] if len(people) > 1 else []
        )
        missing = [name for name in needed if name not in template]
        if missing:
            raise VoicecoachError(
                f"-o '{template}' names one file, but this command makes "
                f"{len(routines) * len(people)} outputs. put {' and '.join(missing)} in it, "
                "like -o 'out/{client}/{routine}.mp3'."
            )
    if "{client}" in template and not clients:
        raise VoicecoachError(
            f"-o '{template}' uses {{client}} but no --client was given. "
            "add --client FILE, or leave {client} out."
        )
    jobs: list[Job] = []
    seen: dict[Path, Job] = {}
    for routine in routines:
        for person in people:
            text = template.replace("{routine}", routine_label(routine))
            text = text.replace("{client}", person.slug if person else "")
            job = Job(routine, person, Path(text))
            key = Path(os.path.abspath(text))
            if key in seen:
                first = seen[key]
                raise VoicecoachError(
                    f"two outputs would both be written to {text}: {_describe(first)} and "
                    f"{_describe(job)}. give the clients different names, or change -o."
                )
            seen[key] = job
            jobs.append(job)
    return jobs


def _describe(job: Job) -> str:
    who = f" for {job.client.name} ({job.client.source})" if job.client else ""
    return f"{job.routine}{who}"
