"""The training run: supervised warm-up, greedy evaluation, GRPO with pipelined rewards."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import math
import random
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from verifier_service.train.config import TrainConfig
from verifier_service.train.grpo import clipped_loss, group_advantages, token_logprobs
from verifier_service.train.model import Policy, make_policy
from verifier_service.train.report import MetricsLog, plot, save_checkpoint
from verifier_service.train.rewards import RewardPipeline
from verifier_service.train.sequences import completion_mask, decode_completion, join, pad_left
from verifier_service.train.tasks import Problem, make_problem, make_problems

log = logging.getLogger(__name__)
EVAL_BATCH = 256


@dataclass
class Rollouts:
    """One chunk of samples: G consecutive rows per prompt."""

    tokens: Tensor
    attention: Tensor
    loss_mask: Tensor
    old_logprobs: Tensor
    ref_logprobs: Tensor | None
    rewards: Future[list[float | None]]


class Trainer:
    def __init__(self, config: TrainConfig, service_url: str) -> None:
        self.config = config
        if config.device.startswith("cuda") and not torch.cuda.is_available():
            raise SystemExit(f"config {config.name!r} needs CUDA, and no GPU is visible")
        if config.threads:
            torch.set_num_threads(config.threads)
        torch.manual_seed(config.seed)
        self.device = torch.device(config.device)
        self.policy: Policy = make_policy(config, self.device)
        self.out = Path(config.out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.rewards = RewardPipeline(service_url, config.token, config.reward_timeout_s)
        self.eval_problems = make_problems(
            config.eval_seed, config.eval_size, config.ops, config.digits
        )
        self._held_out = {(p.op, p.a, p.b) for p in self.eval_problems}
        self._rng = random.Random(config.seed)
        self._reference: torch.nn.Module | None = None

    def close(self) -> None:
        self.rewards.close()

    # -- helpers ---------------------------------------------------------------------------
    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.config.dtype == "bfloat16":
            return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _problems(self, count: int) -> list[Problem]:
        """Fresh training problems, never one of the held-out evaluation set."""
        found: list[Problem] = []
        while len(found) < count:
            problem = make_problem(self._rng, self._rng.choice(self.config.ops), self.config.digits)
            if (problem.op, problem.a, problem.b) not in self._held_out:
                found.append(problem)
        return found

    def _logprobs(
        self, tokens: Tensor, attention: Tensor, model: torch.nn.Module | None = None
    ) -> Tensor:
        with self._autocast():
            logits = self.policy.logits(tokens, attention, model)
        return token_logprobs(logits, tokens, self.config.temperature)

    def _items(self, texts: list[str], problems: list[Problem], tag: str) -> list[dict[str, Any]]:
        return [
            {"task": "math", "id": f"{tag}-{i}", "response": text, "reference": problem.reference}
            for i, (text, problem) in enumerate(zip(texts, problems, strict=True))
        ]

    def _generate(
        self, problems: list[Problem], repeats: int, greedy: bool
    ) -> tuple[Tensor, Tensor, Tensor, Tensor, list[str]]:
        prompts = [self.policy.encode_prompt(p.prompt) for p in problems for _ in range(repeats)]
        prompt, prompt_attention = pad_left(prompts, self.policy.pad_id, self.device)
        self.policy.model.eval()
        with self._autocast():
            completions = self.policy.generate(
                prompt,
                prompt_attention,
                self.config.max_new_tokens,
                self.config.temperature,
                greedy,
            )
        mask = completion_mask(completions, self.policy.stop_ids)
        texts = [
            self.policy.decode(decode_completion(row, self.policy.stop_ids))
            for row in completions.tolist()
        ]
        tokens, attention, loss_mask = join(prompt, prompt_attention, completions, mask)
        return tokens, attention, loss_mask, mask, texts

    # -- supervised warm-up ----------------------------------------------------------------
    def warm_up(self) -> dict[str, float]:
        config = self.config
        model = self.policy.model
        if config.sft_steps <= 0:
            return {"sft_steps": 0}
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.sft_lr, weight_decay=0.01)
        warm = max(1, config.sft_steps // 20)

        def schedule(step: int) -> float:
            if step < warm:
                return (step + 1) / warm
            progress = (step - warm) / max(1, config.sft_steps - warm)
            return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
        model.train()
        started, loss_value = time.perf_counter(), float("nan")
        for _ in _progress(range(config.sft_steps), config.progress, "warm-up"):
            problems = self._problems(config.sft_batch)
            prompts = [self.policy.encode_prompt(p.prompt) for p in problems]
            targets = [
                self.policy.encode_target(
                    p.solution(self._rng.random() >= config.sft_direct_fraction)
                )
                for p in problems
            ]
            prompt, prompt_attention = pad_left(prompts, self.policy.pad_id, self.device)
            width = max(len(t) for t in targets)
            target = torch.full((len(targets), width), self.policy.pad_id, dtype=torch.long)
            target_attention = torch.zeros_like(target)
            for i, row in enumerate(targets):
                target[i, : len(row)] = torch.tensor(row)
                target_attention[i, : len(row)] = 1
            tokens, attention, loss_mask = join(
                prompt, prompt_attention, target.to(self.device), target_attention.to(self.device)
            )
            with self._autocast():
                logits = self.policy.logits(tokens, attention)
            logp = token_logprobs(logits, tokens)
            loss = -(logp * loss_mask).sum() / loss_mask.sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            optimizer.step()
            scheduler.step()
            loss_value = loss.item()
        return {
            "sft_steps": config.sft_steps,
            "sft_loss": loss_value,
            "sft_s": time.perf_counter() - started,
        }

    # -- evaluation ------------------------------------------------------------------------
    def evaluate(self, tag: str) -> dict[str, float]:
        """Accuracy on the fixed held-out set, judged by the service: greedy, and one sample
        per problem at the training temperature (what GRPO's reward measures); and the share
        of greedy answers that show worked steps (an `=`) rather than the answer alone."""
        pending: dict[bool, list[Future[list[float | None]]]] = {True: [], False: []}
        worked = 0
        for greedy, runs in pending.items():
            for start in range(0, len(self.eval_problems), EVAL_BATCH):
                problems = self.eval_problems[start : start + EVAL_BATCH]
                texts = self._generate(problems, 1, greedy=greedy)[4]
                worked += sum("=" in text for text in texts) if greedy else 0
                items = self._items(texts, problems, f"{tag}-{greedy:d}-{start}")
                runs.append(self.rewards.submit(items))
        greedy_rewards = [r for future in pending[True] for r in future.result()]
        sampled_rewards = [r for future in pending[False] for r in future.result()]
        return {
            "accuracy": _accuracy(greedy_rewards),
            "sampled_accuracy": _accuracy(sampled_rewards),
            "worked_share": worked / len(self.eval_problems),
        }

    # -- GRPO ------------------------------------------------------------------------------
    def _rollouts(self, step: int) -> tuple[list[Rollouts], float, list[Problem]]:
        """Generate the step's samples chunk by chunk, each chunk's rewards requested at once."""
        config, group = self.config, self.config.samples_per_prompt
        problems = self._problems(config.prompts_per_step)
        chunks: list[Rollouts] = []
        generation_s = 0.0
        for start in range(0, len(problems), config.chunk_prompts):
            chunk = problems[start : start + config.chunk_prompts]
            began = time.perf_counter()
            tokens, attention, loss_mask, _, texts = self._generate(chunk, group, greedy=False)
            expanded = [p for p in chunk for _ in range(group)]
            future = self.rewards.submit(self._items(texts, expanded, f"s{step}-c{start}"))
            with torch.no_grad():
                old = self._logprobs(tokens, attention)
                ref = None
                if self._reference is not None:
                    ref = self._logprobs(tokens, attention, self._reference)
            generation_s += time.perf_counter() - began
            chunks.append(Rollouts(tokens, attention, loss_mask, old, ref, future))
        return chunks, generation_s, problems

    def _update(
        self, chunks: list[Rollouts], advantages: Tensor, valid: Tensor
    ) -> dict[str, float]:
        config, model = self.config, self.policy.model
        width = max(c.tokens.shape[1] for c in chunks)

        def joined(parts: list[Tensor], value: float) -> Tensor:
            """Chunks left-padded to one width (prompts differ in length), then stacked."""
            padded = [F.pad(part, (width - part.shape[1], 0), value=value) for part in parts]
            return torch.cat(padded)

        tokens = joined([c.tokens for c in chunks], self.policy.pad_id)
        attention = joined([c.attention for c in chunks], 0)
        # the loss and logprob tensors are one shorter: they are aligned with tokens[:, 1:]
        loss_mask = joined([F.pad(c.loss_mask, (1, 0)) for c in chunks], 0)[:, 1:]
        old = joined([F.pad(c.old_logprobs, (1, 0)) for c in chunks], 0.0)[:, 1:]
        ref = None
        references = [c.ref_logprobs for c in chunks if c.ref_logprobs is not None]
        if len(references) == len(chunks):
            ref = joined([F.pad(r, (1, 0)) for r in references], 0.0)[:, 1:]
        adv = advantages.flatten().to(self.device)
        keep = valid.flatten().to(self.device)
        loss_mask = loss_mask * keep[:, None].long()
        rows = keep.nonzero().flatten()
        totals = {"loss": 0.0, "policy_loss": 0.0, "kl": 0.0, "clip_fraction": 0.0}
        updates = 0
        model.train()
        for _ in range(config.ppo_epochs):
            order = rows[torch.randperm(len(rows), device=rows.device)]
            for begin in range(0, len(order), config.minibatch_size):
                index = order[begin : begin + config.minibatch_size]
                logprobs = self._logprobs(tokens[index], attention[index])
                parts = clipped_loss(
                    logprobs,
                    old[index],
                    adv[index],
                    loss_mask[index],
                    config.clip_eps,
                    ref_logprobs=None if ref is None else ref[index],
                    kl_coef=config.kl_coef,
                )
                self.optimizer.zero_grad(set_to_none=True)
                parts.loss.backward()  # type: ignore[no-untyped-call]
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
                self.optimizer.step()
                updates += 1
                totals["loss"] += parts.loss.item()
                totals["policy_loss"] += parts.policy
                totals["kl"] += parts.kl
                totals["clip_fraction"] += parts.clip_fraction
        return {key: value / max(1, updates) for key, value in totals.items()}

    def grpo_step(self, step: int) -> dict[str, Any]:
        config = self.config
        began = time.perf_counter()
        chunks, generation_s, _ = self._rollouts(step)
        waited = time.perf_counter()
        rewards = [r for chunk in chunks for r in chunk.rewards.result()]
        reward_wait_s = time.perf_counter() - waited
        scored = [r for r in rewards if r is not None]
        if not scored:
            raise RuntimeError(f"step {step}: the service scored none of {len(rewards)} samples")
        table = torch.tensor(
            [math.nan if r is None else r for r in rewards], dtype=torch.float32
        ).view(-1, config.samples_per_prompt)
        advantages, valid = group_advantages(table, config.adv_eps)
        update_began = time.perf_counter()
        losses = self._update(chunks, advantages, valid)
        update_s = time.perf_counter() - update_began
        step_s = time.perf_counter() - began
        lengths = torch.cat([c.loss_mask.sum(dim=1) for c in chunks]).float()
        return {
            "step": step,
            "generation_s": round(generation_s, 4),
            "reward_wait_s": round(reward_wait_s, 4),
            "reward_wait_fraction": round(reward_wait_s / step_s, 4),
            "update_s": round(update_s, 4),
            "step_s": round(step_s, 4),
            **{key: round(value, 6) for key, value in losses.items()},
            "reward_mean": sum(scored) / len(scored),
            "accuracy": _accuracy(rewards),
            "samples": len(rewards),
            "unscored": len(rewards) - len(scored),
            "samples_per_s": round(len(rewards) / step_s, 2),
            "completion_tokens_mean": round(float(lengths.mean()), 2),
        }

    def run(self) -> dict[str, Any]:
        config = self.config
        (self.out / "config.json").write_text(json.dumps(asdict(config), indent=2) + "\n")
        if config.init_checkpoint:
            state = torch.load(config.init_checkpoint, map_location=self.device, weights_only=True)
            self.policy.model.load_state_dict(state["model"])
        warm_up = self.warm_up()
        torch.save({"model": self.policy.model.state_dict()}, self.out / "warmup.pt")
        before = self.evaluate("eval-before")
        log.info("greedy accuracy after warm-up: %.3f", before["accuracy"])
        if config.kl_coef:
            import copy  # noqa: PLC0415

            self._reference = copy.deepcopy(self.policy.model).eval().requires_grad_(False)
        self.optimizer = torch.optim.AdamW(
            self.policy.model.parameters(), lr=config.lr, weight_decay=0.0
        )
        metrics = MetricsLog(self.out / "metrics.jsonl")
        checkpoints = self.out / "checkpoints"
        started = time.perf_counter()
        try:
            bar = _progress(range(1, config.steps + 1), config.progress, "grpo")
            for step in bar:
                record = self.grpo_step(step)
                metrics.write(record)
                set_postfix = getattr(bar, "set_postfix", None)
                if set_postfix is not None:
                    set_postfix(
                        reward=f"{record['reward_mean']:.3f}",
                        wait=f"{record['reward_wait_fraction']:.2f}",
                    )
                if config.checkpoint_every and step % config.checkpoint_every == 0:
                    self._checkpoint(checkpoints / f"step_{step:06d}.pt", step)
        finally:
            metrics.close()
        grpo_s = time.perf_counter() - started
        self._checkpoint(checkpoints / "final.pt", config.steps)
        after = self.evaluate("eval-after")
        if metrics.records:
            plot(metrics.records, self.out / "reward.png", f"GRPO ({config.name})")
        records = metrics.records
        samples = sum(r["samples"] for r in records)
        step_time = sum(r["step_s"] for r in records)
        summary = {
            "config": config.name,
            **warm_up,
            "accuracy_before": before["accuracy"],
            "accuracy_after": after["accuracy"],
            "sampled_accuracy_before": before["sampled_accuracy"],
            "sampled_accuracy_after": after["sampled_accuracy"],
            "worked_share_before": before["worked_share"],
            "worked_share_after": after["worked_share"],
            "eval_size": len(self.eval_problems),
            "steps": len(records),
            "grpo_s": round(grpo_s, 2),
            "steps_per_s": round(len(records) / max(step_time, 1e-9), 4),
            "samples_per_s": round(samples / max(step_time, 1e-9), 2),
            "reward_wait_fraction": round(
                sum(r["reward_wait_s"] for r in records) / max(step_time, 1e-9), 4
            ),
            "unscored_samples": self.rewards.unscored,
        }
        (self.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        return summary

    def _checkpoint(self, path: Path, step: int) -> None:
        save_checkpoint(path, step, self.policy.model, self.optimizer, asdict(self.config))


def _accuracy(rewards: list[float | None]) -> float:
    """Share of the scored samples judged correct (a None reward was not scored)."""
    scored = [r for r in rewards if r is not None]
    return sum(r >= 1.0 for r in scored) / max(1, len(scored))


def _progress(steps: range, enabled: bool, label: str) -> Iterator[int]:
    if not enabled:
        return iter(steps)
    tqdm = importlib.import_module("tqdm").tqdm  # untyped: no stubs in the train extra
    bar: Iterator[int] = tqdm(steps, desc=label, dynamic_ncols=True, leave=True)
    return bar


@contextlib.contextmanager
def _service(config: TrainConfig) -> Iterator[str]:
    if config.service_url:
        yield config.service_url
        return
    from verifier_service.train.embedded import embedded_service  # noqa: PLC0415

    with embedded_service(config.service_workers, config.token) as url:
        yield url


def train(config: TrainConfig) -> dict[str, Any]:
    """Run `config` end to end; returns the summary also written to `summary.json`."""
    with _service(config) as url:
        trainer = Trainer(config, url)
        try:
            return trainer.run()
        finally:
            trainer.close()
