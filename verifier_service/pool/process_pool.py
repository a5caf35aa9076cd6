"""Pre-forked worker processes that run tasks under a per-task deadline.

Each worker slot is one thread in the service process that owns one worker process. A task
that overruns its deadline gets its worker killed (SIGKILL) and replaced; the task's outcome
is `timeout`, and other tasks are not delayed beyond their own deadlines. Workers are forked
from a forkserver that has already imported the handler's module, so a replacement starts in
milliseconds, not seconds. No process is spawned per task and no signal.alarm is used.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Any, Literal

from verifier_service.pool.worker_main import worker_main

log = logging.getLogger(__name__)

OutcomeStatus = Literal["ok", "timeout", "memory", "crashed", "error", "closed"]
STARTUP_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: OutcomeStatus
    value: Any = None
    detail: str = ""
    elapsed_s: float = 0.0


@dataclass(slots=True)
class _Job:
    payload: Any
    deadline_s: float
    future: Future[Outcome]


class PoolClosedError(RuntimeError):
    """The pool was closed; it takes no more work."""


class DeadlinePool:
    """Run `handler(payload)` in worker processes, each call bounded by its own deadline."""

    def __init__(
        self,
        handler: str,
        *,
        size: int,
        memory_mb: int,
        warm_up: str | None = None,
        preload: tuple[str, ...] = (),
        name: str = "pool",
        on_restart: Callable[[str], None] | None = None,
    ) -> None:
        self._handler = handler
        self._warm_up = warm_up
        self._memory_mb = memory_mb
        self._name = name
        self._on_restart = on_restart or (lambda reason: None)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._context = _forkserver_context((handler.partition(":")[0], *preload))
        self._slots = [_Slot(self, index) for index in range(size)]
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._closed = False

    @property
    def size(self) -> int:
        return len(self._slots)

    @property
    def in_flight(self) -> int:
        """Tasks submitted and not yet answered."""
        return self._in_flight

    def worker_pids(self) -> list[int]:
        return [slot.process.pid for slot in self._slots if slot.alive()]

    def alive_workers(self) -> int:
        return sum(slot.alive() for slot in self._slots)

    def start(self) -> None:
        """Start every worker and wait until each is ready."""
        for slot in self._slots:
            slot.spawn()
        for slot in self._slots:
            thread = threading.Thread(
                target=slot.serve, name=f"{self._name}-slot-{slot.index}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def submit(self, payload: Any, deadline_s: float) -> Future[Outcome]:
        if self._closed:
            raise PoolClosedError(f"{self._name} is closed")
        future: Future[Outcome] = Future()
        with self._lock:
            self._in_flight += 1
        future.add_done_callback(self._done)
        self._jobs.put(_Job(payload, deadline_s, future))
        return future

    def _done(self, _: Future[Outcome]) -> None:
        with self._lock:
            self._in_flight -= 1

    def close(self) -> None:
        """Stop taking work, answer what is queued with `closed`, stop every worker."""
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._jobs.put(None)
        for slot in self._slots:
            slot.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_result(Outcome("closed", detail="the pool was closed"))

    def __enter__(self) -> DeadlinePool:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _forkserver_context(modules: tuple[str, ...]) -> ForkServerContext:
    """Workers fork from a server that imported `modules` once, so they start in milliseconds.

    The forkserver is one per service process: the first pool to start it sets its preload.
    """
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload(list(modules))
    return context


class _Slot:
    """One worker process and the thread that feeds it."""

    def __init__(self, pool: DeadlinePool, index: int) -> None:
        self.pool = pool
        self.index = index
        self.process: Any = None
        self.connection: Connection | None = None

    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def spawn(self) -> None:
        pool = self.pool
        parent_end, child_end = pool._context.Pipe(duplex=True)
        process = pool._context.Process(
            target=worker_main,
            args=(child_end, pool._handler, pool._warm_up, pool._memory_mb),
            name=f"{pool._name}-worker-{self.index}",
            daemon=True,
        )
        process.start()
        child_end.close()
        if not parent_end.poll(STARTUP_TIMEOUT_S):
            process.kill()
            raise RuntimeError(f"{pool._name} worker did not start in {STARTUP_TIMEOUT_S} s")
        parent_end.recv()
        self.process, self.connection = process, parent_end

    def serve(self) -> None:
        while True:
            job = self.pool._jobs.get()
            if job is None:
                return
            if not job.future.set_running_or_notify_cancel():
                continue
            outcome = self.run(job.payload, job.deadline_s)
            job.future.set_result(outcome)
            if outcome.status not in ("ok", "error") and not self.pool._closed:
                try:
                    self.replace(outcome.status)
                except RuntimeError:  # the next task retries the start and reports `crashed`
                    log.exception("%s worker %d could not be replaced", self.pool._name, self.index)

    def run(self, payload: Any, deadline_s: float) -> Outcome:
        try:
            if not self.alive():
                self.replace("dead")
            assert self.connection is not None
            started = time.monotonic()
            self.connection.send(payload)
            if not self.connection.poll(deadline_s):
                self.kill()
                return Outcome("timeout", detail=f"over {deadline_s:g} s", elapsed_s=deadline_s)
            status, value = self.connection.recv()
        except (EOFError, OSError, RuntimeError) as error:
            self.kill()
            return Outcome("crashed", detail=f"worker died: {error!r}")
        elapsed = time.monotonic() - started
        if status == "ok":
            return Outcome("ok", value, elapsed_s=elapsed)
        return Outcome(status, detail=str(value), elapsed_s=elapsed)

    def replace(self, reason: str) -> None:
        self.kill()
        log.info("%s worker %d replaced (%s)", self.pool._name, self.index, reason)
        self.pool._on_restart(reason)
        self.spawn()

    def kill(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(timeout=5)
        if self.connection is not None:
            self.connection.close()
        self.process = self.connection = None

    def stop(self) -> None:
        self.kill()
