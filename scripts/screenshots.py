"""Regenerate docs/img/: the session page on a phone (and a laptop) and the timeline
picture of low-back-reset, shown in the README.

    uv run python scripts/screenshots.py [--engine fake] [--out docs/img]

Needs the Debian `chromium` package (or VOICECOACH_CHROMIUM=/path/to/chromium) and the
dev dependency `playwright`. The page is rendered with the fake engine by default (fast;
the layout is the same with a real voice); the SVG is `voicecoach plan --svg`'s estimate.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from voicecoach.page.chromium import CHROMIUM_ARGS, MISSING, find_chromium
from voicecoach.page.make import write_plan_svg
from voicecoach.pipeline import RenderOptions, VoiceChoice, plan_routine, render
from voicecoach.planning.plan_output import timeline_to_json
from voicecoach.routine.loader import load_routine

ROUTINE = "low-back-reset"


def _moment(timeline: dict) -> float:
    """A glanceable moment: a coaching line said during the first set counted in reps."""
    for event in timeline["events"]:
        if event["kind"] == "cue" and (event["rep"] or 0) >= 3:
            return (event["start_ms"] + 500) / 1000
    return timeline["total_ms"] / 3000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="fake")
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        print(f"error: {MISSING}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    svg = args.out / f"{ROUTINE}-timeline.svg"
    write_plan_svg(svg, timeline_to_json(plan_routine(load_routine(ROUTINE))), ROUTINE)
    print(f"wrote {svg}")
    with tempfile.TemporaryDirectory() as tmp:
        audio = Path(tmp) / "warmup.mp3"
        options = RenderOptions(voice=VoiceChoice(engine=args.engine), transcripts=(), page=True)
        render(ROUTINE, audio, options)
        sidecar = json.loads(audio.with_name("warmup.timeline.json").read_text("utf-8"))
        at = _moment(sidecar["timeline"])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
            for name, size in (("phone", (390, 844)), ("laptop", (1280, 800))):
                page = browser.new_page(
                    viewport={"width": size[0], "height": size[1]},
                    color_scheme="dark",
                    device_scale_factor=1,
                )
                page.goto(audio.with_suffix(".html").as_uri())
                page.evaluate(
                    """t => new Promise(done => { const a = document.getElementById('audio');
                    a.addEventListener('seeked', () => requestAnimationFrame(() => done()),
                    {once: true}); a.currentTime = t; })""",
                    at,
                )
                shot = args.out / f"session-page-{name}.png"
                page.screenshot(path=str(shot))
                print(f"wrote {shot}")
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
