"""Pre-forked worker processes that run tasks under a per-task deadline.

Each worker slot is one thread in the service process that owns one worker process. A task
that overruns its deadline gets its worker killed (SIGKILL) and replaced; the task's outcome
is `timeout`, and other tasks are not delayed beyond their own deadlines. Workers are forked
from a forkserver that has already imported the handler's module, so a replacement starts in
milliseconds, not seconds. No process is spawned per task and no signal.alarm is used.

Only a slot's own thread changes its worker; other threads may only kill the OS process,
which the slot thread then notices. Every submitted future gets an outcome.
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
CLOSE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: OutcomeStatus
    value: Any = None
    detail: str = ""
    elapsed_s: float = 0.0


CLOSED = Outcome("closed", detail="the pool was closed")


@dataclass(slots=True)
class _Job:
    payload: Any
    deadline_s: float
    future: Future[Outcome]


@dataclass(frozen=True, slots=True)
class _WorkerSpec:
    """What every worker of a pool runs, and how to start one."""

    name: str
    handler: str
    warm_up: str | None
    memory_mb: int
    context: ForkServerContext


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
        context = _forkserver_context((handler.partition(":")[0], *preload))
        spec = _WorkerSpec(name, handler, warm_up, memory_mb, context)
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = threading.Event()
        restart = on_restart or (lambda reason: None)
        self._slots = [
            _Slot(spec, index, self._jobs, self._closed, restart) for index in range(size)
        ]
        self._threads: list[threading.Thread] = []

    @property
    def size(self) -> int:
        return len(self._slots)

    def worker_pids(self) -> list[int]:
        return [pid for slot in self._slots if (pid := slot.pid()) is not None]

    def alive_workers(self) -> int:
        return len(self.worker_pids())

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
        if self._closed.is_set():
            raise PoolClosedError(f"{self._name} is closed")
        future: Future[Outcome] = Future()
        self._jobs.put(_Job(payload, deadline_s, future))
        return future

    def close(self) -> None:
        """Stop taking work, answer what is queued with `closed`, stop every worker."""
        if self._closed.is_set():
            return
        self._closed.set()
        for _ in self._threads:
            self._jobs.put(None)
        for slot in self._slots:
            slot.interrupt()
        for thread in self._threads:
            thread.join(timeout=CLOSE_TIMEOUT_S)
        for slot in self._slots:
            slot.release()
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_result(CLOSED)

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

    def __init__(
        self,
        spec: _WorkerSpec,
        index: int,
        jobs: queue.SimpleQueue[_Job | None],
        closed: threading.Event,
        on_restart: Callable[[str], None],
    ) -> None:
        self.spec = spec
        self.index = index
        self._jobs = jobs
        self._closed = closed
        self._on_restart = on_restart
        self._process: Any = None
        self._connection: Connection | None = None

    def pid(self) -> int | None:
        process = self._process
        if process is None or not process.is_alive():
            return None
        pid: int = process.pid
        return pid

    def spawn(self) -> None:
        parent_end, child_end = self.spec.context.Pipe(duplex=True)
        process = self.spec.context.Process(
            target=worker_main,
            args=(child_end, self.spec.handler, self.spec.warm_up, self.spec.memory_mb),
            name=f"{self.spec.name}-worker-{self.index}",
            daemon=True,
        )
        process.start()
        child_end.close()
        if not parent_end.poll(STARTUP_TIMEOUT_S):
            process.kill()
            raise RuntimeError(f"{self.spec.name} worker did not start in {STARTUP_TIMEOUT_S} s")
        parent_end.recv()
        self._process, self._connection = process, parent_end

    def serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            if self._closed.is_set():
                job.future.set_result(CLOSED)
                continue
            outcome = self._run_safely(job)
            job.future.set_result(outcome)
            if outcome.status not in ("ok", "error") and not self._closed.is_set():
                self._replace(outcome.status)

    def _run_safely(self, job: _Job) -> Outcome:
        try:
            return self._run(job.payload, job.deadline_s)
        except Exception as error:  # the caller must get an outcome whatever happened
            log.exception("%s slot %d failed", self.spec.name, self.index)
            self._kill_and_forget()
            return Outcome("crashed", detail=f"worker slot failed: {error!r}")

    def _run(self, payload: Any, deadline_s: float) -> Outcome:
        if self.pid() is None:
            self._kill_and_forget()
            self.spawn()
        connection = self._connection
        assert connection is not None
        started = time.monotonic()
        try:
            connection.send(payload)
            if not connection.poll(deadline_s):
                self._kill_and_forget()
                return Outcome("timeout", detail=f"over {deadline_s:g} s", elapsed_s=deadline_s)
            status, value = connection.recv()
        except (EOFError, OSError) as error:
            self._kill_and_forget()
            return Outcome("crashed", detail=f"worker died: {error!r}")
        elapsed = time.monotonic() - started
        if status == "ok":
            return Outcome("ok", value, elapsed_s=elapsed)
        return Outcome(status, detail=str(value), elapsed_s=elapsed)

    def _replace(self, reason: str) -> None:
        self._kill_and_forget()
        log.info("%s worker %d replaced (%s)", self.spec.name, self.index, reason)
        self._on_restart(reason)
        try:
            self.spawn()
        except RuntimeError:  # the next task retries the start and reports `crashed`
            log.exception("%s worker %d could not be replaced", self.spec.name, self.index)

    def _kill_and_forget(self) -> None:
        """Kill the worker and drop it; only the slot's own thread (or `release`) calls this."""
        self.interrupt()
        self.release()

    def interrupt(self) -> None:
        """Kill the worker process; safe from any thread."""
        process = self._process
        if process is not None and process.is_alive():
            process.kill()

    def release(self) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is not None:
            process.join(timeout=CLOSE_TIMEOUT_S)
        if connection is not None:
            connection.close()
