"""The embedded service: math pool, scorers, metrics and jobs in one process group."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

from verifier_service.admission import Admission
from verifier_service.code.runtime import CodeRuntime
from verifier_service.config import Settings
from verifier_service.jobs.store import JobStore
from verifier_service.metrics import Metrics
from verifier_service.pool import DeadlinePool
from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import JobState, Result
from verifier_service.schemas.service import Language, Readiness
from verifier_service.scoring.batch import BatchScorer
from verifier_service.scoring.code_scorer import CodeScorer
from verifier_service.scoring.math_scorer import HANDLER, PRELOAD, WARM_UP, MathScorer


class Service:
    """The embedded backend: everything scored in this process group."""

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
        self._admission = Admission(settings.max_pending_items, self.metrics.in_flight)
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
        return self._admission.in_flight

    def ready(self) -> bool:
        return self._started and self.math_pool.alive_workers() > 0

    def readiness(self) -> Readiness:
        return Readiness(ready=self.ready(), math_workers=self.math_pool.alive_workers())

    def admitted(self, count: int) -> AbstractContextManager[None]:
        """Reserve room for `count` items, or raise SaturatedError."""
        return self._admission.admitted(count)

    def score(self, items: Sequence[Item]) -> list[Result]:
        self.metrics.batch_size.observe(len(items))
        return self.scorer.score(items)

    def create_job(self, items: list[Item]) -> str:
        return self.jobs.create(items)

    def job(self, job_id: str) -> JobState | None:
        return self.jobs.get(job_id)

    def languages(self) -> list[Language]:
        """Languages code items may use: those whose toolchain answered inside the jail."""
        toolchains = self.code.toolchains
        if toolchains is None:
            return []
        declared = self.code.registry.languages
        return [
            Language(
                name=name,
                display=declared[name].display,
                aliases=sorted(declared[name].aliases),
                version=version,
            )
            for name, version in sorted(toolchains.versions().items())
        ]
