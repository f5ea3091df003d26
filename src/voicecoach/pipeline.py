"""Run the stages in order: load, script, synthesize, plan, mix, encode, tag.

The output and its transcript sidecars are one transaction (`voicecoach.outputs`):
they appear together, whole, or not at all, and never overwrite an input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voicecoach.atomic import check_output_folder, describe_os_error
from voicecoach.audio.lazyclip import trim_heap
from voicecoach.errors import AudioError, VoicecoachError
from voicecoach.limits import DEFAULT_LIMITS, Limits
from voicecoach.mixdown import SessionAudio
from voicecoach.outputs import (
    FileRole,
    OutputTransaction,
    clean_stale_temps,
    guard_outputs,
    refuse_stdout,
    routine_inputs,
)
from voicecoach.planning.personalize import ESTIMATE_WPM, personalize
from voicecoach.planning.script import Script, build_script
from voicecoach.planning.timeline import Timeline, estimate_phrase_ms, plan
from voicecoach.progress import Progress
from voicecoach.render_options import (
    RenderOptions,
    RenderResult,
    VoiceChoice,
    ffmpeg_timeout_kwargs,
    render_choices,
)
from voicecoach.routine import Routine
from voicecoach.routine.loader import load_routine
from voicecoach.scratch import clean_stale_scratch
from voicecoach.session_tags import session_tags
from voicecoach.speech import EngineStartError, fallback_engine, get_engine
from voicecoach.speech.base import SpeechEngine
from voicecoach.speech.cache import PhraseCache, SynthesisResult
from voicecoach.spoken_plan import plan_spoken, real_length
from voicecoach.transcript import FORMATS as TRANSCRIPT_FORMATS
from voicecoach.transcript import render_transcript


def describe_voice(engine: SpeechEngine) -> str:
    """What the summary and the tags say about the voice."""
    return f"{engine.name} {engine.voice}, {engine.rate} wpm"


def make_engine(
    routine: Routine,
    choice: VoiceChoice,
    timeout_s: float | None,
    warn: Callable[[str], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> SpeechEngine:
    return get_engine(
        choice.engine or routine.voice.engine,
        voice=choice.voice if choice.voice is not None else routine.voice.voice,
        rate=choice.rate if choice.rate is not None else routine.voice.rate,
        timeout_s=timeout_s,
        warn=warn,
        limits=limits,
    )


def plan_routine(
    routine: Routine,
    *,
    seed: int = 0,
    wpm: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Timeline:
    """Plan without audio: phrase lengths estimated from words per minute.

    The routine's own profile (level, minutes) is applied first; a routine that
    `personalize` already returned plans as it is. A session over ``limits`` is refused.
    """
    routine = personalize(routine, seed=seed, wpm=wpm, limits=limits).routine
    script = build_script(routine, seed=seed, limits=limits)
    rate = wpm or routine.voice.rate or ESTIMATE_WPM
    return plan(script, lambda text: estimate_phrase_ms(script.spoken(text), rate), limits=limits)


def output_roles(target: Path, transcripts: Sequence[str]) -> list[FileRole]:
    """The files a render writes: the audio first, then one sidecar per transcript."""
    roles = [FileRole(target, "the audio output", "choose another output file with -o")]
    for fmt_name in transcripts:
        roles.append(
            FileRole(
                target.with_suffix(f".{fmt_name}"),
                f"the {fmt_name.upper()} transcript",
                "choose another output name with -o (transcripts are named after it), "
                f"or leave out --transcript {fmt_name}",
            )
        )
    return roles


@dataclass(frozen=True)
class PreparedRender:
    """Everything checked and built before speech: what `finish_render` needs to
    plan, mix and write one output (picklable, so a batch can mix in a pool)."""

    target: Path
    routine: Routine
    script: Script
    session: SessionAudio
    roles: tuple[FileRole, ...]
    transcripts: tuple[str, ...]
    options: RenderOptions
    changes: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()  # extra tag fields, e.g. a program's position
    original: Routine | None = None  # before personalization: `--minutes` refits from it
    limits: Limits = DEFAULT_LIMITS


def render(
    source: str | os.PathLike[str] | Routine,
    output: str | os.PathLike[str],
    options: RenderOptions | None = None,
    *,
    engine: SpeechEngine | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RenderResult:
    """Render a routine (path, built-in name or model) to an audio file, refusing
    input over ``limits``."""
    options = options or RenderOptions()
    prepared = prepare_render(source, output, options, limits)
    speech, used, notes = speak(prepared, engine, progress)
    return finish_render(
        prepared, speech, progress, voice=describe_voice(used), notes=notes, engine=used
    )


def prepare_render(
    source: str | os.PathLike[str] | Routine,
    output: str | os.PathLike[str],
    options: RenderOptions,
    limits: Limits = DEFAULT_LIMITS,
) -> PreparedRender:
    """The cheap checks and the script, before any slow work: bad input fails here."""
    from voicecoach.audio.encode import normalize_format

    refuse_stdout(output, "the audio output")
    target = Path(output)
    fmt = target.suffix.lower().lstrip(".") or "mp3"
    if not target.suffix:
        target = target.with_suffix(".mp3")
    unknown = [t for t in options.transcripts if t not in TRANSCRIPT_FORMATS]
    if unknown:
        raise VoicecoachError(
            f"unknown transcript format '{unknown[0]}'. choose from: "
            + ", ".join(TRANSCRIPT_FORMATS)
        )

    # Cheap checks first, so bad input fails before any slow work.
    ffmpeg_timeout = ffmpeg_timeout_kwargs(options, limits)
    check_output_folder(target)
    routine = source if isinstance(source, Routine) else load_routine(source, limits=limits)
    original = routine
    personal = personalize(
        routine, options.personal, seed=options.seed, wpm=options.voice.rate, limits=limits
    )
    routine = personal.routine
    normalize_format(fmt)  # "unsupported format" before "same file as the transcript"
    transcripts = tuple(dict.fromkeys(options.transcripts))
    roles = output_roles(target, transcripts) + page_roles(target, options)
    guard_outputs(roles, routine_inputs(routine))
    session = SessionAudio.check(routine.sound, fmt=fmt, bitrate=options.bitrate, **ffmpeg_timeout)
    script = build_script(routine, seed=options.seed, limits=limits)
    return PreparedRender(
        target,
        routine,
        script,
        session,
        tuple(roles),
        transcripts,
        options,
        personal.changes,
        original=original,
        limits=limits,
    )


def speak(
    prepared: PreparedRender,
    engine: SpeechEngine | None = None,
    progress: Progress | None = None,
) -> tuple[SynthesisResult, SpeechEngine, list[str]]:
    """Synthesize a prepared render's phrases: (clips, the engine that made them, notes).
    `--engine auto` falls back from piper to pyttsx3 when piper cannot start."""
    options, routine, script = prepared.options, prepared.routine, prepared.script
    notes: list[str] = []
    auto = engine is None and (options.voice.engine or routine.voice.engine).lower() == "auto"
    limits = prepared.limits
    engine = engine or make_engine(
        routine, options.voice, options.speech_timeout_s, notes.append, limits
    )
    cache = PhraseCache(options.cache_dir)
    try:
        speech = SynthesisResult()
        plan_spoken(script, engine, cache, speech, progress, limits)
    except EngineStartError as exc:
        asked_voice = options.voice.voice or routine.voice.voice
        if not (auto and engine.name == "piper" and asked_voice is None):
            raise
        rate = options.voice.rate if options.voice.rate is not None else routine.voice.rate
        engine = fallback_engine(
            rate, str(exc), options.speech_timeout_s, notes.append, limits=limits
        )
        speech = SynthesisResult()
        plan_spoken(script, engine, cache, speech, progress, limits)
    trim_heap()  # what reading and synthesizing the phrases left free
    return speech, engine, notes


def finish_render(
    prepared: PreparedRender,
    speech: SynthesisResult,
    progress: Progress | None = None,
    *,
    voice: str = "",
    notes: Sequence[str] = (),
    engine: SpeechEngine | None = None,
) -> RenderResult:
    """Plan with the real clip lengths, mix, encode and write the output and its
    sidecars as one transaction. ``voice``: `describe_voice` of the engine used;
    ``engine``: that engine, for the texts planning makes up (a rest that grew is
    announced with its real length) and for fitting `--minutes` on real lengths; a
    batch worker leaves it out and gets one made from the routine's voice."""
    target, routine, options = prepared.target, prepared.routine, prepared.options
    roles, transcripts, script = prepared.roles, prepared.transcripts, prepared.script
    clean_stale_temps(target.parent)
    clean_stale_scratch()
    if engine is None:
        engine = make_engine(
            routine, options.voice, options.speech_timeout_s, limits=prepared.limits
        )
    cache = PhraseCache(options.cache_dir)
    routine, script, changes = refit(prepared, speech, engine, cache)
    clips = speech.clips
    timeline = plan_spoken(script, engine, cache, speech, limits=prepared.limits)

    with OutputTransaction(target) as tx:
        try:
            prepared.session.write(
                tx.temp_for(target),
                timeline,
                clips,
                tags=session_tags(routine, timeline, dict(prepared.tags), voice=voice),
                progress=progress,
                release=True,  # the mixdown's 44.1 kHz copies replace our clips
            )
        except OSError as exc:
            raise AudioError(describe_os_error(target, exc)) from exc
        for role, fmt_name in zip(roles[1 : 1 + len(transcripts)], transcripts, strict=True):
            tx.write_text(role.path, render_transcript(timeline, fmt_name))
        # the render's own timeline (always) and the session page, read from the new audio
        page_files = []
        for path, text in _page_files(tx.temp_for(target), target, timeline, routine, options):
            tx.write_text(path, text)
            page_files.append(path)
    sidecars = [role.path for role in roles[1 : 1 + len(transcripts)]]
    return RenderResult(
        path=target,
        timeline=timeline,
        size_bytes=target.stat().st_size,
        sidecars=tuple(sidecars),
        synthesized=speech.synthesized,
        cached=speech.cached,
        changes=changes,
        warnings=(*notes, *speech.warnings),
        page_files=tuple(page_files),
        voice=voice,
    )


