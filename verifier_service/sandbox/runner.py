"""Run one nsjail process: feed stdin, read at most N bytes of output, enforce the wall clock.

nsjail passes output through unbounded, so the cap lives here: past it the jail is killed and
the run is marked `output_truncated`. Resource usage comes from wait4 on nsjail, which
includes the jailed process it waited for.
"""

from __future__ import annotations

import contextlib
import os
import select
import selectors
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

READ_CHUNK = 65536
IDLE_POLL_S = 1.0
IDLE_PROGRESS_S = 0.05  # CPU seconds a run must use per idle window to count as working
SIGNAL_EXIT_BASE = 128
JAIL_LOG_CAP = 16384


@dataclass(frozen=True, slots=True)
class RunResult:
    exit_code: int | None  # None when killed by a signal
    signal: int | None
    stdout: bytes
    stderr: bytes
    output_truncated: bool
    wall_timed_out: bool
    wall_s: float
    cpu_s: float
    memory_kb: int  # peak memory: the run's cgroup peak when measured, else wait4's maxrss
    jail_log: str = ""  # nsjail's own fatal messages: non-empty means the jail failed
    idle_timed_out: bool = False  # ended (wall_timed_out too) for using no CPU (`IdleWatch`)


@dataclass(slots=True)
class IdleWatch:
    """Ends a run that stopped using the CPU: `cpu_s()`, the run's CPU seconds, grew by less
    than IDLE_PROGRESS_S over `window_s` of wall clock. For compiles, which wait on nothing
    (their inputs are files, they have no network): one that waits is blocked for good (on a
    pipe of its own it reopened, in compile-time code that sleeps) and would otherwise hold its
    slot for its whole wall clock, while one slowed by a busy machine still makes progress. A
    run whose CPU time cannot be read is never idle."""

    cpu_s: Callable[[], float | None]
    window_s: float
    went_idle: bool = False
    _cpu: float = 0.0
    _since: float = field(default_factory=time.monotonic)
    _next_check: float = 0.0

    @classmethod
    def over(
        cls, window_s: float | None, cpu_s: Callable[[], float | None] | None
    ) -> IdleWatch | None:
        return None if window_s is None or cpu_s is None else cls(cpu_s, window_s)

    def check(self) -> bool:
        """True once the run has been idle for the window (sampled once a second)."""
        now = time.monotonic()
        if self.went_idle or now < self._next_check:
            return self.went_idle
        self._next_check = now + IDLE_POLL_S
        cpu = self.cpu_s()
        if cpu is None or cpu >= self._cpu + IDLE_PROGRESS_S:
            self._cpu, self._since = (self._cpu if cpu is None else cpu), now
        elif now - self._since >= self.window_s:
            self.went_idle = True
        return self.went_idle


def _poll_timeout(remaining: float, idle: IdleWatch | None) -> float:
    return remaining if idle is None else min(remaining, IDLE_POLL_S)


def refused(jail_log: str) -> RunResult:
    """A run the service could not start at all (a sandbox fault)."""
    return RunResult(None, None, b"", b"", False, False, 0.0, 0.0, 0, jail_log=jail_log)


def with_program_signal(result: RunResult) -> RunResult:
    """nsjail exits 128+N when the jailed program died of signal N: report the signal.

    (A program that itself exits with 129..192 reads the same; judges accept that ambiguity.)
    """
    code = result.exit_code
    if code is not None and SIGNAL_EXIT_BASE < code <= SIGNAL_EXIT_BASE + 64:
        return replace(result, exit_code=None, signal=code - SIGNAL_EXIT_BASE)
    return result


def run_process(
    argv: list[str],
    *,
    stdin: bytes,
    output_cap: int,
    wall_limit_s: float,
    stream_owner: tuple[int, int] | None = None,
) -> RunResult:
    """Run nsjail's `argv` (never through a shell) and collect what it did."""
    return spawn(argv, stream_owner).collect(stdin, output_cap, wall_limit_s)


