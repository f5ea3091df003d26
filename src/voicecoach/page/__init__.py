"""The session page: one self-contained HTML companion for a rendered session.

- `timeline_svg`: the picture of a session (work/rest blocks, side switches, speech);
- `build_page`: the HTML page (inline CSS, JS, data and picture; audio by name or inline);
- `sidecar`: the render's own timeline, kept beside the audio with hashes, so a page
  is always built from the timeline of that render, never from a second planning.
"""

from voicecoach.page.html import build_page
from voicecoach.page.sidecar import SIDECAR_SUFFIX, exercise_facts, session_record
from voicecoach.page.svg import timeline_svg

__all__ = ["SIDECAR_SUFFIX", "build_page", "exercise_facts", "session_record", "timeline_svg"]
