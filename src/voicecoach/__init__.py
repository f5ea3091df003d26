"""voicecoach: compile a workout routine in YAML into a voice-guided audio session."""

from __future__ import annotations

__version__ = "0.1.0"
