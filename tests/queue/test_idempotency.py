"""`Idempotency-Key` in queue mode: API replicas share the table through Redis.

Two replicas (`first`, `second`) with the same token and one with another token (`other`)
share one Redis and one worker. Whether a replica scored is read on its /metrics
(`verifier_batch_size_items_count`: one per call into the queue).
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.api.test_hostile_math import SLOW_TO_JUDGE
from tests.queue.conftest import queue_settings
from tests.support.api import math_item
from tests.support.idempotency import SECOND_ANSWER, first_ends_then_second_answers
from tests.support.redis import RedisServer
from tests.support.server import RunningApi, running_api
from tests.support.workers import WorkerFleet
from verifier_service.api.idempotency import (
    HEADER,
    REPLAYED_HEADER,
    Claimed,
    KeyReusedError,
    StoredResponse,
    answer_once,
)
from verifier_service.queue import keys
from verifier_service.queue.backend import QueueBackend
from verifier_service.queue.idempotency import RedisStore

TOKEN = "replica-token-31ab"
OTHER_TOKEN = "another-tenant-9c04"
CLAIM_WAIT_S = 30


@dataclass
class Replica:
    api: RunningApi
    token: str

    def post(self, payload: dict[str, Any], key: str) -> httpx.Response:
        with httpx.Client(base_url=self.api.base_url, timeout=120) as client:
            headers = {HEADER: key, "Authorization": f"Bearer {self.token}"}
            return client.post("/v1/verify", json=payload, headers=headers)

    def metric(self, pattern: str) -> float:
        with httpx.Client(base_url=self.api.base_url, timeout=30) as client:
            text = client.get("/metrics", headers={"Authorization": f"Bearer {self.token}"}).text
        found = re.findall(rf"^{pattern} ([0-9.e+]+)$", text, re.MULTILINE)
        return sum(float(value) for value in found)

    def scored(self) -> float:
        return self.metric("verifier_batch_size_items_count")

    def replays(self) -> float:
        return self.metric(re.escape('verifier_idempotent_replays_total{route="/v1/verify"}'))


@dataclass
class Cluster:
    redis: RedisServer
    first: Replica
    second: Replica
    other: Replica


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    directory = tmp_path_factory.mktemp("idempotency")
    (directory / "redis").mkdir()
    redis = RedisServer(directory / "redis")
    redis.start()
    try:
        with (
            WorkerFleet(redis.url, 1, directory),
            running_api(QueueBackend(queue_settings(redis, api_token=TOKEN))) as first,
            running_api(QueueBackend(queue_settings(redis, api_token=TOKEN))) as second,
            running_api(QueueBackend(queue_settings(redis, api_token=OTHER_TOKEN))) as other,
        ):
            yield Cluster(
                redis, Replica(first, TOKEN), Replica(second, TOKEN), Replica(other, OTHER_TOKEN)
            )
    finally:
        redis.stop()


def sample(n: int = 3) -> dict[str, Any]:
    return {"items": [math_item(rf"so \boxed{{{k}}}", str(k), id=f"q{k}") for k in range(n)]}


def counts(cluster: Cluster) -> list[float]:
    return [r.scored() for r in (cluster.first, cluster.second, cluster.other)]


def test_replicas_replay_each_others_responses(cluster: Cluster) -> None:
    key = str(uuid.uuid4())
    before, replays = counts(cluster), cluster.second.replays()
    first = cluster.first.post(sample(), key)
    assert first.status_code == 200 and REPLAYED_HEADER not in first.headers
    retry = cluster.second.post(sample(), key)
    assert retry.status_code == 200 and retry.headers[REPLAYED_HEADER] == "true"
    assert retry.content == first.content
    assert counts(cluster) == [before[0] + 1, before[1], before[2]]
    assert cluster.second.replays() == replays + 1


def test_a_duplicate_on_another_replica_waits_for_the_first(cluster: Cluster) -> None:
    key = str(uuid.uuid4())
    payload = {
        "items": [
            math_item(rf"\boxed{{{SLOW_TO_JUDGE}}}", "1", options={"timeout_s": 1.5}),
            math_item(r"\boxed{2}", "2"),
        ]
    }
    before = counts(cluster)
    replies: dict[str, httpx.Response] = {}
    sender = threading.Thread(target=lambda: replies.update(first=cluster.first.post(payload, key)))
    sender.start()
    try:
        _wait_for_a_claim(cluster.redis)
        replies["second"] = cluster.second.post(payload, key)
    finally:
        sender.join(timeout=120)
    assert replies["first"].status_code == replies["second"].status_code == 200
    assert replies["second"].content == replies["first"].content
    assert replies["second"].headers[REPLAYED_HEADER] == "true"
    assert [r["verdict"] for r in replies["first"].json()["results"]] == ["timeout", "correct"]
    assert counts(cluster) == [before[0] + 1, before[1], before[2]]


def test_another_token_has_its_own_keys(cluster: Cluster) -> None:
    key = str(uuid.uuid4())
    before = counts(cluster)
    mine = cluster.first.post(sample(2), key)
    theirs = cluster.other.post(sample(2), key)
    assert mine.status_code == theirs.status_code == 200
    assert REPLAYED_HEADER not in theirs.headers
    assert counts(cluster) == [before[0] + 1, before[1], before[2] + 1]


def test_another_body_with_the_same_key_is_a_422_on_any_replica(cluster: Cluster) -> None:
    key = str(uuid.uuid4())
    assert cluster.first.post(sample(2), key).status_code == 200
    before = counts(cluster)
    reply = cluster.second.post(sample(3), key)
    assert reply.status_code == 422 and HEADER in reply.json()["error"]
    assert counts(cluster) == before


def _wait_for_a_claim(redis: RedisServer) -> None:
    """Until some key is claimed and not yet answered (a request is being scored)."""
    client = redis.client()
    deadline = time.monotonic() + CLAIM_WAIT_S
    try:
        while time.monotonic() < deadline:
            slots = client.keys(keys.idempotency("*"))
            if any(client.hexists(slot, "owner") for slot in slots):
                return
            time.sleep(0.01)
        raise AssertionError("the first request never claimed its key")
    finally:
        client.close()


# --- the table itself, two stores standing for two replicas ---------------------------------


def test_a_failed_or_cancelled_claim_frees_the_key_for_another_replica(
    cluster: Cluster,
) -> None:
    async def settle() -> None:
        await asyncio.sleep(0.2)  # the second polls meanwhile

    async def scenario(end_first: str) -> tuple[StoredResponse, bool]:
        mine = RedisStore(cluster.redis.url, ttl_s=60, max_keys=100)
        theirs = RedisStore(cluster.redis.url, ttl_s=60, max_keys=100)
        try:
            return await first_ends_then_second_answers(
                mine, theirs, uuid.uuid4().hex, end_first, settle
            )
        finally:
            await mine.close()
            await theirs.close()

    for end_first in ("fail", "cancel"):
        assert asyncio.run(scenario(end_first)) == (SECOND_ANSWER, False)


def test_a_live_claim_is_renewed_and_a_dead_replicas_claim_lapses(cluster: Cluster) -> None:
    async def scenario() -> None:
        live = RedisStore(cluster.redis.url, ttl_s=60, max_keys=100, lease_s=1.5)
        dead = RedisStore(cluster.redis.url, ttl_s=60, max_keys=100, lease_s=0.3)
        theirs = RedisStore(cluster.redis.url, ttl_s=60, max_keys=100)
        kept, lost = uuid.uuid4().hex, uuid.uuid4().hex

        lease = await live.claim(kept, "f")
        assert isinstance(lease, Claimed)
        await asyncio.sleep(2.0)  # past the lease: only its renewals keep it
        assert await live.redis.hget(keys.idempotency(kept), "owner") == lease.owner.encode()
        await live.finish(lease, StoredResponse(200, b"{}"))

        assert isinstance(await dead.claim(lost, "f"), Claimed)
        await dead.close()  # the replica is gone: nobody renews or releases its claim

        async def produce() -> StoredResponse:
            return StoredResponse(200, b'{"theirs":true}')

        assert await answer_once(theirs, lost, "f", produce) == (await produce(), False)
        assert await answer_once(theirs, kept, "f", produce) == (StoredResponse(200, b"{}"), True)
        await live.close()
        await theirs.close()

    asyncio.run(scenario())


def test_the_redis_table_keeps_2xx_answers_and_forgets_the_oldest(cluster: Cluster) -> None:
    async def scenario() -> None:
        store = RedisStore(cluster.redis.url, ttl_s=60, max_keys=2)
        prefix = uuid.uuid4().hex

        async def ok() -> StoredResponse:
            return StoredResponse(202, b'{"job_id":"j"}')

        async def busy() -> StoredResponse:
            return StoredResponse(429, b"{}")

        assert await answer_once(store, f"{prefix}0", "f", busy) == (await busy(), False)
        for index in range(3):
            assert await answer_once(store, f"{prefix}{index}", "f", ok) == (await ok(), False)
        assert await answer_once(store, f"{prefix}2", "f", busy) == (await ok(), True)
        with pytest.raises(KeyReusedError):
            await answer_once(store, f"{prefix}2", "another", ok)
        assert isinstance(await store.claim(f"{prefix}0", "f"), Claimed)  # the oldest went
        assert await store.redis.zcard(keys.IDEMPOTENCY_ANSWERED) == 2
        await store.close()

    asyncio.run(scenario())
