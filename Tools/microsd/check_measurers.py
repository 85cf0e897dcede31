"""Validates the measurers (measure.py) on generator output, where the truth is known.

For single objects on solid and gradient backgrounds (the backgrounds the measurers model) it reports the
colour and shape accuracy, the mean and worst IoU of the object mask against the true mask, the shape-feature
ranges per shape, and for two/three-object scenes the component count. Optionally writes every rendered image
as a PNG with the truth in a JSON file (--export DIR), which the Swift measurer tests read.
Usage: python3 check_measurers.py [--scenes 400] [--export DIR]
"""

import argparse
import json
import os
from collections import defaultdict

import numpy as np
from PIL import Image

import measure
import render
import scenes

FIRST_SEED = 900_000  # apart from the training seeds and the quality tests' seeds


def evaluate(count, background_kind):
    rows = []
    for seed in range(FIRST_SEED, FIRST_SEED + count):
        scene = scenes.sample_scene(seed, kind="single", background_kind=background_kind)
        image, masks = render.render(scene)
        parts = measure.object_components(image)
        mask = parts[0] if parts else np.zeros(image.shape[:2], bool)
        obj = scene.objects[0]
        rows.append({"seed": seed, "shape": obj.shape, "colour": obj.colour,
                     "measured_shape": measure.classify_shape(measure.shape_features(mask)),
                     "measured_colour": measure.dominant_colour(image, mask), "iou": measure.iou(mask, masks[0]),
                     "features": measure.shape_features(masks[0]), "image": image, "caption": scene.caption})
    return rows


def report(name, rows):
    colour = np.mean([r["colour"] == r["measured_colour"] for r in rows])
    shape = np.mean([r["shape"] == r["measured_shape"] for r in rows])
    ious = [r["iou"] for r in rows]
    print(f"{name}: {len(rows)} scenes  colour {colour:.1%}  shape {shape:.1%}  mask IoU mean {np.mean(ious):.3f} "
          f"min {np.min(ious):.3f}")
    misses = [(r["seed"], r["colour"], r["measured_colour"], r["shape"], r["measured_shape"]) for r in rows
              if r["colour"] != r["measured_colour"] or r["shape"] != r["measured_shape"]]
    for miss in misses[:8]:
        print("  miss (seed, colour, measured, shape, measured):", miss)


def feature_ranges(rows):
    by_shape = defaultdict(list)
    for r in rows:
        by_shape[r["shape"]].append(r["features"])
    for shape, values in sorted(by_shape.items()):
        a = np.array(values)
        print(f"  {shape:9s} extent {a[:, 0].min():.2f}-{a[:, 0].max():.2f}  solidity {a[:, 1].min():.2f}-"
              f"{a[:, 1].max():.2f}  holes {a[:, 2].min():.2f}-{a[:, 2].max():.2f}  lobes {a[:, 3].min():.0f}-"
              f"{a[:, 3].max():.0f}  mass {a[:, 4].min():.2f}-{a[:, 4].max():.2f}")


def count_accuracy(count):
    right = 0
    for seed in range(FIRST_SEED, FIRST_SEED + count):
        scene = scenes.sample_scene(seed, kind="count", background_kind="solid")
        image, _ = render.render(scene)
        right += len(measure.object_components(image)) == len(scene.objects)
    print(f"count (solid backgrounds): {right}/{count} = {right / count:.1%}")


def export(rows, directory):
    """PNGs plus truth.json: [{file, caption, shape, colour}] for the Swift measurer tests."""
    os.makedirs(directory, exist_ok=True)
    truth = []
    for r in rows:
        name = f"scene-{r['seed']}.png"
        Image.fromarray(r["image"]).save(os.path.join(directory, name))
        truth.append({"file": name, "caption": r["caption"], "shape": r["shape"], "colour": r["colour"]})
    with open(os.path.join(directory, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=400)
    parser.add_argument("--export", help="folder for PNGs + truth.json of the solid-background scenes")
    args = parser.parse_args()
    solid = evaluate(args.scenes, "solid")
    report("solid backgrounds", solid)
    feature_ranges(solid)
    report("gradient backgrounds", evaluate(args.scenes // 2, "gradient"))
    count_accuracy(args.scenes // 4)
    if args.export:
        export(solid, args.export)


if __name__ == "__main__":
    main()
