"""API + Redis + two worker processes: the same answers as the embedded service."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.code.test_judging import code_item, stdio
from tests.support.api import math_item, verify
from tests.support.redis import RedisServer
from tests.support.server import RunningServer, free_port
from tests.support.workers import WorkerFleet
from verifier_service.queue import keys


def mixed_items() -> list[dict[str, Any]]:
    items = [
        math_item(f"so \\boxed{{{n}}}", str(n if n % 3 else n + 1), id=f"m{n}") for n in range(30)
    ]
    items += [
        math_item("The answer is $\\frac{1}{2}$", "0.5", id="half"),
        math_item("no answer here", "1", id="none"),
    ]
    add = stdio([{"stdin": "2 3\n", "stdout": "5\n"}, {"stdin": "10 -4\n", "stdout": "6\n"}])
    items += [
        code_item("python", "a, b = map(int, input().split())\nprint(a + b)", add, id="py-ok"),
        code_item("python", "a, b = map(int, input().split())\nprint(a - b)", add, id="py-wa"),
        code_item("c", "#include <stdio.h>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);"
                  "printf(\"%d\\n\",a+b);}", add, id="c-ok"),
        code_item("python", "print(", add, id="py-crash"),
    ]  # fmt: skip
    return items


def comparable(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Results without the timings, which differ from run to run."""
    return [
        {
            **{k: v for k, v in result.items() if k != "elapsed_ms"},
            "tests": [
                {k: v for k, v in test.items() if k not in ("time_ms", "wall_ms", "memory_kb")}
                for test in result.get("tests", [])
            ],
        }
        for result in results
    ]


def test_queue_results_equal_the_embedded_ones(
    redis_server: RedisServer, api_client: httpx.Client, server: RunningServer, tmp_path: Path
) -> None:
    items = mixed_items()
    with WorkerFleet(redis_server.url, 2, tmp_path):
        queued = verify(api_client, *items)
        ready = api_client.get("/readyz").json()
    with httpx.Client(base_url=server.base_url, timeout=120) as embedded_client:
        embedded = verify(embedded_client, *items)
    assert [r["id"] for r in queued] == [item["id"] for item in items]
    assert comparable(queued) == comparable(embedded)
    assert [r["verdict"] for r in queued[-4:]] == [
        "accepted",
        "wrong_answer",
        "accepted",
        "runtime_error",
    ]
    assert ready == {"ready": True, "mode": "queue", "math_workers": 2, "workers": 2, "redis": True}


def test_chunks_are_spread_over_both_workers_and_the_stream_is_trimmed(
    redis_server: RedisServer, api_client: httpx.Client, tmp_path: Path
) -> None:
    items = [math_item(f"\\boxed{{{n}}}", str(n)) for n in range(400)]
    with WorkerFleet(redis_server.url, 2, tmp_path) as fleet:
        results = verify(api_client, *items)
        redis = redis_server.client()
        consumers = redis.xinfo_consumers(keys.STREAM, keys.GROUP)
        assert all(result["verdict"] == "correct" for result in results)
        assert len([c for c in consumers if c["pending"] == 0]) >= 2
        ports = [int(info[b"metrics_port"]) for info in _workers(redis).values()]
        scored = [_metric(port, "verifier_queue_chunks_total") for port in ports]
        assert all(count > 0 for count in scored) and sum(scored) == 100
        assert _wait_trimmed(redis), "acknowledged entries were never trimmed"
        fleet.wait_ready(2)


def _workers(redis: Any) -> dict[bytes, dict[bytes, bytes]]:
    return {
        name: redis.hgetall(keys.worker_info(name.decode()))
        for name in redis.zrange(keys.WORKERS, 0, -1)
    }


def _metric(port: int, name: str) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


def _wait_trimmed(redis: Any) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis.xlen(keys.STREAM) <= 1:
            return True
        time.sleep(0.2)
    return False


def test_two_workers_on_one_machine_share_no_metrics_port(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    """The README says start several: the second worker finds the fixed port taken and serves
    its /metrics on a free one instead of dying with `Address already in use`."""
    port = free_port()
    settings = {"VERIFIER_WORKER_METRICS_PORT": str(port)}
    with WorkerFleet(redis_server.url, 2, tmp_path, settings=settings) as fleet:
        assert all(process.poll() is None for process in fleet.processes)
        ports = sorted(
            int(info[b"metrics_port"]) for info in _workers(redis_server.client()).values()
        )
        assert port in ports and len(set(ports)) == 2
        for each in ports:
            assert httpx.get(f"http://127.0.0.1:{each}/healthz", timeout=5).status_code == 200