def refit(
    prepared: PreparedRender, speech: SynthesisResult, engine: SpeechEngine, cache: PhraseCache
) -> tuple[Routine, Script, tuple[str, ...]]:
    """With `--minutes` (or `minutes:` in the profile), the routine fitted again on
    the real phrase lengths: each candidate's script is planned with its own clips
    (a new text like "Rest 25 seconds" is synthesized once and cached). Without,
    the prepared routine. (routine, its script, what personalization changed)"""
    options, original = prepared.options, prepared.original or prepared.routine
    minutes = options.personal.minutes
    if minutes is None:
        minutes = original.profile.minutes
    if minutes is None:
        return prepared.routine, prepared.script, prepared.changes
    limits = prepared.limits
    personal = personalize(
        original,
        options.personal,
        seed=options.seed,
        wpm=options.voice.rate,
        measure=real_length(options.seed, engine, cache, speech, limits),
        limits=limits,
    )
    script = build_script(personal.routine, seed=options.seed, limits=limits)
    return personal.routine, script, personal.changes


def page_roles(target: Path, options: RenderOptions) -> list[FileRole]:
    """The render's timeline sidecar (always) and, with --page, the session page."""
    from voicecoach.page.files import page_path
    from voicecoach.page.sidecar import sidecar_path

    fix = "choose another output name with -o (these files are named after it)"
    roles = [FileRole(sidecar_path(target), "the timeline sidecar", fix)]
    if options.page or options.embed:
        roles.append(FileRole(page_path(target), "the session page", fix))
    return roles


def _page_files(
    audio: Path, target: Path, timeline: Timeline, routine: Routine, options: RenderOptions
) -> list[tuple[Path, str]]:
    from voicecoach.page.files import page_files, render_key

    key = render_key(routine, render_choices(options, target))
    return page_files(
        audio, timeline, routine, key=key, page=options.page, embed=options.embed, final=target
    )


__all__ = [
    "PreparedRender",
    "Progress",
    "RenderOptions",
    "RenderResult",
    "VoiceChoice",
    "describe_voice",
    "finish_render",
    "make_engine",
    "output_roles",
    "page_roles",
    "plan_routine",
    "prepare_render",
    "refit",
    "render",
    "render_choices",
    "speak",
]
