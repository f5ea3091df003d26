"""Which bitrates each encoder really produces, so none is silently changed.

Measured with the bundled ffmpeg at 44.1 kHz stereo (tests/audio/test_bitrate.py
encodes the ends of every range): libmp3lame writes only the MPEG-1 Layer III rates
and silently picks the nearest one for any other value (400k became 320k, 16k became
32k); libvorbis refuses to start below 45k or above 500k; ffmpeg's AAC encoder
clamps above 529k (6144 bits per channel and frame) and does not go as low as
targets below about 32k (16k came out near 22k). WAV and FLAC are lossless and
take no bitrate.
"""

from __future__ import annotations

import re

from voicecoach.errors import AudioError

MP3_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
RANGES_KBPS = {"ogg": (45, 500), "m4a": (32, 529)}
_BITRATE = re.compile(r"^[1-9]\d{0,3}k$")


def check_bitrate(fmt: str, bitrate: str) -> str:
    """``bitrate`` ("128k") if the encoder for ``fmt`` makes exactly that, else AudioError."""
    text = str(bitrate)
    if not _BITRATE.match(text):
        raise AudioError(f"invalid bitrate {text!r}. Give kilobits per second like 128k.")
    kbps = int(text[:-1])
    if fmt == "mp3" and kbps not in MP3_KBPS:
        allowed = ", ".join(f"{k}k" for k in MP3_KBPS)
        raise AudioError(
            f"bitrate {text} is not one the MP3 encoder can write (it would silently use "
            f"another). Use one of: {allowed}."
        )
    low, high = RANGES_KBPS.get(fmt, (kbps, kbps))
    if not low <= kbps <= high:
        raise AudioError(
            f"bitrate {text} is outside what the {fmt.upper()} encoder supports. "
            f"Use {low}k to {high}k."
        )
    return text
