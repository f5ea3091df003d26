"""The picture of a session as SVG: work and rest blocks, side switches, speech density.

Pure: the stable timeline JSON (`plan_output.timeline_to_json`) in, SVG text out.
The same picture is inline in the session page (with a play position) and written
by `voicecoach plan ROUTINE --svg FILE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from voicecoach.text import clock

WIDTH = 1000
PAD = 12
TITLE_Y = 22
LABEL_Y = (46, 62)  # two label rows, staggered so neighbours don't collide
BLOCK_Y, BLOCK_H = 72, 44
SPEECH_Y, SPEECH_H = 130, 12
AXIS_Y = 158
HEIGHT = 176
BINS = 200

# Dark blocks with light text on a dark background: every pair is over WCAG AA 4.5:1.
BACKGROUND = "#0f172a"
TEXT = "#f1f5f9"
MUTED = "#cbd5e1"
PALETTE = (
    "#2563eb",
    "#059669",
    "#d97706",
    "#db2777",
    "#7c3aed",
    "#0891b2",
    "#65a30d",
    "#dc2626",
    "#9333ea",
    "#ea580c",
)
SPEECH = "#facc15"


def exercise_colours(events: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """One colour per exercise, in order of first appearance (the page uses the same)."""
    colours: dict[str, str] = {}
    for event in events:
        name = event.get("exercise")
        if event["kind"] in ("work", "rest") and name and name not in colours:
            colours[name] = PALETTE[len(colours) % len(PALETTE)]
    return colours


def _x(ms: int, total: int) -> float:
    return round(PAD + (WIDTH - 2 * PAD) * ms / max(total, 1), 2)


def _fit(text: str, width_px: float, char_px: float = 6.6) -> str:
    room = int(width_px / char_px)
    if room >= len(text):
        return text
    return text[: max(room - 1, 0)] + "…" if room > 1 else ""


def _speech_bins(events: Sequence[Mapping[str, Any]], total: int) -> list[float]:
    """Fraction of each bin covered by spoken events."""
    bins = [0.0] * BINS
    size = max(total, 1) / BINS
    for e in events:
        if e["kind"] not in ("speech", "cue", "count") or not e.get("text"):
            continue
        start, end = e["start_ms"], e["end_ms"]
        first, last = int(start // size), min(int((end - 1) // size), BINS - 1)
        for b in range(first, last + 1):
            lo, hi = max(start, b * size), min(end, (b + 1) * size)
            if hi > lo:
                bins[b] += (hi - lo) / size
    return [min(v, 1.0) for v in bins]


def timeline_svg(timeline: Mapping[str, Any], estimated: bool, *, playhead: bool = False) -> str:
    """The session as an SVG picture; `estimated` labels the lengths as estimates."""
    total = int(timeline["total_ms"])
    events = timeline["events"]
    out = _header(str(timeline["title"]), total, estimated)
    out += _blocks(events, total)
    out += _chapter_labels(timeline["chapters"], total)
    out += _side_switches(events, total)
    out += _speech_strip(events, total)
    out += _time_axis(total)
    out.append(
        f'<text x="{WIDTH - PAD}" y="{SPEECH_Y - 3}" fill="{MUTED}" font-size="10" '
        f'text-anchor="end" font-family="system-ui, sans-serif">speech</text>'
    )
    if playhead:
        out.append(
            f'<line id="vc-playhead" x1="{PAD}" x2="{PAD}" y1="{LABEL_Y[0] + 6}" '
            f'y2="{SPEECH_Y + SPEECH_H + 2}" stroke="{TEXT}" stroke-width="3"/>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _header(title: str, total: int, estimated: bool) -> list[str]:
    note = "estimated lengths (plan)" if estimated else "lengths as rendered"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="vc-timeline" role="img" aria-labelledby="vc-svg-title">',
        f'<title id="vc-svg-title">Timeline of {escape(title)}, '
        f"{clock(total, millis=False)}, {escape(note)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="10" fill="{BACKGROUND}"/>',
        f'<text x="{PAD}" y="{TITLE_Y}" fill="{TEXT}" font-size="15" font-weight="700" '
        f'font-family="system-ui, sans-serif">{escape(title)} · '
        f"{clock(total, millis=False)}</text>",
        f'<text x="{WIDTH - PAD}" y="{TITLE_Y}" fill="{MUTED if not estimated else SPEECH}" '
        f'font-size="13" text-anchor="end" font-family="system-ui, sans-serif">'
        f"{'ESTIMATE: ' if estimated else ''}{escape(note)}</text>",
    ]


def _blocks(events: Sequence[Mapping[str, Any]], total: int) -> list[str]:
    """Work solid, rest a darker band of the same colour."""
    colours = exercise_colours(events)
    out = []
    for e in events:
        if e["kind"] not in ("work", "rest"):
            continue
        x0, x1 = _x(e["start_ms"], total), _x(e["end_ms"], total)
        colour = colours.get(e.get("exercise") or "", "#475569")
        what = e["kind"]
        label = " ".join(str(v) for v in (e.get("exercise") or "", e.get("side") or "") if v)
        tip = f"{what} {clock(e['start_ms'], millis=False)}: {label}"
        if what == "work":
            out.append(
                f'<rect x="{x0}" y="{BLOCK_Y}" width="{max(x1 - x0, 0.5):.2f}" '
                f'height="{BLOCK_H}" fill="{colour}" class="vc-work">'
                f"<title>{escape(tip)}</title></rect>"
            )
        else:
            out.append(
                f'<rect x="{x0}" y="{BLOCK_Y + BLOCK_H * 0.35:.2f}" '
                f'width="{max(x1 - x0, 0.5):.2f}" height="{BLOCK_H * 0.3:.2f}" '
                f'fill="{colour}" fill-opacity="0.45" class="vc-rest">'
                f"<title>{escape(tip)}</title></rect>"
            )
    return out


def _chapter_labels(chapters: Sequence[Mapping[str, Any]], total: int) -> list[str]:
    """Each chapter's name above its first block, on alternating rows."""
    out = []
    for i, chapter in enumerate(chapters):
        x0 = _x(chapter["start_ms"], total)
        row = LABEL_Y[i % 2]
        # room up to the next label on the same row
        limit = _x(chapters[i + 2]["start_ms"], total) if i + 2 < len(chapters) else WIDTH - PAD
        text = _fit(str(chapter["title"]), limit - x0 - 8)
        out.append(
            f'<line x1="{x0}" x2="{x0}" y1="{row + 3}" y2="{BLOCK_Y + BLOCK_H}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-opacity="0.6"/>'
        )
        if text:
            out.append(
                f'<text x="{x0 + 3}" y="{row}" fill="{TEXT}" font-size="11.5" '
                f'font-family="system-ui, sans-serif">{escape(text)}</text>'
            )
    return out


