"""Policies: a character-level decoder trained from scratch, or a local Hugging Face causal LM.

A batch of sequences is left-padded prompts followed by right-padded completions; `attention`
marks real tokens. Positions count real tokens only, so padding never shifts a sequence.
"""

from __future__ import annotations

import importlib
import inspect
import math
import os
import string
from dataclasses import dataclass
from typing import Any, Protocol

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from verifier_service.train.config import TrainConfig
from verifier_service.train.sequences import after_first_stop

CHARS = string.ascii_letters + string.digits + " \n.,:;?!+-*/=()\\{}'\"<>_^$#%&@[]|~`"


class CharTokenizer:
    """One token per character; ids 0..2 are pad, beginning of text and end of text."""

    pad_id, bos_id, eos_id = 0, 1, 2

    def __init__(self, chars: str = CHARS) -> None:
        self.chars = chars
        self._ids = {char: i + 3 for i, char in enumerate(chars)}
        self.vocab_size = len(chars) + 3

    def encode(self, text: str) -> list[int]:
        return [self._ids[char] for char in text if char in self._ids]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i - 3] for i in ids if i >= 3)


@dataclass
class KVCache:
    keys: list[Tensor]
    values: list[Tensor]


class Block(nn.Module):
    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.norm1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(
        self, x: Tensor, mask: Tensor, past: tuple[Tensor, Tensor] | None
    ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        batch, length, width = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(width, dim=-1)
        heads = [t.view(batch, length, self.n_heads, -1).transpose(1, 2) for t in (q, k, v)]
        q, k, v = heads
        if past is not None:
            k, v = torch.cat((past[0], k), dim=2), torch.cat((past[1], v), dim=2)
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None])
        x = x + self.proj(attended.transpose(1, 2).reshape(batch, length, width))
        return x + self.mlp(self.norm2(x)), (k, v)


