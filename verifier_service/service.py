"""The embedded service: math pool, scorers, metrics and jobs in one process group."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from verifier_service.code.runtime import CodeRuntime
from verifier_service.config import Settings
from verifier_service.jobs.store import JobStore
from verifier_service.metrics import Metrics
from verifier_service.pool import DeadlinePool
from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import Result
from verifier_service.scoring.batch import BatchScorer
from verifier_service.scoring.code_scorer import CodeScorer
from verifier_service.scoring.math_scorer import HANDLER, PRELOAD, WARM_UP, MathScorer


class SaturatedError(RuntimeError):
    """Too many items in flight: the caller should retry after a pause."""

    retry_after_s = 1


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        self.math_pool = DeadlinePool(
            HANDLER,
            size=settings.math_workers,
            memory_mb=settings.math_worker_memory_mb,
            warm_up=WARM_UP,
            preload=PRELOAD,
            name="math",
            on_restart=lambda reason: self.metrics.worker_restarts.labels("math", reason).inc(),
        )
        math = MathScorer(
            self.math_pool,
            default_timeout_s=settings.math_default_timeout_s,
            cache_size=settings.math_cache_size,
            metrics=self.metrics,
        )
        self.code = CodeRuntime(settings, self.metrics)
        self.code_scorer = CodeScorer(self.code, self.metrics)
        self.scorer = BatchScorer(math, self.code_scorer)
        self.jobs = JobStore(self, ttl_s=settings.job_ttl_s, max_jobs=settings.max_jobs)
        self._in_flight = 0
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        self.math_pool.start()
        self.code.start()
        self._started = True

    def close(self) -> None:
        self.jobs.close()
        self.scorer.close()
        self.code_scorer.close()
        self.code.close()
        self.math_pool.close()
        self._started = False

    @property
    def in_flight_items(self) -> int:
        return self._in_flight

    def ready(self) -> bool:
        return self._started and self.math_pool.alive_workers() > 0

    @contextmanager
    def admitted(self, count: int) -> Iterator[None]:
        """Reserve room for `count` items, or raise SaturatedError."""
        with self._lock:
            if self._in_flight and self._in_flight + count > self.settings.max_pending_items:
                raise SaturatedError(f"{self._in_flight} items already in flight")
            self._in_flight += count
            self.metrics.in_flight.set(self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= count
                self.metrics.in_flight.set(self._in_flight)

    def score(self, items: Sequence[Item]) -> list[Result]:
        self.metrics.batch_size.observe(len(items))
        return self.scorer.score(items)