def spawn(
    argv: list[str],
    stream_owner: tuple[int, int] | None = None,
    pass_fds: tuple[int, ...] = (),
    *,
    stdin_null: bool = False,
) -> Spawned:
    """Start nsjail's `argv` (never through a shell) with its streams on fresh pipes.

    The standard streams are pipes made here and, with `stream_owner` (uid, gid), given to the
    jail's user, so a program may reopen them as /dev/stdin or /proc/self/fd/0; without it only
    root may (a compiler that reopens its own output, `#include "/dev/stdout"`, is refused
    rather than left waiting on it). `stdin_null`: stdin is /dev/null, not a pipe. nsjail's own
    log (fatal messages only) goes to a separate pipe: anything there means the jail could not
    be set up, which is the service's fault, not the program's. `pass_fds` reach nsjail open.
    """
    log_read, log_write = os.pipe()
    pipes = _Pipes.make(stream_owner, stdin_null=stdin_null)
    try:
        process = subprocess.Popen(
            [argv[0], "--log_fd", str(log_write), *argv[1:]],
            stdin=pipes.child_stdin,
            stdout=pipes.child_stdout,
            stderr=pipes.child_stderr,
            start_new_session=True,
            pass_fds=(log_write, *pass_fds),
            env={},
        )
    except BaseException:
        pipes.close_our_ends()
        os.close(log_read)
        raise
    finally:
        os.close(log_write)
        pipes.close_child_ends()
    return Spawned(process, pipes, log_read)


@dataclass(slots=True)
class Spawned:
    """A started nsjail: collect() feeds its stdin, reads its output and waits for it."""

    process: subprocess.Popen[bytes]
    pipes: _Pipes
    log_read: int

    def collect(
        self, stdin: bytes, output_cap: int, wall_limit_s: float, idle: IdleWatch | None = None
    ) -> RunResult:
        """The wall clock starts now (for a warm jail: when its program was released)."""
        started = time.monotonic()
        streams = _Streams(self.pipes, stdin, output_cap)
        deadline = started + wall_limit_s
        wall_timed_out = streams.pump(deadline, idle)
        if wall_timed_out or streams.truncated:
            self.kill()
        status, usage, waited_out = _wait(self.process, deadline, idle)
        streams.close()
        jail_log = _drain(self.log_read)
        exit_code = os.waitstatus_to_exitcode(status)
        return RunResult(
            exit_code=exit_code if exit_code >= 0 else None,
            signal=-exit_code if exit_code < 0 else None,
            stdout=bytes(streams.stdout),
            stderr=bytes(streams.stderr),
            output_truncated=streams.truncated,
            wall_timed_out=wall_timed_out or waited_out,
            wall_s=time.monotonic() - started,
            cpu_s=usage.ru_utime + usage.ru_stime,
            memory_kb=usage.ru_maxrss,
            jail_log=jail_log,
            idle_timed_out=idle is not None and idle.went_idle,
        )

    def kill(self) -> None:
        """nsjail's death takes the jail with it (PR_SET_PDEATHSIG and the PID namespace)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def discard(self) -> None:
        """Kill, reap and close everything (a spawned jail that will never be collected)."""
        self.kill()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.process.pid, 0)
        self.process.returncode = -signal.SIGKILL
        self.pipes.close_our_ends()
        os.close(self.log_read)


def _wait(
    process: subprocess.Popen[bytes], deadline: float, idle: IdleWatch | None = None
) -> tuple[int, Any, bool]:
    """wait4 for nsjail's exit, watched through a pidfd; kill it at the deadline or once idle
    (a program may close its output and go on)."""
    pidfd = os.pidfd_open(process.pid)
    try:
        exited: list[int] = []
        while not exited:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (idle is not None and idle.check()):
                break
            exited, _, _ = select.select([pidfd], [], [], _poll_timeout(remaining, idle))
    finally:
        os.close(pidfd)
    if not exited:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return status, usage, not exited


def _drain(descriptor: int) -> str:
    chunks = []
    with os.fdopen(descriptor, "rb") as log:
        chunks.append(log.read(JAIL_LOG_CAP))
    return b"".join(chunks).decode("utf-8", "replace").strip()


@dataclass(slots=True)
class _Pipes:
    """stdin/stdout/stderr pipes: the child's ends and ours."""

    child_stdin: int
    child_stdout: int
    child_stderr: int
    stdin: int
    stdout: int
    stderr: int

    @classmethod
    def make(cls, owner: tuple[int, int] | None, *, stdin_null: bool = False) -> _Pipes:
        """With `stdin_null` both stdin ends are /dev/null: what is written there is dropped."""
        if stdin_null:
            stdin_read = os.open(os.devnull, os.O_RDONLY)
            stdin_write = os.open(os.devnull, os.O_WRONLY)
        else:
            stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        stderr_read, stderr_write = os.pipe()
        if owner is not None:
            pipes = (
                (stdout_write, stderr_write)
                if stdin_null
                else (stdin_read, stdout_write, stderr_write)
            )
            for descriptor in pipes:
                os.fchown(descriptor, *owner)  # both ends share the pipe's inode
        return cls(stdin_read, stdout_write, stderr_write, stdin_write, stdout_read, stderr_read)

    def close_child_ends(self) -> None:
        for descriptor in (self.child_stdin, self.child_stdout, self.child_stderr):
            os.close(descriptor)

    def close_our_ends(self) -> None:
        for descriptor in (self.stdin, self.stdout, self.stderr):
            os.close(descriptor)