class CharGPT(nn.Module):
    """A small pre-norm decoder-only transformer with learned positions."""

    def __init__(self, vocab_size: int, d_model: int, n_layers: int, n_heads: int, max_len: int):
        super().__init__()
        self.max_len = max_len
        self.embed = nn.Embedding(vocab_size, d_model)
        self.position = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        self.apply(self._init)
        for name, parameter in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("mlp.2.weight"):
                nn.init.normal_(parameter, std=0.02 / math.sqrt(2 * n_layers))

    @staticmethod
    def _init(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(
        self,
        tokens: Tensor,
        attention: Tensor,
        cache: KVCache | None = None,
    ) -> tuple[Tensor, KVCache]:
        """Logits for `tokens` [B, T]; `attention` [B, past + T] marks real tokens."""
        length = tokens.shape[1]
        past = 0 if cache is None else cache.keys[0].shape[2]
        positions = (attention.long().cumsum(dim=1) - 1).clamp(min=0)[:, past:]
        x = self.embed(tokens) + self.position(positions.clamp(max=self.max_len - 1))
        keys = attention.bool()[:, None, :].expand(-1, length, -1)
        causal = torch.ones(length, past + length, dtype=torch.bool, device=tokens.device)
        causal = causal.tril(diagonal=past)
        # a padding query may see nothing else: let every query see itself (no NaN rows)
        own = torch.zeros_like(causal)
        own[:, past:] = torch.eye(length, dtype=torch.bool, device=tokens.device)
        mask = (keys & causal) | own
        new = KVCache([], [])
        for i, block in enumerate(self.blocks):
            layer_past = None if cache is None else (cache.keys[i], cache.values[i])
            x, (k, v) = block(x, mask, layer_past)
            new.keys.append(k)
            new.values.append(v)
        return self.head(self.norm(x)), new


class Policy(Protocol):
    """What the trainer needs from a model, whichever kind it is."""

    model: nn.Module
    pad_id: int
    eos_id: int  # what ends a supervised target
    stop_ids: tuple[int, ...]  # what ends a generated completion (eos_id among them)

    def encode_prompt(self, text: str) -> list[int]: ...

    def encode_target(self, text: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...

    def logits(self, tokens: Tensor, attention: Tensor, model: nn.Module | None = None) -> Tensor:
        """Logits of `model` (default: the policy's own; else a frozen copy of it)."""
        ...

    def generate(
        self, prompts: Tensor, attention: Tensor, max_new: int, temperature: float, greedy: bool
    ) -> Tensor: ...


class CharPolicy:
    def __init__(self, config: TrainConfig, device: torch.device) -> None:
        self.tokenizer = CharTokenizer()
        self.pad_id, self.eos_id = self.tokenizer.pad_id, self.tokenizer.eos_id
        self.stop_ids: tuple[int, ...] = (self.eos_id,)
        self.model: nn.Module = CharGPT(
            self.tokenizer.vocab_size,
            config.d_model,
            config.n_layers,
            config.n_heads,
            config.max_len,
        ).to(device)

    def encode_prompt(self, text: str) -> list[int]:
        return [self.tokenizer.bos_id, *self.tokenizer.encode(text)]

    def encode_target(self, text: str) -> list[int]:
        return [*self.tokenizer.encode(text), self.eos_id]

    def decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids)

    def logits(self, tokens: Tensor, attention: Tensor, model: nn.Module | None = None) -> Tensor:
        out: Tensor = (model or self.model)(tokens, attention)[0]
        return out

    @torch.no_grad()
    def generate(
        self, prompts: Tensor, attention: Tensor, max_new: int, temperature: float, greedy: bool
    ) -> Tensor:
        """Completions [B, max_new] (pad after the end of text), with a key/value cache."""
        batch = prompts.shape[0]
        out = torch.full((batch, max_new), self.pad_id, dtype=torch.long, device=prompts.device)
        done = torch.zeros(batch, dtype=torch.bool, device=prompts.device)
        logits, cache = self.model(prompts, attention)
        for step in range(max_new):
            last = logits[:, -1].float()
            if greedy:
                token = last.argmax(dim=-1)
            else:
                token = torch.multinomial(F.softmax(last / temperature, dim=-1), 1).squeeze(1)
            token = torch.where(done, torch.full_like(token, self.pad_id), token)
            out[:, step] = token
            done |= token == self.eos_id
            if bool(done.all()):
                break
            attention = torch.cat((attention, (~done | (token == self.eos_id))[:, None]), dim=1)
            logits, cache = self.model(token[:, None], attention.long(), cache)
        return out


class HFPolicy:
    """A local Hugging Face causal LM (`--model PATH`); needs `transformers` (the `hf` extra).

    The weights are loaded in float32 whatever the checkpoint's dtype (bf16 runs use autocast, as
    for the character-level model), with every dropout off: the old log-probabilities are taken in
    eval mode and the update runs in train mode, so dropout would make the ratio noisy. Sampling is
    plain softmax(logits / temperature): the checkpoint's generation defaults (top-k, top-p,
    repetition penalty, ...) are dropped, so that the log-probabilities the trainer computes are
    those of the distribution the completions were drawn from.
    """

    def __init__(self, path: str, device: torch.device) -> None:
        try:
            transformers: Any = importlib.import_module("transformers")
        except ImportError as error:
            raise SystemExit(
                "--model needs the transformers package (pip install 'verifier-service[hf]')"
            ) from error
        if not os.path.isdir(path):  # else transformers would take it for a Hub name
            raise SystemExit(f"--model {path}: not a directory (a local model is needed)")
        self._generation_config: Any = transformers.GenerationConfig
        local = {"local_files_only": True}  # never download
        self.tokenizer: Any = transformers.AutoTokenizer.from_pretrained(path, **local)
        config = transformers.AutoConfig.from_pretrained(path, **local)
        _disable_dropout(config)
        self.model: Any = transformers.AutoModelForCausalLM.from_pretrained(
            path, config=config, dtype=torch.float32, **local
        ).to(device)
        eos = self.tokenizer.eos_token_id
        if eos is None:
            raise SystemExit(f"{path}: the tokenizer has no end-of-sequence token")
        self.eos_id = int(eos)
        # a chat model's checkpoint may end a turn on other tokens too (its end-of-turn token)
        self.stop_ids = _stop_ids(self.eos_id, self.model.generation_config.eos_token_id)
        pad = self.tokenizer.pad_token_id
        # without a padding token, pad with end of text: padding is marked by `attention` anyway
        self.pad_id = int(pad) if pad is not None else self.eos_id
        bos = self.tokenizer.bos_token_id
        self.model.generation_config = self._generation_config(
            bos_token_id=bos, eos_token_id=self.eos_id, pad_token_id=self.pad_id
        )
        forward = inspect.signature(self.model.forward).parameters
        self._takes_positions = "position_ids" in forward

    def encode_prompt(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer(text, add_special_tokens=True)["input_ids"]
        if len(ids) > 1 and ids[-1] == self.eos_id:  # a tokenizer that appends end of text
            ids = ids[:-1]
        return ids

    def encode_target(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return [*ids, self.eos_id]

    def decode(self, ids: list[int]) -> str:
        text: str = self.tokenizer.decode(ids, skip_special_tokens=True)
        return text

    def logits(self, tokens: Tensor, attention: Tensor, model: nn.Module | None = None) -> Tensor:
        inputs: dict[str, Tensor] = {"input_ids": tokens, "attention_mask": attention}
        if self._takes_positions:
            # positions count real tokens only: left padding never shifts a sequence
            inputs["position_ids"] = (attention.long().cumsum(dim=1) - 1).clamp(min=0)
        out: Tensor = (model or self.model)(**inputs, use_cache=False).logits
        return out

    @torch.no_grad()
    def generate(
        self, prompts: Tensor, attention: Tensor, max_new: int, temperature: float, greedy: bool
    ) -> Tensor:
        """Completions [B, max_new] (pad after the end of text), with `model.generate`."""
        sampling: dict[str, Any] = (
            {"do_sample": False}
            if greedy
            else {"do_sample": True, "temperature": temperature, "top_k": 0, "top_p": 1.0}
        )
        generation_config = self._generation_config(
            max_new_tokens=max_new,
            bos_token_id=self.model.generation_config.bos_token_id,
            eos_token_id=list(self.stop_ids),
            pad_token_id=self.pad_id,
            **sampling,
        )
        sequences: Tensor = self.model.generate(
            input_ids=prompts, attention_mask=attention, generation_config=generation_config
        )
        completions = sequences[:, prompts.shape[1] :]
        out = torch.full(
            (prompts.shape[0], max_new), self.pad_id, dtype=torch.long, device=prompts.device
        )
        out[:, : completions.shape[1]] = completions
        # generate pads finished rows with pad_id already; make sure of it (pad_id may be a stop
        # token: then the completion ends at the first one, as completion_mask reads it)
        return out.masked_fill(after_first_stop(out, self.stop_ids), self.pad_id)


def _stop_ids(eos_id: int, checkpoint_eos: int | list[int] | None) -> tuple[int, ...]:
    """The tokenizer's end of text, then those the checkpoint's generation config names."""
    named = [checkpoint_eos] if isinstance(checkpoint_eos, int) else list(checkpoint_eos or [])
    return tuple(dict.fromkeys([eos_id, *map(int, named)]))


def _disable_dropout(config: Any) -> None:
    """Set every dropout probability of a Hugging Face config (and its sub-configs) to 0."""
    for name, value in vars(config).items():
        lowered = name.lower()
        if isinstance(value, float) and ("dropout" in lowered or lowered.endswith("pdrop")):
            setattr(config, name, 0.0)
        elif hasattr(value, "to_dict") and hasattr(value, "model_type"):
            _disable_dropout(value)


def make_policy(config: TrainConfig, device: torch.device) -> Policy:
    if config.model_path:
        return HFPolicy(config.model_path, device)
    return CharPolicy(config, device)
