"""Writes the embedded model's sample sources to Samples/scenes/: 128x128 pictures of its world, drawn by
render.py, each with a mask of its object grown by MASK_GROWTH pixels (white = the region an edit may change),
an empty grass-and-sky background and a centred region for MCA-Ctrl's subject addition. The demo session
(Samples/demo.toml), the README's gallery and the workbench's picker use them.
Deterministic. Usage: python3 make_samples.py
"""

import os

import numpy as np
from PIL import Image, ImageFilter

import render
import scenes
import world

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Samples", "scenes")
SIZE = 128
MASK_GROWTH = 4
REGION = (36, 36, 92, 92)  # x0, y0, x1, y1 of the MCA-Ctrl region, as in the quality tests


def solid(colour):
    return scenes.Background("solid", [colour], [world.COLOURS[colour]])


GRASS_SKY = scenes.Background("grass_sky", ["blue", "green"], [world.COLOURS["blue"], world.COLOURS["green"]], horizon=0.66)

# (file stem, object, background): one object each, centred, as the captions "a <colour> <shape> ..." describe.
SAMPLES = [
    ("red-circle", scenes.SceneObject("circle", "red", world.COLOURS["red"], "large", (0.5, 0.5), 0.5), solid("white")),
    ("yellow-star", scenes.SceneObject("star", "yellow", world.COLOURS["yellow"], "large", (0.5, 0.5), 0.5), solid("blue")),
    ("orange-square", scenes.SceneObject("square", "orange", world.COLOURS["orange"], "medium", (0.5, 0.55), 0.4), GRASS_SKY),
    ("black-figure", scenes.SceneObject("stick figure", "black", world.COLOURS["black"], "medium", (0.5, 0.5), 0.6,
                                        "standing"), solid("white")),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for stem, obj, background in SAMPLES:
        image, masks = render.render(scenes.Scene(0, "single", [obj], background, ""), SIZE)
        Image.fromarray(image).save(os.path.join(OUT, f"{stem}.png"), optimize=True)
        mask = Image.fromarray((masks[0] > 0.5).astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(2 * MASK_GROWTH + 1))
        mask.save(os.path.join(OUT, f"{stem}-mask.png"), optimize=True)
    background, _ = render.render(scenes.Scene(0, "single", [], GRASS_SKY, ""), SIZE)
    Image.fromarray(background).save(os.path.join(OUT, "grass-sky.png"), optimize=True)
    region = np.zeros((SIZE, SIZE), np.uint8)
    x0, y0, x1, y1 = REGION
    region[y0:y1, x0:x1] = 255
    Image.fromarray(region).save(os.path.join(OUT, "region-center.png"), optimize=True)
    print(f"wrote {len(SAMPLES)} scenes with masks, a background and a region to {OUT}")


if __name__ == "__main__":
    main()
