"""The API's backend in queue mode: enqueue chunks, block until their results land.

A request's items are cut into chunks and added to the stream in one pipelined round trip;
the request then blocks on its own arrivals list (BLPOP, no polling) and reads each chunk's
results as it lands, ignoring a chunk it already has. If Redis goes away while it waits it
keeps trying until its deadline; a chunk still missing at the deadline gets `error` results
(reward null), so a request always gets one answer per item, in order.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress

from verifier_service.admission import Admission, SaturatedError
from verifier_service.config import Settings
from verifier_service.metrics import Metrics
from verifier_service.queue.broker import Broker, QueueUnavailableError
from verifier_service.queue.codec import (
    Shape,
    error_results,
    make_chunks,
    read_results,
    shape_of,
    split_shape,
)
from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import JobState, Result
from verifier_service.schemas.service import Language, Readiness

log = logging.getLogger(__name__)

RETRY_PAUSE_S = 0.5
LAG_INTERVAL_S = 0.25
SPARE_CONNECTIONS = 64


class LagMonitor:
    """The stream's lag, measured every LAG_INTERVAL_S on a thread of its own.

    Admission runs on the event loop: it reads the last measurement and never waits on Redis,
    so a slow or unreachable Redis cannot stall the loop (and `/healthz` with it).
    """

    def __init__(self, broker: Broker) -> None:
        self._broker = broker
        self._last: int | QueueUnavailableError = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="queue-lag", daemon=True)

    def start(self) -> None:
        self._measure()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=15)

    def current(self) -> int:
        """The last lag measured; QueueUnavailableError when Redis could not be reached."""
        last = self._last
        if isinstance(last, QueueUnavailableError):
            raise last
        return last

    def _run(self) -> None:
        while not self._stop.wait(LAG_INTERVAL_S):
            self._measure()

    def _measure(self) -> None:
        try:
            self._last = self._broker.lag()
        except QueueUnavailableError as error:
            self._last = error
        except Exception:  # no stream yet: nothing waits
            self._last = 0


class QueueBackend:
    def __init__(self, settings: Settings, broker: Broker | None = None) -> None:
        assert settings.redis_url, "queue mode needs VERIFIER_REDIS_URL"
        self.settings = settings
        self.metrics = Metrics()
        # each scoring thread holds a connection while it waits (BLPOP), plus a few for the
        # lag monitor, readiness and job reads
        connections = settings.max_concurrent_scoring + SPARE_CONNECTIONS
        self.broker = broker or Broker(settings.redis_url, max_connections=connections)
        self._admission = Admission(settings.max_pending_items, self.metrics.in_flight)
        self._group_ready = False
        self._lag = LagMonitor(self.broker)

    def start(self) -> None:
        try:
            self._ensure_group()
        except QueueUnavailableError as error:
            log.warning("Redis is not reachable yet (%s): requests get 503 until it is", error)
        self._lag.start()

    def close(self) -> None:
        self._lag.stop()
        self.broker.close()

    def readiness(self) -> Readiness:
        reachable = self.broker.ping()
        workers = self._live_workers() if reachable else {}
        math_workers = sum(int(info.get(b"math_workers", b"0")) for info in workers.values())
        return Readiness(
            ready=reachable and bool(workers),
            mode="queue",
            math_workers=math_workers,
            workers=len(workers),
            redis=reachable,
        )

    @contextmanager
    def _admit(self, count: int) -> Iterator[None]:
        lag = self._lag.current()
        if lag > self.settings.queue_max_lag:
            raise SaturatedError(f"{lag} chunks are waiting for a worker")
        with self._admission.admitted(count):
            yield

    def admitted(self, count: int) -> AbstractContextManager[None]:
        return self._admit(count)

    def score(self, items: Sequence[Item]) -> list[Result]:
        self.metrics.batch_size.observe(len(items))
        reply_to = uuid.uuid4().hex
        chunks = make_chunks(
            reply_to,
            list(items),
            self.settings.queue_chunk_items,
            timeout_s=self.settings.queue_timeout_s,
            ttl_s=int(self.settings.queue_timeout_s) + 60,
        )
        self._ensure_group()
        self.broker.enqueue(chunks)  # unreachable: 503, and nothing was accepted
        parts = split_shape(shape_of(list(items)), [chunk.count for chunk in chunks])
        try:
            payloads = self._await(reply_to, len(chunks), chunks[0].deadline)
        finally:
            self._forget(reply_to)
        return self._assemble(payloads, parts)

    def create_job(self, items: list[Item]) -> str:
        job_id = uuid.uuid4().hex
        ttl_s = int(self.settings.queue_timeout_s + self.settings.job_ttl_s)
        chunks = make_chunks(
            _job_reply(job_id),
            items,
            self.settings.queue_chunk_items,
            timeout_s=self.settings.queue_timeout_s,
            ttl_s=ttl_s,
        )
        self._ensure_group()
        self.broker.create_job(job_id, shape_of(items), [chunk.count for chunk in chunks], ttl_s)
        self.broker.enqueue(chunks)
        return job_id

    def job(self, job_id: str) -> JobState | None:
        record = self.broker.job(job_id)
        if not record:
            return None
        shape: Shape = [tuple(pair) for pair in json.loads(record[b"shape"])]
        parts = split_shape(shape, json.loads(record[b"chunks"]))
        stored = self.broker.all_results(_job_reply(job_id))
        overdue = time.time() > float(record[b"created"]) + self.settings.queue_timeout_s
        done = sum(len(parts[index]) for index in stored if index < len(parts))
        if len(stored) < len(parts) and not overdue:
            status = "running" if stored else "queued"
            return JobState(job_id=job_id, status=status, done=done, total=len(shape))
        results = self._assemble(stored, parts)
        return JobState(
            job_id=job_id, status="done", done=len(shape), total=len(shape), results=results
        )

    def languages(self) -> list[Language]:
        """The languages the freshest worker reported."""
        merged: dict[str, Language] = {}
        for info in self._live_workers().values():
            for entry in json.loads(info.get(b"languages", b"[]")):
                merged.setdefault(entry["name"], Language.model_validate(entry))
        return [merged[name] for name in sorted(merged)]

    def _assemble(self, payloads: dict[int, bytes], parts: list[Shape]) -> list[Result]:
        """Every chunk's results in order; a chunk that never landed gets `error` results."""
        results: list[Result] = []
        for index, part in enumerate(parts):
            payload = payloads.get(index)
            if payload is None:
                reason = f"no worker answered within {self.settings.queue_timeout_s:g} s"
                results.extend(error_results(part, reason))
            else:
                results.extend(read_results(payload, part))
        return results

    def _await(self, reply_to: str, count: int, deadline: float) -> dict[int, bytes]:
        payloads: dict[int, bytes] = {}
        while len(payloads) < count:
            remaining = deadline - time.time()
            if remaining <= 0:
                break
            try:
                landed = self.broker.wait_arrivals(reply_to, min(remaining, 5.0))
                fresh = sorted({index for index in landed if index not in payloads})
                if fresh:
                    for index, payload in zip(
                        fresh, self.broker.results(reply_to, fresh), strict=True
                    ):
                        if payload is not None:
                            payloads[index] = payload
            except QueueUnavailableError as error:
                log.warning("waiting for results: %s; retrying", error)
                time.sleep(min(RETRY_PAUSE_S, max(remaining, 0)))
        if len(payloads) < count:  # an arrival signal may have been lost with a Redis restart
            with suppress(QueueUnavailableError):
                payloads.update(self.broker.all_results(reply_to))
        return payloads

    def _forget(self, reply_to: str) -> None:
        with suppress(QueueUnavailableError):  # else the keys expire on their own
            self.broker.forget(reply_to)

    def _ensure_group(self) -> None:
        if not self._group_ready:
            self.broker.ensure_group()
            self._group_ready = True

    def _live_workers(self) -> dict[str, dict[bytes, bytes]]:
        return self.broker.live_workers(window_s=self.settings.worker_heartbeat_s * 5)


def _job_reply(job_id: str) -> str:
    return f"job:{job_id}"
