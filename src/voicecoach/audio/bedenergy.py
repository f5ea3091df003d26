"""K-weighted energy of a background bed on the session's grid, without mixing the session.

A music bed (the user's music, the pad) is analysed once over its source, one loop
period, and that is looped and faded arithmetically on a grid of BED_GROUP samples;
any other bed is rendered and K-weighted (exact, at the cost of a pass over the
session). The loudness model (audio/estimate.py) ducks and sums these energies.
"""

from __future__ import annotations

import numpy as np

from voicecoach.audio.dsp import IR_LENGTH, StreamingFIR, k_weighting_ir
from voicecoach.audio.music import BackgroundSource, MusicBed

BED_GROUP = 64  # bed analysis resolution in samples
_CHUNK = 1 << 16  # samples per streamed filter call (a multiple of BED_GROUP)


def _group_energy(weighted: np.ndarray) -> np.ndarray:
    """Energy (summed over the channels) of K-weighted audio per BED_GROUP samples."""
    e = np.einsum("ij,ij->i", weighted, weighted, dtype=np.float64)
    e = np.concatenate([e, np.zeros(-len(e) % BED_GROUP)])
    energy: np.ndarray = e.reshape(-1, BED_GROUP).sum(axis=1)
    return energy


def music_bed_prefix(bed: MusicBed, total: int, sample_rate: int) -> np.ndarray:
    """Cumulative K-weighted energy of the bed's source (one loop period) per BED_GROUP."""
    source = bed.loop_period() if bed.looping else bed.samples[:total]
    length = len(source)
    fir = StreamingFIR(k_weighting_ir(sample_rate), 2)
    if bed.looping:  # start the filter as if the loop's end had just played
        fir.process(source[-min(length, IR_LENGTH) :])
    per_group = np.zeros(-(-length // BED_GROUP), dtype=np.float64)
    for i in range(0, length, _CHUNK):
        e = _group_energy(fir.process(source[i : i + _CHUNK]))
        per_group[i // BED_GROUP : i // BED_GROUP + len(e)] = e
    return np.concatenate([[0.0], np.cumsum(per_group)])


def music_bed_energies(
    bed: MusicBed, prefix: np.ndarray, total: int, first: int, count: int
) -> np.ndarray:
    """Energy of the looped, faded bed (unducked) for grid groups [first, first + count)."""
    groups = len(prefix) - 1
    length = bed.period if bed.looping else min(len(bed.samples), total)
    edges = np.minimum(np.arange(first, first + count + 1, dtype=np.int64) * BED_GROUP, total)
    if bed.looping:  # energy of [0, x) of the looped source, x rounded to the grid
        loops, within = np.divmod(edges, length)
        cum = (
            loops * prefix[-1] + prefix[np.minimum((within + BED_GROUP // 2) // BED_GROUP, groups)]
        )
    else:
        cum = prefix[np.minimum((edges + BED_GROUP // 2) // BED_GROUP, groups)]
    centres = edges[:-1] + BED_GROUP // 2
    energy: np.ndarray = np.diff(cum) * bed.fade_at(centres) ** 2
    return energy


def generic_bed_energies(bed: BackgroundSource, total: int, sample_rate: int) -> np.ndarray:
    """Any other bed: render it and K-weight it (exact, costs a pass over the session)."""
    fir = StreamingFIR(k_weighting_ir(sample_rate), 2)
    out = np.zeros(-(-total // BED_GROUP), dtype=np.float64)
    for b0 in range(0, total, _CHUNK):
        e = _group_energy(fir.process(bed.render(b0, min(_CHUNK, total - b0))))
        out[b0 // BED_GROUP : b0 // BED_GROUP + len(e)] = e
    return out
