"""The one way a long run reports how far it has got.

A `Progress` is called as ``progress(stage, done, total)``: ``stage`` names the
work ("speech" while synthesizing, "measure" and "encode" while mixing,
"outputs" in a batch), ``done`` of ``total`` units of it are finished. A stage
whose ``done`` starts over (speech again after an engine fell back) is a new
pass; a ``total`` may grow (a further round of phrases). The CLI's progress bar,
the batch runner and any caller of `voicecoach.render` implement it.

The engines' per-phrase counter (`voicecoach.speech.base.Progress`) and the
master's per-block sample counter are counters inside one stage; the pipeline
turns them into a `Progress` call.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """``progress("speech", 12, 40)``: 12 of the 40 units of the speech stage are done."""

    def __call__(self, stage: str, done: int, total: int, /) -> None: ...
