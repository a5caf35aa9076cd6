"""The idempotency table in Redis, shared by every API replica (queue mode).

One hash per slot (`keys.idempotency`). A request claims a free slot with one script that
creates the hash (fingerprint and its owner id) with a short lease; it renews the lease while
it scores, so a replica that dies mid-request frees the key within `LEASE_S`. Finishing is one
script too: if the caller still owns the slot, the owner is replaced by the response (status,
media type, body) and the hash lives for the TTL; the slot is added to a sorted set of answered
slots by time, and the oldest are deleted past `max_keys`. Releasing deletes the hash if the
caller still owns it. A repeat on any replica sees the hash: it replays the response, or polls
until the owner finishes, releases or its lease lapses. (Slot keys are named by the scripts
from the sorted set, so this needs one Redis, not a Redis Cluster, like the rest of the queue.)
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, cast

import redis.asyncio as aioredis

from verifier_service.api.idempotency.store import Claim, Claimed, Seen, StoredResponse
from verifier_service.queue import keys
from verifier_service.queue.broker import (
    SOCKET_TIMEOUT_S,
    QueueUnavailableError,
    unavailable_as_error,
)

log = logging.getLogger(__name__)

LEASE_S = 15.0  # a claim not renewed for this long is free again (its replica died)
POLL_FIRST_S = 0.01  # a waiter polls from this, doubling, up to POLL_MAX_S
POLL_MAX_S = 0.25

CLAIM = """
local seen = redis.call('HMGET', KEYS[1], 'fingerprint', 'status', 'media_type', 'body')
if seen[1] then
  return seen
end
redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'owner', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return false
"""
RENEW = """
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
FINISH = """
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return 0
end
redis.call('HDEL', KEYS[1], 'owner')
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'media_type', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[6], KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[6]) - tonumber(ARGV[5]))
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[7])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
  for _, slot in ipairs(oldest) do
    redis.call('DEL', slot)
  end
end
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
"""
RELEASE = """
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisStore:
    """`IdempotencyStore` in Redis: answers kept `ttl_s`, at most `max_keys` of them; a claim
    is renewed every third of `lease_s` while its request runs."""

    def __init__(self, url: str, *, ttl_s: float, max_keys: int, lease_s: float = LEASE_S) -> None:
        self._ttl_ms = max(1, int(ttl_s * 1000))
        self._lease_ms = max(1, int(lease_s * 1000))
        self._renew_every_s = lease_s / 3
        self._max_keys = max_keys
        self.redis = aioredis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S
        )
        self._claim = self.redis.register_script(CLAIM)
        self._renew = self.redis.register_script(RENEW)
        self._finish = self.redis.register_script(FINISH)
        self._release = self.redis.register_script(RELEASE)
        self._renewals: dict[str, asyncio.Task[None]] = {}

    async def claim(self, slot: str, fingerprint: str) -> Claim:
        owner = uuid.uuid4().hex
        key = keys.idempotency(slot)
        with unavailable_as_error():
            seen = await self._claim(keys=[key], args=[fingerprint, owner, self._lease_ms])
        if seen is None:
            lease = Claimed(slot, owner)
            self._renewals[owner] = asyncio.create_task(self._keep(lease))
            return lease
        return _seen(cast(list[bytes | None], seen))

    async def wait(self, slot: str, attempt: int) -> None:
        await asyncio.sleep(min(POLL_FIRST_S * 2 ** min(attempt, 16), POLL_MAX_S))

    async def finish(self, lease: Claimed, response: StoredResponse) -> None:
        self._stop_renewing(lease)
        args: list[Any] = [
            lease.owner,
            response.status_code,
            response.media_type,
            response.body,
            self._ttl_ms,
            int(time.time() * 1000),
            self._max_keys,
        ]
        try:
            with unavailable_as_error():
                await self._finish(
                    keys=[keys.idempotency(lease.slot), keys.IDEMPOTENCY_ANSWERED], args=args
                )
        except QueueUnavailableError as error:  # the caller has its answer; repeats rescore
            log.warning("could not keep an idempotent response: %s", error)

    async def release(self, lease: Claimed) -> None:
        self._stop_renewing(lease)
        try:
            with unavailable_as_error():
                await self._release(keys=[keys.idempotency(lease.slot)], args=[lease.owner])
        except QueueUnavailableError as error:  # the lease lapses on its own
            log.warning("could not release an idempotency key: %s", error)

    async def close(self) -> None:
        for task in self._renewals.values():
            task.cancel()
        self._renewals.clear()
        await self.redis.aclose()

    async def _keep(self, lease: Claimed) -> None:
        """Renew the lease until the claim is finished or released (or lost)."""
        key = keys.idempotency(lease.slot)
        while True:
            await asyncio.sleep(self._renew_every_s)
            try:
                with unavailable_as_error():
                    kept = await self._renew(keys=[key], args=[lease.owner, self._lease_ms])
            except QueueUnavailableError as error:
                log.warning("could not renew an idempotency key: %s", error)
                continue
            if not kept:
                return

    def _stop_renewing(self, lease: Claimed) -> None:
        task = self._renewals.pop(lease.owner, None)
        if task is not None:  # a renewal already on its way is harmless: it checks the owner
            task.cancel()


def _seen(fields: list[bytes | None]) -> Seen:
    fingerprint, status, media_type, body = fields
    assert fingerprint is not None
    if status is None:
        return Seen(fingerprint.decode(), None)
    response = StoredResponse(int(status), body or b"", (media_type or b"").decode())
    return Seen(fingerprint.decode(), response)
