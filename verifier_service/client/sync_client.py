"""`VerifierClient`: the blocking client of `POST /v1/verify` (thread-safe)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType

import httpx

from verifier_service.client import _core
from verifier_service.client._core import Chunk, ItemLike, Result
from verifier_service.client.async_client import DEFAULT_URL


class VerifierClient:
    """The blocking twin of `AsyncVerifierClient`: same chunking, retries, idempotency keys
    and failure policy (see there). Chunks are sent from a pool of `max_concurrency` threads
    shared by every call, so one instance may be used from many threads at once."""

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
        self._http = httpx.Client(**self.options.http(token, timeout_s))
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._pool = ThreadPoolExecutor(
            max_workers=max_concurrency, thread_name_prefix="verifier-client"
        )
        self._rng = random.Random()
        self._rng_lock = threading.Lock()

    def verify(
        self, items: Sequence[ItemLike], *, raise_on_error: bool | None = None
    ) -> list[Result]:
        """One typed result (`MathResult` or `CodeResult`) per item, in order."""
        strict = self.options.raise_on_error if raise_on_error is None else raise_on_error
        chunks = _core.split(items, self.options.chunk_items)
        if len(chunks) <= 1:
            return [result for chunk in chunks for result in self._send(chunk, strict)]
        futures = [self._pool.submit(self._send, chunk, strict) for chunk in chunks]
        try:
            return [result for future in futures for result in future.result()]
        finally:
            for future in futures:
                future.cancel()

    def rewards(
        self, items: Sequence[ItemLike], *, raise_on_error: bool | None = None
    ) -> list[float | None]:
        """One reward per item, in order: a number in [0, 1], or None when unscored."""
        return [result.reward for result in self.verify(items, raise_on_error=raise_on_error)]

    def _send(self, chunk: Chunk, strict: bool) -> list[Result]:
        body = chunk.body()
        attempt = _core.Attempt("fail")
        for number in range(self.options.retries + 1):
            if number:
                with self._rng_lock:
                    pause = _core.delay_s(
                        number - 1, self.options.backoff_s, attempt.retry_after_s, self._rng
                    )
                time.sleep(pause)
            try:
                with self._slots:
                    reply = self._http.post(
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

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._http.close()

    def __enter__(self) -> VerifierClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
