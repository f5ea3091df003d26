"""The portable engine: pyttsx3 (espeak-ng on Linux, NSSpeech on macOS, SAPI5 on Windows).

On Linux a fresh machine has no libespeak-ng, so the worker preloads the one shipped in
the `espeakng-loader` wheel (RTLD_GLOBAL, so pyttsx3's own ``LoadLibrary
("libespeak-ng.so.1")`` finds it by soname) and points ESPEAK_DATA_PATH at its data.
All pyttsx3 work happens in the worker process (see process.py): runAndWait is known
to hang, and the espeak driver prints to stdout.

Defaults: voice en-us at 150 measured words per minute (see pace.py; espeak's own
setting is mapped by ESPEAK_SLOPE/OFFSET, fitted by scripts/calibrate_rate.py).
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import SpeechError
from ..limits import DEFAULT_LIMITS, Limits
from . import probe_cache
from .base import Clip, Progress, VoiceInfo, check_rate, resolve_voice
from .pool import synthesize_pool
from .process import Timeouts, run_worker
from .worker_io import synthesize_each

DEFAULT_VOICE = "en-us"
DEFAULT_RATE = 150
# espeak speaks faster than its nominal wpm (160 measured about 186): the asked rate is
# mapped to espeak's setting by a line fitted by scripts/calibrate_rate.py.
ESPEAK_SLOPE = 0.755
ESPEAK_OFFSET = -1.0
ESPEAK_MIN_NATIVE = 80  # espeak-ng clamps lower settings
# the asked rates that map inside espeak's range (80 .. 450 native) are
# Limits.pyttsx3_rate_wpm


def native_rate(rate: int) -> int:
    """espeak's own rate setting that makes it speak `rate` measured words per minute."""
    if driver_name() != "espeak":
        return rate
    return max(ESPEAK_MIN_NATIVE, round(ESPEAK_SLOPE * rate + ESPEAK_OFFSET))


# Voice lists and versions are asked of the worker once per process (per driver).
_PROBES: dict[str, tuple[list[VoiceInfo], str]] = {}


def driver_name() -> str | None:
    """pyttsx3 driver: espeak on Linux/BSD, the platform default elsewhere."""
    return None if sys.platform in ("darwin", "win32") else "espeak"


_SYSTEM_LIBRARIES = (
    "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib/aarch64-linux-gnu/libespeak-ng.so.1",
    "/usr/lib64/libespeak-ng.so.1",
    "/usr/lib/libespeak-ng.so.1",
    "/usr/local/lib/libespeak-ng.so.1",
)


def _installed_software() -> list[str]:
    """What the worker's answer depends on: a new install gives a new fingerprint."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [sys.platform, str(driver_name())]
    for package in ("pyttsx3", "espeakng-loader"):
        try:
            parts.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    return parts + probe_cache.file_identity(_SYSTEM_LIBRARIES)


class Pyttsx3Engine:
    """pyttsx3 behind a bounded worker process."""

    name = "pyttsx3"

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        *,
        timeouts: Timeouts | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self._requested_voice = voice
        self._rate = check_rate(
            DEFAULT_RATE if rate is None else rate, self.name, limits.engine_rate_wpm(self.name)
        )
        self.timeouts = timeouts or Timeouts(startup_s=10.0, per_phrase_s=2.0)
        self._voice: VoiceInfo | None = None

    # -- what goes into cache keys ---------------------------------------------------
    @property
    def version(self) -> str:
        # the calibration is part of the sound: a new fit must not reuse old clips
        return f"{self._probe()[1]}; pace {ESPEAK_SLOPE}/{ESPEAK_OFFSET}"

    @property
    def voice(self) -> str:
        return self.voice_info.id

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def voice_info(self) -> VoiceInfo:
        if self._voice is None:
            self._voice = self._resolve(self._requested_voice)
        return self._voice

    def voices(self) -> list[VoiceInfo]:
        return list(self._probe()[0])

    def synthesize(
        self,
        texts: Sequence[str],
        progress: Progress | None = None,
        on_clip: Callable[[int, Clip], None] | None = None,
    ) -> list[Clip]:
        request = {
            "engine": self.name,
            "voice": self.voice,
            "native_rate": native_rate(self.rate),
        }
        return synthesize_pool(
            self.name, request, list(texts), self.timeouts, progress, on_clip=on_clip
        )

    # -- internals -------------------------------------------------------------------
    def _resolve(self, requested: str | None) -> VoiceInfo:
        voices = self.voices()
        if requested is not None:
            return resolve_voice(requested, voices, self.name)
        try:
            return resolve_voice(DEFAULT_VOICE, voices, self.name)
        except SpeechError:  # no en-US voice here: any English one, else the first
            english = [v for v in voices if any(x.lower().startswith("en") for x in v.languages)]
            if english or voices:
                return (english or voices)[0]
            return VoiceInfo("", "platform default voice")

    def known_offline(self) -> bool:
        """True when the voices and version are known without starting the worker
        (asked earlier in this process, or remembered from an earlier run): what
        `plan --engine pyttsx3` needs to find cached phrases."""
        key = str(driver_name())
        if key not in _PROBES:
            found = probe_cache.load(self.name, _installed_software()) or {}
            if not found.get("voices"):
                return False
            _PROBES[key] = _parse_probe(found)
        return True

    def _probe(self) -> tuple[list[VoiceInfo], str]:
        key = str(driver_name())
        if key not in _PROBES:
            installed = _installed_software()
            found: dict[str, Any] = probe_cache.load(self.name, installed) or {}
            if not found.get("voices"):

                def collect(msg: dict[str, Any]) -> None:
                    if msg.get("type") == "voices":
                        found.update(msg)

                probe = Timeouts(self.timeouts.startup_s, 0.0)
                run_worker(self.name, {"engine": self.name, "op": "voices"}, [], probe, collect)
                if found.get("voices"):
                    probe_cache.save(self.name, installed, found)
            _PROBES[key] = _parse_probe(found)
        return _PROBES[key]


def _parse_probe(found: dict[str, Any]) -> tuple[list[VoiceInfo], str]:
    """The worker's answer (voices and version) as `_PROBES` keeps it."""
    voices = [
        VoiceInfo(
            id=v["id"],
            name=v["name"],
            languages=tuple(v["languages"]),
            aliases=tuple(v["aliases"]),
        )
        for v in found.get("voices", [])
    ]
    return voices, str(found.get("version", "pyttsx3"))


