"""Shared helpers for render tests: a short routine, and WAV reading/writing."""

from __future__ import annotations

from tests.wavfiles import read_wav, write_wav

__all__ = ["SHORT_ROUTINE", "read_wav", "write_wav"]

SHORT_ROUTINE = """\
name: Test session
description: A short session for render tests.
intro: Hello there. This is a test.
outro: That is all for now.
sound: {background: none, chimes: false}
exercises:
  - name: Bridge
    reps: 3
    tempo: 1-1-1
    sets: 2
    rest: 8s
    rest_after: 8s
  - name: Plank
    hold: 8s
"""
