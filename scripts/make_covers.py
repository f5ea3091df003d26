"""Regenerate the bundled cover art in audio_assets/covers/.

One PNG per built-in routine (its title on a plain, legible design) and a generic
one for the user's own routines. Needs Pillow (in the dev group):

    uv run python scripts/make_covers.py
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from voicecoach.routine.builtins import list_builtin_routines

OUT = Path(__file__).resolve().parents[1] / "audio_assets" / "covers"
SIZE = 1400  # the smallest square Apple Podcasts accepts; a palette PNG stays small
S = SIZE / 600  # the layout below is drawn for 600 px
INK = (255, 255, 255)
# Dark, calm backgrounds with white text well above a 7:1 contrast ratio.
BACKGROUNDS = [(22, 78, 99), (49, 46, 129), (20, 83, 45), (124, 45, 18), (55, 65, 81)]


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def draw_cover(title: str, background: tuple[int, int, int], path: Path) -> None:
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    margin = round(48 * S)
    draw.rectangle(
        (margin, margin, margin + round(90 * S), margin + round(10 * S)), fill=INK
    )  # a plain accent bar
    big = font(round(64 * S))
    lines = textwrap.wrap(title, width=14)[:4]
    y = SIZE // 2 - round(len(lines) * 40 * S)
    for line in lines:
        draw.text((margin, y), line, font=big, fill=INK)
        y += round(80 * S)
    draw.text(
        (margin, SIZE - margin - round(32 * S)), "voicecoach", font=font(round(32 * S)), fill=INK
    )
    # Few colours: a palette PNG is a few kilobytes.
    image.quantize(colors=16).save(path, optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw_cover("Guided session", BACKGROUNDS[-1], OUT / "generic.png")
    for i, routine in enumerate(list_builtin_routines()):
        draw_cover(
            routine.title, BACKGROUNDS[i % (len(BACKGROUNDS) - 1)], OUT / f"{routine.name}.png"
        )
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
