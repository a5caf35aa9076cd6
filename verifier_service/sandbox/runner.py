"""Run one nsjail process: feed stdin, read at most N bytes of output, enforce the wall clock.

nsjail passes output through unbounded, so the cap lives here: past it the jail is killed and
the run is marked `output_truncated`. Resource usage comes from wait4 on nsjail, which
includes the jailed process it waited for.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import Any

READ_CHUNK = 65536
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


def run_process(
    argv: list[str],
    *,
    stdin: bytes,
    output_cap: int,
    wall_limit_s: float,
    stream_owner: tuple[int, int] | None = None,
) -> RunResult:
    """Run nsjail's `argv` (never through a shell) and collect what it did.

    The standard streams are pipes made here and, with `stream_owner` (uid, gid), given to the
    jail's user, so a program may reopen them as /dev/stdin or /proc/self/fd/0. nsjail's own
    log (fatal messages only) goes to a separate pipe: anything there means the jail could not
    be set up, which is the service's fault, not the program's.
    """
    log_read, log_write = os.pipe()
    pipes = _Pipes.make(stream_owner)
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            [argv[0], "--log_fd", str(log_write), *argv[1:]],
            stdin=pipes.child_stdin,
            stdout=pipes.child_stdout,
            stderr=pipes.child_stderr,
            start_new_session=True,
            pass_fds=(log_write,),
            env={},
        )
    finally:
        os.close(log_write)
        pipes.close_child_ends()
    streams = _Streams(pipes, stdin, output_cap)
    deadline = started + wall_limit_s
    wall_timed_out = streams.pump(deadline)
    if wall_timed_out or streams.truncated:
        _kill(process)
    status, usage, waited_out = _wait(process, deadline)
    streams.close()
    jail_log = _drain(log_read)
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
    )


def _wait(process: subprocess.Popen[bytes], deadline: float) -> tuple[int, Any, bool]:
    """wait4 until exit; kill at the deadline (a program may close its output and go on)."""
    pause = 0.0005
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, 0 if timed_out else os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return status, usage, timed_out
        if time.monotonic() >= deadline:
            _kill(process)
            timed_out = True
            continue
        time.sleep(pause)
        pause = min(pause * 2, 0.01)


def _drain(descriptor: int) -> str:
    chunks = []
    with os.fdopen(descriptor, "rb") as log:
        chunks.append(log.read(JAIL_LOG_CAP))
    return b"".join(chunks).decode("utf-8", "replace").strip()


def _kill(process: subprocess.Popen[bytes]) -> None:
    """nsjail's death takes the jail with it (PR_SET_PDEATHSIG and the PID namespace)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


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
    def make(cls, owner: tuple[int, int] | None) -> _Pipes:
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        stderr_read, stderr_write = os.pipe()
        if owner is not None:
            for descriptor in (stdin_read, stdout_write, stderr_write):
                os.fchown(descriptor, *owner)  # both ends share the pipe's inode
        return cls(stdin_read, stdout_write, stderr_write, stdin_write, stdout_read, stderr_read)

    def close_child_ends(self) -> None:
        for descriptor in (self.child_stdin, self.child_stdout, self.child_stderr):
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

    def pump(self, deadline: float) -> bool:
        """Move bytes until both outputs close; True when the deadline passed first."""
        while self.selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            for key, _ in self.selector.select(timeout=remaining):
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
