"""How the page's tests and `scripts/screenshots.py` start headless Chromium.

The Debian `chromium` package (or VOICECOACH_CHROMIUM), driven by playwright through
`executable_path`; never a downloaded browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
)
MISSING = (
    "Chromium not found (/usr/bin/chromium, $VOICECOACH_CHROMIUM or chromium on PATH): "
    "install the Debian package (apt-get install chromium)"
)


def find_chromium() -> str | None:
    """$VOICECOACH_CHROMIUM when set, else /usr/bin/chromium, else chromium on PATH."""
    chosen = os.environ.get("VOICECOACH_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    default = Path("/usr/bin/chromium")
    return str(default) if default.is_file() else shutil.which("chromium")
