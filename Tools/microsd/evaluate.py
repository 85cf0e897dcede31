"""Evaluates a UNet checkpoint during or after training: DDIM samples of evaluation prompts, a PNG grid, and the
measured prompt-following (colour and shape accuracy, by measure.py).

The prompts pair every shape with colours on solid backgrounds, as the Swift quality tests do.
Usage: python3 evaluate.py [--checkpoint runs/unet/checkpoint.pt] [--seeds 2] [--grid out.png]
"""

import argparse
import os

import numpy as np
import torch
from diffusers import DDIMScheduler
from PIL import Image

import encode_latents
import measure
import models
import tokens
import training
import world

# (colour, shape, background colour)
EVAL_CASES = [("red", "circle", "white"), ("blue", "square", "yellow"), ("green", "triangle", "white"),
              ("yellow", "star", "blue"), ("purple", "ring", "white"), ("orange", "cross", "blue"),
              ("pink", "heart", "green"), ("black", "circle", "orange"), ("white", "star", "purple"),
              ("red", "square", "gray"), ("blue", "heart", "white"), ("green", "ring", "pink"),
              ("yellow", "triangle", "black"), ("purple", "cross", "yellow")]


def prompt(colour, shape, background):
    return f"{world.article(colour)} {colour} {shape} on {world.article(background)} {background} background"


def load_networks(checkpoint_path):
    """(unet, text encoder, vae, scaling factor) with the checkpoint's EMA weights."""
    saved = torch.load(checkpoint_path, weights_only=False)
    unet, text_encoder = models.build_unet(), models.build_text_encoder_for(saved["vocabulary"])
    networks = torch.nn.ModuleDict({"unet": unet, "text_encoder": text_encoder})
    networks.load_state_dict(saved["ema"])
    return unet.eval(), text_encoder.eval(), encode_latents.load_vae(), saved["scaling_factor"]


@torch.no_grad()
def sample(unet, text_encoder, vae, scaling, tokenizer, prompts, seeds, steps=20, guidance=7.5):
    """uint8 images [len(prompts) * len(seeds), 128, 128, 3], prompt-major; x_T from torch.randn(seed)."""
    scheduler = DDIMScheduler(**models.SCHEDULER_CONFIG)
    scheduler.set_timesteps(steps)
    rows = [(p, s) for p in prompts for s in seeds]
    context = text_encoder(tokens.token_ids(tokenizer, [p for p, _ in rows])).last_hidden_state
    empty = text_encoder(tokens.token_ids(tokenizer, [""])).last_hidden_state.expand_as(context)
    x = torch.cat([torch.randn(1, 4, models.LATENT_SIZE, models.LATENT_SIZE, generator=torch.Generator().manual_seed(s))
                   for _, s in rows])
    for t in scheduler.timesteps:
        eps = unet(torch.cat([x, x]), t, encoder_hidden_states=torch.cat([empty, context])).sample
        uncond, cond = eps.chunk(2)
        x = scheduler.step(uncond + guidance * (cond - uncond), t, x).prev_sample
    images = vae.decode(x / scaling).sample.clamp(-1, 1)
    return ((images + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=os.path.join(training.stage_dir("unet"), "checkpoint.pt"))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--guidance", type=float, default=7.5)
    parser.add_argument("--grid", default=os.path.join(training.stage_dir("unet"), "samples.png"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    unet, text_encoder, vae, scaling = load_networks(args.checkpoint)
    tokenizer = tokens.load_tokenizer()
    seeds = list(range(args.seeds))
    images = sample(unet, text_encoder, vae, scaling, tokenizer, [prompt(*c) for c in EVAL_CASES], seeds,
                    args.steps, args.guidance)
    colour_hits = shape_hits = 0
    for i, (colour, shape, _) in enumerate(c for c in EVAL_CASES for _ in seeds):
        parts = measure.object_components(images[i])
        mask = parts[0] if parts else np.zeros(images[i].shape[:2], bool)
        colour_hits += measure.dominant_colour(images[i], mask) == colour
        shape_hits += measure.classify_shape(measure.shape_features(mask)) == shape
    n = len(images)
    print(f"colour {colour_hits}/{n} = {colour_hits / n:.0%}, shape {shape_hits}/{n} = {shape_hits / n:.0%}")
    grid = np.concatenate([np.concatenate(list(images[r * len(seeds) * 2:(r + 1) * len(seeds) * 2]), axis=1)
                           for r in range(len(EVAL_CASES) // 2)])
    Image.fromarray(grid).save(args.grid)
    print(f"wrote {args.grid}")


if __name__ == "__main__":
    main()
