"""Threads for blocking scoring calls, apart from the ones FastAPI runs `def` routes on.

FastAPI runs every `def` route and dependency (/readyz, /metrics, the token check) on anyio's
default thread limiter: 40 threads. A scoring call holds its thread until the batch is scored:
in queue mode until the workers answer, up to VERIFIER_QUEUE_TIMEOUT_S. On that same limiter,
40 slow requests would leave /readyz waiting behind them and Kubernetes would take a busy pod
out of service. So the routes that score run their blocking call here instead:

    results = await threads.run(service.score, items)      # threads: ScoringThreadsDep

on a limiter of its own, VERIFIER_MAX_CONCURRENT_SCORING threads, made in the app's lifespan
(an anyio limiter belongs to the event loop it was made on). A request past that many waits
for a thread without holding one; admission (HTTP 429) still bounds the items in flight.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, FastAPI, Request

Params = ParamSpec("Params")
Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class ScoringThreads:
    limiter: CapacityLimiter

    async def run(
        self, function: Callable[Params, Value], *args: Params.args, **kwargs: Params.kwargs
    ) -> Value:
        """`function(*args, **kwargs)` on a scoring thread; its result (or its exception)."""
        call = functools.partial(function, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self.limiter)


def open_scoring_threads(app: FastAPI, max_concurrent: int) -> None:
    """Call from the lifespan, on the event loop that serves the app."""
    app.state.scoring_threads = ScoringThreads(CapacityLimiter(max_concurrent))


async def scoring_threads(request: Request) -> ScoringThreads:
    # async: a `def` dependency would itself take a thread of the default limiter
    threads: ScoringThreads = request.app.state.scoring_threads
    return threads


ScoringThreadsDep = Annotated[ScoringThreads, Depends(scoring_threads)]
