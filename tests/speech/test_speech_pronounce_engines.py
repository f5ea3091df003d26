""" "90/90" reaches both engines as "ninety-ninety", never with "slash".

Both engines turn text into sounds through espeak-ng's English rules, and both expose
that step: piper phonemizes with its bundled espeak-ng (what the Joe model is given),
pyttsx3's espeak driver speaks what libespeak-ng's espeak_TextToPhonemes returns. The
phrases are the ones a session with the 90/90 hip switch sends to the engine
(`Script.spoken`). The raw written text is the control: the same check hears "slash"
in it, so a pass is not the check seeing nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from voicecoach.planning.personalize import personalize
from voicecoach.planning.script import build_script
from voicecoach.routine.loader import load_routine
from voicecoach.speech.piper_engine import available as piper_available

SLASH = "slˈæʃ"  # espeak-ng's phonemes for the word "slash"
ROUTINE = (
    "version: 1\nname: Hips\nintro: Today the 90/90 hip switch, slowly.\n"
    "exercises:\n  - use: ninety-ninety-hip-switch\n    sets: 1\n"
)

# Run in a child: loading libespeak-ng and setting ESPEAK_DATA_PATH stay out of pytest.
ESPEAK_PHONEMES = """
import ctypes, json, sys
from voicecoach.speech.pyttsx3_engine import DEFAULT_VOICE, prepare_library
prepare_library()
from pyttsx3.drivers import _espeak
_espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 500, None, 0)
to_phonemes = _espeak.dll.espeak_TextToPhonemes
to_phonemes.restype = ctypes.c_char_p
to_phonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
assert _espeak.dll.espeak_SetVoiceByName(DEFAULT_VOICE.encode()) == 0
out = []
for text in json.loads(sys.stdin.read()):
    pointer = ctypes.pointer(ctypes.c_char_p(text.encode()))
    parts = []
    while pointer.contents.value:
        parts.append(to_phonemes(pointer, 1, 2).decode())  # 2: IPA
    out.append(" ".join(parts))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def said(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    path = tmp_path_factory.mktemp("pronounce") / "hips.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    script = build_script(personalize(load_routine(path)).routine)
    pairs = [(text, script.spoken(text)) for text in script.phrases() if "90/90" in text]
    assert len(pairs) >= 2, script.phrases()  # the intro and the exercise's own lines
    return pairs


def espeak_phonemes(texts: list[str]) -> list[str]:
    import json

    pytest.importorskip("pyttsx3")
    done = subprocess.run(
        [sys.executable, "-c", ESPEAK_PHONEMES],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent,
    )
    if done.returncode != 0 and "no espeak-ng library" in done.stderr:
        pytest.skip("no espeak-ng library")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def piper_phonemes(texts: list[str]) -> list[str]:
    if not piper_available():
        pytest.skip("piper not installed")
    from piper.phonemize_espeak import ESPEAK_DATA_DIR, EspeakPhonemizer

    phonemizer = EspeakPhonemizer(ESPEAK_DATA_DIR)
    # the Joe model's config names espeak voice en-us
    return [" ".join("".join(s) for s in phonemizer.phonemize("en-us", text)) for text in texts]


@pytest.mark.parametrize("phonemes", [espeak_phonemes, piper_phonemes], ids=["pyttsx3", "piper"])
def test_ninety_ninety_is_not_read_with_slash(said, phonemes) -> None:
    written = [w for w, _ in said]
    spoken = [s for _, s in said]
    assert all("90/90" not in s and "ninety-ninety" in s for s in spoken), spoken
    heard = phonemes(written + spoken)
    raw, pronounced = heard[: len(written)], heard[len(written) :]
    assert all(SLASH in p for p in raw), raw  # the control: the check hears "slash"
    assert not any(SLASH in p for p in pronounced), list(zip(spoken, pronounced, strict=True))
    assert all("nˈaɪntinˈaɪnti" in p for p in pronounced), pronounced
