"""`verifier-service worker`: pull chunks from the stream, score them, answer each once.

A worker runs the same scoring as the embedded service (math pool, sandbox pool) and reads
the stream in its consumer group with XREADGROUP COUNT/BLOCK from a few threads. A batch of
chunks is scored together; each chunk's results and its XACK go to Redis in one script call,
pipelined over the batch. While it works, the worker's heartbeat also resets the idle time of
its chunks, so the sweeper (`sweeper.py`, in every worker) reclaims only the chunks of workers
that stopped. On SIGTERM a worker stops reading, finishes its chunks, and leaves.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import signal
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from verifier_service.config import Settings
from verifier_service.queue.broker import Broker, Entry, QueueUnavailableError
from verifier_service.queue.codec import (
    Chunk,
    ChunkFormatError,
    failure_payload,
    read_chunk,
    results_payload,
)
from verifier_service.queue.sweeper import Sweeper
from verifier_service.queue.worker_http import HealthServer
from verifier_service.schemas.requests import Item
from verifier_service.service import Service

log = logging.getLogger(__name__)

READ_BLOCK_MS = 1000
RETRY_PAUSE_S = 0.5
FAULT_EXIT_CODE = 70


@dataclass(frozen=True, slots=True)
class Taken:
    entry: Entry
    chunk: Chunk
    items: list[Item]


class Worker:
    def __init__(self, settings: Settings) -> None:
        assert settings.redis_url, "a worker needs VERIFIER_REDIS_URL"
        self.settings = settings
        self.service = Service(settings)
        self.metrics = self.service.metrics
        self.broker = Broker(settings.redis_url)
        self.name = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.stopping = threading.Event()
        self._working: set[bytes] = set()
        self._lock = threading.Lock()
        self._languages = "[]"
        self.sweeper = Sweeper(self)
        self.health = HealthServer(self)

    def run(self) -> int:
        """Work until stop() (or SIGTERM/SIGINT in the main thread); 0 on a clean stop."""
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: self.stop())
        self.service.start()
        health = self.health
        try:
            health.start()
            self._wait_for_redis()
            threads = [
                threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True),
                threading.Thread(target=self._find_languages, name="languages", daemon=True),
                threading.Thread(target=self.sweeper.run, name="sweeper", daemon=True),
            ]
            consumers = [
                threading.Thread(target=self._consume, name=f"consumer-{n}")
                for n in range(self.settings.worker_concurrency)
            ]
            for thread in [*threads, *consumers]:
                thread.start()
            log.info("worker %s reading %s", self.name, self.settings.redis_url)
            for thread in consumers:
                thread.join()
        finally:
            self.stopping.set()
            with contextlib.suppress(QueueUnavailableError):
                self.broker.leave(self.name)
            health.stop()
            self.service.close()
            self.broker.close()
        return 0

    def stop(self) -> None:
        self.stopping.set()

    def process(self, entries: Sequence[Entry], *, outcome: str = "scored") -> None:
        """Score these entries' chunks together and answer each chunk."""
        taken: list[Taken] = []
        answers: list[tuple[bytes, Chunk, bytes]] = []
        now = time.time()
        for entry in entries:
            try:
                chunk = read_chunk(entry.fields)
                items = chunk.items()
            except ChunkFormatError as error:
                self.sweeper.bury(entry, f"unreadable chunk: {error}")
                continue
            self.metrics.queue_wait.observe(max(0.0, now - chunk.enqueued))
            if chunk.expired(now):
                answers.append((entry.entry_id, chunk, failure_payload("expired in the queue")))
                self.metrics.chunks.labels("expired").inc()
                continue
            self._crash_if_asked(items)
            taken.append(Taken(entry, chunk, items))
        with self._lock:
            self._working.update(t.entry.entry_id for t in taken)
        try:
            results = self.service.score([item for t in taken for item in t.items])
            start = 0
            for t in taken:
                part = results[start : start + len(t.items)]
                start += len(t.items)
                answers.append((t.entry.entry_id, t.chunk, results_payload(part)))
                self.metrics.chunks.labels(outcome).inc()
            self.answer(answers)
        finally:
            with self._lock:
                self._working.difference_update(t.entry.entry_id for t in taken)

    def answer(self, answers: list[tuple[bytes, Chunk, bytes]]) -> None:
        """Deliver, retrying while Redis is away: a scored chunk is never dropped here (if the
        worker dies first, the chunk is reclaimed and scored again)."""
        pause = RETRY_PAUSE_S
        while answers:
            try:
                self.broker.deliver_all(answers)
                return
            except QueueUnavailableError as error:
                log.warning("cannot deliver %d chunks (%s); retrying", len(answers), error)
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    def working(self) -> list[bytes]:
        with self._lock:
            return list(self._working)

    def _consume(self) -> None:
        pause = RETRY_PAUSE_S
        while not self.stopping.is_set():
            try:
                entries = self.broker.read(self.name, self.settings.worker_prefetch, READ_BLOCK_MS)
                pause = RETRY_PAUSE_S
            except QueueUnavailableError as error:
                log.warning("cannot read the stream (%s); retrying", error)
                self.stopping.wait(pause)
                pause = min(pause * 2, 5.0)
                continue
            if entries:
                self.process(entries)

    def _heartbeat(self) -> None:
        interval = self.settings.worker_heartbeat_s
        while not self.stopping.is_set():
            info = {
                "math_workers": str(self.service.math_pool.alive_workers()),
                "languages": self._languages,
                "pid": str(os.getpid()),
                "metrics_port": str(self.health.port),
            }
            try:
                self.broker.heartbeat(self.name, info, ttl_s=max(1, int(interval * 5)))
                self.broker.touch(self.name, self.working())
            except QueueUnavailableError as error:
                log.warning("heartbeat failed: %s", error)
            self.stopping.wait(interval)

    def _find_languages(self) -> None:
        languages = self.service.languages()  # waits for the toolchain probe
        self._languages = json.dumps([language.model_dump() for language in languages])

    def _wait_for_redis(self) -> None:
        pause = RETRY_PAUSE_S
        while not self.stopping.is_set():
            try:
                self.broker.ensure_group()
                return
            except QueueUnavailableError as error:
                log.warning("waiting for Redis: %s", error)
                self.stopping.wait(pause)
                pause = min(pause * 2, 5.0)

    def _crash_if_asked(self, items: list[Item]) -> None:
        poison = self.settings.fault_crash_on_item_id
        if poison is not None and any(str(item.id) == poison for item in items):
            log.error("fault injection: item %s crashes this worker", poison)
            os._exit(FAULT_EXIT_CODE)
