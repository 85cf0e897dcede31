"""Reference outputs of the exported embedded model, for the Swift parity test of Samples/attune-micro-sd.safetensors.

Reads the exported file back through diffusers' own single-file converters into fp32 diffusers models (the fp16
weights widened, as Attune does), then runs: the text encoder on two prompts, a guided 5-step DDIM generation
with diffusers' DDIMScheduler from a torch.randn x_T, and the VAE decode of its result. Written to
Tests/Fixtures/micro-sd/reference.safetensors with the prompts and settings in the metadata.
Usage: python3 make_parity_fixture.py
"""

import argparse
import json
import os

import torch
from diffusers import DDIMScheduler
from diffusers.loaders.single_file_utils import (convert_ldm_clip_checkpoint, convert_ldm_unet_checkpoint,
                                                 convert_ldm_vae_checkpoint)
from safetensors import safe_open
from safetensors.torch import load_file

import export
import models
import tokens

OUT = os.path.join(export.ROOT, "Tests", "Fixtures", "micro-sd", "reference.safetensors")
PROMPTS = ["", "a red circle on a white background"]
STEPS, GUIDANCE, SEED = 5, 7.5, 7


def load_exported(path):
    state = {k: v.float() for k, v in load_file(path).items()}
    unet, vae, text = models.build_unet(), models.build_vae(), models.build_text_encoder()
    unet.load_state_dict(convert_ldm_unet_checkpoint(dict(state), unet.config))
    vae.load_state_dict(convert_ldm_vae_checkpoint(dict(state), vae.config))
    clip = convert_ldm_clip_checkpoint(dict(state))  # keys under "text_model.", which transformers 5 does not use
    text.load_state_dict({k[len("text_model."):]: v for k, v in clip.items()})
    return unet.eval(), vae.eval(), text.eval()


@torch.no_grad()
def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=export.OUTPUT)
    parser.add_argument("--output", default=OUT)
    args = parser.parse_args()
    path = args.model
    with safe_open(path, "pt") as f:
        metadata = f.metadata()
    scaling = float(metadata["scaling_factor"])
    unet, vae, text = load_exported(path)
    tokenizer = tokens.load_tokenizer()
    ids = tokens.token_ids(tokenizer, PROMPTS)
    embeddings = text(ids).last_hidden_state
    scheduler = DDIMScheduler(**models.SCHEDULER_CONFIG)
    scheduler.set_timesteps(STEPS)
    generator = torch.Generator().manual_seed(SEED)
    latents = torch.randn((1, 4, models.LATENT_SIZE, models.LATENT_SIZE), generator=generator)
    x_t = latents.clone()
    for t in scheduler.timesteps:
        eps = unet(torch.cat([latents, latents]), t, encoder_hidden_states=embeddings).sample
        uncond, cond = eps.chunk(2)
        latents = scheduler.step(uncond + GUIDANCE * (cond - uncond), t, latents).prev_sample
    image = vae.decode(latents / scaling).sample.clamp(-1, 1)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    export.write_safetensors(args.output, {"embeddings": embeddings, "x_t": x_t, "latents": latents, "image": image}, {
        "prompts": json.dumps(PROMPTS), "steps": str(STEPS), "guidance": str(GUIDANCE), "seed": str(SEED),
        "model": "Samples/attune-micro-sd.safetensors", "script": "Tools/microsd/make_parity_fixture.py"})
    print(f"wrote {args.output}: {os.path.getsize(args.output) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