class _Streams:
    """Non-blocking stdin writing and capped stdout/stderr reading on one selector."""

    def __init__(self, pipes: _Pipes, stdin: bytes, cap: int) -> None:
        self.pipes = pipes
        self.pending = memoryview(stdin)
        self.cap = cap
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.truncated = False
        self.open = {pipes.stdin, pipes.stdout, pipes.stderr}
        self.selector = selectors.DefaultSelector()
        for descriptor in (pipes.stdout, pipes.stderr):
            os.set_blocking(descriptor, False)
            self.selector.register(descriptor, selectors.EVENT_READ)
        if self.pending:
            os.set_blocking(pipes.stdin, False)
            self.selector.register(pipes.stdin, selectors.EVENT_WRITE)
        else:
            self._close(pipes.stdin)

    def pump(self, deadline: float, idle: IdleWatch | None = None) -> bool:
        """Move bytes until both outputs close; True when the deadline passed (or the run
        went idle) first."""
        while self.selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (idle is not None and idle.check()):
                return True
            for key, _ in self.selector.select(timeout=_poll_timeout(remaining, idle)):
                if key.fd == self.pipes.stdin:
                    self._write()
                else:
                    self._read(key.fd)
                if self.truncated:
                    return False
        return False

    def _write(self) -> None:
        try:
            written = os.write(self.pipes.stdin, self.pending[:READ_CHUNK])
        except BlockingIOError:
            return
        except BrokenPipeError:
            written = len(self.pending)
        self.pending = self.pending[written:]
        if not self.pending:
            self.selector.unregister(self.pipes.stdin)
            self._close(self.pipes.stdin)

    def _read(self, descriptor: int) -> None:
        try:
            chunk = os.read(descriptor, READ_CHUNK)
        except BlockingIOError:
            return
        if not chunk:
            self.selector.unregister(descriptor)
            return
        target = self.stdout if descriptor == self.pipes.stdout else self.stderr
        room = self.cap - len(self.stdout) - len(self.stderr)
        target.extend(chunk[: max(room, 0)])
        if len(chunk) > room:
            self.truncated = True

    def _close(self, descriptor: int) -> None:
        if descriptor in self.open:
            self.open.discard(descriptor)
            os.close(descriptor)

    def close(self) -> None:
        self.selector.close()
        for descriptor in list(self.open):
            self._close(descriptor)