# -- worker side (runs in `python -m voicecoach.speech.worker`) --------------------------


def prepare_library() -> str:
    """Make libespeak-ng loadable for pyttsx3 on Linux; return where it came from."""
    if driver_name() != "espeak":
        return platform.platform(terse=True)
    import ctypes

    try:
        ctypes.CDLL("libespeak-ng.so.1")
        return "system espeak-ng"
    except OSError:
        pass
    try:
        import espeakng_loader
    except ImportError as exc:
        raise RuntimeError(
            "no espeak-ng library found; install espeak-ng or the espeakng-loader package"
        ) from exc
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    return "espeak-ng from espeakng-loader"


def _init() -> tuple[Any, str]:
    from importlib.metadata import PackageNotFoundError, version

    source = prepare_library()
    import pyttsx3

    engine = pyttsx3.init(driver_name())
    try:
        ver = f"pyttsx3 {version('pyttsx3')}"
    except PackageNotFoundError:  # pragma: no cover - vendored copy
        ver = "pyttsx3"
    if driver_name() == "espeak":
        from pyttsx3.drivers import _espeak

        info = _espeak.Info(None)
        espeak_ver = info.decode("utf-8", "replace") if info else "?"
        ver += f"; espeak-ng {espeak_ver} ({source})"
    else:
        ver += f"; {source}"
    return engine, ver


def _voice_entries(engine: Any) -> list[dict[str, Any]]:
    out = []
    for v in engine.getProperty("voices") or []:
        vid = str(v.id)
        langs = [
            (lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang))
            for lang in (v.languages or [])
        ]
        # espeak ids look like "gmw/en-us": also accept the last part, "en-us"
        tail = vid.rsplit("/", 1)[-1]
        aliases = [tail] if tail != vid else []
        out.append({"id": vid, "name": str(v.name or vid), "languages": langs, "aliases": aliases})
    return out


def _op_voices(request: dict[str, Any], channel: Any) -> None:
    engine, ver = _init()
    channel.send("voices", voices=_voice_entries(engine), version=ver)


def wait_for_espeak() -> None:
    """Block until espeak-ng has finished the phrase and the driver has written its file.

    In retrieval mode espeak-ng synthesizes on its own thread, and pyttsx3 2.99's espeak
    driver can return from runAndWait before that thread is done (its queued endLoop
    stops the loop early), so the WAV file would appear only later, or never if the
    process moved on. espeak_Synchronize waits for that thread.
    """
    if driver_name() != "espeak":
        return
    from pyttsx3.drivers import _espeak

    _espeak.Synchronize()


def _op_synthesize(request: dict[str, Any], channel: Any) -> None:
    engine, ver = _init()
    if request.get("voice"):
        engine.setProperty("voice", request["voice"])
    engine.setProperty("rate", int(request["native_rate"]))
    channel.send("ready", version=ver)
    suffix = ".aiff" if sys.platform == "darwin" else ".wav"

    # One rate for the whole batch: changing espeak's rate between phrases made the
    # driver write silent files.
    def synth_one(text: str, path: str) -> int:
        # One runAndWait per phrase: the espeak driver keeps a single pending file.
        # 50 phrases in a row on one engine were measured not to hang.
        engine.save_to_file(text, path)
        engine.runAndWait()
        wait_for_espeak()
        if not os.path.exists(path):
            raise RuntimeError("the engine wrote no audio file")
        return 0  # read the rate from the file itself

    synthesize_each(channel, list(request["texts"]), request["outdir"], synth_one, suffix)


WORKER_OPS = {"voices": _op_voices, "synthesize": _op_synthesize}
