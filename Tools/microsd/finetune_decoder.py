"""Stage 1b: fine-tunes the VAE's decoder with the encoder frozen, on whole 128x128 scenes.

The latents the UNet learns (encode_latents.py) come from the frozen encoder, so they stay valid while the
decoder sharpens; SD's ft-MSE decoders were made the same way. Runs beside the UNet stage. Loss: L1 + MSE of
the decoding of a posterior sample. Writes runs/vae-decoder/vae.pt (the whole VAE), which export.py prefers.
Usage: nice -n 19 python3 finetune_decoder.py [--budget-min 100 --cpu-budget-min 15]
"""

import argparse
import os

import numpy as np
import torch

import encode_latents
import train_vae
import training

SEED_BASE = 30_000_000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget-min", type=float, default=100, help="wall-clock cap")
    parser.add_argument("--cpu-budget-min", type=float, default=15, help="CPU time that ends it")
    parser.add_argument("--batch", type=int, default=4, help="whole scenes per step")
    parser.add_argument("--lr", type=float, default=2e-4)
    args = parser.parse_args()
    torch.set_num_threads(1)  # see train_vae.py
    torch.manual_seed(0)

    vae = encode_latents.load_vae()
    for module in (vae.encoder, vae.quant_conv):
        module.requires_grad_(False)
    trained = [p for p in vae.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.0)
    run = training.BudgetedRun("vae-decoder", args.budget_min * 60, args.cpu_budget_min * 60)
    saved = run.resume()
    if saved:
        vae.load_state_dict(saved["vae"])
        optimizer.load_state_dict(saved["optimizer"])
    vae.decoder.train()

    def state():
        return {"vae": vae.state_dict(), "optimizer": optimizer.state_dict()}

    while not run.done:
        x = train_vae.image_batch(SEED_BASE + run.step * args.batch, args.batch)
        for group in optimizer.param_groups:
            group["lr"] = training.learning_rate(args.lr, run.progress, 0.02)
        with torch.no_grad():
            z = vae.encode(x).latent_dist.sample()
        recon = vae.decode(z).sample
        l1 = (recon - x).abs().mean()
        loss = l1 + (recon - x).pow(2).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        optimizer.step()
        psnr = -10 * np.log10(max((recon.detach().clamp(-1, 1) - x).pow(2).mean().item() / 4, 1e-10))
        run.tick({"l1": l1.item(), "psnr": psnr}, state)
        if run.step % 20 == 0:
            print(f"step {run.step} {run.elapsed / 60:.1f} min ({run.progress:.3f})  l1 {l1.item():.4f}  "
                  f"psnr {psnr:.2f} dB", flush=True)
    training.atomic_torch_save(vae.state_dict(), os.path.join(run.dir, "vae.pt"))
    print("done", flush=True)


if __name__ == "__main__":
    main()
