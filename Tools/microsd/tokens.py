"""The real CLIP tokenizer (SD 1.5's file set, built offline from the bundled BPE) and the world's token ids.

Captions are framed as SD 1.x frames prompts: BOS, ids, EOS, EOS-padding to 77.
"""

import os
import sys

import torch

import scenes
import training
import world

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import clip_vocab  # noqa: E402

TOKENIZER_DIR = os.path.join(training.RUNS, "tokenizer")
SEQUENCE = 77
# Enough scenes for every caption template and word to appear (checked: the set stops growing long before).
VOCABULARY_SCENES = 20_000


def load_tokenizer():
    from transformers import CLIPTokenizer

    if not os.path.exists(os.path.join(TOKENIZER_DIR, "merges.txt")):
        clip_vocab.write_tokenizer_folder(TOKENIZER_DIR)
    tokenizer = CLIPTokenizer.from_pretrained(TOKENIZER_DIR)
    clip_vocab.check_tokenizer(tokenizer)
    return tokenizer


def token_ids(tokenizer, captions):
    """Captions -> int64 ids [n, 77]."""
    ids = tokenizer(list(captions), padding="max_length", max_length=SEQUENCE, truncation=True).input_ids
    return torch.tensor(ids, dtype=torch.long)


def world_words():
    """Every word a caption can use, whether or not a sample drew it."""
    words = set(world.COLOURS) | set(world.SHAPES) | set(world.PLURALS.values()) | set(world.COUNT_WORDS.values())
    for phrases in (world.SIZE_WORDS, world.POSITION_PHRASES):
        for options in phrases.values():
            words |= {w for phrase in options for w in phrase.split()}
    for phrase in list(world.POSES.values()) + list(world.BAR_POSES.values()):
        words |= set(phrase.split())
    return sorted(words)


def world_token_ids(tokenizer):
    """The CLIP ids of the world's vocabulary: the ids of sampled captions and of every world word, plus BOS/EOS."""
    captions = [scenes.sample_scene(seed).caption for seed in range(VOCABULARY_SCENES)]
    ids = set(token_ids(tokenizer, captions + world_words()).flatten().tolist())
    return sorted(ids)
