"""Stage 4: writes the trained micro model as one original-layout (LDM) fp16 safetensors file.

Takes the VAE (runs/vae/vae.pt) and the EMA UNet and text encoder (runs/unet/final.pt, or --checkpoint), puts
the text encoder's compact token table back into CLIP's 49408 rows (unused rows zero), maps the keys with
Tools/fixtures/ldm_keys.py, checks that diffusers' own single-file converters map them back exactly, and
writes Samples/attune-micro-sd.safetensors with the shape hints Attune's loader reads from __metadata__.
Usage: python3 export.py [--checkpoint runs/unet/final.pt]
"""

import argparse
import json
import os
import sys

import torch

import encode_latents
import models
import training

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import ldm_keys  # noqa: E402
from fixture_io import provenance, write_safetensors  # noqa: E402
from make_sd_fixtures import check_ldm_round_trip  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTPUT = os.path.join(ROOT, "Samples", "attune-micro-sd.safetensors")


def load_trained(checkpoint_path, weights="ema"):
    """(unet, plain text encoder, vae, scaling factor, training summary) from the runs folder; `weights` picks
    the exponential moving average ("ema") or the last step's weights ("networks")."""
    saved = torch.load(checkpoint_path, weights_only=False)
    unet, compact = models.build_unet(), models.build_text_encoder_for(saved["vocabulary"])
    networks = torch.nn.ModuleDict({"unet": unet, "text_encoder": compact})
    networks.load_state_dict(saved[weights])
    summary = {"unet_steps": saved["step"], "unet_wall_s": round(saved["elapsed"]), "unet_cpu_s": round(saved["cpu"]),
               "vocabulary_ids": len(saved["vocabulary"])}
    vae_state = torch.load(os.path.join(training.stage_dir("vae"), "checkpoint.pt"), weights_only=False)
    summary.update(vae_steps=vae_state["step"], vae_wall_s=round(vae_state["elapsed"]), vae_cpu_s=round(vae_state["cpu"]))
    return unet.eval(), models.exportable_text_encoder(compact), encode_latents.load_vae(), saved["scaling_factor"], summary


def shape_hints(unet, vae, text_encoder, scaling):
    """What tensor shapes do not tell Attune's loader (Sources/AttuneModels/Checkpoint/ConfigurationInference)."""
    return {
        "attention_heads": json.dumps(list(unet.config.attention_head_dim)),
        "norm_num_groups": str(unet.config.norm_num_groups),
        "vae_norm_num_groups": str(vae.config.norm_num_groups),
        "text_attention_heads": str(text_encoder.config.num_attention_heads),
        "scaling_factor": f"{scaling:.6f}",
        "image_size": str(models.IMAGE_SIZE),
    }


@torch.no_grad()
def latent_rgb_factors(vae, scaling, scenes=256):
    """The live preview's linear map from a scaled latent pixel to RGB in [-1, 1] (4 rows of RGB, then the bias;
    Sources/AttuneModels/Pipeline/LatentPreview.swift), least squares against the VAE's own decodings of
    training scenes, pooled to the latent's resolution."""
    means = torch.load(encode_latents.shard_path(0))["mean"][:scenes].float()
    pictures = torch.nn.functional.avg_pool2d(vae.decode(means).sample.clamp(-1, 1), models.IMAGE_SIZE // models.LATENT_SIZE)
    x = (means * scaling).permute(0, 2, 3, 1).reshape(-1, 4)
    y = pictures.permute(0, 2, 3, 1).reshape(-1, 3)
    solution = torch.linalg.lstsq(torch.cat([x, torch.ones(len(x), 1)], dim=1).double(), y.double()).solution.float()
    residual = (torch.cat([x, torch.ones(len(x), 1)], dim=1) @ solution - y).pow(2).mean().sqrt().item()
    print(f"latent -> RGB preview map: RMS error {residual:.3f} (of a [-1, 1] range)")
    return [[round(v, 5) for v in row] for row in solution.tolist()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=os.path.join(training.stage_dir("unet"), "final.pt"))
    parser.add_argument("--output", default=OUTPUT)
    parser.add_argument("--weights", choices=["ema", "networks"], default="ema", help="EMA or last-step weights")
    args = parser.parse_args()
    unet, text_encoder, vae, scaling, summary = load_trained(args.checkpoint, args.weights)
    summary["weights"] = args.weights
    state = ldm_keys.to_ldm(unet.state_dict(), vae.state_dict(), text_encoder.state_dict())
    check_ldm_round_trip(state, unet, vae, text_encoder)
    counts = {name: sum(p.numel() for p in m.parameters())
              for name, m in [("unet", unet), ("vae", vae), ("text_encoder", text_encoder)]}
    metadata = {
        "format": "pt",
        "note": "Attune's micro Stable Diffusion (SD 1.x architecture, 128x128), trained on generated scenes; "
                "see Samples/attune-micro-sd.md",
        **shape_hints(unet, vae, text_encoder, scaling),
        "latent_rgb_factors": json.dumps(latent_rgb_factors(vae, scaling)),
        "parameters": json.dumps(counts, sort_keys=True),
        "training": json.dumps(summary, sort_keys=True),
        "provenance": json.dumps(dict(provenance(), script="Tools/microsd/export.py"), sort_keys=True),
    }
    write_safetensors(args.output, {k: v.to(torch.float16) for k, v in state.items()}, metadata)
    print(f"wrote {args.output}: {os.path.getsize(args.output) / 2 ** 20:.1f} MiB, {len(state)} tensors, "
          f"parameters {counts}, scaling factor {scaling:.5f}")


if __name__ == "__main__":
    main()
