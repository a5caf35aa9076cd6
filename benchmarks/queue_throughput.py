"""Queue mode against the embedded service: the same batches through both, in one run.

Run `make bench-queue` (or `.venv/bin/python benchmarks/queue_throughput.py [--quick]
[--output F]`). It prints figures and asserts nothing about timings. The only address it
contacts is 127.0.0.1: a redis-server, API servers and workers it starts and stops itself.

Both paths get the same CPUs' worth of scoring processes: the embedded server runs 2 math
workers and 2 jails at once; queue mode runs an API, Redis and 2 workers with 1 math worker
and 1 jail each. Both judge code with the Python toolchain only (no probes of 26 toolchains
competing for the CPU at start). Items are different in every round (the math cache and the
program store never answer), and both paths get the same items.

Scenarios, each on (a) the embedded server and (b) API + Redis + 2 workers:
  1. one 4,096-item math request (a GRPO step's worth), a few rounds: items/s;
  2. the same items as 64 requests of 64, 4 at a time: items/s and request latency p50/p99;
  3. one 512-item code request (distinct Python programs, one stdio test each): items/s;
  4. the same as 32 requests of 16, 4 at a time: items/s and request latency p50/p99.
The queue's own overhead per item is measured twice: (queue time - embedded time) / items of
scenario 1, which the machine's noise blurs, and directly: the 4,096 items through the real
queue machinery (QueueBackend.score on the API side; XREADGROUP, chunk decoding, result
encoding and the delivery script on the worker side) with scoring replaced by a fixed result,
so that only the queue is timed.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from math_items import distinct_items
from reporting import Output, percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.redis import RedisServer  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from tests.support.workers import WorkerFleet, languages_subset  # noqa: E402
from verifier_service.config import Settings  # noqa: E402
from verifier_service.queue.backend import QueueBackend  # noqa: E402
from verifier_service.queue.broker import Broker  # noqa: E402
from verifier_service.queue.codec import ITEMS, read_chunk, results_payload  # noqa: E402
from verifier_service.schemas.results import MathResult  # noqa: E402

HOST = "127.0.0.1"
TARGET_RATIO = 0.85  # queue throughput at least 85% of embedded
TARGET_OVERHEAD_MS = 1.0
SEED = 20261121


@dataclass(frozen=True)
class Config:
    math_rounds: int
    math_items: int
    code_items: int
    concurrency: int


FULL = Config(math_rounds=3, math_items=4096, code_items=512, concurrency=4)
QUICK = Config(math_rounds=1, math_items=1024, code_items=128, concurrency=4)


@dataclass
class Figures:
    items_per_s: float
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    seconds: float = float("nan")


def math_batches(config: Config) -> list[list[dict[str, Any]]]:
    generated = distinct_items(config.math_items * (config.math_rounds + 1), SEED)
    items = [
        {"task": "math", "id": n, "response": item.response, "reference": item.reference}
        for n, item in enumerate(generated)
    ]
    size = config.math_items
    return [items[i * size : (i + 1) * size] for i in range(config.math_rounds + 1)]


def code_batch(count: int, offset: int) -> list[dict[str, Any]]:
    return [
        {
            "task": "code",
            "id": n,
            "language": "python",
            "response": f"```python\na = int(input())\nprint(a * {offset + n})\n```",
            "tests": {
                "kind": "stdio",
                "cases": [{"stdin": "3\n", "stdout": f"{3 * (offset + n)}\n"}],
            },
        }
        for n in range(count)
    ]


def post(client: httpx.Client, items: Sequence[dict[str, Any]]) -> float:
    started = time.perf_counter()
    reply = client.post("/v1/verify", json={"items": list(items)})
    reply.raise_for_status()
    results = reply.json()["results"]
    if any(result["reward"] is None for result in results):
        reasons = {result["reason"] for result in results if result["reward"] is None}
        raise RuntimeError(f"items could not be scored: {sorted(reasons)[:3]}")
    return time.perf_counter() - started


def one_request(client: httpx.Client, items: Sequence[dict[str, Any]]) -> Figures:
    seconds = post(client, items)
    return Figures(len(items) / seconds, seconds=seconds)


def many_requests(
    client: httpx.Client, items: Sequence[dict[str, Any]], size: int, concurrency: int
) -> Figures:
    requests = [items[i : i + size] for i in range(0, len(items), size)]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(lambda part: post(client, part), requests))
    seconds = time.perf_counter() - started
    return Figures(
        len(items) / seconds,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        seconds,
    )


@contextmanager
def api_server(env: dict[str, str], log: Path) -> Iterator[str]:
    port = free_port()
    environment = {**env, "VERIFIER_HOST": HOST, "VERIFIER_PORT": str(port)}
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "verifier_service", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited early; log in {log}")
            try:
                if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server was not ready; log in {log}")
            time.sleep(0.2)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def base_environment(directory: Path) -> dict[str, str]:
    languages = directory / "languages.toml"
    languages.write_text(languages_subset(("python",)))
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("VERIFIER_")},
        "VERIFIER_LOG_LEVEL": "warning",
        "VERIFIER_LANGUAGES_FILE": str(languages),
        "VERIFIER_MAX_BATCH_ITEMS": "10000",
        "VERIFIER_MAX_PENDING_ITEMS": "100000",
    }


def run_scenarios(base_url: str, config: Config, label: str, out: Output) -> dict[str, Figures]:
    batches = math_batches(config)
    codes = [code_batch(config.code_items, offset=1000 * r) for r in range(3)]
    figures: dict[str, Figures] = {}
    with httpx.Client(base_url=base_url, timeout=600) as client:
        post(client, batches[0][:256])  # warm-up: pools, imports, the first jail
        post(client, codes[0][:16])
        rounds = [one_request(client, batch) for batch in batches[1:]]
        figures["math one request"] = Figures(
            statistics.median(r.items_per_s for r in rounds),
            seconds=statistics.median(r.seconds for r in rounds),
        )
        figures["math 64 x 64"] = many_requests(client, batches[0], 64, config.concurrency)
        figures["code one request"] = one_request(client, codes[1])
        figures["code 32 x 16"] = many_requests(client, codes[2], 16, config.concurrency)
    for name, value in figures.items():
        latency = (
            f", request p50 {value.p50_ms:.0f} ms, p99 {value.p99_ms:.0f} ms"
            if value.p50_ms == value.p50_ms
            else ""
        )
        out(f"{label:9} {name:17}: {value.items_per_s:8.1f} items/s{latency}")
    return figures


def queue_machinery(redis_url: str, items: list[dict[str, Any]], out: Output) -> float:
    """ms per item of the queue alone: enqueue, read, decode, answer, wait, assemble."""
    backend = QueueBackend(Settings(redis_url=redis_url, max_batch_items=10000))
    backend.start()
    worker = Broker(redis_url)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            answers = []
            for entry in worker.read("machinery", 8, 100):
                chunk = read_chunk(entry.fields)
                results = [
                    MathResult(id=i.id, reward=1.0, verdict="correct", reason="", elapsed_ms=0)
                    for i in chunk.items()
                ]
                answers.append((entry.entry_id, chunk, results_payload(list(results))))
            if answers:
                worker.deliver_all(answers)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    parsed = ITEMS.validate_python(items)
    timings = []
    try:
        for _ in range(3):
            started = time.perf_counter()
            results = backend.score(parsed)
            timings.append(time.perf_counter() - started)
            assert all(result.reward == 1.0 for result in results)
    finally:
        stop.set()
        server.join()
        worker.close()
        backend.close()
    per_item_ms = statistics.median(timings) / len(items) * 1000
    out(
        f"queue machinery alone ({len(items)} items, chunks of 32, median of 3): "
        f"{statistics.median(timings) * 1000:.0f} ms, {per_item_ms:.3f} ms per item"
    )
    return per_item_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Queue mode against the embedded service.")
    parser.add_argument("--quick", action="store_true", help="smaller batches (about a minute)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    out = Output(args.output)
    try:
        with tempfile.TemporaryDirectory(prefix="verifier-queue-bench-") as scratch:
            directory = Path(scratch)
            out(
                f"# verifier-service queue benchmark ({'quick' if args.quick else 'full'}): "
                f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
                f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            out(
                f"math: {config.math_items} distinct items per round, {config.math_rounds} "
                f"rounds; code: {config.code_items} distinct Python programs; "
                f"{config.concurrency} requests in flight for the split scenarios"
            )
            out()
            env = base_environment(directory)
            embedded_env = {**env, "VERIFIER_MATH_WORKERS": "2", "VERIFIER_CODE_PARALLELISM": "2"}
            with api_server(embedded_env, directory / "embedded.log") as url:
                embedded = run_scenarios(url, config, "embedded", out)
            redis = RedisServer(directory / "redis")
            redis.directory.mkdir()
            redis.start()
            worker_settings = {
                "VERIFIER_MATH_WORKERS": "1",
                "VERIFIER_CODE_PARALLELISM": "1",
                "VERIFIER_CODE_WARM_JAILS": "2",
                "VERIFIER_WORKER_HEARTBEAT_S": "2",
                "VERIFIER_QUEUE_CLAIM_IDLE_S": "15",
                "VERIFIER_QUEUE_MAX_DELIVERIES": "3",
                "VERIFIER_LANGUAGES_FILE": env["VERIFIER_LANGUAGES_FILE"],
            }
            try:
                with WorkerFleet(
                    redis.url, 2, directory, settings=worker_settings, languages=("python",)
                ):
                    queue_env = {**env, "VERIFIER_REDIS_URL": redis.url}
                    with api_server(queue_env, directory / "queue-api.log") as url:
                        queued = run_scenarios(url, config, "queue", out)
                redis.client().flushall()
                machinery_ms = queue_machinery(redis.url, math_batches(config)[1], out)
            finally:
                redis.stop()
            summary(config, embedded, queued, machinery_ms, out)
    finally:
        out.close()
    return 0


def summary(
    config: Config,
    embedded: dict[str, Figures],
    queued: dict[str, Figures],
    machinery_ms: float,
    out: Output,
) -> None:
    out()
    out("## Summary (queue / embedded)")
    for name, base in embedded.items():
        ratio = queued[name].items_per_s / base.items_per_s
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        out(
            f"{name:17}: queue {queued[name].items_per_s:8.1f} items/s, embedded "
            f"{base.items_per_s:8.1f} items/s, ratio {ratio:.2f} "
            f"(target >= {TARGET_RATIO:.2f}: {verdict})"
        )
    single = "math one request"
    overhead_ms = (queued[single].seconds - embedded[single].seconds) / config.math_items * 1000
    verdict = "met" if overhead_ms < TARGET_OVERHEAD_MS else "NOT met"
    out(
        f"queue overhead per item, scenario 1 (queue time - embedded time over "
        f"{config.math_items} items): {overhead_ms:+.3f} ms (target < {TARGET_OVERHEAD_MS:g} ms: "
        f"{verdict})"
    )
    verdict = "met" if machinery_ms < TARGET_OVERHEAD_MS else "NOT met"
    out(
        f"queue overhead per item, the queue machinery alone: {machinery_ms:.3f} ms "
        f"(target < {TARGET_OVERHEAD_MS:g} ms: {verdict})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
