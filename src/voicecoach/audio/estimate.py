"""Loudness of a mix predicted from its parts, and the per-clip true-peak pre-limiter.

Metering the whole mix (K-weighting every sample of the session) costs as much as a
second mixdown. K-weighting is linear, and the parts of a session barely correlate:
speech never overlaps speech, and beds sit well under it. So the mix's energy in each
100 ms block of BS.1770 is, to well under 0.1 LU, the sum of its parts' energies, and
each part is analysed once:

- a clip (a phrase, a chime) once per distinct clip, however often it is placed;
- a bed once over its source (one loop period), then looped, faded and ducked on a
  coarse grid.

The voice is limited per clip before mixing ("pre-limiting"), at the gain the model
solves for, so the loudness the limiter takes away is in the prediction and the
render lands on its target; the limiter on the mix then only catches the rare overs
where a bed adds to a speech peak.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voicecoach.audio.bedenergy import (
    BED_GROUP,
    generic_bed_energies,
    music_bed_energies,
    music_bed_prefix,
)
from voicecoach.audio.dsp import (
    IR_LENGTH,
    TP_HALF,
    StreamingFIR,
    db_to_gain,
    gated_lufs,
    k_weighting_ir,
    sliding_min,
    true_peak_per_sample,
)
from voicecoach.audio.lazyclip import ClipLike, LazyClip
from voicecoach.audio.mixer import DuckEnvelope, MixSpec
from voicecoach.audio.music import BackgroundSource, MusicBed, SilentBed
from voicecoach.audio.resample import as_audio

GROUP = 16  # clip analysis resolution in samples (gain curve and energies)
_CHUNK = 1 << 16  # bed grid groups per slice of the session (memory stays flat)


@dataclass(frozen=True)
class ClipProfile:
    """A clip reduced to what loudness and limiting need, per group of GROUP samples."""

    energy: np.ndarray  # float64: K-weighted energy summed over the two output channels
    peaks: np.ndarray  # float32: largest true peak (4x oversampled) at unity gain
    samples: int  # the clip's length (energy also covers the filter's tail)


def profile_clip(clip: ClipLike, sample_rate: int) -> ClipProfile:
    """Analyse a clip (n, 1|2) at the mix rate; a mono clip plays on both channels.

    A LazyClip is made at the mix rate for this and let go after (the profile is small).
    """
    x = as_audio(clip.audio() if isinstance(clip, LazyClip) else clip)
    n, channels = x.shape
    groups = -(-(n + IR_LENGTH) // GROUP)
    padded = np.zeros((groups * GROUP, channels), dtype=np.float32)
    padded[:n] = x
    weighted = StreamingFIR(k_weighting_ir(sample_rate), channels).process(padded)
    energy = np.einsum("ij,ij->i", weighted, weighted, dtype=np.float64)
    if channels == 1:
        energy *= 2.0
    context = np.zeros((TP_HALF, channels), dtype=np.float32)
    tp = np.zeros(groups * GROUP, dtype=np.float32)
    tp[:n] = true_peak_per_sample(np.concatenate([context, x, context]))
    return ClipProfile(
        energy=energy.reshape(groups, GROUP).sum(axis=1),
        peaks=tp.reshape(groups, GROUP).max(axis=1),
        samples=n,
    )


def prelimit_gain(
    peaks: np.ndarray,
    scale: float,
    ceiling: float,
    lookahead: int,
    release: int,
) -> np.ndarray | None:
    """Per-group gain keeping ``scale * peaks`` under ``ceiling``; None if nothing is over.

    The PeakLimiter's construction at group resolution: hold the required gain's
    minimum over [k - lookahead, k + release], then average over [k - release,
    k + lookahead]. Every group's gain is <= the gain each of its samples needs, and
    the curve ramps smoothly (attack over the lookahead, recovery over the release).
    """
    scaled = peaks.astype(np.float64) * scale
    if not len(scaled) or float(scaled.max()) <= ceiling:
        return None
    need = np.minimum(1.0, ceiling / np.maximum(scaled, 1e-12))
    ahead, rel = -(-lookahead // GROUP), -(-release // GROUP)
    reach, width = ahead + rel, ahead + rel + 1
    padded = np.concatenate([np.ones(reach), need, np.ones(reach)])
    held = sliding_min(padded, width)
    sums = np.concatenate([[0.0], np.cumsum(held)])
    gain: np.ndarray = np.minimum((sums[width:] - sums[:-width]) / width, 1.0)
    return gain


def apply_group_gain(clip: np.ndarray, gain: np.ndarray, *, in_place: bool = False) -> np.ndarray:
    """``clip`` times a per-group gain (each group's value held over its samples).

    ``in_place`` scales a writable ``clip`` itself, so no second copy of the session's
    speech is ever held.
    """
    n = len(clip)
    per_sample = np.repeat(gain.astype(np.float32), GROUP)[:n, None]
    if in_place and clip.flags.writeable:
        clip *= per_sample
        return clip
    return clip * per_sample


class BlockEnergies:
    """Energy of a session per 100 ms block of BS.1770, accumulated part by part."""

    def __init__(self, total_samples: int, sample_rate: int) -> None:
        self.step = round(0.1 * sample_rate)
        self.count = max(int(total_samples), 0) // self.step  # complete blocks, as the meter
        self.energy = np.zeros(self.count, dtype=np.float64)

    def add_clip(self, energy: np.ndarray, starts: Sequence[int], scale2: float) -> None:
        """A clip's group energies placed at each start (samples, may be negative)."""
        if not len(starts) or scale2 == 0.0 or self.count == 0:
            return
        prefix = np.concatenate([[0.0], np.cumsum(energy)])
        groups, step = len(energy), self.step
        s = np.asarray(starts, dtype=np.int64)
        first = np.maximum(s, 0) // step
        last = np.minimum((s + groups * GROUP - 1) // step, self.count - 1)
        spans = last - first + 1
        keep = spans > 0
        s, first, spans = s[keep], first[keep], spans[keep]
        if not len(s):
            return
        offsets = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
        block = np.repeat(first, spans) + offsets
        origin = np.repeat(s, spans)
        lo = np.clip((block * step - origin + GROUP // 2) // GROUP, 0, groups)
        hi = np.clip(((block + 1) * step - origin + GROUP // 2) // GROUP, 0, groups)
        part = (prefix[hi] - prefix[lo]) * scale2
        self.energy += np.bincount(block, weights=part, minlength=self.count)[: self.count]

    def add_grid(self, energy: np.ndarray, scale2: float, first: int = 0) -> None:
        """Energies per BED_GROUP samples from grid group ``first`` (assigned by centre)."""
        centres = np.arange(first, first + len(energy)) * BED_GROUP + BED_GROUP // 2
        block = centres // self.step
        inside = block < self.count
        self.energy += np.bincount(
            block[inside], weights=energy[inside] * scale2, minlength=self.count
        )[: self.count]

    def lufs(self) -> float:
        if self.count < 4:
            return -math.inf
        sub = self.energy / self.step
        return gated_lufs(np.convolve(sub, np.full(4, 0.25), mode="valid"))


@dataclass
class Solution:
    """The gain that puts the mix on target, and the pre-limited voice to mix with it."""

    gain_db: float
    predicted_lufs: float  # the mix at ``gain_db`` as the model sees it
    voice: list[tuple[int, ClipLike]]  # spec.voice with each clip pre-limited
    sounds: list[tuple[int, ClipLike]]  # spec.sounds likewise
    beds: list[tuple[BackgroundSource, float]]  # spec.beds, turned down if over the ceiling


class LoudnessModel:
    """Predicts the integrated loudness of ``mix_blocks(spec, gain_db)`` plus limiting."""

    def __init__(self, spec: MixSpec, lookahead_ms: float = 5.0, release_ms: float = 60.0):
        self.spec = spec
        sr = spec.sample_rate
        self.lookahead = max(1, round(lookahead_ms * sr / 1000))
        self.release = max(1, round(release_ms * sr / 1000))
        self.voice_gain = db_to_gain(spec.voice_db)
        # per bed: its energy per 100 ms block at its level, and its peak at that level
        self.beds: list[tuple[np.ndarray, float]] = []
        self.sounds_gain = db_to_gain(spec.sounds_db)
        self.voice_clips = [(c, profile_clip(c, sr), s) for c, s in _by_clip(spec.voice)]
        self.sound_profiles = {id(c): profile_clip(c, sr) for c, _ in _by_clip(spec.sounds)}
        self.overlaps = self._overlaps()
        self._add_beds()

    def _add_beds(self) -> None:
        spec, total = self.spec, max(int(self.spec.total_samples), 0)
        sr = spec.sample_rate
        self.duck_full = 1.0
        if spec.voice:
            self.duck_full = float(10.0 ** (-spec.duck_db / 20.0)) if spec.duck_db > 0 else 1.0
        grid = -(-total // BED_GROUP)
        for bed, level_db in spec.beds:
            gain = db_to_gain(level_db)
            if gain == 0.0 or isinstance(bed, SilentBed) or total == 0:
                self.beds.append((np.zeros(0), 0.0))
                continue
            duck = DuckEnvelope(
                spec.voice_intervals(),
                spec.duck_db,
                round(spec.attack_ms * sr / 1000),
                round(spec.release_ms * sr / 1000),
                round(spec.hold_ms * sr / 1000),
            )
            blocks = BlockEnergies(total, sr)
            if isinstance(bed, MusicBed):
                prefix = music_bed_prefix(bed, total, sr)
                peak = float(np.abs(bed.samples).max(initial=0.0))
            else:
                generic = generic_bed_energies(bed, total, sr)
                peak = 1.0  # unknown: assume the worst
            # the session grid in slices, so memory does not grow with session length
            for first in range(0, grid, _CHUNK):
                count = min(_CHUNK, grid - first)
                if isinstance(bed, MusicBed):
                    energy = music_bed_energies(bed, prefix, total, first, count)
                else:
                    energy = generic[first : first + count]
                centres = (np.arange(first, first + count) * BED_GROUP + BED_GROUP // 2).astype(
                    np.float64
                )
                ducked = duck.gain_at(centres).astype(np.float64) ** 2
                blocks.add_grid(energy * ducked, gain**2, first)
            self.beds.append((blocks.energy, peak * gain))

    def bed_scales(self, gain_db: float, ceiling: float) -> list[float]:
        """Each bed's extra gain (<= 1) so its peaks stay under the ceiling on its own.

        A steady bed over the ceiling would be squashed by the limiter all session long:
        turning it down by the same amount is what that sounds like, without pumping,
        and it keeps the prediction exact.
        """
        master = db_to_gain(gain_db)
        return [min(1.0, ceiling / (p * master)) if p > 0 else 1.0 for _, p in self.beds]

    def _ceilings(self, gain_db: float, ceiling: float) -> tuple[float, float]:
        """Where voice and sounds are pre-limited: under the ceiling by what the beds can
        add at their peaks, so the limiter on the mix has (almost) nothing left to do.
        """
        master = db_to_gain(gain_db)
        open_peak = sum(
            p * master * k
            for (_, p), k in zip(self.beds, self.bed_scales(gain_db, ceiling), strict=True)
        )
        voice = max(ceiling - open_peak * self.duck_full, 0.5 * ceiling)
        sounds = max(ceiling - open_peak, 0.5 * ceiling)
        return voice, sounds

    def _overlaps(self) -> list[list[tuple[int, int, int]]]:
        """For each sound placement: (voice clip index, first group, end group) it overlaps."""
        index = {id(c): k for k, (c, _, _) in enumerate(self.voice_clips)}
        voice = sorted((s, s + len(c), index[id(c)]) for s, c in self.spec.voice if len(c))
        begins = [v[0] for v in voice]
        out: list[list[tuple[int, int, int]]] = []
        for start, clip in self.spec.sounds:
            end = start + len(clip)
            hits = []
            for s, e, k in voice[: bisect.bisect_left(begins, end)]:
                if e > start:
                    lo = max(start - s, 0) // GROUP
                    hi = -(-(min(end, e) - s) // GROUP)
                    hits.append((k, lo, hi))
            out.append(hits)
        return out

    def _evaluate(
        self, gain_db: float, ceiling: float | None, build: bool = False, in_place: bool = False
    ) -> tuple[float, list[tuple[int, ClipLike]], list[tuple[int, ClipLike]]]:
        """Predicted loudness at ``gain_db`` with every clip pre-limited under ``ceiling``
        (None: no limiting), and, if ``build``, the pre-limited voice and sound placements.
        """
        master = db_to_gain(gain_db)
        total = BlockEnergies(self.spec.total_samples, self.spec.sample_rate)
        scales = [1.0] * len(self.beds) if ceiling is None else self.bed_scales(gain_db, ceiling)
        for (energy, _), k in zip(self.beds, scales, strict=True):
            if len(energy):
                total.energy += energy * (master * k) ** 2
        limits = None if ceiling is None else self._ceilings(gain_db, ceiling)
        vscale = self.voice_gain * master
        gains: list[np.ndarray | None] = []
        made: dict[int, ClipLike] = {}
        for clip, profile, starts in self.voice_clips:
            g = None
            if limits is not None:
                g = prelimit_gain(profile.peaks, vscale, limits[0], self.lookahead, self.release)
            gains.append(g)
            total.add_clip(
                profile.energy if g is None else profile.energy * g**2, starts, vscale**2
            )
            if build and g is not None:
                # a LazyClip keeps its curve and is scaled when the mixer makes it
                made[id(clip)] = (
                    clip.with_gain(g, GROUP)
                    if isinstance(clip, LazyClip)
                    else apply_group_gain(clip, g, in_place=in_place)
                )
        voice = [(s, made.get(id(c), c)) for s, c in self.spec.voice] if build else []
        sounds = self._add_sounds(total, master, limits, gains, build)  # before the total
        return total.lufs(), voice, sounds

    def _add_sounds(
        self,
        total: BlockEnergies,
        master: float,
        limits: tuple[float, float] | None,
        gains: list[np.ndarray | None],
        build: bool,
    ) -> list[tuple[int, ClipLike]]:
        """The sounds' energies added to ``total``, each pre-limited under ``limits``
        (the voice's pre-limiting ``gains`` known), and, if ``build``, their placements.

        A chime over speech is limited under what the speech leaves of the ceiling
        there; one elsewhere under what the beds leave.
        """
        vscale, sscale = self.voice_gain * master, self.sounds_gain * master
        sr = self.spec.sample_rate
        sounds: list[tuple[int, ClipLike]] = []
        done: dict[tuple[int, float], tuple[np.ndarray, ClipLike]] = {}
        for (start, clip), hits in zip(self.spec.sounds, self.overlaps, strict=True):
            sound = self.sound_profiles.get(id(clip))
            if sound is None:  # an empty clip
                continue
            limit = None
            if limits is not None:
                limit = limits[1]
                if hits:
                    local = 0.0
                    for k, lo, hi in hits:
                        peaks = self.voice_clips[k][1].peaks[lo:hi].astype(np.float64)
                        g = gains[k]
                        if g is not None:
                            peaks = peaks * g[lo:hi]
                        local = max(local, float(peaks.max(initial=0.0)) * vscale)
                    limit = max(limits[0] - local, 0.5 * limits[1])
                    # down to a 0.25 dB step, so placements share one limited copy
                    limit = 10.0 ** (math.floor(80.0 * math.log10(limit)) / 80.0)
            key = (id(clip), limit if limit is not None else -1.0)
            if key not in done:
                g = None
                if limit is not None:
                    g = prelimit_gain(sound.peaks, sscale, limit, self.lookahead, self.release)
                energy = sound.energy if g is None else sound.energy * g**2
                built = clip if g is None or not build else _limited(clip, g, sr)
                done[key] = (energy, built)
            energy, built = done[key]
            total.add_clip(energy, [start], sscale**2)
            if build:
                sounds.append((start, built))
        return sounds

    def lufs(self, gain_db: float, ceiling: float | None) -> float:
        """Predicted loudness at ``gain_db``, clips pre-limited under ``ceiling`` (linear)."""
        return self._evaluate(gain_db, ceiling)[0]

    def solve(
        self,
        target_lufs: float,
        ceiling_dbtp: float,
        max_gain_db: float = 40.0,
        *,
        in_place: bool = False,
    ) -> Solution:
        """Gain (dB) that brings the pre-limited mix to ``target_lufs``, and those clips.

        ``in_place`` pre-limits the spec's own (writable) voice arrays instead of copies,
        so a copy does not double the memory that the session's speech takes. A LazyClip
        is never copied: it gets its pre-limiting curve, applied when the mixer makes it.
        """
        ceiling = 10.0 ** (ceiling_dbtp / 20.0)
        unity = self.lufs(0.0, None)
        if not math.isfinite(unity):
            return Solution(
                0.0, unity, list(self.spec.voice), list(self.spec.sounds), list(self.spec.beds)
            )
        # Loudness rises monotonically (and at most 1:1) with gain: secant steps from the
        # unlimited solution converge in two or three model evaluations.
        g0 = min(target_lufs - unity, max_gain_db)
        l0 = self.lufs(g0, ceiling)
        g1 = min(g0 + target_lufs - l0, max_gain_db)
        l1 = self.lufs(g1, ceiling) if g1 != g0 else l0
        for _ in range(8):
            if abs(target_lufs - l1) < 0.005 or g1 >= max_gain_db or l1 == l0:
                break
            slope = min(max((l1 - l0) / (g1 - g0), 0.05), 1.0)
            g0, l0 = g1, l1
            g1 = min(g1 + (target_lufs - l1) / slope, max_gain_db)
            l1 = self.lufs(g1, ceiling)
        predicted, voice, sounds = self._evaluate(g1, ceiling, build=True, in_place=in_place)
        beds = [
            (bed, level_db + 20.0 * math.log10(k))
            for (bed, level_db), k in zip(self.spec.beds, self.bed_scales(g1, ceiling), strict=True)
        ]
        return Solution(g1, predicted, voice, sounds, beds)


def _limited(clip: ClipLike, gain: np.ndarray, sample_rate: int) -> LazyClip:
    """``clip`` with its pre-limiting curve, applied when the mixer makes it: a sound
    limited at several levels is not held once per level."""
    if isinstance(clip, LazyClip):
        return clip.with_gain(gain, GROUP)
    return LazyClip(as_audio(clip), sample_rate, sample_rate).with_gain(gain, GROUP)


def _by_clip(
    placements: Sequence[tuple[int, ClipLike]],
) -> list[tuple[ClipLike, list[int]]]:
    """Placements grouped by clip object (the renderer reuses one clip per phrase)."""
    groups: dict[int, tuple[ClipLike, list[int]]] = {}
    for start, clip in placements:
        if len(clip):
            groups.setdefault(id(clip), (clip, []))[1].append(int(start))
    return list(groups.values())
