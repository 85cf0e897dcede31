"""The micro Stable Diffusion: SD 1.x's three networks at small width, for 128x128 images and 16x16 latents.

The UNet keeps SD 1.5's topology (4 levels, 2 resnets per down level and 3 per up level, cross-attention at the
three upper levels, 16 transformer blocks), the VAE SD's AutoencoderKL (4 levels, f = 8, 4 latent channels,
mid-block attention), the text encoder CLIP's text transformer over the real 49408-token BPE vocabulary and
77 positions. Widths were chosen from step-time measurements on the 2-core training machine (model card).
"""

import os
import sys

import torch
import torch.nn as nn
from diffusers import AutoencoderKL, UNet2DConditionModel
from transformers import CLIPTextConfig, CLIPTextModel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from tiny_sd_models import SCHEDULER_CONFIG  # noqa: E402,F401  (SD 1.5's DDIM settings, shared)

IMAGE_SIZE = 128
LATENT_SIZE = 16
TEXT_HIDDEN = 64

UNET_CONFIG = {
    "sample_size": LATENT_SIZE,
    "in_channels": 4,
    "out_channels": 4,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    "mid_block_type": "UNetMidBlock2DCrossAttn",
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    "block_out_channels": [32, 64, 96, 96],
    "layers_per_block": 2,
    "downsample_padding": 1,
    "mid_block_scale_factor": 1,
    "act_fn": "silu",
    "norm_num_groups": 8,
    "norm_eps": 1e-5,
    "cross_attention_dim": TEXT_HIDDEN,
    "attention_head_dim": [1, 2, 3, 3],  # head counts per level (SD 1.x's misnamed key): 32 channels per head
    "use_linear_projection": False,
    "upcast_attention": False,
}

VAE_CONFIG = {
    "in_channels": 3,
    "out_channels": 3,
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
    "block_out_channels": [16, 32, 64, 64],
    "layers_per_block": 2,
    "act_fn": "silu",
    "latent_channels": 4,
    # 4 channels per group at the 16-channel level, as SD's VAE has at its 128-channel level (32 groups). With
    # 2 per group a flat region normalises to +-1 per group and the decoder can only emit a few colours.
    "norm_num_groups": 4,
    "sample_size": IMAGE_SIZE,
}

CLIP_CONFIG = {
    "vocab_size": 49408,
    "hidden_size": TEXT_HIDDEN,
    "intermediate_size": 4 * TEXT_HIDDEN,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "max_position_embeddings": 77,
    "hidden_act": "quick_gelu",
    "layer_norm_eps": 1e-5,
    "projection_dim": TEXT_HIDDEN,
    "bos_token_id": 49406,
    "eos_token_id": 49407,
    "pad_token_id": 49407,
}


def build_vae():
    return AutoencoderKL(**VAE_CONFIG)


def build_unet():
    return UNet2DConditionModel(**UNET_CONFIG)


@torch.no_grad()
def zero_init_like_ldm(unet):
    """Zeroes what the original LDM code (openaimodel.py, `zero_module`) starts at zero when SD 1.x was trained:
    every resnet's last convolution, every transformer's proj_out and the UNet's conv_out. Each residual
    branch then starts as the identity; diffusers leaves them at PyTorch's default, which only matters when
    training from scratch, as here."""
    from diffusers.models.resnet import ResnetBlock2D
    from diffusers.models.transformers.transformer_2d import Transformer2DModel

    modules = [unet.conv_out]
    for module in unet.modules():
        if isinstance(module, ResnetBlock2D):
            modules.append(module.conv2)
        elif isinstance(module, Transformer2DModel):
            modules.append(module.proj_out)
    for module in modules:
        module.weight.zero_()
        module.bias.zero_()


def build_text_encoder():
    return CLIPTextModel(CLIPTextConfig(**CLIP_CONFIG))


class CompactTokenEmbedding(nn.Module):
    """CLIP's token embedding restricted to the ids the captions use: a real CLIP id is looked up through
    `index` into a small table. Training it equals training the 49408-row table whose unused rows get no
    gradient, without paying for 49408 rows in the optimiser; `full_table` scatters it back (zeros elsewhere).
    Ids outside the set read the table's last row, which is zero and never trained (as in the full table)."""

    def __init__(self, token_ids, hidden):
        super().__init__()
        ids = torch.tensor(sorted(set(token_ids)), dtype=torch.long)
        index = torch.full((CLIP_CONFIG["vocab_size"],), len(ids), dtype=torch.long)
        index[ids] = torch.arange(len(ids))
        self.register_buffer("ids", ids)
        self.register_buffer("index", index)
        self.table = nn.Embedding(len(ids) + 1, hidden, padding_idx=len(ids))
        with torch.no_grad():
            self.table.weight[:-1].normal_(std=0.02)  # CLIP's initializer_range

    def forward(self, input_ids):
        return self.table(self.index[input_ids])

    def full_table(self):
        full = torch.zeros(CLIP_CONFIG["vocab_size"], self.table.weight.shape[1])
        full[self.ids] = self.table.weight.detach()[:-1]
        return full


def build_text_encoder_for(token_ids):
    """A CLIPTextModel whose token embedding is compact over `token_ids` (the training vocabulary)."""
    encoder = build_text_encoder()
    encoder.embeddings.token_embedding = CompactTokenEmbedding(token_ids, TEXT_HIDDEN)
    return encoder


def exportable_text_encoder(encoder):
    """A plain CLIPTextModel with the full 49408-row table (unused rows zero) from a compact one."""
    plain = build_text_encoder()
    state = {k: v for k, v in encoder.state_dict().items() if "token_embedding" not in k}
    state["embeddings.token_embedding.weight"] = encoder.embeddings.token_embedding.full_table()
    plain.load_state_dict(state)
    return plain.eval()
