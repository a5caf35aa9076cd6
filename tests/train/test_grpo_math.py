"""GRPO's arithmetic on small tensors, each expected value worked out by hand."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from verifier_service.train.grpo import (  # noqa: E402
    clipped_loss,
    group_advantages,
    kl_k3,
    token_logprobs,
)
from verifier_service.train.sequences import completion_mask  # noqa: E402

NAN = math.nan


def test_group_advantages_are_relative_to_each_group_and_skip_unscored() -> None:
    rewards = torch.tensor(
        [
            [1.0, 0.0, 1.0, 0.0],  # mean 0.5, std 0.5: +-1
            [1.0, 1.0, 1.0, 1.0],  # no spread: all 0
            [1.0, NAN, 0.0, NAN],  # two scored: mean 0.5, std 0.5; unscored get 0
            [0.0, 0.0, 0.0, 1.0],  # mean 0.25, std sqrt(3)/4
        ]
    )
    advantages, valid = group_advantages(rewards, eps=1e-6)
    third = 0.75 / (math.sqrt(3) / 4)
    expected = torch.tensor(
        [
            [1.0, -1.0, 1.0, -1.0],
            [0.0, 0.0, 0.0, 0.0],
            [1.0, 0.0, -1.0, 0.0],
            [-1 / math.sqrt(3), -1 / math.sqrt(3), -1 / math.sqrt(3), third],
        ]
    )
    assert torch.allclose(advantages, expected, atol=1e-5)
    assert valid.tolist() == [[True] * 4, [True] * 4, [True, False, True, False], [True] * 4]
    assert not torch.isnan(advantages).any()


def test_clipped_loss_values_and_gradients() -> None:
    # two sequences, two completion tokens each (a third, masked, token is ignored)
    ratios = torch.tensor([[1.5, 0.5, 100.0], [1.5, 0.5, 100.0]])
    old = torch.zeros(2, 3)
    logprobs = ratios.log().requires_grad_(True)
    mask = torch.tensor([[1, 1, 0], [1, 1, 0]])
    advantages = torch.tensor([1.0, -1.0])
    parts = clipped_loss(logprobs, old, advantages, mask, clip_eps=0.2)
    # A=+1: min(1.5, 1.2)=1.2 and min(0.5, 0.8)=0.5 -> per-token -1.2, -0.5 -> mean -0.85
    # A=-1: min(-1.5, -1.2)=-1.5 and min(-0.5, -0.8)=-0.8 -> 1.5, 0.8 -> mean 1.15
    assert parts.loss.item() == pytest.approx((-0.85 + 1.15) / 2)
    assert parts.policy == pytest.approx(0.15)
    assert parts.clip_fraction == pytest.approx(1.0)
    assert parts.kl == 0.0
    parts.loss.backward()  # type: ignore[no-untyped-call]
    assert logprobs.grad is not None
    # clipped terms have no gradient; d(ratio)/d(logprob) = ratio, each term weighted 1/(2*2)
    expected = torch.tensor([[0.0, -0.5 / 4, 0.0], [1.5 / 4, 0.0, 0.0]])
    assert torch.allclose(logprobs.grad, expected, atol=1e-6)


def test_unclipped_ratio_one_gives_minus_advantage_and_kl_adds_its_penalty() -> None:
    logprobs = torch.log(torch.tensor([[0.5, 0.5]]))
    ref = torch.log(torch.tensor([[0.25, 0.5]]))
    parts = clipped_loss(
        logprobs,
        logprobs,
        torch.tensor([2.0]),
        torch.ones(1, 2),
        0.2,
        ref_logprobs=ref,
        kl_coef=0.1,
    )
    k3 = 0.5 + math.log(2) - 1  # r = log(0.25/0.5): exp(r) - r - 1
    assert kl_k3(logprobs, ref)[0, 0].item() == pytest.approx(k3)
    assert parts.kl == pytest.approx(k3 / 2)
    assert parts.loss.item() == pytest.approx(-2.0 + 0.1 * k3 / 2)


def test_a_sequence_with_no_scored_token_contributes_nothing() -> None:
    logprobs = torch.zeros(2, 2)
    parts = clipped_loss(
        logprobs, logprobs, torch.tensor([1.0, 5.0]), torch.tensor([[1, 1], [0, 0]]), 0.2
    )
    assert parts.loss.item() == pytest.approx(-1.0)


def test_token_logprobs_and_completion_mask() -> None:
    logits = torch.zeros(1, 3, 4)
    logits[0, 0, 2] = math.log(3.0)  # p(token 2 | position 0) = 3 / 6
    tokens = torch.tensor([[0, 2, 1]])
    assert torch.allclose(
        token_logprobs(logits, tokens), torch.tensor([[math.log(0.5), math.log(1 / 4)]])
    )
    completions = torch.tensor([[5, 2, 0, 0], [5, 6, 7, 8], [2, 2, 2, 2], [5, 9, 2, 0]])
    assert completion_mask(completions, (2,)).tolist() == [
        [1, 1, 0, 0],
        [1, 1, 1, 1],
        [1, 0, 0, 0],
        [1, 1, 1, 0],
    ]
    assert completion_mask(completions, (2, 9)).tolist()[3] == [1, 1, 0, 0]  # end of turn too
