"""Faults with real processes: a worker killed mid-chunk, Redis restarted, a poison chunk,
saturation, and no worker at all."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.code.test_judging import code_item, stdio
from tests.queue.conftest import queue_settings
from tests.support.api import math_item, verify
from tests.support.redis import RedisServer
from tests.support.server import running_api
from tests.support.workers import WorkerFleet
from verifier_service.queue import keys
from verifier_service.queue.backend import LAG_INTERVAL_S, QueueBackend
from verifier_service.queue.broker import Broker

SLOW = "import time\ntime.sleep(0.4)\nprint(int(input()) * 2)"


def slow_items(count: int) -> list[dict[str, Any]]:
    tests = stdio([{"stdin": "21\n", "stdout": "42\n"}])
    return [code_item("python", SLOW, tests, id=f"slow-{n}") for n in range(count)]


def in_background(
    client: httpx.Client, items: list[dict[str, Any]]
) -> tuple[threading.Thread, list[list[dict[str, Any]]]]:
    """POST /v1/verify on a thread: the thread, and the list its results land in."""
    replies: list[list[dict[str, Any]]] = []
    request = threading.Thread(target=lambda: replies.append(verify(client, *items)))
    request.start()
    return request, replies


def test_a_worker_killed_mid_chunk_loses_nothing_and_duplicates_nothing(
    redis_server: RedisServer, api_client: httpx.Client, tmp_path: Path
) -> None:
    items = slow_items(24)
    with WorkerFleet(redis_server.url, 2, tmp_path) as fleet:
        request, replies = in_background(api_client, items)
        time.sleep(1.5)  # both workers hold chunks now
        fleet.kill(0)
        request.join(timeout=120)
        chunks = _metric_sum(redis_server, "verifier_queue_chunks_total", 'outcome="reclaimed"')
    assert replies, "the request never answered"
    results = replies[0]
    assert [r["id"] for r in results] == [item["id"] for item in items]  # once each, in order
    assert all(r["verdict"] == "accepted" for r in results), [r["reason"] for r in results]
    assert chunks >= 1, "no chunk was reclaimed from the killed worker"


def test_a_worker_stopped_with_sigterm_finishes_its_chunks_first(
    redis_server: RedisServer, api_client: httpx.Client, tmp_path: Path
) -> None:
    items = slow_items(12)
    with WorkerFleet(redis_server.url, 2, tmp_path) as fleet:
        request, replies = in_background(api_client, items)
        time.sleep(1.5)
        fleet.processes[0].send_signal(signal.SIGTERM)
        assert fleet.processes[0].wait(timeout=60) == 0
        request.join(timeout=120)
        reclaimed = _metric_sum(redis_server, "verifier_queue_chunks_total", 'outcome="reclaimed"')
    assert replies and [r["verdict"] for r in replies[0]] == ["accepted"] * len(items)
    assert reclaimed == 0  # nothing was left for the sweeper


def test_redis_restart_gives_503_meanwhile_and_loses_nothing_accepted(
    redis_server: RedisServer, api_client: httpx.Client, tmp_path: Path
) -> None:
    items = slow_items(8)
    with WorkerFleet(redis_server.url, 1, tmp_path):
        job = api_client.post("/v1/jobs", json={"items": items})
        assert job.status_code == 202
        request, replies = in_background(api_client, items)
        time.sleep(0.5)
        redis_server.stop()
        during = api_client.post("/v1/verify", json={"items": [math_item("\\boxed{1}", "1")]})
        ready = api_client.get("/readyz")
        time.sleep(1.0)
        redis_server.start()
        request.join(timeout=120)
        after = verify(api_client, math_item("\\boxed{1}", "1"))
        state = _wait_job(api_client, job.json()["job_id"])
    assert during.status_code == 503 and "Retry-After" in during.headers, during.text
    assert ready.status_code == 503 and ready.json()["redis"] is False
    assert replies and [r["verdict"] for r in replies[0]] == ["accepted"] * len(items)
    assert after[0]["verdict"] == "correct"
    assert state["status"] == "done"
    assert [r["verdict"] for r in state["results"]] == ["accepted"] * len(items)


def test_a_poison_chunk_is_dead_lettered_and_its_items_answer_error(
    redis_server: RedisServer, api_client: httpx.Client, tmp_path: Path
) -> None:
    items = [math_item(f"\\boxed{{{n}}}", str(n), id=f"m{n}") for n in range(8)]
    items[5]["id"] = "poison"  # in the second chunk of four
    settings = {"VERIFIER_FAULT_CRASH_ON_ITEM_ID": "poison"}
    with WorkerFleet(redis_server.url, 2, tmp_path, supervise=True, settings=settings) as fleet:
        results = verify(api_client, *items)
        restarts = fleet.restarts
    assert [r["verdict"] for r in results[:4]] == ["correct"] * 4
    assert [(r["verdict"], r["reward"]) for r in results[4:]] == [("error", None)] * 4
    assert "dead-letter" in results[5]["reason"]
    dead: list[Any] = redis_server.client().xrange(keys.DEAD_LETTERS)  # type: ignore[assignment]
    assert len(dead) == 1 and b"poison" in dead[0][1][b"items"]
    assert restarts >= 2  # each delivery crashed a worker


def test_past_the_lag_limit_requests_get_429(redis_server: RedisServer) -> None:
    settings = queue_settings(redis_server, queue_max_lag=2)
    with running_api(QueueBackend(settings)) as api, httpx.Client(base_url=api.base_url) as client:
        items = [math_item("\\boxed{1}", "1") for _ in range(12)]  # 3 chunks, no worker
        assert client.post("/v1/jobs", json={"items": items}).status_code == 202
        time.sleep(4 * LAG_INTERVAL_S)  # the lag monitor has measured the 3 waiting chunks
        reply = client.post("/v1/verify", json={"items": items[:1]})
    assert reply.status_code == 429
    assert reply.headers["Retry-After"] == "1"


def test_without_workers_a_request_answers_errors_at_its_deadline(
    redis_server: RedisServer,
) -> None:
    settings = queue_settings(redis_server, queue_timeout_s=1.5)
    with running_api(QueueBackend(settings)) as api, httpx.Client(base_url=api.base_url) as client:
        started = time.monotonic()
        results = verify(client, math_item("\\boxed{1}", "1", id="lonely"))
        elapsed = time.monotonic() - started
        ready = client.get("/readyz")
    assert results == [
        {
            "id": "lonely",
            "task": "math",
            "reward": None,
            "verdict": "error",
            "extracted": None,
            "reason": "no worker answered within 1.5 s",
            "elapsed_ms": 0.0,
        }
    ]
    assert 1.4 < elapsed < 5
    assert ready.status_code == 503 and ready.json()["workers"] == 0


def _wait_job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if state["status"] == "done":
            return state
        time.sleep(0.2)
    raise AssertionError("the job never finished")


def _metric_sum(redis_server: RedisServer, name: str, label: str) -> float:
    broker = Broker(redis_server.url)
    workers = broker.live_workers(window_s=5)
    broker.close()
    total = 0.0
    for info in workers.values():
        port = info[b"metrics_port"]
        try:
            text = httpx.get(f"http://127.0.0.1:{int(port)}/metrics", timeout=5).text
        except httpx.HTTPError:
            continue
        total += sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(name) and label in line
        )
    return total
