"""Run outputs: metrics as JSON lines, a PNG of reward and accuracy per step, checkpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import torch


class MetricsLog:
    """One JSON object per line, flushed as each is written (a crash keeps what was logged)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: list[dict[str, Any]] = []
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def plot(records: list[dict[str, Any]], path: Path, title: str) -> None:
    """Mean reward and accuracy of the sampled completions, per GRPO step."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    steps = [record["step"] for record in records]
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(steps, [record["reward_mean"] for record in records], label="mean reward")
    axes.plot(steps, [record["accuracy"] for record in records], label="accuracy", ls="--")
    axes.set_xlabel("GRPO step")
    axes.set_ylim(-0.02, 1.02)
    axes.set_title(title)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def save_checkpoint(
    path: Path,
    step: int,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    config: dict[str, Any],
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "step": step,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "config": config,
    }
    torch.save(state, path)
