"""The progress bar a render shows on stderr."""

from __future__ import annotations

import sys
from typing import Any, ClassVar

import click


class ProgressBar:
    """One line on stderr per stage: `speech 12/40`, `mix 3:10/14:00`."""

    LABELS: ClassVar[dict[str, str]] = {
        "speech": "synthesizing speech",
        "measure": "measuring loudness",
        "encode": "mixing and encoding",
        "outputs": "rendering outputs",
    }

    def __init__(self) -> None:
        self._stage: str | None = None
        self._bar: Any = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        # A stage whose count starts over (speech after the engine fell back) gets a new
        # bar; one whose total grows (a further round of phrases) a longer one.
        if stage != self._stage or done < self._done:
            self.close()
            self._stage = stage
            self._bar = click.progressbar(
                length=max(total, 1), label=self.LABELS.get(stage, stage), file=sys.stderr
            )
            self._bar.__enter__()
            self._done = 0
        if total > self._bar.length:
            self._bar.length = total
        step = done - self._done
        if step > 0:
            self._bar.update(step)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
