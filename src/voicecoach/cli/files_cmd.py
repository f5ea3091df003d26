"""Files: `validate` routines and others, `new` (a scaffold), `feed`, and the phrase `cache`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from voicecoach.cli.app import cli, echo, report
from voicecoach.errors import VoicecoachError


@cli.command()
@click.argument("routines", nargs=-1, required=True, metavar="ROUTINE...")
def validate(routines: tuple[str, ...]) -> None:
    """Check routine files (and their cue packs), cue pack files, client files and
    programs without rendering."""
    from voicecoach.checks import check
    from voicecoach.document_kinds import check_document
    from voicecoach.text import clock

    failed = False
    for name in routines:
        try:
            other = check_document(name)
            if other is not None:  # a client file or a program
                echo(f"ok: {name} ({other})")
                continue
            checked = check(name)
        except VoicecoachError as exc:
            failed = True
            report(exc)
            continue
        from voicecoach.cues.spoken import plural

        timeline = checked.timeline
        if timeline is None:
            echo(f"ok: {name} (cue pack, {plural(checked.pack_keys or 0, 'cue key')})")
            continue
        chapters = plural(len(timeline.chapters), "chapter")
        echo(f"ok: {name} ({clock(timeline.total_ms)}, {chapters})")
        for change in checked.changes:
            echo(f"  its profile: {change}")
        for warning in timeline.warnings:
            echo(f"warning: {name}: {warning}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, force: bool) -> None:
    """Write NAME.yaml, a commented routine to customize."""
    from voicecoach.outputs import write_text_atomic
    from voicecoach.routine import scaffold

    target = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if target.exists() and not force:
        raise VoicecoachError(
            f"{target} already exists. choose another name or pass --force to overwrite it."
        )
    write_text_atomic(target, scaffold(target.stem))
    echo(f"wrote {target}; edit it, then: voicecoach render {target}")


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--base-url", required=True, help="The address DIR is served at, e.g. https://example.com/s/."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the feed (default: DIR/feed.xml).",
)
@click.option("--title", help="The feed's title (default: the sessions' album).")
@click.option("--description", help="The feed's description.")
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publish date of the first session (default: the day of the oldest file).",
)
@click.option(
    "--with-client-names",
    is_flag=True,
    help="Allow client names in public titles and file names (off: refused).",
)
def feed(
    folder: Path,
    base_url: str,
    output: Path | None,
    title: str | None,
    description: str | None,
    start: Any,
    with_client_names: bool,
) -> None:
    """Write a podcast feed (RSS) for the sessions rendered into DIR."""
    from voicecoach.feed import build_feed
    from voicecoach.text import plural

    result = build_feed(
        folder,
        base_url,
        output,
        title=title,
        description=description,
        start=start.date() if start else None,
        with_client_names=with_client_names,
    )
    for path in result.written[:-1]:
        echo(f"wrote {path}")
    echo(f"wrote {result.path} ({plural(len(result.episodes), 'session')})")
    echo(f"subscribe to: {result.base_url}{result.path.name}")


@cli.group()
def cache() -> None:
    """Show or clear the phrase cache (capped at 1 GB; set VOICECOACH_CACHE_MAX)."""


CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Phrase cache folder (default: the user cache folder).",
)


@cache.command(name="info")
@CACHE_DIR
def cache_info(cache_dir: Path | None) -> None:
    """Size and entries of the phrase cache, per engine and voice."""
    from voicecoach.speech import default_cache_dir
    from voicecoach.speech.cache_admin import info

    found = info(cache_dir or default_cache_dir())
    cap = f"cap {found.cap / 1e6:.0f} MB" if found.cap > 0 else "no cap"
    echo(f"{found.directory}: {found.entries} clips, {found.bytes / 1e6:.1f} MB ({cap})")
    for (engine, voice), group in found.by_voice.items():
        echo(f"  {engine:<8} {voice:<24} {group.entries:>6} clips {group.bytes / 1e6:>8.1f} MB")


@cache.command(name="clear")
@CACHE_DIR
@click.option("--engine", help="Remove only this engine's clips (piper, pyttsx3, fake).")
def cache_clear(cache_dir: Path | None, engine: str | None) -> None:
    """Remove the cached clips (all, or one engine's)."""
    from voicecoach.speech import default_cache_dir, engine_names
    from voicecoach.speech.cache_admin import clear

    if engine is not None and engine not in engine_names()[1:]:
        raise VoicecoachError(
            f"unknown speech engine '{engine}'. choose one of: "
            + ", ".join(engine_names()[1:])
            + "."
        )
    directory = cache_dir or default_cache_dir()
    removed, freed = clear(directory, engine)
    echo(f"removed {removed} clips ({freed / 1e6:.1f} MB) from {directory}")
