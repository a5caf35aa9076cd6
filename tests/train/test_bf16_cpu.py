"""The bf16 autocast path (`--dtype bfloat16`, the gpu preset's) end to end on CPU."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.server import RunningServer

torch = pytest.importorskip("torch")

from torch import Tensor  # noqa: E402

from verifier_service.train import trainer as trainer_module  # noqa: E402
from verifier_service.train.config import CONFIGS  # noqa: E402
from verifier_service.train.trainer import train  # noqa: E402


def test_ci_config_trains_under_bf16_autocast_on_cpu(
    server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warm-up, evaluation and GRPO steps under autocast(bfloat16), with finite losses.

    A random policy rarely earns a reward, and all-equal rewards give zero advantages (a zero
    loss, no gradient): every sample gets advantage 1 instead, so that each step back-propagates
    a real loss (about -1 at ratio 1) through the autocast forward.
    """

    def all_ones(rewards: Tensor, eps: float) -> tuple[Tensor, Tensor]:
        return torch.ones_like(rewards), ~torch.isnan(rewards)

    monkeypatch.setattr(trainer_module, "group_advantages", all_ones)
    config = replace(
        CONFIGS["ci"],
        dtype="bfloat16",
        device="cpu",
        sft_steps=8,
        sft_batch=16,
        steps=2,
        max_new_tokens=16,
        eval_size=4,
        out_dir=str(tmp_path / "run"),
        service_url=server.base_url,
        progress=False,
    )
    summary = train(config)

    run = tmp_path / "run"
    assert math.isfinite(summary["sft_loss"]) and summary["sft_loss"] > 0
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [record["step"] for record in records] == [1, 2]
    for record in records:
        assert record["unscored"] == 0
        assert all(math.isfinite(record[key]) for key in ("loss", "policy_loss", "kl"))
        assert -1.0 - config.clip_eps <= record["loss"] <= -1.0 + config.clip_eps
    warm = torch.load(run / "warmup.pt", weights_only=True)["model"]
    final = torch.load(run / "checkpoints" / "final.pt", weights_only=True)["model"]
    # parameters stay float32 (autocast only computes in bf16), finite, and GRPO moved them
    assert all(t.dtype == torch.float32 and bool(torch.isfinite(t).all()) for t in final.values())
    assert any(not torch.equal(warm[name], final[name]) for name in final)
