"""GRPO training throughput and effect: one `verifier-service train` config, summarised.

    python benchmarks/grpo_train.py --config gpu --output benchmarks/results/grpo_gpu.txt

Prints steps/s, samples/s, the fraction of step time spent waiting on rewards after generation,
held-out accuracy before and after GRPO (greedy, and one sample per problem at the training
temperature) and how the completions' length moved. Needs the `train` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from dataclasses import replace
from pathlib import Path

from reporting import Output

from verifier_service.train.config import CONFIGS
from verifier_service.train.trainer import train


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="gpu")
    parser.add_argument("--steps", type=int, help="GRPO steps (default: the config's)")
    parser.add_argument("--service-url", help="a running service (default: an embedded one)")
    parser.add_argument("--out-dir", default=None, help="run directory")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args()
    config = replace(
        CONFIGS[args.config],
        progress=False,
        **{
            k: v
            for k, v in (
                ("steps", args.steps),
                ("service_url", args.service_url),
                ("out_dir", args.out_dir),
            )
            if v is not None
        },
    )
    out = Output(args.output)
    import torch  # noqa: PLC0415

    device = torch.cuda.get_device_name() if config.device == "cuda" else f"{os.cpu_count()} CPUs"
    out(
        f"# GRPO ({config.name}): {device}, torch {torch.__version__}, "
        f"Python {platform.python_version()}"
    )
    out(
        f"{config.prompts_per_step} prompts x {config.samples_per_prompt} samples per step, "
        f"chunks of {config.chunk_prompts} prompts, {config.steps} steps, ops "
        f"{','.join(config.ops)} with {config.digits} digits, d_model {config.d_model}, "
        f"{config.n_layers} layers, {config.dtype}"
    )
    summary = train(config)
    out(f"warm-up: {summary['sft_steps']} steps in {summary.get('sft_s', 0):.1f} s")
    out(f"steps/s: {summary['steps_per_s']:.3f}; samples/s: {summary['samples_per_s']:.1f}")
    out(f"reward-wait fraction (after generation): {summary['reward_wait_fraction']:.3f}")
    out(
        f"greedy accuracy on {summary['eval_size']} held-out problems: "
        f"{summary['accuracy_before']:.3f} before GRPO, {summary['accuracy_after']:.3f} after"
    )
    out(
        f"sampled accuracy (one sample per problem at temperature {config.temperature}): "
        f"{summary['sampled_accuracy_before']:.3f} before GRPO, "
        f"{summary['sampled_accuracy_after']:.3f} after"
    )
    out(
        f"greedy answers showing worked steps: {summary['worked_share_before']:.3f} before GRPO, "
        f"{summary['worked_share_after']:.3f} after"
    )
    out(_trajectory(Path(config.out_dir) / "metrics.jsonl"))
    out(f"unscored samples: {summary['unscored_samples']}; run directory {config.out_dir}")
    out.close()
    return 0


def _trajectory(metrics: Path) -> str:
    """Training reward and completion length, first steps against last ones."""
    records = [json.loads(line) for line in metrics.read_text().splitlines() if line]
    if not records:
        return "no GRPO steps"
    window = max(1, len(records) // 8)

    def mean(key: str, part: list[dict[str, float]]) -> float:
        return sum(r[key] for r in part) / len(part)

    first, last = records[:window], records[-window:]
    return (
        f"steps 1-{window} -> last {window}: sampled training accuracy "
        f"{mean('accuracy', first):.3f} -> {mean('accuracy', last):.3f}, completion tokens "
        f"{mean('completion_tokens_mean', first):.1f} -> {mean('completion_tokens_mean', last):.1f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
