"""Where answers to `Idempotency-Key` requests are kept: the protocol and the in-memory table.

A key's slot goes through two states. A request that finds it free claims it (`Claimed`) and
must then either `finish` it with its response or `release` it. While claimed, and once
answered, everyone else sees the fingerprint of the claiming request and, once answered, its
response (`Seen`). Embedded mode keeps the table here, in the event loop of the one server
process; queue mode keeps it in Redis (`verifier_service/queue/idempotency.py`) so that API
replicas share it.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response as it was sent: replayed byte for byte."""

    status_code: int
    body: bytes
    media_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Claimed:
    """The caller holds the slot: it must `finish` or `release` it."""

    slot: str
    owner: str


@dataclass(frozen=True, slots=True)
class Seen:
    """Another request holds the slot (`response` None: still being answered) or answered it."""

    fingerprint: str
    response: StoredResponse | None


Claim = Claimed | Seen


class IdempotencyStore(Protocol):
    async def claim(self, slot: str, fingerprint: str) -> Claim:
        """Claim a free slot, or say who holds it and what they answered."""
        ...

    async def wait(self, slot: str, attempt: int) -> None:
        """Return when the slot may have changed (answered, released or expired)."""
        ...

    async def finish(self, lease: Claimed, response: StoredResponse) -> None:
        """Keep `response` for replay and wake the waiters."""
        ...

    async def release(self, lease: Claimed) -> None:
        """Forget the claim (nothing is kept) and wake the waiters: one of them answers."""
        ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Running:
    fingerprint: str
    owner: str
    settled: asyncio.Event


@dataclass(frozen=True, slots=True)
class _Answered:
    fingerprint: str
    response: StoredResponse
    expires_at: float


class MemoryStore:
    """The table of one process: answers kept `ttl_s`, at most `max_keys` of them and
    `max_bytes` of bodies (the oldest answer is forgotten first). Used from one event loop."""

    def __init__(self, *, ttl_s: float, max_keys: int, max_bytes: int) -> None:
        self._ttl_s = ttl_s
        self._max_keys = max_keys
        self._max_bytes = max_bytes
        self._running: dict[str, _Running] = {}
        self._answered: OrderedDict[str, _Answered] = OrderedDict()
        self._bytes = 0

    @property
    def answered(self) -> int:
        """How many answers are kept now."""
        self._expire()
        return len(self._answered)

    async def claim(self, slot: str, fingerprint: str) -> Claim:
        self._expire()
        answered = self._answered.get(slot)
        if answered is not None:
            return Seen(answered.fingerprint, answered.response)
        running = self._running.get(slot)
        if running is not None:
            return Seen(running.fingerprint, None)
        owner = uuid.uuid4().hex
        self._running[slot] = _Running(fingerprint, owner, asyncio.Event())
        return Claimed(slot, owner)

    async def wait(self, slot: str, attempt: int) -> None:
        running = self._running.get(slot)
        if running is not None:
            await running.settled.wait()

    async def finish(self, lease: Claimed, response: StoredResponse) -> None:
        running = self._take(lease)
        if running is None:
            return
        self._answered[lease.slot] = _Answered(
            running.fingerprint, response, time.monotonic() + self._ttl_s
        )
        self._bytes += len(response.body)
        self._evict()
        running.settled.set()

    async def release(self, lease: Claimed) -> None:
        running = self._take(lease)
        if running is not None:
            running.settled.set()

    async def close(self) -> None:
        for running in self._running.values():
            running.settled.set()
        self._running.clear()
        self._answered.clear()
        self._bytes = 0

    def _take(self, lease: Claimed) -> _Running | None:
        running = self._running.get(lease.slot)
        if running is None or running.owner != lease.owner:
            return None
        return self._running.pop(lease.slot)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._answered:
            oldest = next(iter(self._answered.values()))
            if oldest.expires_at > now:
                return
            self._drop_oldest()

    def _evict(self) -> None:
        while self._answered and (
            len(self._answered) > self._max_keys or self._bytes > self._max_bytes
        ):
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        _, dropped = self._answered.popitem(last=False)
        self._bytes -= len(dropped.response.body)
