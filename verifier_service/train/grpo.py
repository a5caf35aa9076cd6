"""GRPO's arithmetic: group-relative advantages, the clipped surrogate and the k3 KL estimate."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor


def group_advantages(rewards: Tensor, eps: float) -> tuple[Tensor, Tensor]:
    """Advantages [P, G] from rewards [P, G] (NaN where the service could not score).

    Within each group (one prompt's G samples), over the scored samples only:
    (reward - mean) / (std + eps), std with no Bessel correction. Unscored samples get 0 and
    `valid` False, so they are excluded from the loss rather than counted as wrong.
    """
    valid = ~torch.isnan(rewards)
    count = valid.sum(dim=1, keepdim=True).clamp(min=1)
    filled = torch.where(valid, rewards, torch.zeros_like(rewards))
    mean = filled.sum(dim=1, keepdim=True) / count
    centred = torch.where(valid, rewards - mean, torch.zeros_like(rewards))
    std = (centred.pow(2).sum(dim=1, keepdim=True) / count).sqrt()
    return centred / (std + eps), valid


def kl_k3(logprobs: Tensor, ref_logprobs: Tensor) -> Tensor:
    """Per-token k3 estimate of KL(policy || reference): exp(r) - r - 1, r = ref - policy."""
    ratio = ref_logprobs - logprobs
    return torch.exp(ratio) - ratio - 1


@dataclass
class LossParts:
    loss: Tensor
    policy: float
    kl: float
    clip_fraction: float


def clipped_loss(
    logprobs: Tensor,
    old_logprobs: Tensor,
    advantages: Tensor,
    mask: Tensor,
    clip_eps: float,
    *,
    ref_logprobs: Tensor | None = None,
    kl_coef: float = 0.0,
) -> LossParts:
    """PPO-style clipped policy-gradient loss, per token, averaged per sequence then over them.

    `logprobs`, `old_logprobs`, `ref_logprobs` and `mask` are [N, T] (mask: completion tokens of
    scored samples), `advantages` [N]. A sequence with no masked token contributes nothing.
    """
    mask = mask.to(logprobs.dtype)
    ratio = torch.exp(logprobs - old_logprobs)
    adv = advantages[:, None]
    unclipped = ratio * adv
    clipped = ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv
    per_token = -torch.minimum(unclipped, clipped)
    kl = torch.zeros_like(per_token)
    if ref_logprobs is not None and kl_coef:
        kl = kl_k3(logprobs, ref_logprobs)
        per_token = per_token + kl_coef * kl
    lengths = mask.sum(dim=1)
    used = lengths > 0
    denominator = used.sum().clamp(min=1)

    def seq_mean(values: Tensor) -> Tensor:
        per_seq = (values * mask).sum(dim=1) / lengths.clamp(min=1)
        return per_seq[used].sum() / denominator

    with torch.no_grad():
        was_clipped = ((ratio - 1).abs() > clip_eps).to(mask.dtype)
        stats = (
            float(seq_mean(-torch.minimum(unclipped, clipped))),
            float(seq_mean(kl)),
            float((was_clipped * mask).sum() / mask.sum().clamp(min=1)),
        )
    return LossParts(seq_mean(per_token), *stats)


def token_logprobs(logits: Tensor, tokens: Tensor, temperature: float = 1.0) -> Tensor:
    """Log-probabilities [N, T-1] of tokens[:, 1:] under logits[:, :-1] (float32)."""
    logp = F.log_softmax(logits[:, :-1].float() / temperature, dim=-1)
    return logp.gather(-1, tokens[:, 1:, None]).squeeze(-1)
