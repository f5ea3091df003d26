"""Content-addressed phrase cache, and `synthesize_all`, the one call the renderer makes.

Key: sha256 over (cache format, engine name, engine version, voice, rate, text), so a
change to any of them is a miss and nothing stale is ever reused. Entry file layout
(little-endian)::

    b"VCCLIP1\\n" | sha256(body) (32 bytes) | body
    body = u32 header length | JSON header {"sample_rate", "lead", "samples"} | float32 samples

A truncated or altered entry fails the digest check, and an entry whose samples are
NaN or infinite is damaged too; either is deleted and synthesized again. Writes go to a
temp file in the same directory and are renamed into place (os.replace is atomic), so
renders sharing one cache at once never see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import struct
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import SpeechError
from .base import Clip, SpeechEngine, describe_phrase
from .cache_entry import MAGIC, SUFFIX

CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("voicecoach")) / "phrases"


def cache_key(engine: SpeechEngine, text: str) -> str:
    parts = [CACHE_FORMAT, engine.name, engine.version, engine.voice, engine.rate, text]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def encode_clip(clip: Clip, engine: str = "", voice: str = "") -> bytes:
    """The entry's bytes; engine and voice ride in the header for `voicecoach cache info`."""
    fields: dict[str, object] = {
        "sample_rate": clip.sample_rate,
        "lead": clip.lead,
        "samples": clip.num_samples,
    }
    if engine:
        fields.update(engine=engine, voice=voice)
    header = json.dumps(fields).encode("utf-8")
    data = np.ascontiguousarray(clip.samples.reshape(-1), dtype="<f4").tobytes()
    body = struct.pack("<I", len(header)) + header + data
    return MAGIC + hashlib.sha256(body).digest() + body


def decode_clip(blob: bytes) -> Clip | None:
    """The clip, or None if the bytes are not a complete, unaltered entry."""
    start = len(MAGIC) + 32
    if len(blob) < start + 4 or not blob.startswith(MAGIC):
        return None
    body = blob[start:]
    if hashlib.sha256(body).digest() != blob[len(MAGIC) : start]:
        return None
    try:
        (size,) = struct.unpack_from("<I", body)
        header = json.loads(body[4 : 4 + size])
        rate, lead, n = int(header["sample_rate"]), int(header["lead"]), int(header["samples"])
        data = np.frombuffer(body[4 + size :], dtype="<f4")
        if data.size != n or rate <= 0 or not 0 <= lead <= n:
            return None
        clip = Clip(data.astype(np.float32).reshape(-1, 1), rate, lead=lead)
        return clip if clip.finite else None  # NaN/inf: damaged, synthesize again
    except (ValueError, KeyError, TypeError, struct.error):
        return None


class PhraseCache:
    """Clips on disk, one small file per phrase, under `directory`."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.corrupt = 0  # entries found damaged (and removed) by this instance

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> Clip | None:
        path = self.path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        clip = decode_clip(blob)
        if clip is None:
            self.corrupt += 1
            # another render may have replaced or removed it already
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            with contextlib.suppress(OSError):  # the last use, for evicting the least recent
                os.utime(path)
        return clip

    def put(self, key: str, clip: Clip, engine: str = "", voice: str = "") -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(encode_clip(clip, engine, voice))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise SpeechError(
                f"cannot write the phrase cache at {self.directory}: {exc.strerror or exc}. "
                "Choose a writable directory with --cache-dir."
            ) from exc


@dataclass
class SynthesisResult:
    clips: dict[str, Clip] = field(default_factory=dict)  # by phrase text
    synthesized: int = 0  # phrases the engine made in this call
    cached: int = 0  # distinct phrases found in the cache
    warnings: list[str] = field(default_factory=list)  # e.g. the cache was not writable


def synthesize_all(
    engine: SpeechEngine,
    texts: Sequence[str],
    cache: PhraseCache | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    spoken: Callable[[str], str] | None = None,
) -> SynthesisResult:
    """A clip for every distinct text: from the cache, else from one engine batch.

    progress(done, total) counts distinct phrases. Without a cache every phrase is
    synthesized (still once per distinct text).

    spoken(written) -> what the engine is given to say (e.g. "90/90" -> "ninety
    ninety", the `pronounce:` table). Clips stay keyed by the written text, which
    the planner and the transcripts use; the cache is keyed on the spoken text.
    """
    unique = list(dict.fromkeys(texts))
    total = len(unique)
    result = SynthesisResult()
    say = {text: (spoken(text) if spoken else text) for text in unique}
    keys = {text: cache_key(engine, say[text]) for text in unique} if cache is not None else {}
    missing: list[str] = []
    for text in unique:
        clip = cache.get(keys[text]) if cache is not None else None
        if clip is None:
            missing.append(text)
        else:
            result.clips[text] = clip
    result.cached = total - len(missing)
    if progress:
        progress(result.cached, total)
    if missing:
        on_phrase = (lambda done: progress(result.cached + done, total)) if progress else None
        batch = _Batch(engine, cache, missing, [keys[t] for t in missing] if keys else [], result)
        clips = batch.run([say[t] for t in missing], on_phrase)
        for index, (text, clip) in enumerate(zip(missing, clips, strict=True)):
            batch.check(index, clip)
            result.clips[text] = clip
            batch.store(index, clip)
        result.synthesized = len(missing)
        if cache is not None and not result.warnings:
            from .cache_admin import trim

            trim(cache.directory)
    return result


class _Batch:
    """One engine batch of the phrases the cache lacks, each clip cached once."""

    def __init__(
        self,
        engine: SpeechEngine,
        cache: PhraseCache | None,
        texts: list[str],
        keys: list[str],
        result: SynthesisResult,
    ) -> None:
        self.engine, self.cache, self.texts, self.keys = engine, cache, texts, keys
        self.result = result  # warnings go there
        self.stored: set[int] = set()

    def store(self, index: int, clip: Clip) -> None:
        """Cache a clip as soon as it is made (once); NaN/inf is never cached."""
        if not clip.finite or self.cache is None or self.result.warnings:
            return
        if index not in self.stored:
            self.stored.add(index)
            try:
                self.cache.put(self.keys[index], clip, self.engine.name, self.engine.voice)
            except SpeechError as exc:  # the render can go on without caching
                self.result.warnings.append(str(exc))

    def run(self, say: list[str], on_phrase: Callable[[int], None] | None) -> list[Clip]:
        """The engine's clips for ``say``, one per phrase."""
        engine = self.engine
        if "on_clip" in inspect.signature(engine.synthesize).parameters:
            # clips reach the cache as they are made: an interrupted render keeps them
            clips = engine.synthesize(  # type: ignore[call-arg]
                say, progress=on_phrase, on_clip=self.store
            )
        else:
            clips = engine.synthesize(say, progress=on_phrase)
        if len(clips) != len(say):
            raise SpeechError(
                f"speech engine '{engine.name}' returned {len(clips)} clips for "
                f"{len(say)} phrases. Try again, or choose another engine with --engine."
            )
        return clips

    def check(self, index: int, clip: Clip) -> None:
        if not clip.finite:  # never cached (see store), never mixed, never encoded
            raise SpeechError(
                f"speech engine '{self.engine.name}' returned audio with NaN or infinite "
                f"samples for {describe_phrase(index, len(self.texts), self.texts[index])}. "
                "Try again, or choose another engine with --engine."
            )
