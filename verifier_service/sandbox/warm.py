"""Warm jails: nsjail set up ahead of time, so a run pays for its own program and little else.

Setting up a jail costs ~8 ms of namespaces and mounts and ~6 ms of moving into fresh v1
cgroups (an RCU grace period); a warm jail pays both before it is needed. It is started with
the limits and mount targets of a run (its *shape*) but no program: its first process, the
launcher (sandboxes/launcher/launcher.c), waits on a control pipe. A run's files are copied
into the jail's own tmpfs mounts at the shape's targets (`filesystem.py`), then the command and
environment are sent and the launcher executes it. Each warm jail serves one run and has
cgroups of its own, so the peak memory measured is that run's alone.

The pool keeps `spares` warm jails for each of the few shapes used most recently and starts a
replacement, on a thread of its own, for every one taken: while runs are in flight, only once
a shape has no spare left, since setting a jail up competes for the CPU with the runs. A run
whose shape has no warm jail (its first, or a mount that must be writable) gets a fresh jail,
as does one whose warm jail failed before its program was released: a warm jail never turns
into a verdict of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from verifier_service.sandbox import launcher
from verifier_service.sandbox.runner import RunResult, Spawned

if TYPE_CHECKING:
    from verifier_service.sandbox.limits import JailMount, RunLimits

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 10.0
STATUS_CAP = 4096


@dataclass(frozen=True, slots=True)
class WarmShape:
    """What a warm jail is made for: a run's limits and its read-only mount targets."""

    limits: RunLimits
    targets: tuple[str, ...]

    @classmethod
    def of(cls, limits: RunLimits, mounts: tuple[JailMount, ...]) -> WarmShape | None:
        """None for runs a warm jail cannot serve (nsjail binds a writable or `bound` mount)."""
        if any(mount.writable or mount.bound for mount in mounts):
            return None
        return cls(limits, tuple(mount.target for mount in mounts))


@dataclass(slots=True)
class WarmJail:
    """One started jail whose launcher waits for a command."""

    spawned: Spawned
    control: int  # our end of the launcher's control pipe
    status: int  # our end of the launcher's status pipe
    leaf: str | None  # its cgroup leaf, when cgroups are in use
    cleanup: Callable[[WarmJail], None]

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> bool:
        """True once the launcher said it is ready; False when the jail failed to start."""
        readable, _, _ = select.select([self.status], [], [], timeout_s)
        if not readable:
            return False
        try:
            return os.read(self.status, len(launcher.READY)) == launcher.READY
        except OSError:
            return False

    def release(self, command: list[str], environment: dict[str, str], wall_s: float) -> None:
        """Send the command: the launcher executes it and the run's clock starts."""
        pending = memoryview(launcher.message(command, environment, wall_s))
        try:
            while pending:
                pending = pending[os.write(self.control, pending) :]
        finally:
            self.close_control()

    def exec_error(self) -> str:
        """The launcher's report of a program it could not start ('' when it started)."""
        os.set_blocking(self.status, False)
        try:
            report = os.read(self.status, STATUS_CAP)
        except OSError:
            return ""
        if not report.startswith(launcher.EXEC_FAILED):
            return ""
        return "launcher: " + report[1:].decode("utf-8", "replace")

    def not_started(self, limits: RunLimits, failure: str = "") -> RunResult:
        """A jail whose launcher never said it was ready (nsjail's own account of why), or
        whose mounts could not be staged (`failure`)."""
        self.close_control()
        result = self.spawned.collect(b"", limits.output_bytes, limits.wall_s)
        log = failure or result.jail_log or "the jail did not start its launcher"
        return replace(result, jail_log=log)

    def discard(self) -> None:
        """Stop a jail that will not run (the launcher sees its pipe close and exits)."""
        self.close_control()
        self.spawned.discard()
        self.dispose()

    def dispose(self) -> None:
        """After the run: close the status pipe, sweep its cgroups."""
        with contextlib.suppress(OSError):
            os.close(self.status)
        self.cleanup(self)

    def close_control(self) -> None:
        if self.control >= 0:
            os.close(self.control)
            self.control = -1


