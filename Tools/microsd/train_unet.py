"""Stage 3: trains the UNet and the CLIP text encoder together on the encoded scenes (epsilon objective).

SD 1.5's scaled_linear schedule (1000 steps); latents are posterior samples times the scaling factor; 10% of
captions are replaced by "" so classifier-free guidance has an unconditional model; the per-sample MSE is
weighted by min(SNR, 5) / SNR (Min-SNR-gamma, Hang et al. 2023), which speeds up convergence several-fold at
this tiny compute. An EMA of both networks is what gets exported. Shards appear while encode_latents.py runs;
the data is refreshed every REFRESH_STEPS. Resumable: rerun the same command.
Usage: nice -n 19 python3 train_unet.py [--budget-min 110 --cpu-budget-min 75]
"""

import argparse
import glob
import json
import os
import time

import torch

import encode_latents
import models
import tokens
import training

CAPTION_DROPOUT = 0.1
MIN_SNR_GAMMA = 5.0
REFRESH_STEPS = 100


def alphas_cumprod():
    """SD 1.5's scaled_linear schedule: betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2."""
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, 0).float()


class LatentData:
    """All finished shards: posterior means/stds, and the captions' token ids."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.paths = []
        self.mean = self.std = self.ids = None

    def refresh(self):
        paths = sorted(glob.glob(os.path.join(training.stage_dir("latents"), "shard-*.pt")))
        if paths == self.paths:
            return
        shards = [torch.load(p) for p in paths]
        self.mean = torch.cat([s["mean"] for s in shards])
        self.std = torch.cat([s["std"] for s in shards])
        self.ids = tokens.token_ids(self.tokenizer, [c for s in shards for c in s["captions"]])
        self.paths = paths
        print(f"data: {len(paths)} shards, {len(self.ids)} scenes", flush=True)

    def batch(self, size, generator):
        index = torch.randint(0, len(self.ids), (size,), generator=generator)
        mean, std = self.mean[index].float(), self.std[index].float()
        return mean + std * torch.randn(mean.shape, generator=generator), self.ids[index]


def wait_for_data(data):
    while not os.path.exists(encode_latents.scaling_path()):
        print("waiting for shard 0 and scaling.json", flush=True)
        time.sleep(30)
    data.refresh()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget-min", type=float, default=110, help="wall-clock cap")
    parser.add_argument("--cpu-budget-min", type=float, default=75, help="CPU time that ends it")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--ema", type=float, default=0.999)
    args = parser.parse_args()
    torch.set_num_threads(1)  # see train_vae.py
    torch.manual_seed(0)

    tokenizer = tokens.load_tokenizer()
    vocabulary = tokens.world_token_ids(tokenizer)
    empty_ids = tokens.token_ids(tokenizer, [""])[0]
    unet, text_encoder = models.build_unet().train(), models.build_text_encoder_for(vocabulary).train()
    models.zero_init_like_ldm(unet)
    networks = torch.nn.ModuleDict({"unet": unet, "text_encoder": text_encoder})
    optimizer = torch.optim.AdamW(networks.parameters(), lr=args.lr, weight_decay=0.0, fused=True)
    ema = training.EMA(networks, args.ema)
    run = training.BudgetedRun("unet", args.budget_min * 60, args.cpu_budget_min * 60)
    saved = run.resume()
    if saved:
        networks.load_state_dict(saved["networks"])
        optimizer.load_state_dict(saved["optimizer"])
        ema.shadow = saved["ema"]
    print(f"UNet {sum(p.numel() for p in unet.parameters()):,} parameters, text encoder (compact table of "
          f"{len(vocabulary)} ids) {sum(p.numel() for p in text_encoder.parameters()):,}", flush=True)

    data = LatentData(tokenizer)
    wait_for_data(data)
    with open(encode_latents.scaling_path()) as f:
        scaling = json.load(f)["scaling_factor"]
    a_bar = alphas_cumprod()
    generator = torch.Generator().manual_seed(1000 + run.step)

    def state():
        return {"networks": networks.state_dict(), "optimizer": optimizer.state_dict(), "ema": ema.shadow,
                "scaling_factor": scaling, "vocabulary": vocabulary}

    run.restart_clock()  # waiting for data is not training time
    while not run.done:
        if run.step % REFRESH_STEPS == 0:
            data.refresh()
        latents, ids = data.batch(args.batch, generator)
        latents = latents * scaling
        drop = torch.rand(args.batch, generator=generator) < CAPTION_DROPOUT
        ids[drop] = empty_ids
        t = torch.randint(0, 1000, (args.batch,), generator=generator)
        noise = torch.randn(latents.shape, generator=generator)
        a = a_bar[t].view(-1, 1, 1, 1)
        noisy = a.sqrt() * latents + (1 - a).sqrt() * noise
        for group in optimizer.param_groups:
            group["lr"] = training.learning_rate(args.lr, run.progress, 0.02)
        context = text_encoder(ids).last_hidden_state
        predicted = unet(noisy, t, encoder_hidden_states=context).sample
        snr = a_bar[t] / (1 - a_bar[t])
        weight = torch.clamp(snr, max=MIN_SNR_GAMMA) / snr
        per_sample = (predicted - noise).pow(2).mean(dim=(1, 2, 3))
        loss = (weight * per_sample).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(networks.parameters(), 1.0)
        optimizer.step()
        ema.update(networks, run.step)
        run.tick({"loss": loss.item(), "mse": per_sample.mean().item()}, state)
        if run.step % 25 == 0:
            print(f"step {run.step} {run.elapsed / 60:.1f} min ({run.progress:.3f})  loss {loss.item():.4f}  "
                  f"mse {per_sample.mean().item():.4f}", flush=True)
    training.atomic_torch_save(dict(state(), step=run.step, elapsed=run.elapsed, cpu=run.cpu),
                               os.path.join(run.dir, "final.pt"))
    print("done", flush=True)


if __name__ == "__main__":
    main()
