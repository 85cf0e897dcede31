"""Stage 2: renders the UNet's training scenes and encodes them with the trained VAE, in shards.

Each shard holds SHARD scenes: the posterior mean and std [n, 4, 16, 16] (fp16), the captions and seeds. The
first shard also fixes the latent scaling factor, 1 / std of posterior samples (SD 1.x's 0.18215 was found the
same way), written to scaling.json. Shards are written atomically, so train_unet.py can start on shard 0 while
later shards are still being encoded, and a rerun skips finished shards.
Usage: nice -n 19 python3 encode_latents.py [--scenes 30000]
"""

import argparse
import json
import os

import torch

import models
import train_vae
import training

SEED_BASE = 20_000_000
SHARD = 1000
BATCH = 50


def shard_path(index):
    return os.path.join(training.stage_dir("latents"), f"shard-{index:03d}.pt")


def scaling_path():
    return os.path.join(training.stage_dir("latents"), "scaling.json")


def load_vae():
    vae = models.build_vae()
    vae.load_state_dict(torch.load(os.path.join(training.stage_dir("vae"), "vae.pt")))
    return vae.eval()


@torch.no_grad()
def encode_shard(vae, index):
    means, stds, captions, seeds = [], [], [], []
    first = SEED_BASE + index * SHARD
    for start in range(first, first + SHARD, BATCH):
        batch_seeds = list(range(start, start + BATCH))
        posterior = vae.encode(train_vae.image_batch(start, BATCH)).latent_dist
        means.append(posterior.mean.half())
        stds.append(posterior.std.half())
        captions += [train_vae.scenes.sample_scene(s).caption for s in batch_seeds]
        seeds += batch_seeds
    return {"mean": torch.cat(means), "std": torch.cat(stds), "captions": captions, "seeds": seeds}


def write_scaling(shard):
    sample = shard["mean"].float() + shard["std"].float() * torch.randn(shard["mean"].shape)
    factor = 1.0 / sample.std().item()
    with open(scaling_path() + ".tmp", "w") as f:
        json.dump({"scaling_factor": factor, "latent_mean": sample.mean().item()}, f)
    os.replace(scaling_path() + ".tmp", scaling_path())
    print(f"scaling factor {factor:.5f} (latent mean {sample.mean().item():.4f})", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=30_000)
    args = parser.parse_args()
    torch.set_num_threads(1)  # see train_vae.py
    torch.manual_seed(0)
    vae = load_vae()
    for index in range(args.scenes // SHARD):
        if not os.path.exists(shard_path(index)):
            training.atomic_torch_save(encode_shard(vae, index), shard_path(index))
            print(f"shard {index} written", flush=True)
        if not os.path.exists(scaling_path()):
            write_scaling(torch.load(shard_path(0)))


if __name__ == "__main__":
    main()
