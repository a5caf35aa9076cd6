"""The Redis side on its own, against a real Redis: delivery, idempotency, trimming, lag."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.queue.conftest import queue_settings
from tests.support.api import math_item
from tests.support.redis import RedisServer
from verifier_service.queue import keys
from verifier_service.queue.backend import QueueBackend
from verifier_service.queue.broker import Broker, QueueUnavailableError
from verifier_service.queue.codec import (
    ITEMS,
    chunk_bounds,
    make_chunks,
    read_chunk,
    read_results,
    results_payload,
    shape_of,
)
from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import MathResult


@pytest.fixture
def broker(redis_server: RedisServer) -> Iterator[Broker]:
    connected = Broker(redis_server.url)
    connected.ensure_group()
    connected.ensure_group()  # a second process starting finds the group there
    yield connected
    connected.close()


def items(count: int) -> list[Item]:
    return ITEMS.validate_python([math_item(f"\\boxed{{{n}}}", str(n), id=n) for n in range(count)])


def correct(item_id: int) -> MathResult:
    return MathResult(id=item_id, reward=1.0, verdict="correct", reason="test", elapsed_ms=1.0)


def test_a_chunk_answered_twice_lands_once(broker: Broker) -> None:
    chunks = make_chunks("req", items(6), 4, timeout_s=30, ttl_s=60)
    broker.enqueue(chunks)
    entries = broker.read("w1", 10, 100)
    assert [read_chunk(e.fields).index for e in entries] == [0, 1]
    first, second = (read_chunk(e.fields) for e in entries)
    payload = results_payload([correct(n) for n in range(4, 6)])
    broker.deliver(entries[1].entry_id, second, payload)
    broker.deliver(entries[1].entry_id, second, results_payload([]))  # a late duplicate
    assert broker.wait_arrivals("req", 1) == [1]
    assert broker.wait_arrivals("req", 0.05) == []  # the duplicate signalled nothing
    stored = broker.results("req", [0, 1])
    assert stored[0] is None and stored[1] == payload
    assert [r.id for r in read_results(payload, shape_of(second.items()))] == [4, 5]
    assert first.items()[0].id == 0
    assert broker.idle_pending(0)[0].entry_id == entries[0].entry_id  # only chunk 0 pending


def test_trimming_keeps_every_entry_not_yet_acknowledged(broker: Broker) -> None:
    broker.enqueue(make_chunks("req", items(40), 4, timeout_s=30, ttl_s=60))  # 10 entries
    broker.trim()
    assert broker.redis.xlen(keys.STREAM) == 10  # none delivered: nothing trimmed
    assert broker.lag() == 10
    entries = broker.read("w1", 6, 100)
    assert broker.lag() == 4
    for entry in entries[1:]:
        broker.acknowledge(entry.entry_id)
    broker.trim()
    assert broker.redis.xlen(keys.STREAM) == 10  # the oldest is still pending
    broker.acknowledge(entries[0].entry_id)
    broker.trim()
    assert broker.redis.xlen(keys.STREAM) == 5  # the last delivered one and the 4 unread


def test_a_claim_takes_only_entries_idle_long_enough(broker: Broker) -> None:
    broker.enqueue(make_chunks("req", items(4), 4, timeout_s=30, ttl_s=60))
    (entry,) = broker.read("dead-worker", 1, 100)
    assert broker.claim("w2", 60_000, [entry.entry_id]) == []
    claimed = broker.claim("w2", 0, [entry.entry_id])
    assert [c.entry_id for c in claimed] == [entry.entry_id]
    (pending,) = broker.idle_pending(0)
    assert (pending.consumer, pending.deliveries) == ("w2", 2)


def test_an_unreachable_redis_is_a_queue_error(redis_server: RedisServer, broker: Broker) -> None:
    redis_server.stop()
    assert not broker.ping()
    with pytest.raises(QueueUnavailableError):
        broker.enqueue(make_chunks("req", items(1), 4, timeout_s=30, ttl_s=60))


def test_code_items_make_smaller_chunks_than_math_items() -> None:
    code = {
        "task": "code",
        "language": "python",
        "response": "print(1)",
        "tests": {"kind": "stdio", "cases": [{"stdin": "", "stdout": "1\n"}]},
    }
    mixed = ITEMS.validate_python([math_item("\\boxed{1}", "1")] * 40 + [code] * 10)
    assert chunk_bounds(mixed, 32) == [(0, 32), (32, 43), (43, 47), (47, 50)]


def test_the_api_has_a_redis_connection_for_every_scoring_thread(
    redis_server: RedisServer,
) -> None:
    # each scoring thread holds one connection while it waits for its results (BLPOP)
    settings = queue_settings(redis_server, max_concurrent_scoring=700)
    backend = QueueBackend(settings)
    try:
        pool = backend.broker.redis.connection_pool
        assert pool.max_connections > settings.max_concurrent_scoring
    finally:
        backend.close()
