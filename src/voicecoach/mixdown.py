"""From a planned Timeline and synthesized clips to an encoded, tagged audio file.

Translates timeline events into mixer placements (samples at 44.1 kHz), predicts the
mix's loudness from its parts (each distinct phrase analysed once, see
audio/estimate.py) and solves the normalising gain with the voice pre-limited, then
mixes once, through the true-peak limiter, streamed block by block into the encoder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicecoach.audio import (
    BackgroundSource,
    Encoder,
    MixSpec,
    MusicBed,
    PadBed,
    encoder_makeup_db,
    load_asset,
    load_music,
    master_blocks,
    normalize_format,
)
from voicecoach.audio.estimate import LoudnessModel
from voicecoach.audio.extras import write_extras
from voicecoach.audio.ffmpeg import FFMPEG_TIMEOUT_S
from voicecoach.audio.lazyclip import ClipLike, LazyClip, SpillFile, trim_heap
from voicecoach.planning.timeline import Timeline
from voicecoach.progress import Progress
from voicecoach.routine.model import SoundSettings
from voicecoach.session_tags import SessionTags
from voicecoach.speech.base import Clip

SAMPLE_RATE = 44_100
BLOCK = SAMPLE_RATE  # one second per block: small enough to stream, big enough for numpy
# MP3 encoding overshoots peaks a little: keep the limiter 1 dB under the delivery ceiling.
CODEC_HEADROOM_DB = 1.0
# Decoded up front only to refuse a bad music file before any slow work starts.
MUSIC_CHECK_SECONDS = 5


def ms_to_samples(ms: int, sample_rate: int = SAMPLE_RATE) -> int:
    return (ms * sample_rate + 500) // 1000


@dataclass
class SessionAudio:
    """The sound settings of one render, checked before any slow work starts."""

    sound: SoundSettings
    fmt: str
    bitrate: str
    ffmpeg_timeout_s: float = FFMPEG_TIMEOUT_S  # a stalled ffmpeg is stopped after this

    @classmethod
    def check(
        cls,
        sound: SoundSettings,
        *,
        fmt: str,
        bitrate: str,
        ffmpeg_timeout_s: float = FFMPEG_TIMEOUT_S,
    ) -> SessionAudio:
        """Fail early on a bad format or an unreadable music file.

        Only the start of the music is decoded here; the mix decodes it again, cut to
        the session's length, so a long file never sits whole in memory.
        """
        name = normalize_format(fmt)
        Encoder(Path("check"), name, bitrate=bitrate)  # validates the bitrate only
        if sound.music:
            load_music(
                sound.music,
                SAMPLE_RATE,
                max_samples=MUSIC_CHECK_SECONDS * SAMPLE_RATE,
                timeout_s=ffmpeg_timeout_s,
            )
        return cls(sound, name, bitrate, ffmpeg_timeout_s)

    def mix_spec(
        self,
        timeline: Timeline,
        clips: Mapping[str, Clip],
        *,
        release: bool = False,
        spill: SpillFile | None = None,
    ) -> MixSpec:
        """The mixer's placements. Each phrase is held once, at its engine's rate (a
        LazyClip), parked in a temporary file (``spill``, made if not given): the mix-rate
        copy is made only while it plays. ``release`` drops each clip from ``clips`` (a
        mutable mapping the caller gives away) once it is placed, so its samples leave
        memory."""
        sound = self.sound
        total = ms_to_samples(timeline.total_ms)
        spill = SpillFile() if spill is None else spill
        voice: list[tuple[int, ClipLike]] = []
        resampled: dict[str, tuple[int, LazyClip]] = {}
        sounds: list[tuple[int, ClipLike]] = []
        for event in timeline.events:
            if event.spoken and event.text:
                if event.text not in resampled:
                    resampled[event.text] = _voice_clip(clips[event.text], spill)
                    if release and isinstance(clips, MutableMapping):
                        del clips[event.text]
                lead, audio = resampled[event.text]
                # At 0 ms there is no room for the lead-in pad: the mixer drops the part
                # before the session start, so the onset stays where the plan says.
                # (Each phrase keeps one clip, so its loudness is analysed once.)
                voice.append((ms_to_samples(event.start_ms) - lead, audio))
            elif event.sound and _plays(event.kind, sound):
                sounds.append((ms_to_samples(event.start_ms), load_asset(event.sound)))
        beds: list[tuple[BackgroundSource, float]] = []
        if sound.background == "pad":
            beds.append((PadBed(total), sound.tones_db))
        if sound.music:
            music = load_music(
                sound.music, SAMPLE_RATE, max_samples=total, timeout_s=self.ffmpeg_timeout_s
            )
            beds.append((MusicBed(music, total), sound.music_db))
        return MixSpec(
            total_samples=total,
            sample_rate=SAMPLE_RATE,
            voice=voice,
            sounds=sounds,
            beds=beds,
            voice_db=sound.voice_db,
            sounds_db=sound.tones_db,
            duck_db=sound.duck_db,
        )

    def write(
        self,
        path: Path,
        timeline: Timeline,
        clips: Mapping[str, Clip],
        *,
        title: str = "",
        comment: str = "",
        progress: Progress | None = None,
        release: bool = False,
        tags: SessionTags | None = None,
    ) -> None:
        """Mix and encode to ``path``; ``release`` as in ``mix_spec``.

        ``tags`` (cover, lyrics, author...) replace ``title`` and ``comment``."""
        tags = tags or SessionTags(title=title, comment=comment)
        metadata = tags.metadata()
        chapters = list(timeline.chapters)
        with Encoder(
            path,
            self.fmt,
            SAMPLE_RATE,
            2,
            self.bitrate,
            metadata=metadata,
            chapters=chapters,
            timeout_s=self.ffmpeg_timeout_s,
        ) as encoder:
            for block in self.blocks(timeline, clips, progress, release=release):
                encoder.write(block)
        write_extras(path, tags.extras)

    def blocks(
        self,
        timeline: Timeline,
        clips: Mapping[str, Clip],
        progress: Progress | None = None,
        *,
        release: bool = False,
    ) -> Iterator[np.ndarray]:
        """The mastered session, block by block: on target loudness, under the ceiling.
        The phrases' temporary file is closed (deleted) at the end."""
        spill = SpillFile()
        try:
            yield from self._blocks(
                self.mix_spec(timeline, clips, release=release, spill=spill), progress
            )
        finally:
            spill.close()

    def _blocks(self, spec: MixSpec, progress: Progress | None) -> Iterator[np.ndarray]:
        total = spec.total_samples

        def counter(stage: str) -> Callable[[int], None] | None:
            if progress is None:
                return None
            done = [0]

            def tick(n: int) -> None:
                done[0] += n
                progress(stage, done[0], total)

            return tick

        ceiling = self.sound.true_peak_db - (CODEC_HEADROOM_DB if self.fmt != "wav" else 0.3)
        # The encoder's level loss is made up before it: aim the PCM that much higher.
        target = self.sound.loudness_lufs + encoder_makeup_db(self.fmt, self.bitrate)
        solution = LoudnessModel(spec).solve(target, ceiling, in_place=True)
        trim_heap()  # the profiles' temporaries, before the mix's own peak
        if progress is not None:
            progress("measure", total, total)
        spec.voice, spec.sounds, spec.beds = solution.voice, solution.sounds, solution.beds
        yield from master_blocks(spec, solution.gain_db, ceiling, BLOCK, counter("encode"))


def _plays(kind: str, sound: SoundSettings) -> bool:
    if kind == "tick":
        return sound.metronome
    return sound.chimes


def _voice_clip(clip: Clip, spill: SpillFile) -> tuple[int, LazyClip]:
    """A speech clip as the mixer sees it at the mix rate, mono (played on both channels),
    its samples parked in ``spill``, and its lead (silence before the word) in mix samples."""
    lead = (clip.lead * SAMPLE_RATE + clip.sample_rate // 2) // clip.sample_rate
    return lead, LazyClip(spill.park(clip.samples), clip.sample_rate, SAMPLE_RATE)
