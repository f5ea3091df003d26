"""Mastering a mix: its gain, then a true-peak limiter, streamed block by block.

A render masters in one pass (mixdown.SessionAudio.blocks): the loudness model
(audio/estimate.py) predicts the mix's loudness from its parts and solves the gain
that puts it on target, with the voice and sounds pre-limited; ``master_blocks`` then
mixes once at that gain through the limiter, straight into the encoder. The limiter's
ceiling sits below the delivery limit because MP3 encoding adds overshoot.

``measure_mix`` and ``normalized_blocks`` measure the loudness instead of predicting
it, at the cost of a whole extra mix pass; the render does not use them. They are
the simple way for a library caller with a MixSpec and no loudness model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from voicecoach.audio.loudness import (
    LoudnessMeter,
    PeakLimiter,
    normalization_gain_db,
)
from voicecoach.audio.mixer import MixSpec, mix_blocks, mix_blocks_bounded

DEFAULT_TARGET_LUFS = -16.0
DEFAULT_CEILING_DBTP = -2.0  # 1 dB under the -1 dBTP delivery limit: MP3 overshoot

Progress = Callable[[int], None]  # called with the number of samples just produced


def measure_mix(
    spec: MixSpec, block_samples: int = 44100, progress: Progress | None = None
) -> float:
    """Integrated loudness (LUFS) of the mix at unity gain, measured (a whole mix pass)."""
    meter = LoudnessMeter(spec.sample_rate, 2, true_peak=False)
    for block in mix_blocks(spec, 0.0, block_samples):
        meter.add(block)
        if progress is not None:
            progress(len(block))
    return meter.integrated_lufs()


def master_blocks(
    spec: MixSpec,
    gain_db: float,
    ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
    block_samples: int = 44100,
    progress: Progress | None = None,
) -> Iterator[np.ndarray]:
    """The mix with ``gain_db`` applied, true-peak limited; exact total length."""
    limiter = PeakLimiter(ceiling_dbtp, spec.sample_rate)
    # The mixer's peak bounds let the limiter skip oversampling where the mix provably
    # stays under the ceiling (most of a session); the output is the same.
    for block, bound in mix_blocks_bounded(spec, gain_db, block_samples):
        if progress is not None:
            progress(len(block))
        out = limiter.process(block, bound)
        if len(out):
            yield out
    tail = limiter.flush()
    if len(tail):
        yield tail


def normalized_blocks(
    spec: MixSpec,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    ceiling_dbtp: float = DEFAULT_CEILING_DBTP,
    block_samples: int = 44100,
    makeup_db: float = 0.0,
) -> Iterator[np.ndarray]:
    """Measured, then mastered (two mix passes): the session at ``target_lufs`` under
    ``ceiling_dbtp``.

    ``makeup_db`` is the encoder's level loss (``encoder_makeup_db``), added so the
    encoded file, not the PCM, meets the target.
    """
    gain = normalization_gain_db(measure_mix(spec, block_samples), target_lufs) + makeup_db
    yield from master_blocks(spec, gain, ceiling_dbtp, block_samples)
