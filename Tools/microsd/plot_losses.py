"""Draws the training loss curves (runs/*/losses.jsonl) into one PNG, with PIL only (no matplotlib here).

Two panels: the VAE's reconstruction PSNR (dB, higher is better) and the UNet's Min-SNR-weighted epsilon loss
(lower is better), each against training steps; raw values in light grey, a moving average in colour.
Usage: python3 plot_losses.py [--output docs/attune-micro-sd-losses.png]
"""

import argparse
import json
import os

from PIL import Image, ImageDraw

import training

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PANEL_W, PANEL_H, MARGIN = 560, 300, 48


def read_log(stage):
    with open(os.path.join(training.stage_dir(stage), "losses.jsonl")) as f:
        return [json.loads(line) for line in f]


def moving_average(values, window):
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def panel(draw, origin, title, steps, values, colour, low, high):
    ox, oy = origin
    x0, y0, x1, y1 = ox + MARGIN, oy + 24, ox + PANEL_W - 12, oy + PANEL_H - 28
    draw.rectangle([x0, y0, x1, y1], outline=(0, 0, 0))
    draw.text((x0, oy + 6), title, fill=(0, 0, 0))
    last = max(steps[-1], 1)

    def point(step, value):
        t = (min(max(value, low), high) - low) / (high - low)
        return x0 + (x1 - x0) * step / last, y1 - (y1 - y0) * t

    for k in range(5):
        value = low + (high - low) * k / 4
        _, y = point(0, value)
        draw.line([x0 - 4, y, x0, y], fill=(0, 0, 0))
        draw.text((ox + 4, y - 6), f"{value:.3g}", fill=(0, 0, 0))
    for k in range(5):
        step = last * k / 4
        x, _ = point(step, low)
        draw.line([x, y1, x, y1 + 4], fill=(0, 0, 0))
        draw.text((x - 12, y1 + 8), f"{int(step)}", fill=(0, 0, 0))
    draw.line([point(s, v) for s, v in zip(steps, values)], fill=(200, 200, 200))
    draw.line([point(s, v) for s, v in zip(steps, moving_average(values, max(5, len(values) // 50)))], fill=colour,
              width=2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default=os.path.join(ROOT, "docs", "attune-micro-sd-losses.png"))
    args = parser.parse_args()
    vae, unet = read_log("vae"), read_log("unet")
    image = Image.new("RGB", (PANEL_W * 2, PANEL_H), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    psnr = [r["psnr"] for r in vae]
    panel(draw, (0, 0), "VAE reconstruction PSNR (dB) vs step", [r["step"] for r in vae], psnr, (200, 60, 40),
          min(psnr), max(psnr))
    loss = [r["loss"] for r in unet]
    ordered = sorted(loss)
    panel(draw, (PANEL_W, 0), "UNet Min-SNR-5 epsilon loss vs step", [r["step"] for r in unet], loss, (40, 90, 200),
          ordered[0], ordered[int(len(ordered) * 0.99) - 1])
    image.save(args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
