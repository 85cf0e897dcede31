"""Stage 4: writes the trained micro model as one original-layout (LDM) fp16 safetensors file.

Takes the VAE (runs/vae-decoder/vae.pt, or runs/vae/vae.pt before the decoder is fine-tuned) and the EMA UNet and text encoder (runs/unet/final.pt, or --checkpoint), puts
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


def load_trained(checkpoint_path):
    """(unet, plain text encoder, vae, scaling factor, training summary) from the runs folder."""
    saved = torch.load(checkpoint_path, weights_only=False)
    unet, compact = models.build_unet(), models.build_text_encoder_for(saved["vocabulary"])
    networks = torch.nn.ModuleDict({"unet": unet, "text_encoder": compact})
    networks.load_state_dict(saved["ema"])
    summary = {"unet_steps": saved["step"], "unet_wall_s": round(saved["elapsed"]), "unet_cpu_s": round(saved["cpu"]),
               "vocabulary_ids": len(saved["vocabulary"])}
    for stage in ("vae", "vae-decoder"):
        path = os.path.join(training.stage_dir(stage), "checkpoint.pt")
        if os.path.exists(path):
            s = torch.load(path, weights_only=False)
            summary.update({f"{stage}_steps": s["step"], f"{stage}_wall_s": round(s["elapsed"]),
                            f"{stage}_cpu_s": round(s["cpu"])})
    vae = encode_latents.final_vae()
    return unet.eval(), models.exportable_text_encoder(compact), vae, saved["scaling_factor"], summary


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default=os.path.join(training.stage_dir("unet"), "final.pt"))
    parser.add_argument("--output", default=OUTPUT)
    args = parser.parse_args()
    unet, text_encoder, vae, scaling, summary = load_trained(args.checkpoint)
    state = ldm_keys.to_ldm(unet.state_dict(), vae.state_dict(), text_encoder.state_dict())
    check_ldm_round_trip(state, unet, vae, text_encoder)
    counts = {name: sum(p.numel() for p in m.parameters())
              for name, m in [("unet", unet), ("vae", vae), ("text_encoder", text_encoder)]}
    metadata = {
        "format": "pt",
        "note": "Attune's micro Stable Diffusion (SD 1.x architecture, 128x128), trained on generated scenes; "
                "see Samples/attune-micro-sd.md",
        **shape_hints(unet, vae, text_encoder, scaling),
        "parameters": json.dumps(counts, sort_keys=True),
        "training": json.dumps(summary, sort_keys=True),
        "provenance": json.dumps(dict(provenance(), script="Tools/microsd/export.py"), sort_keys=True),
    }
    write_safetensors(args.output, {k: v.to(torch.float16) for k, v in state.items()}, metadata)
    print(f"wrote {args.output}: {os.path.getsize(args.output) / 2 ** 20:.1f} MiB, {len(state)} tensors, "
          f"parameters {counts}, scaling factor {scaling:.5f}")


if __name__ == "__main__":
    main()
