#!/usr/bin/env python3
"""PyTorch/diffusers baseline for `attune bench unet`: the full-size SD 1.5 UNet, text encoder and VAE
decoder with random weights, fp32 on the CPU, timed per forward. Prints one JSON line per case:
{"case": "unet 64 1", "seconds": ...}.

With --serve it builds the models, then times one forward per line read from stdin ("unet 64 1", "text",
"vae 64"; each case's first request also runs a warm-up) and answers with that JSON line; an empty line or end
of input stops it. "profile unet 64 1" runs that forward under torch.profiler and adds "kinds": seconds per kind
of op, grouped as `attune bench unet --profile` groups its own (see KINDS). `attune bench unet --torch
Tools/bench/torch_unet.py` drives it that way, alternating its own forwards with PyTorch's so that both sample the
host's speed over the same minutes, and prints the ratio.

Needs: pip install torch diffusers transformers (no weights are downloaded)."""
import argparse, json, os, sys, time

import torch
from torch.profiler import ProfilerActivity, profile
from diffusers import AutoencoderKL, UNet2DConditionModel
from transformers import CLIPTextConfig, CLIPTextModel

SD15_UNET = dict(
    sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
    block_out_channels=(320, 640, 1280, 1280),
    down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
    up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
    cross_attention_dim=768, attention_head_dim=8,
)
SD15_VAE = dict(
    in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2, block_out_channels=(128, 256, 512, 512),
    down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
)


def best(repeats, fn):
    fn()  # warm-up
    t = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - start)
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--latents", type=int, nargs="+", default=[32, 64])
    ap.add_argument("--skip-vae", action="store_true")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--serve", action="store_true", help="time one forward per stdin line (see above)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    emit = lambda case, s, **extra: print(json.dumps({"case": case, "seconds": s, "torch": torch.__version__, "threads": args.threads, **extra}),
                                          flush=True)
    if args.serve:
        return serve(emit)
    with torch.inference_mode():
        unet = UNet2DConditionModel(**SD15_UNET).eval()
        for side in args.latents:
            for batch in (1, 2):
                case = f"unet {side} {batch}"
                emit(case, best(args.repeats, forward(case, unet=unet)))
        del unet
        text = text_model()
        emit("text", best(args.repeats, forward("text", text=text)))
        del text
        if not args.skip_vae:
            case = f"vae {max(args.latents)}"
            emit(case, best(1, forward(case, vae=AutoencoderKL(**SD15_VAE).eval())))


def text_model():
    # SD 1.x's text tower (openai/clip-vit-large-patch14): CLIPTextConfig's defaults are a smaller model.
    return CLIPTextModel(CLIPTextConfig(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                                        max_position_embeddings=77, vocab_size=49408, hidden_act="quick_gelu")).eval()


def forward(case, unet=None, text=None, vae=None):
    """The forward that a case names ("unet 64 1", "text", "vae 64"), with its inputs, as a function of nothing."""
    kind, *sizes = case.split()
    if kind == "unet":
        side, batch = map(int, sizes)
        x, ctx = torch.randn(batch, 4, side, side), torch.randn(batch, 77, 768)
        return lambda: unet(x, 981, encoder_hidden_states=ctx)
    if kind == "text":
        ids = torch.full((1, 77), 49407)
        return lambda: text(ids)
    if kind == "vae":
        z = torch.randn(1, 4, int(sizes[0]), int(sizes[0]))
        return lambda: vae.decode(z)
    raise SystemExit(f"unknown case {case!r}")


# Op kinds as `attune bench unet --profile` compares them: 1x1 convolutions are matrix products, as Attune runs them.
KINDS = ("3x3 convolutions", "linear layers and 1x1 convolutions", "attention")


def kind(event):
    """The KINDS entry of a profiler event (grouped by input shape), or None for everything else."""
    name = event.key
    if "convolution" in name:
        weight = event.input_shapes[1] if len(event.input_shapes) > 1 else []
        return {(1, 1): KINDS[1], (3, 3): KINDS[0]}.get(tuple(weight[2:]))
    if name in ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"):
        return KINDS[1]
    if "scaled_dot_product" in name or "softmax" in name:
        return KINDS[2]
    return None


def profiled(run):
    """Seconds of one forward and each kind's self time in it (the profiler's own cost is in "everything else")."""
    # The profiler's C++ side logs its start and stop (and, without a GPU, an error about it) on stderr, which the
    # benchmark's output shares.
    sys.stderr.flush()
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    kinds = dict.fromkeys(KINDS, 0.0)
    for event in p.key_averages(group_by_input_shape=True):
        if (k := kind(event)) is not None:
            kinds[k] += event.self_cpu_time_total / 1e6
    return seconds, kinds


def serve(emit):
    with torch.inference_mode():
        models = dict(unet=UNet2DConditionModel(**SD15_UNET).eval(), text=text_model(), vae=AutoencoderKL(**SD15_VAE).eval())
        forwards = {}
        for line in sys.stdin:
            request = line.strip()
            if not request:
                break
            case = request.removeprefix("profile ")
            if case not in forwards:
                forwards[case] = forward(case, **models)
                forwards[case]()  # warm-up
            if case != request:
                seconds, kinds = profiled(forwards[case])
                emit(request, seconds, kinds=kinds)
                continue
            start = time.perf_counter()
            forwards[case]()
            emit(case, time.perf_counter() - start)


if __name__ == "__main__":
    main()
