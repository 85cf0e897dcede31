"""Writes the scene fixtures of the Swift quality tests to Tests/AttuneQualityTests/Scenes/.

- measure/: single objects on solid backgrounds, MEASURE_PER_SHAPE per shape, with truth.json (caption, shape,
  colour, true-mask file) and each true mask as a PNG: the Swift measurers are validated on them.
- mcactrl/: MCA-Ctrl's inputs: background-only pictures (the condition), subject pictures with their masks,
  and the edit region (a centred square) as a mask.
Deterministic: seeds and scenes are fixed here. Usage: python3 make_quality_fixtures.py
"""

import json
import os
import random

import numpy as np
from PIL import Image

import render
import scenes
import world

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Tests", "AttuneQualityTests", "Scenes")
MEASURE_PER_SHAPE = 10
FIRST_SEED = 700_000  # apart from training (>= 10M), check_measurers.py (900k) and the tests' seeds
SIZE = 128
REGION = (36, 36, 92, 92)  # x0, y0, x1, y1 of the MCA-Ctrl edit region

# (file stem, background) of the MCA-Ctrl conditions; (file stem, shape, colour) of its subjects.
CONDITIONS = [("grass-sky", scenes.Background("grass_sky", ["blue", "green"], [world.COLOURS["blue"],
                                                                               world.COLOURS["green"]], horizon=0.66)),
              ("gray", scenes.Background("solid", ["gray"], [world.COLOURS["gray"]]))]
SUBJECTS = [("red-star", "star", "red"), ("yellow-heart", "heart", "yellow"), ("orange-circle", "circle", "orange")]


def save_png(array, path):
    Image.fromarray(array).save(path, optimize=True)


def measure_scenes():
    directory = os.path.join(OUT, "measure")
    os.makedirs(directory, exist_ok=True)
    truth, counts, seed = [], {s: 0 for s in world.SHAPES}, FIRST_SEED
    while min(counts.values()) < MEASURE_PER_SHAPE:
        scene = scenes.sample_scene(seed, kind="single", background_kind="solid")
        obj = scene.objects[0]
        if counts[obj.shape] < MEASURE_PER_SHAPE:
            counts[obj.shape] += 1
            image, masks = render.render(scene, SIZE)
            save_png(image, os.path.join(directory, f"scene-{seed}.png"))
            save_png((masks[0] * 255).astype(np.uint8), os.path.join(directory, f"scene-{seed}-mask.png"))
            truth.append({"file": f"scene-{seed}.png", "mask": f"scene-{seed}-mask.png", "caption": scene.caption,
                          "shape": obj.shape, "colour": obj.colour})
        seed += 1
    with open(os.path.join(directory, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")


def mcactrl_inputs():
    directory = os.path.join(OUT, "mcactrl")
    os.makedirs(directory, exist_ok=True)
    for stem, background in CONDITIONS:
        image, _ = render.render(scenes.Scene(0, "single", [], background, ""), SIZE)
        save_png(image, os.path.join(directory, f"condition-{stem}.png"))
    rng = random.Random(1)
    for stem, shape, colour in SUBJECTS:
        obj = scenes.SceneObject(shape, colour, world.COLOURS[colour], "large", (0.5, 0.5), 0.5)
        background = scenes.Background("solid", ["white"], [world.COLOURS["white"]])
        image, masks = render.render(scenes.Scene(rng.randrange(1 << 30), "single", [obj], background, ""), SIZE)
        save_png(image, os.path.join(directory, f"subject-{stem}.png"))
        save_png((masks[0] * 255).astype(np.uint8), os.path.join(directory, f"subject-{stem}-mask.png"))
    region = np.zeros((SIZE, SIZE), np.uint8)
    x0, y0, x1, y1 = REGION
    region[y0:y1, x0:x1] = 255
    save_png(region, os.path.join(directory, "region-center.png"))


def main():
    measure_scenes()
    mcactrl_inputs()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
