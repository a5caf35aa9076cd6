"""What the HTTP API needs from whatever scores: the embedded service or the Redis queue."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from verifier_service.config import Settings
from verifier_service.metrics import Metrics
from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import JobState, Result
from verifier_service.schemas.service import Language, Readiness


class Backend(Protocol):
    settings: Settings
    metrics: Metrics

    def start(self) -> None: ...

    def close(self) -> None: ...

    def readiness(self) -> Readiness: ...

    def admitted(self, count: int) -> AbstractContextManager[None]:
        """Reserve room for `count` items, or raise SaturatedError (HTTP 429)."""
        ...

    def score(self, items: Sequence[Item]) -> list[Result]: ...

    def create_job(self, items: list[Item]) -> str: ...

    def job(self, job_id: str) -> JobState | None: ...

    def languages(self) -> list[Language]: ...
