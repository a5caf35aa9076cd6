"""A tiny Hugging Face causal LM made locally (random weights, no download), for HFPolicy tests.

`make_tiny_hf_model(directory, arch)` writes what `AutoModelForCausalLM.from_pretrained` and
`AutoTokenizer.from_pretrained` read: a 2-layer, d_model 32 GPT-2 (learned absolute positions)
or Llama (rotary positions) with random weights, and a character-level tokenizer built with the
`tokenizers` library over every character the arithmetic prompts and solutions use.

`favour_eos` adds a bias to the output layer so that sampled completions end early.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Literal

import torch

from verifier_service.train.model import CHARS

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"
Arch = Literal["gpt2", "llama"]


def make_tokenizer(*, with_pad: bool = True, add_bos: bool = True) -> Any:
    """A character-level `PreTrainedTokenizerFast`: a BPE model with no merges.

    `add_bos`: the tokenizer prepends `<s>` when asked for special tokens (Llama-style; GPT-2's
    adds nothing). `with_pad` False: no padding token (GPT-2-style), as many causal LMs ship.
    """
    tokenizers: Any = importlib.import_module("tokenizers")
    transformers: Any = importlib.import_module("transformers")
    specials = [PAD, BOS, EOS, UNK] if with_pad else [BOS, EOS, UNK]
    vocab = {token: i for i, token in enumerate([*specials, *CHARS])}
    backend = tokenizers.Tokenizer(tokenizers.models.BPE(vocab=vocab, merges=[], unk_token=UNK))
    backend.add_special_tokens(specials)
    backend.decoder = tokenizers.decoders.Fuse()
    if add_bos:
        backend.post_processor = tokenizers.processors.TemplateProcessing(
            single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, vocab[BOS])]
        )
    extra = {"pad_token": PAD} if with_pad else {}
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend, bos_token=BOS, eos_token=EOS, unk_token=UNK, **extra
    )


def make_tiny_hf_model(
    directory: Path,
    arch: Arch = "llama",
    *,
    with_pad: bool = True,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
    generation_defaults: dict[str, Any] | None = None,
) -> Path:
    """Save a tiny random causal LM and its tokenizer to `directory`; returns `directory`.

    `dtype`: the dtype the weights are saved in. `generation_defaults`: sampling settings for its
    `generation_config.json` (as checkpoints ship them, e.g. `{"top_p": 0.9}`).
    """
    transformers: Any = importlib.import_module("transformers")
    tokenizer = make_tokenizer(with_pad=with_pad, add_bos=arch == "llama")
    special = {
        "vocab_size": len(tokenizer),
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
    }
    if arch == "gpt2":
        config = transformers.GPT2Config(
            n_embd=32,
            n_layer=2,
            n_head=4,
            n_positions=256,  # dropout keeps GPT-2's defaults (0.1): HFPolicy turns it off
            **special,
        )
    else:
        config = transformers.LlamaConfig(
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
            max_position_embeddings=256,
            tie_word_embeddings=False,
            **special,
        )
    torch.manual_seed(seed)
    model = transformers.AutoModelForCausalLM.from_config(config).to(dtype)
    if generation_defaults:
        model.generation_config.update(**generation_defaults)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def favour_eos(model: Any, eos_id: int, bias: float) -> None:
    """Give the (loaded) model's output layer a bias of `bias` on the end-of-text logit."""
    head = model.get_output_embeddings()
    biased = torch.nn.Linear(head.in_features, head.out_features, bias=True)
    biased.weight = head.weight
    with torch.no_grad():
        biased.bias.zero_()
        biased.bias[eos_id] = bias
    model.set_output_embeddings(biased)
