"""`voicecoach page AUDIO_OR_ROUTINE -o session.html`: a page from a render's own timeline.

Given audio, its `.timeline.json` sidecar must exist and match it. Given a routine,
the audio beside the page is reused when its sidecar matches this routine and these
choices, and rendered again when it is missing or doesn't match.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicecoach.atomic import check_output_folder
from voicecoach.errors import VoicecoachError
from voicecoach.outputs import FileRole, guard_outputs, write_text_atomic
from voicecoach.page.html import MIME, build_page
from voicecoach.page.sidecar import FORMAT, read_session, sidecar_path

if TYPE_CHECKING:
    from voicecoach.speech.base import SpeechEngine


@dataclass(frozen=True)
class PageResult:
    path: Path
    audio: Path
    rendered: bool  # the audio was rendered (again) for this page


def _check_target(output: Path, *inputs: Path) -> None:
    if output.suffix.lower() not in (".html", ".htm"):
        raise VoicecoachError(
            f"{output}: a session page is an HTML file. give a name ending in .html."
        )
    check_output_folder(output)
    guard_outputs(
        [FileRole(output, "the session page", "choose another output name with -o")],
        [FileRole(path, "an input of this page") for path in inputs],
    )


def make_page(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    options: object | None = None,
    *,
    audio: str | os.PathLike[str] | None = None,
    embed: bool = False,
    engine: SpeechEngine | None = None,
) -> PageResult:
    """Write the session page for SOURCE (rendered audio, or a routine) to OUTPUT."""
    from voicecoach.pipeline import RenderOptions, render, render_choices

    out = Path(output)
    src = Path(source)
    if src.suffix.lower() in MIME and src.is_file():
        _check_target(out, src, sidecar_path(src))
        record = read_session(src)
        return _write(out, src, record, embed, rendered=False)

    from voicecoach.page.files import render_key
    from voicecoach.planning.personalize import personalize
    from voicecoach.routine import Routine
    from voicecoach.routine.loader import load_routine

    opts = options if isinstance(options, RenderOptions) else RenderOptions()
    target = Path(audio) if audio is not None else out.with_suffix(".mp3")
    if target.suffix.lower() not in MIME:
        raise VoicecoachError(
            f"{target}: unknown audio format. use one of: " + ", ".join(sorted(MIME))
        )
    _check_target(out, target, sidecar_path(target))
    routine = load_routine(str(source)) if not isinstance(source, Routine) else source
    personal = personalize(routine, opts.personal, seed=opts.seed, wpm=opts.voice.rate).routine
    key = render_key(personal, render_choices(opts, target))
    try:
        found: dict[str, Any] | None = read_session(target)
    except VoicecoachError:
        found = None
        if target.exists() and not _ours(target):
            raise VoicecoachError(
                f"{target}: exists and has no voicecoach timeline beside it "
                f"({sidecar_path(target).name}), so it is not overwritten. choose another "
                "audio name with --audio, or move the file away."
            ) from None
    if found is not None and found.get("render_key") == key:
        return _write(out, target, found, embed, rendered=False)
    render(routine, target, opts, engine=engine)
    return _write(out, target, read_session(target), embed, rendered=True)


def _ours(audio: Path) -> bool:
    """Whether a voicecoach render left a sidecar beside `audio` (even a stale one)."""
    try:
        text = sidecar_path(audio).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return f'"format": "{FORMAT}"' in text


def _write(
    out: Path, audio: Path, record: dict[str, Any], embed: bool, *, rendered: bool
) -> PageResult:
    name = os.path.relpath(audio.resolve(), out.resolve().parent).replace(os.sep, "/")
    html = build_page(
        record["timeline"],
        name,
        embed_audio=audio.read_bytes() if embed else None,
        exercises=record.get("exercises") or {},
    )
    write_text_atomic(out, html)
    return PageResult(out, audio, rendered)


def write_plan_svg(target: Path, timeline_json: dict[str, Any], routine: str) -> None:
    """`plan --svg`: the session picture from planned (estimated) lengths."""
    from voicecoach.page.svg import timeline_svg

    if target.suffix.lower() != ".svg":
        raise VoicecoachError(f"{target}: the picture is an SVG file. give a name ending in .svg.")
    check_output_folder(target)
    routine_file = [FileRole(Path(routine), "the routine")] if Path(routine).exists() else []
    guard_outputs([FileRole(target, "the picture", "choose another name with --svg")], routine_file)
    write_text_atomic(target, timeline_svg(timeline_json, estimated=True))