def _side_switches(events: Sequence[Mapping[str, Any]], total: int) -> list[str]:
    """A marker with the new side's letter where the side changes."""
    out = []
    last_side: tuple[str | None, str | None] | None = None
    for e in events:
        if e["kind"] != "work":
            continue
        key = (e.get("exercise"), e.get("side"))
        if e.get("side") and last_side and last_side[0] == key[0] and last_side[1] != key[1]:
            x = _x(e["start_ms"], total)
            out.append(
                f'<g class="vc-switch"><title>switch to the {escape(e["side"])} side</title>'
                f'<path d="M{x - 6},{BLOCK_Y - 2} L{x + 6},{BLOCK_Y - 2} L{x},{BLOCK_Y + 8} Z" '
                f'fill="{TEXT}"/><text x="{x}" y="{BLOCK_Y + BLOCK_H - 6}" fill="{TEXT}" '
                f'font-size="12" font-weight="700" text-anchor="middle" '
                f'font-family="system-ui, sans-serif">{escape(e["side"][0].upper())}</text></g>'
            )
        last_side = key
    return out


def _speech_strip(events: Sequence[Mapping[str, Any]], total: int) -> list[str]:
    """Speech density: one bar per bin, more opaque the more of it is speech."""
    size = (WIDTH - 2 * PAD) / BINS
    return [
        f'<rect x="{PAD + b * size:.2f}" y="{SPEECH_Y}" width="{size + 0.2:.2f}" '
        f'height="{SPEECH_H}" fill="{SPEECH}" fill-opacity="{0.15 + 0.85 * value:.2f}"/>'
        for b, value in enumerate(_speech_bins(events, total))
        if value > 0
    ]


def _time_axis(total: int) -> list[str]:
    """A tick every minute (every 5 for long sessions), labelled every one or two."""
    out = []
    step = 60_000 if total <= 20 * 60_000 else 300_000
    for ms in range(0, total + 1, step):
        x = _x(ms, total)
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{AXIS_Y - 8}" y2="{AXIS_Y - 3}" stroke="{MUTED}"/>'
        )
        if ms % (step * (2 if total > 10 * step else 1)) == 0:
            anchor = "start" if ms == 0 else "middle"
            out.append(
                f'<text x="{x}" y="{AXIS_Y + 10}" fill="{MUTED}" font-size="11" '
                f'text-anchor="{anchor}" font-family="system-ui, sans-serif">'
                f"{clock(ms, millis=False)}</text>"
            )
    return out
