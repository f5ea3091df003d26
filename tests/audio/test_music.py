from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.audio.audio_signals import SR, sine, write_wav
from voicecoach.audio.music import MusicBed, PadBed, SilentBed, load_music
from voicecoach.errors import AudioError

FORMATS = "mp3, wav, ogg, m4a, flac"


def test_load_mp3_gives_stereo_float32_at_44k(sine_mp3: Path) -> None:
    x = load_music(sine_mp3)
    assert x.dtype == np.float32 and x.shape[1] == 2
    assert len(x) == pytest.approx(3 * SR, abs=SR // 100)
    assert 0.25 < float(np.abs(x).max()) < 0.35


def test_load_resamples_and_upmixes_a_mono_22k_wav(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "m.wav", sine(440, 2.0, 0.5, sr=22050)[:, 0], sr=22050)
    x = load_music(path)
    assert x.shape == (2 * SR, 2)
    assert np.array_equal(x[:, 0], x[:, 1])


def test_max_samples_stops_decoding_early(sine_mp3: Path) -> None:
    assert len(load_music(sine_mp3, max_samples=SR)) == SR


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.mp3"
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert str(err.value) == f"music file not found: {path}. Check the path given as sound.music."


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp3"
    path.write_bytes(b"")
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert str(err.value) == f"music file is empty: {path}. Choose an audio file ({FORMATS})."


def test_text_file_named_mp3(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp3"
    path.write_text("these are my notes, not a song\n" * 20)
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert str(err.value) == (
        f"music file is not audio that ffmpeg can read: {path}. Choose an audio file ({FORMATS})."
    )


def test_truncated_mp3(tmp_path: Path, sine_mp3: Path) -> None:
    path = tmp_path / "cut.mp3"
    path.write_bytes(sine_mp3.read_bytes()[:300])
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert str(err.value) == (
        f"music file is corrupt or truncated, no audio could be decoded: {path}. "
        "Re-export or download it again."
    )


def test_wav_header_without_audio(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "hollow.wav", np.zeros((0, 2)))
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert "no audio could be decoded" in str(err.value)


def test_too_short(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "blip.wav", sine(440, 0.2))
    with pytest.raises(AudioError) as err:
        load_music(path)
    assert (
        str(err.value) == f"music file is too short (0.20 s): {path}. Use a file of at least 0.5 s."
    )


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(AudioError) as err:
        load_music(tmp_path)
    assert str(err.value) == (
        f"music file is not a regular file: {tmp_path} is a folder. "
        f"Give the path of an audio file ({FORMATS})."
    )


def test_trimmed_bed_has_exact_length_and_fades() -> None:
    music = sine(220, 10.0, 0.5)
    bed = MusicBed(music, 4 * SR, fade_in_ms=500, fade_out_ms=1000)
    x = np.concatenate([bed.render(s, 10_000) for s in range(-20_000, 5 * SR, 10_000)])[20_000:]
    assert np.all(x[4 * SR :] == 0)
    x = x[: 4 * SR]
    assert np.abs(x[:100]).max() < 0.01  # starts from silence
    assert np.abs(x[-100:]).max() < 0.01  # ends in silence
    assert np.allclose(x[SR : 2 * SR], music[SR : 2 * SR])  # untouched in the middle


def test_looped_bed_has_no_gap_or_click_at_the_loop_point() -> None:
    rng = np.random.default_rng(5)
    noise = (0.2 * rng.standard_normal((SR, 2))).astype(np.float32)  # 1 s of "music"
    bed = MusicBed(noise, 5 * SR, fade_in_ms=0, fade_out_ms=0, crossfade_ms=100)
    x = bed.render(0, 5 * SR)
    frames = x[: len(x) // 441 * 441].reshape(-1, 441, 2)
    level = np.sqrt((frames**2).mean(axis=(1, 2)))
    assert level.min() > 0.2 * 0.7  # never drops out
    assert level.max() < 0.2 * 1.3  # never bumps (equal-power crossfade)
    period = SR - round(0.1 * SR)
    assert np.array_equal(x[period + 5000 : period + 6000], noise[5000:6000])  # second pass


def test_blocks_equal_one_long_render() -> None:
    bed = MusicBed(sine(330, 1.3, 0.4), 7 * SR, 300, 300)
    whole = bed.render(0, 7 * SR)
    parts = np.concatenate([bed.render(s, 4321) for s in range(0, 7 * SR, 4321)])[: 7 * SR]
    assert np.array_equal(whole, parts)


def test_pad_loops_seamlessly() -> None:
    bed = PadBed(60 * SR, fade_in_ms=0, fade_out_ms=0)
    loop = len(bed.samples)
    assert 8 * SR <= loop <= 12 * SR
    around = bed.render(loop - 200, 400)
    steps = np.abs(np.diff(around[:, 0]))
    assert steps.max() < 3 * np.abs(np.diff(bed.samples[:2000, 0])).max()


def test_silent_bed() -> None:
    assert not SilentBed().render(123, 456).any()
    assert SilentBed().render(0, 456).shape == (456, 2)
