"""Stage 1: trains the AutoencoderKL on generated scenes (fresh scenes every step, rendered on the fly).

Loss: L1 + MSE reconstruction of a posterior sample's decoding + 1e-6 x KL (SD's weight; the latents' scale is
fixed afterwards by the scaling factor). MSE's large gradients on large errors get the colours right sooner
than L1 alone (measured over the first 70 steps). The posterior starts narrow (log-variance -8): with the tiny
KL weight it would stay near its initial std 1 for hundreds of steps and drown the latents in noise. Weights
start from training.fan_in_init. Most of the budget trains on random 32x32 crops (cheaper; the network is
convolutional), the last part on whole 128x128 images so the mid-block attention sees the full 16x16 latent.
Small crops from many scenes per step learn colours faster than large crops from few (the colour mapping,
not the edges, is what a young VAE gets wrong).
Resumable: rerun the same command. Usage: nice -n 19 python3 train_vae.py [--budget-min 40 --cpu-budget-min 25]
"""

import argparse
import time

import numpy as np
import torch

import models
import render
import scenes
import training

TRAIN_SEED_BASE = 10_000_000  # evaluation seeds stay below this
KL_WEIGHT = 1e-6


def image_batch(first_seed, count):
    """Scenes first_seed.. as a float tensor [count, 3, 128, 128] in [-1, 1]."""
    images = [render.render(scenes.sample_scene(first_seed + i))[0] for i in range(count)]
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 127.5 - 1


def random_crops(images, size, generator):
    n, _, h, w = images.shape
    ys = torch.randint(0, h - size + 1, (n,), generator=generator)
    xs = torch.randint(0, w - size + 1, (n,), generator=generator)
    return torch.stack([images[i, :, y:y + size, x:x + size] for i, (y, x) in enumerate(zip(ys, xs))])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget-min", type=float, default=40, help="wall-clock cap")
    parser.add_argument("--cpu-budget-min", type=float, default=25, help="CPU time that ends it")
    parser.add_argument("--batch", type=int, default=32, help="crops per step (2 per scene); whole-image steps "
                        "take batch / 16 scenes, the same number of pixels")
    parser.add_argument("--lr", type=float, default=5e-4, help="5e-4 beat 1e-3 and 2e-3 over 120 steps")
    parser.add_argument("--crop", type=int, default=32)
    parser.add_argument("--full-from", type=float, default=0.55, help="budget fraction after which whole images train")
    args = parser.parse_args()
    # One thread: on this shared 2-core machine OpenMP's second thread mostly spin-waits for a busy core
    # (measured: 1.2 s/step with one thread, 2.4-8 s with two, while other work ran).
    torch.set_num_threads(1)
    torch.manual_seed(0)

    vae = models.build_vae().train()
    training.fan_in_init(vae, gain=2 ** 0.5)  # He's gain: most convolutions feed a SiLU
    with torch.no_grad():
        channels = models.VAE_CONFIG["latent_channels"]
        vae.quant_conv.weight[channels:] = 0
        vae.quant_conv.bias[channels:] = -8
    optimizer = torch.optim.AdamW(vae.parameters(), lr=args.lr, weight_decay=0.0)
    run = training.BudgetedRun("vae", args.budget_min * 60, args.cpu_budget_min * 60)
    saved = run.resume()
    if saved:
        vae.load_state_dict(saved["vae"])
        optimizer.load_state_dict(saved["optimizer"])
    print(f"VAE {sum(p.numel() for p in vae.parameters()):,} parameters", flush=True)
    crop_gen = torch.Generator().manual_seed(1)

    def state():
        return {"vae": vae.state_dict(), "optimizer": optimizer.state_dict()}

    while not run.done:
        full = run.progress >= args.full_from
        t0 = time.time()
        whole = max(1, args.batch * args.crop ** 2 // models.IMAGE_SIZE ** 2)
        images = image_batch(TRAIN_SEED_BASE + run.step * args.batch, whole if full else args.batch // 2)
        x = images if full else random_crops(images.repeat(2, 1, 1, 1), args.crop, crop_gen)
        data_s = time.time() - t0
        for group in optimizer.param_groups:
            group["lr"] = training.learning_rate(args.lr, run.progress, 0.03)
        posterior = vae.encode(x).latent_dist
        recon = vae.decode(posterior.sample()).sample
        l1 = (recon - x).abs().mean()
        kl = posterior.kl().mean()
        loss = l1 + (recon - x).pow(2).mean() + KL_WEIGHT * kl
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        optimizer.step()
        mse = (recon.detach().clamp(-1, 1) - x).pow(2).mean().item() / 4  # on the [0, 1] scale
        psnr = -10 * np.log10(max(mse, 1e-10))
        run.tick({"l1": l1.item(), "kl": kl.item(), "psnr": psnr, "full": int(full), "data_s": round(data_s, 3)},
                 state)
        if run.step % 20 == 0:
            print(f"step {run.step} {run.elapsed / 60:.1f} min ({run.progress:.3f})  l1 {l1.item():.4f}  psnr {psnr:.2f} dB  "
                  f"kl {kl.item():.0f}  {'full' if full else 'crops'}", flush=True)
    training.atomic_torch_save(vae.state_dict(), f"{run.dir}/vae.pt")
    print("done", flush=True)


if __name__ == "__main__":
    main()
