"""Math items -> results: extract in this process, decide each distinct pair once.

A decision comes from, cheapest first: the LRU cache, the in-process fast rules (text and
exact plain numbers), or a worker process under the item's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from verifier_service.math.compare import Policy
from verifier_service.math.decision import Decision
from verifier_service.math.extract import extract_answers
from verifier_service.math.judge import judge_normalized, no_answer_reason, normalize_all
from verifier_service.math.worker import MathTask
from verifier_service.metrics import Metrics
from verifier_service.pool import DeadlinePool, Outcome
from verifier_service.schemas.requests import MathItem
from verifier_service.schemas.results import MathResult
from verifier_service.scoring.cache import LRUCache

HANDLER = "verifier_service.math.worker:judge_task"
WARM_UP = "verifier_service.math.worker:warm_up"


@dataclass(slots=True)
class _Prepared:
    """One item after extraction: its decision, or the key of the task that decides it."""

    item: MathItem
    extracted: str | None
    started: float
    elapsed_s: float = 0.0
    decision: Decision | None = None
    task: MathTask | None = None
    deadline_s: float = 0.0


@dataclass(slots=True)
class _Pending:
    deadline_s: float
    future: Future[Outcome] | None = None
    items: list[_Prepared] = field(default_factory=list)


class MathScorer:
    def __init__(
        self, pool: DeadlinePool, *, default_timeout_s: float, cache_size: int, metrics: Metrics
    ) -> None:
        self._pool = pool
        self._default_timeout_s = default_timeout_s
        self._cache: LRUCache[MathTask, Decision] = LRUCache(cache_size)
        self._metrics = metrics

    def score(self, items: Sequence[MathItem]) -> list[MathResult]:
        """Results in item order; blocks until every item is decided (each within its deadline)."""
        prepared = [self._prepare(item) for item in items]
        pending = self._dispatch(prepared)
        for group in pending.values():
            assert group.future is not None
            outcome = group.future.result()
            decision = _decision_from(outcome, group.deadline_s)
            if outcome.status == "ok":
                self._cache.put(group.items[0].task, decision)  # type: ignore[arg-type]
            for entry in group.items:
                entry.decision = decision
                entry.elapsed_s += outcome.elapsed_s
        return [self._result(entry) for entry in prepared]

    def _prepare(self, item: MathItem) -> _Prepared:
        started = time.perf_counter()
        answers = extract_answers(item.response, item.options.extraction)
        entry = _Prepared(item, answers[-1] if answers else None, started)
        if not answers:
            entry.decision = Decision("no_answer", no_answer_reason(item.options))
        else:
            entry.task = MathTask(
                normalize_all(answers),
                normalize_all(item.references),
                item.options.numeric_tolerance,
            )
            entry.deadline_s = item.options.timeout_s or self._default_timeout_s
            entry.decision = self._quick(entry.task)
        entry.elapsed_s = time.perf_counter() - started
        return entry

    def _quick(self, task: MathTask) -> Decision | None:
        cached = self._cache.get(task)
        if cached is not None:
            self._metrics.math_cache.labels("cache").inc()
            return cached
        decision = judge_normalized(
            task.answers, task.references, Policy(task.tolerance), deep=False
        )
        if decision is not None:
            self._metrics.math_cache.labels("fast_rules").inc()
            self._cache.put(task, decision)
        return decision

    def _dispatch(self, prepared: list[_Prepared]) -> dict[MathTask, _Pending]:
        """Group undecided items by task (dedup), then submit each distinct task once."""
        pending: dict[MathTask, _Pending] = {}
        for entry in prepared:
            if entry.decision is None and entry.task is not None:
                group = pending.setdefault(entry.task, _Pending(entry.deadline_s))
                group.deadline_s = max(group.deadline_s, entry.deadline_s)
                group.items.append(entry)
        for task, group in pending.items():
            self._metrics.math_cache.labels("worker").inc()
            group.future = self._pool.submit(task, group.deadline_s)
        return pending

    def _result(self, entry: _Prepared) -> MathResult:
        decision = entry.decision
        assert decision is not None
        self._metrics.items.labels("math", decision.verdict).inc()
        self._metrics.item_latency.labels("math").observe(entry.elapsed_s)
        return MathResult(
            id=entry.item.id,
            reward=decision.reward,
            verdict=decision.verdict,
            extracted=entry.extracted,
            reason=decision.reason,
            elapsed_ms=round(entry.elapsed_s * 1000, 3),
        )


def _decision_from(outcome: Outcome, deadline_s: float) -> Decision:
    if outcome.status == "ok":
        decision: Decision = outcome.value
        return decision
    if outcome.status == "timeout":
        return Decision("timeout", f"judging took longer than the {deadline_s:g} s deadline")
    if outcome.status == "memory":
        return Decision("timeout", "judging exceeded the worker's memory cap")
    return Decision("error", f"math worker fault ({outcome.status}): {outcome.detail}")
