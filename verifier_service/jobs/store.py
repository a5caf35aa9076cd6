"""In-memory jobs of the embedded service: run in the background, kept for a TTL."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import JobState, JobStatus, Result

if TYPE_CHECKING:
    from verifier_service.service import Service

CHUNK_ITEMS = 256


class TooManyJobsError(RuntimeError):
    """The store holds its maximum of jobs; retry once some expire."""


@dataclass(slots=True)
class _Job:
    job_id: str
    total: int
    status: JobStatus = "queued"
    results: list[Result] = field(default_factory=list)
    error: str | None = None
    finished_at: float | None = None

    def state(self) -> JobState:
        done = self.status == "done"
        return JobState(
            job_id=self.job_id,
            status=self.status,
            done=len(self.results),
            total=self.total,
            results=list(self.results) if done else None,
            error=self.error,
        )


class JobStore:
    def __init__(self, service: Service, *, ttl_s: float, max_jobs: int) -> None:
        self._service = service
        self._ttl_s = ttl_s
        self._max_jobs = max_jobs
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jobs")

    def create(self, items: list[Item]) -> str:
        with self._lock:
            self._expire()
            if len(self._jobs) >= self._max_jobs:
                raise TooManyJobsError(f"{len(self._jobs)} jobs are held")
            job = _Job(uuid.uuid4().hex, len(items))
            self._jobs[job.job_id] = job
        self._executor.submit(self._run, job, items)
        return job.job_id

    def get(self, job_id: str) -> JobState | None:
        with self._lock:
            self._expire()
            job = self._jobs.get(job_id)
            return job.state() if job else None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: _Job, items: list[Item]) -> None:
        job.status = "running"
        try:
            for start in range(0, len(items), CHUNK_ITEMS):
                job.results.extend(self._service.score(items[start : start + CHUNK_ITEMS]))
            job.status = "done"
        except Exception as error:  # the job must end in a state the caller can read
            job.status, job.error = "failed", f"{type(error).__name__}: {error}"
        job.finished_at = time.monotonic()

    def _expire(self) -> None:
        now = time.monotonic()
        expired = [
            job_id
            for job_id, job in self._jobs.items()
            if job.finished_at is not None and now - job.finished_at > self._ttl_s
        ]
        for job_id in expired:
            del self._jobs[job_id]
