"""Training configurations (`--config ci|cpu-demo|gpu`), each field overridable by a flag."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields, replace
from typing import Any

OPS = ("add", "sub", "mul", "div")


@dataclass(frozen=True)
class TrainConfig:
    """Every knob of a run. The presets below differ only in these values."""

    name: str = "ci"
    seed: int = 0
    # task
    ops: tuple[str, ...] = ("add",)
    digits: int = 1
    # model: a character-level decoder trained from scratch, or a local Hugging Face causal LM
    model_path: str | None = None
    init_checkpoint: str | None = None  # start from this checkpoint's weights (e.g. warmup.pt)
    d_model: int = 64
    n_layers: int = 2
    n_heads: int = 4
    max_len: int = 160
    # supervised warm-up on step-by-step solutions
    sft_steps: int = 40
    sft_batch: int = 32
    sft_lr: float = 3e-3
    # share of warm-up solutions that give the answer alone, without the worked steps
    sft_direct_fraction: float = 0.0
    # GRPO
    steps: int = 3
    prompts_per_step: int = 4
    samples_per_prompt: int = 4
    chunk_prompts: int = 2
    max_new_tokens: int = 32
    temperature: float = 1.0
    lr: float = 1e-3
    clip_eps: float = 0.2
    kl_coef: float = 0.0
    ppo_epochs: int = 1
    minibatch_size: int = 16
    adv_eps: float = 1e-4
    grad_clip: float = 1.0
    # evaluation: greedy accuracy on a fixed held-out set, before and after GRPO
    eval_size: int = 16
    eval_seed: int = 1_000_003
    # output
    out_dir: str = "runs/ci"
    checkpoint_every: int = 2
    progress: bool = True
    # hardware
    device: str = "cpu"
    dtype: str = "float32"
    threads: int | None = None
    # reward service: an embedded one on a free loopback port unless a URL is given
    service_url: str | None = None
    token: str | None = None
    service_workers: int = 1
    reward_timeout_s: float = 120.0

    def __post_init__(self) -> None:
        unknown = [op for op in self.ops if op not in OPS]
        if unknown or not self.ops:
            raise ValueError(f"ops must be among {', '.join(OPS)}; got {', '.join(self.ops)}")
        if self.dtype not in ("float32", "bfloat16"):
            raise ValueError("dtype must be float32 or bfloat16")
        positive = ("digits", "prompts_per_step", "chunk_prompts", "max_new_tokens", "eval_size")
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0.0 <= self.sft_direct_fraction < 1.0:
            raise ValueError("sft_direct_fraction must be at least 0 and below 1")
        if self.samples_per_prompt < 2:
            raise ValueError("samples_per_prompt must be at least 2 (advantages are per group)")
        if self.d_model % self.n_heads:
            raise ValueError("d_model must be a multiple of n_heads")


CONFIGS: dict[str, TrainConfig] = {
    # Seconds on CPU: a tiny model, a few steps; checks the plumbing end to end.
    "ci": TrainConfig(),
    # About six minutes on 2 cores: 3-digit addition. Half the warm-up solutions give the answer
    # alone; GRPO, rewarded only for correct answers, learns to work step by step and to add
    # better (docs/train.md has the measured run).
    "cpu-demo": TrainConfig(
        name="cpu-demo",
        ops=("add",),
        digits=3,
        d_model=128,
        n_layers=3,
        n_heads=4,
        sft_steps=600,
        sft_batch=64,
        sft_lr=2e-3,
        sft_direct_fraction=0.5,
        steps=40,
        prompts_per_step=64,
        samples_per_prompt=8,
        chunk_prompts=16,
        max_new_tokens=56,
        lr=3e-5,
        kl_coef=0.0,
        minibatch_size=512,
        eval_size=256,
        out_dir="runs/cpu-demo",
        checkpoint_every=20,
        service_workers=1,
    ),
    # One CUDA GPU, bf16 autocast: a larger model, 64 prompts x 16 samples per step.
    "gpu": TrainConfig(
        name="gpu",
        ops=("add", "sub", "mul", "div"),
        digits=4,
        d_model=384,
        n_layers=6,
        n_heads=6,
        max_len=224,
        sft_steps=3000,
        sft_batch=256,
        sft_lr=1e-3,
        sft_direct_fraction=0.5,
        steps=200,
        prompts_per_step=64,
        samples_per_prompt=16,
        chunk_prompts=16,
        max_new_tokens=96,
        lr=3e-5,
        kl_coef=0.02,
        ppo_epochs=1,
        minibatch_size=1024,
        eval_size=1024,
        out_dir="runs/gpu",
        checkpoint_every=50,
        device="cuda",
        dtype="bfloat16",
        service_workers=8,
    ),
}


def _parser_for(annotation: str) -> Any:
    if annotation.startswith("tuple"):
        return lambda text: tuple(part.strip() for part in text.split(",") if part.strip())
    if annotation.startswith("int"):
        return int
    if annotation.startswith("float"):
        return float
    return str


HELP = {
    "seed": "random seed of the run",
    "ops": f"arithmetic operations of the task, comma-separated ({', '.join(OPS)})",
    "digits": "digits per operand",
    "model_path": "a local Hugging Face causal LM directory (none: a small model from scratch)",
    "init_checkpoint": "start from this checkpoint's weights",
    "d_model": "width of the from-scratch model",
    "n_layers": "layers of the from-scratch model",
    "n_heads": "attention heads of the from-scratch model",
    "max_len": "longest sequence, in tokens",
    "sft_steps": "supervised warm-up steps before GRPO",
    "sft_batch": "warm-up batch size",
    "sft_lr": "warm-up learning rate",
    "sft_direct_fraction": "share of warm-up answers given without worked steps",
    "steps": "GRPO steps",
    "prompts_per_step": "prompts per GRPO step",
    "samples_per_prompt": "samples per prompt (a GRPO group; at least 2)",
    "chunk_prompts": "prompts generated at once",
    "max_new_tokens": "longest completion, in tokens",
    "temperature": "sampling temperature",
    "lr": "GRPO learning rate",
    "clip_eps": "PPO clipping range",
    "kl_coef": "KL penalty towards the reference model",
    "ppo_epochs": "passes over each step's samples",
    "minibatch_size": "samples per optimiser step",
    "adv_eps": "added to the group's reward spread when normalising advantages",
    "grad_clip": "gradient norm clip",
    "eval_size": "held-out prompts for the before/after accuracy",
    "eval_seed": "seed of the held-out prompts",
    "out_dir": "where checkpoints and the report are written, relative to the current directory",
    "checkpoint_every": "GRPO steps between checkpoints",
    "progress": "print a line per step",
    "device": "torch device (cpu, cuda)",
    "dtype": "float32 or bfloat16",
    "threads": "torch CPU threads (none: torch's default)",
    "service_url": "a running verifier service (none: an embedded one on a free loopback port)",
    "token": "bearer token for that service",
    "service_workers": "math workers of the embedded service",
    "reward_timeout_s": "deadline of one reward request, in seconds",
}


def _defaults(name: str) -> str:
    """Each preset's value of a field, as the help text shows it."""
    shown = []
    for preset, config in CONFIGS.items():
        value = getattr(config, name)
        written = (
            ",".join(value) if isinstance(value, tuple) else "none" if value is None else value
        )
        shown.append(f"{preset}: {written}")
    return "; ".join(shown)


def add_override_arguments(parser: argparse.ArgumentParser) -> None:
    """One `--field-name` flag per TrainConfig field; unset flags keep the preset's value."""
    group = parser.add_argument_group("overrides (each defaults to the chosen config's value)")
    for field in fields(TrainConfig):
        if field.name == "name":
            continue
        flags = ["--" + field.name.replace("_", "-")]
        if field.name == "model_path":
            flags.insert(0, "--model")  # a local Hugging Face causal LM directory
        annotation = str(field.type)
        text = f"{HELP.get(field.name, field.name)} ({_defaults(field.name)})"
        if annotation == "bool":
            group.add_argument(
                *flags,
                dest=field.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=text,
            )
        else:
            group.add_argument(
                *flags,
                dest=field.name,
                type=_parser_for(annotation),
                default=None,
                metavar="V",
                help=text,
            )


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    base = CONFIGS[args.config]
    changes = {
        field.name: getattr(args, field.name)
        for field in fields(TrainConfig)
        if field.name != "name" and getattr(args, field.name, None) is not None
    }
    return replace(base, **changes)
