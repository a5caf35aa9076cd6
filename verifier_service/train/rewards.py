"""Rewards from the service, pipelined: each chunk is sent as soon as it is generated.

One asyncio loop runs in a background thread with one `AsyncVerifierClient`; `submit` hands it a
chunk and returns at once, so scoring overlaps the generation of the next chunk. The client
retries transient failures itself; an item it still cannot get scored comes back None (never 0),
and a 4xx (a bad token, a malformed item) raises from the future: that is a bug to surface.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from verifier_service.client import AsyncVerifierClient

T = TypeVar("T")


class RewardPipeline:
    def __init__(self, base_url: str, token: str | None, timeout_s: float) -> None:
        self.unscored = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rewards", daemon=True)
        self._thread.start()

        async def open_client() -> AsyncVerifierClient:
            # created inside the loop it will be used from
            return AsyncVerifierClient(base_url, token=token, timeout_s=timeout_s)

        self._client = self._call(open_client()).result(timeout=30)

    def _call(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def submit(self, items: list[dict[str, Any]]) -> Future[list[float | None]]:
        """Score `items` in the background; the future holds one reward (or None) per item."""
        return self._call(self._score(items))

    async def _score(self, items: list[dict[str, Any]]) -> list[float | None]:
        rewards = await self._client.rewards(items)
        if len(rewards) != len(items):
            raise RuntimeError(f"{len(items)} items sent, {len(rewards)} rewards received")
        self.unscored += sum(reward is None for reward in rewards)
        return rewards

    def close(self) -> None:
        try:
            self._call(self._client.aclose()).result(timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop.close()
