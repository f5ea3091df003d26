"""The audio layer: bundled sounds, music beds, the streaming mixer, loudness, encoding.

It works on plain numbers and arrays (float32 (samples, channels) with a sample rate);
it knows nothing about routines or timelines.
"""

from __future__ import annotations

from voicecoach.audio.assets import asset_dir, asset_names, asset_path, load_asset, read_wav
from voicecoach.audio.dsp import db_to_gain
from voicecoach.audio.encode import (
    SUPPORTED_FORMATS,
    Encoder,
    encoder_makeup_db,
    format_for_path,
    normalize_format,
)
from voicecoach.audio.ffmpeg import find_ffmpeg
from voicecoach.audio.loudness import (
    LoudnessMeter,
    PeakLimiter,
    integrated_loudness,
    limit_blocks,
    measure_file,
    normalization_gain_db,
)
from voicecoach.audio.master import (
    DEFAULT_CEILING_DBTP,
    DEFAULT_TARGET_LUFS,
    master_blocks,
    measure_mix,
    normalized_blocks,
)
from voicecoach.audio.mixer import MixSpec, mix_blocks
from voicecoach.audio.music import BackgroundSource, MusicBed, PadBed, SilentBed, load_music
from voicecoach.audio.resample import resample, resampled_length, to_stereo
from voicecoach.audio.tags import read_chapters, read_tags, write_mp3_tags

__all__ = [
    "DEFAULT_CEILING_DBTP",
    "DEFAULT_TARGET_LUFS",
    "SUPPORTED_FORMATS",
    "BackgroundSource",
    "Encoder",
    "LoudnessMeter",
    "MixSpec",
    "MusicBed",
    "PadBed",
    "PeakLimiter",
    "SilentBed",
    "asset_dir",
    "asset_names",
    "asset_path",
    "db_to_gain",
    "encoder_makeup_db",
    "find_ffmpeg",
    "format_for_path",
    "integrated_loudness",
    "limit_blocks",
    "load_asset",
    "load_music",
    "master_blocks",
    "measure_file",
    "measure_mix",
    "mix_blocks",
    "normalization_gain_db",
    "normalize_format",
    "normalized_blocks",
    "read_chapters",
    "read_tags",
    "read_wav",
    "resample",
    "resampled_length",
    "to_stereo",
    "write_mp3_tags",
]