class WarmPool:
    """Spare warm jails for the shapes used most recently, refilled on a thread of its own."""

    def __init__(
        self, spawn: Callable[[WarmShape], WarmJail], spares: int, shapes: int = 4
    ) -> None:
        self._spawn = spawn
        self._spares = spares
        self._shapes = shapes
        self._ready: OrderedDict[WarmShape, deque[WarmJail]] = OrderedDict()
        self._lock = threading.Lock()
        self._wanted: deque[WarmShape] = deque()
        self._retired: deque[WarmJail] = deque()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._in_flight = 0
        self._failures = 0
        self._thread = threading.Thread(target=self._refill, name="warm-jails", daemon=True)
        self._thread.start()

    def take(self, shape: WarmShape) -> WarmJail | None:
        """A ready warm jail of this shape, or None (the caller starts a fresh jail)."""
        while True:
            warm = self._pop(shape)
            if warm is None:
                return None
            if warm.wait_ready():
                with self._lock:
                    self._in_flight += 1
                return warm
            log.warning("a warm jail failed to start; the run gets a fresh jail")
            warm.discard()

    def retire(self, warm: WarmJail, *, failed: bool = False) -> None:
        """Dispose of a jail whose run is over, off the run's clock (on the pool's thread);
        one whose run `failed` in the service is killed at once."""
        with self._lock:
            self._in_flight -= 1
            if not self._closed and not failed:
                self._retired.append(warm)
                self._wake.notify()
                return
        if failed:
            warm.discard()
        else:
            warm.dispose()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            jails = [warm for spares in self._ready.values() for warm in spares]
            self._ready.clear()
            self._wake.notify_all()
        self._thread.join(timeout=5)
        for warm in jails:
            warm.discard()
        self._dispose_retired()

    def _pop(self, shape: WarmShape) -> WarmJail | None:
        evicted: list[WarmJail] = []
        with self._lock:
            if self._closed:
                return None
            spares = self._ready.get(shape)
            if spares is None:
                spares = self._ready[shape] = deque()
                self._want(shape, self._spares)
                while len(self._ready) > self._shapes:
                    evicted.extend(self._ready.popitem(last=False)[1])
            self._ready.move_to_end(shape)
            warm = spares.popleft() if spares else None
            if warm is not None:
                self._want(shape, 1)
        for old in evicted:
            old.discard()
        return warm

    def _want(self, shape: WarmShape, count: int) -> None:
        self._wanted.extend([shape] * count)
        self._wake.notify()

    def _refill(self) -> None:
        while True:
            self._dispose_retired()
            with self._lock:
                while not self._retired and not self._closed and not self._spawn_due():
                    self._wake.wait()
                if self._closed:
                    return
                if not self._spawn_due():
                    continue
                shape = self._wanted.popleft()
                if shape not in self._ready or len(self._ready[shape]) >= self._spares:
                    continue
            self._add(shape)

    def _spawn_due(self) -> bool:
        """A replacement is wanted and either no run is in flight or its shape has no spare."""
        if not self._wanted:
            return False
        spares = self._ready.get(self._wanted[0])
        return self._in_flight == 0 or not spares

    def _dispose_retired(self) -> None:
        while True:
            with self._lock:
                if not self._retired:
                    return
                warm = self._retired.popleft()
            warm.dispose()

    def _add(self, shape: WarmShape) -> None:
        try:
            warm = self._spawn(shape)
        except (OSError, ValueError) as error:
            self._failures += 1
            log.warning("cannot start a warm jail (%s); runs get fresh jails", error)
            time.sleep(min(0.05 * 2**self._failures, 5.0))
            return
        self._failures = 0
        with self._lock:
            spares = self._ready.get(shape)
            if spares is not None and not self._closed:
                spares.append(warm)
                return
        warm.discard()
