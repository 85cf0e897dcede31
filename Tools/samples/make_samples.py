"""Draws Attune's sample pictures (Samples/): simple 512x512 scenes for the README's walkthrough, a mask for
one of them and a sketch condition for another. Deterministic: running it again gives the same files.

    python3 Tools/samples/make_samples.py [output directory, default Samples]

Everything here is drawn by this script (no third-party pictures).
"""
import math
import os
import sys

from PIL import Image, ImageDraw

SIZE = 512


def save(image, directory, name):
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Scenes as palette PNGs (flat colours: a few kilobytes each); masks and sketches stay 8-bit grey.
    if image.mode == "RGB":
        image = image.convert("P", palette=Image.ADAPTIVE, colors=64)
    image.save(path, optimize=True)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def red_circle():
    """A red ball on a blue ground: the first edit of the walkthrough ("a red circle" -> "a yellow circle")."""
    image = Image.new("RGB", (SIZE, SIZE), (40, 70, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((156, 156, 356, 356), fill=(210, 30, 30))
    return image


def red_circle_mask():
    """The circle's region, a little larger than the circle (white = edit here)."""
    image = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(image).ellipse((140, 140, 372, 372), fill=255)
    return image


def stick_figure():
    """A stick figure on green grass under a blue sky with a sun."""
    image = Image.new("RGB", (SIZE, SIZE), (120, 180, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 360, SIZE, SIZE), fill=(60, 150, 50))
    draw.ellipse((390, 50, 470, 130), fill=(250, 220, 60))
    ink, width = (20, 20, 20), 9
    draw.ellipse((221, 120, 291, 190), outline=ink, width=width)            # head
    draw.line((256, 190, 256, 300), fill=ink, width=width)                  # body
    draw.line((256, 220, 196, 270), fill=ink, width=width)                  # arms
    draw.line((256, 220, 316, 270), fill=ink, width=width)
    draw.line((256, 300, 206, 390), fill=ink, width=width)                  # legs
    draw.line((256, 300, 306, 390), fill=ink, width=width)
    return image


def star_points(cx, cy, outer, inner, count=5):
    points = []
    for i in range(count * 2):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / count
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def green_star():
    """A green star on a background of warm horizontal stripes."""
    image = Image.new("RGB", (SIZE, SIZE))
    draw = ImageDraw.Draw(image)
    for i, y in enumerate(range(0, SIZE, 32)):
        draw.rectangle((0, y, SIZE, y + 31), fill=(235, 200, 140) if i % 2 == 0 else (200, 120, 90))
    draw.polygon(star_points(256, 266, 190, 80), fill=(40, 160, 60))
    return image


def house_sketch():
    """A condition sketch for a T2I-Adapter (white strokes on black, as sketch adapters take them): a house
    with a door, a window and a tree beside it."""
    image = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(image)
    white, width = 255, 5
    draw.rectangle((130, 250, 350, 430), outline=white, width=width)        # walls
    draw.line((110, 260, 240, 140, 370, 260), fill=white, width=width)      # roof
    draw.rectangle((215, 340, 265, 430), outline=white, width=width)        # door
    draw.rectangle((155, 285, 205, 330), outline=white, width=width)        # window
    draw.line((430, 430, 430, 330), fill=white, width=width)                # tree trunk
    draw.ellipse((380, 230, 480, 340), outline=white, width=width)          # crown
    draw.line((20, 430, 492, 430), fill=white, width=width)                 # ground
    return image


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "Samples"
    save(red_circle(), directory, "red-circle.png")
    save(stick_figure(), directory, "stick-figure.png")
    save(green_star(), directory, "green-star.png")
    save(red_circle_mask(), directory, "masks/red-circle.png")
    save(house_sketch(), directory, "sketches/house.png")


if __name__ == "__main__":
    main()
