"""Math items -> results: extract in this process, decide each distinct pair once.

A decision comes from, cheapest first: the LRU cache, the in-process fast rules (text and
exact plain numbers), or a worker process under the item's deadline. An exception while
preparing one item, or while collecting one task's outcome, is that item's (those items')
`error` and a log line with the traceback, never the failure of the whole request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from verifier_service.math.compare import Policy
from verifier_service.math.decision import Decision
from verifier_service.math.extract import extract_answers
from verifier_service.math.judge import (
    judge_normalized,
    no_answer_reason,
    no_reference,
    normalize_all,
    normalize_references,
)
from verifier_service.math.worker import MathTask
from verifier_service.metrics import Metrics
from verifier_service.pool import DeadlinePool, Outcome
from verifier_service.schemas.requests import MathItem
from verifier_service.schemas.results import MathResult
from verifier_service.scoring.cache import LRUCache

HANDLER = "verifier_service.math.worker:judge_task"
WARM_UP = "verifier_service.math.worker:warm_up"
PRELOAD = ("verifier_service.math.forkserver_warm_up",)
log = logging.getLogger(__name__)


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
    """One distinct task in flight and the items it decides."""

    deadline_s: float
    future: Future[Outcome]
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
        """Results in item order; blocks until every item is decided (each within its deadline).

        Each distinct undecided task goes to the pool as soon as its first item is prepared, so
        workers start while the rest of the batch is still being extracted.
        """
        normalized_references: dict[tuple[str, ...], tuple[str, ...]] = {}
        pending: dict[MathTask, _Pending] = {}
        prepared = []
        for item in items:
            entry = self._prepare_on_its_own(item, normalized_references)
            if entry.decision is None and entry.task is not None:
                self._pending_group(entry, pending).items.append(entry)
            prepared.append(entry)
        for task, group in pending.items():
            decision, elapsed_s = self._settle(task, group)
            for entry in group.items:
                entry.decision = decision
                entry.elapsed_s += elapsed_s
        return [self._result(entry) for entry in prepared]

    def _prepare_on_its_own(
        self, item: MathItem, normalized_references: dict[tuple[str, ...], tuple[str, ...]]
    ) -> _Prepared:
        """`_prepare`, with whatever it raises made this item's `error`."""
        started = time.perf_counter()
        try:
            return self._prepare(item, normalized_references)
        except Exception as error:
            log.exception("preparing math item %r failed", item.id)
            entry = _Prepared(item, None, started, time.perf_counter() - started)
            entry.decision = _service_fault(error)
            return entry

    def _settle(self, task: MathTask, group: _Pending) -> tuple[Decision, float]:
        """The task's decision (cached when the worker decided it) and its worker time."""
        try:
            outcome = group.future.result()
            decision = _decision_from(outcome, group.deadline_s)
        except Exception as error:
            log.exception("collecting a math task's outcome failed")
            return _service_fault(error), 0.0
        if outcome.status == "ok":
            self._cache.put(task, decision)
        return decision, outcome.elapsed_s

    def _prepare(
        self, item: MathItem, normalized_references: dict[tuple[str, ...], tuple[str, ...]]
    ) -> _Prepared:
        started = time.perf_counter()
        answers = extract_answers(item.response, item.options.extraction, item.options.anchors)
        entry = _Prepared(item, answers[-1] if answers else None, started)
        if no_reference(item.references):
            entry.decision = Decision("invalid_reference", "the reference is empty")
        elif not answers:
            entry.decision = Decision("no_answer", no_answer_reason(item.options))
        else:
            raw_references = tuple(item.references)
            references = normalized_references.get(raw_references)
            if references is None:
                references = normalize_references(raw_references)
                normalized_references[raw_references] = references
            tolerance = item.options.numeric_tolerance
            entry.task = MathTask(normalize_all(answers), references, tolerance)
            entry.deadline_s = item.options.timeout_s or self._default_timeout_s
            entry.decision = self._quick(entry.task)
        entry.elapsed_s = time.perf_counter() - started
        return entry

    def _pending_group(self, entry: _Prepared, pending: dict[MathTask, _Pending]) -> _Pending:
        """The in-flight task deciding this entry; submitted on first sight (dedup)."""
        assert entry.task is not None
        group = pending.get(entry.task)
        if group is None:
            self._metrics.math_cache.labels("worker").inc()
            future = self._pool.submit(entry.task, entry.deadline_s)
            group = pending[entry.task] = _Pending(entry.deadline_s, future)
        return group

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


def _service_fault(error: Exception) -> Decision:
    return Decision("error", f"the service failed judging this item ({type(error).__name__})")
