"""`AsyncVerifierClient`: the asyncio client of `POST /v1/verify`."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from types import TracebackType

import httpx

from verifier_service.client import _core
from verifier_service.client._core import Chunk, ItemLike, Result

DEFAULT_URL = "http://127.0.0.1:8000"


class AsyncVerifierClient:
    """Scores batches of any size against a verifier service, from one event loop.

    A batch longer than `chunk_items` is split into chunks sent concurrently (at most
    `max_concurrency` requests in flight across every call on this client) and the results
    are put back in request order. Connection errors, timeouts, 429, 502, 503 and 504 are
    retried `retries` times with exponential backoff and jitter, never sooner than the
    server's `Retry-After`. Every request carries an `Idempotency-Key` header (a uuid per
    chunk, the same across that chunk's retries); the server may ignore it today, in which
    case a retried chunk is simply scored again (scoring is deterministic and side-effect
    free, so this is safe).

    When a chunk still fails after its retries (or gets a 500 or an unreadable reply), its
    items come back with `reward=None` and `verdict="error"`, never 0, unless
    `raise_on_error=True`, which raises `VerifierUnavailableError` instead. A 4xx other than
    429 is the caller's bug and always raises (`VerifierAuthError`, `VerifierRequestError`).

    Like `httpx.AsyncClient`, an instance belongs to the event loop that first uses it.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout_s: float = 600.0,
        chunk_items: int = 1024,
        max_concurrency: int = 4,
        retries: int = 5,
        backoff_s: float = 0.5,
        raise_on_error: bool = False,
    ) -> None:
        self.options = _core.Options(
            base_url.rstrip("/"), chunk_items, max_concurrency, retries, backoff_s, raise_on_error
        )
        self._http = httpx.AsyncClient(**self.options.http(token, timeout_s))
        self._slots = asyncio.Semaphore(max_concurrency)
        self._rng = random.Random()

    async def verify(
        self, items: Sequence[ItemLike], *, raise_on_error: bool | None = None
    ) -> list[Result]:
        """One typed result (`MathResult` or `CodeResult`) per item, in order."""
        strict = self.options.raise_on_error if raise_on_error is None else raise_on_error
        chunks = _core.split(items, self.options.chunk_items)
        if not chunks:
            return []
        tasks = [asyncio.ensure_future(self._send(chunk, strict)) for chunk in chunks]
        try:
            parts = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            raise
        return [result for part in parts for result in part]

    async def rewards(
        self, items: Sequence[ItemLike], *, raise_on_error: bool | None = None
    ) -> list[float | None]:
        """One reward per item, in order: a number in [0, 1], or None when unscored."""
        return [result.reward for result in await self.verify(items, raise_on_error=raise_on_error)]

    async def _send(self, chunk: Chunk, strict: bool) -> list[Result]:
        body = chunk.body()
        attempt = _core.Attempt("fail")
        for number in range(self.options.retries + 1):
            if number:
                await asyncio.sleep(
                    _core.delay_s(
                        number - 1, self.options.backoff_s, attempt.retry_after_s, self._rng
                    )
                )
            try:
                async with self._slots:
                    reply = await self._http.post(
                        _core.VERIFY_PATH,
                        content=body,
                        headers={_core.IDEMPOTENCY_HEADER: chunk.key},
                    )
            except httpx.TransportError as error:
                attempt = _core.transport_failure(error)
            else:
                attempt = _core.judge(reply, chunk)
            if attempt.action == "done" and attempt.results is not None:
                return attempt.results
            if attempt.action == "fail":
                break
        if strict:
            raise _core.unavailable(chunk, attempt, number + 1)
        return _core.error_results(chunk, attempt.reason)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncVerifierClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
