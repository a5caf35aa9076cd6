"""The `ci` training config end to end against a real running service."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.support.server import RunningServer

torch = pytest.importorskip("torch")

from verifier_service.train.config import CONFIGS  # noqa: E402
from verifier_service.train.tasks import make_problems  # noqa: E402
from verifier_service.train.trainer import train  # noqa: E402

STEP_FIELDS = {
    "step",
    "generation_s",
    "reward_wait_s",
    "reward_wait_fraction",
    "loss",
    "kl",
    "clip_fraction",
    "reward_mean",
    "accuracy",
    "samples",
    "unscored",
    "samples_per_s",
}


def math_items_scored(client: httpx.Client) -> float:
    text = client.get("/metrics").text
    counts = re.findall(r'^verifier_items_total\{[^}]*task="math"[^}]*\} (\S+)$', text, re.M)
    return sum(float(count) for count in counts)


def test_ci_config_trains_end_to_end(
    server: RunningServer, client: httpx.Client, tmp_path: Path
) -> None:
    config = replace(
        CONFIGS["ci"], out_dir=str(tmp_path / "run"), service_url=server.base_url, progress=False
    )
    scored_before = math_items_scored(client)
    summary = train(config)

    run = tmp_path / "run"
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [record["step"] for record in records] == list(range(1, config.steps + 1))
    for record in records:
        assert record.keys() >= STEP_FIELDS
        assert record["samples"] == config.prompts_per_step * config.samples_per_prompt
        assert record["unscored"] == 0
        assert 0.0 <= record["reward_mean"] <= 1.0 and 0.0 <= record["accuracy"] <= 1.0
        assert 0.0 <= record["reward_wait_fraction"] <= 1.0
    final = torch.load(run / "checkpoints" / "final.pt", weights_only=True)
    assert final["step"] == config.steps and final["model"]
    assert (run / "checkpoints" / f"step_{config.checkpoint_every:06d}.pt").exists()
    assert (run / "reward.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((run / "summary.json").read_text()) == summary
    assert 0.0 <= summary["accuracy_before"] <= 1.0 and summary["eval_size"] == config.eval_size
    for key in ("accuracy", "sampled_accuracy", "worked_share"):
        assert 0.0 <= summary[f"{key}_before"] <= 1.0 and 0.0 <= summary[f"{key}_after"] <= 1.0

    # every sample and both evaluations (greedy and sampled, before and after) were scored here
    expected = config.steps * records[0]["samples"] + 4 * config.eval_size
    assert math_items_scored(client) - scored_before >= expected


@pytest.mark.parametrize("worked", [True, False])
def test_warm_up_solutions_are_scored_correct_by_the_service(
    client: httpx.Client, worked: bool
) -> None:
    problems = make_problems(11, 40, ("add", "sub", "mul", "div"), 3)
    items = [
        {"task": "math", "response": p.solution(worked), "reference": p.reference} for p in problems
    ]
    items += [
        {"task": "math", "response": p.solution(worked), "reference": str(p.answer + 1)}
        for p in problems[:10]
    ]
    results = client.post("/v1/verify", json={"items": items}).json()["results"]
    assert [r["reward"] for r in results] == [1.0] * 40 + [0.0] * 10


def test_train_help_and_lazy_torch() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "verifier_service", "train", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "--config {ci,cpu-demo,gpu}" in done.stdout
    probe = (
        "import sys, verifier_service.cli as cli; cli._parser(); sys.exit('torch' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", probe], timeout=60, check=False).returncode == 0
