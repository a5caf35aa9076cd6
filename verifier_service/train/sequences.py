"""Batches of token sequences: left-padded prompts followed by completions."""

from __future__ import annotations

import torch
from torch import Tensor


def pad_left(rows: list[list[int]], pad_id: int, device: torch.device) -> tuple[Tensor, Tensor]:
    """Tokens and attention [B, W], each row right-aligned."""
    width = max(len(row) for row in rows)
    tokens = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        if row:
            tokens[i, width - len(row) :] = torch.tensor(row)
            attention[i, width - len(row) :] = 1
    return tokens.to(device), attention.to(device)


def completion_mask(completions: Tensor, stop_ids: tuple[int, ...]) -> Tensor:
    """1 for each generated token up to and including the first stop token."""
    return (~after_first_stop(completions, stop_ids)).long()


def after_first_stop(completions: Tensor, stop_ids: tuple[int, ...]) -> Tensor:
    """True for each token after the first stop token of its row."""
    stops = torch.tensor(stop_ids, dtype=completions.dtype, device=completions.device)
    is_stop = torch.isin(completions, stops).long()
    return (is_stop.cumsum(dim=1) - is_stop) > 0


def join(
    prompt: Tensor, prompt_attention: Tensor, completion: Tensor, completion_attention: Tensor
) -> tuple[Tensor, Tensor, Tensor]:
    """Tokens, attention and the loss mask [B, W-1] (which of tokens[:, 1:] are completion)."""
    tokens = torch.cat((prompt, completion), dim=1)
    attention = torch.cat((prompt_attention, completion_attention), dim=1)
    loss_mask = torch.cat((torch.zeros_like(prompt_attention), completion_attention), dim=1)
    return tokens, attention, loss_mask[:, 1:]


def decode_completion(ids: list[int], stop_ids: tuple[int, ...]) -> list[int]:
    """The tokens before the first stop token."""
    end = next((i for i, token in enumerate(ids) if token in stop_ids), len(ids))
    return ids[:end]
