"""Liveness and readiness answer while every scoring thread is busy.

A real `verifier-service serve` in queue mode, a real redis-server and no worker: each
/v1/verify request then waits in Redis (BLPOP) until VERIFIER_QUEUE_TIMEOUT_S and answers
`error` results. With more such requests in flight than anyio's default thread limiter holds
(40, which FastAPI also runs `def` routes on), /healthz, /readyz and /metrics must still answer
before any of them completes: a probe stuck behind scoring would get a busy pod restarted.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.api import math_item
from tests.support.process import serving
from tests.support.redis import RedisServer

REQUESTS = 50
QUEUE_TIMEOUT_S = 8
PROBES = ("/healthz", "/readyz", "/metrics")


@pytest.fixture
def queue_api(tmp_path: Path) -> Iterator[tuple[str, RedisServer]]:
    """`verifier-service serve --redis-url` on a real redis-server, with no worker."""
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        environment = {"VERIFIER_QUEUE_TIMEOUT_S": str(QUEUE_TIMEOUT_S)}
        with serving("--redis-url", redis.url, logs=tmp_path, environment=environment) as url:
            yield url, redis
    finally:
        redis.stop()


class Arrivals:
    """The order in which answers reached the client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: list[str] = []

    def record(self, name: str) -> None:
        with self._lock:
            self._names.append(name)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._names)


def most_waiting_in_redis(redis: RedisServer, arrivals: Arrivals) -> int:
    """Watch Redis until all the requests wait there at once (BLPOP) or one of them has been
    answered; the most seen waiting at once."""
    client = redis.client()
    most = 0
    try:
        while most < REQUESTS and not arrivals.names():
            most = max(most, int(client.info("clients")["blocked_clients"]))
            time.sleep(0.02)
    finally:
        client.close()
    return most


def test_probes_answer_while_every_scoring_request_is_pending(
    queue_api: tuple[str, RedisServer],
) -> None:
    base_url, redis = queue_api
    arrivals = Arrivals()
    limits = httpx.Limits(max_connections=REQUESTS + len(PROBES))
    with (
        httpx.Client(base_url=base_url, timeout=120, limits=limits) as client,
        ThreadPoolExecutor(REQUESTS) as senders,
    ):

        def verify(index: int) -> httpx.Response:
            body = {"items": [math_item(r"so \boxed{2}", "2", id=f"r{index}")]}
            try:
                return client.post("/v1/verify", json=body)
            finally:
                arrivals.record(f"verify {index}")

        pending = [senders.submit(verify, index) for index in range(REQUESTS)]
        waiting = most_waiting_in_redis(redis, arrivals)
        probes: dict[str, httpx.Response] = {}
        for path in PROBES:
            probes[path] = client.get(path)
            arrivals.record(path)
        replies = [future.result() for future in pending]

    order = arrivals.names()
    scored_before = {path: order.index(path) - PROBES.index(path) for path in PROBES}
    assert scored_before == dict.fromkeys(PROBES, 0), (
        f"probes answered only after this many of the {REQUESTS} scoring requests: "
        f"{scored_before} (at most {waiting} of them were waiting in Redis at once)"
    )
    assert waiting == REQUESTS, f"only {waiting} of {REQUESTS} requests waited at once"

    assert probes["/healthz"].status_code == 200
    assert probes["/healthz"].json() == {"status": "ok"}
    readiness = probes["/readyz"]
    assert readiness.status_code == 503, readiness.text  # Redis answers, but no worker is up
    assert readiness.json()["mode"] == "queue"
    assert readiness.json()["redis"] is True
    assert readiness.json()["workers"] == 0
    assert probes["/metrics"].status_code == 200
    assert f"verifier_items_in_flight {float(REQUESTS)}" in probes["/metrics"].text

    for index, reply in enumerate(replies):
        assert reply.status_code == 200, reply.text
        [result] = reply.json()["results"]
        assert result["id"] == f"r{index}"
        assert result["verdict"] == "error"
        assert result["reward"] is None
        assert result["reason"] == f"no worker answered within {QUEUE_TIMEOUT_S} s"


def test_liveness_answers_while_redis_hangs(queue_api: tuple[str, RedisServer]) -> None:
    # A stopped (SIGSTOP) redis-server keeps its connections open and answers nothing: the
    # API's Redis calls block until their socket timeout. Admitting a request must not make
    # the event loop wait on that, or /healthz would hang with it.
    base_url, redis = queue_api
    assert redis.process is not None
    arrivals = Arrivals()
    with (
        httpx.Client(base_url=base_url, timeout=120) as client,
        ThreadPoolExecutor(1) as sender,
    ):

        def verify() -> httpx.Response:
            try:
                return client.post("/v1/verify", json={"items": [math_item(r"\boxed{2}", "2")]})
            finally:
                arrivals.record("verify")

        os.kill(redis.process.pid, signal.SIGSTOP)
        try:
            time.sleep(1)  # older lag measurements are stale by now
            pending = sender.submit(verify)
            time.sleep(0.5)  # the request is being admitted
            health = client.get("/healthz", timeout=5)
            arrivals.record("/healthz")
        finally:
            os.kill(redis.process.pid, signal.SIGCONT)
        pending.result()

    assert health.status_code == 200
    assert arrivals.names() == ["/healthz", "verify"]
