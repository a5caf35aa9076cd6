"""What one run in the jail means for its test: a verdict before output is compared."""

from __future__ import annotations

import re
import signal

from verifier_service.code.languages import BOX
from verifier_service.sandbox import RunLimits, RunResult
from verifier_service.schemas.results import TestResult

# What the jail logs when execve of the run's command failed: the launcher's report (warm and
# fresh jails), one line; or, where programs run without the launcher, nsjail's fatal line,
# to which the jail adds what it was launching.
_LAUNCHER_EXEC_FAILED = re.compile(r"launcher: cannot execute (?P<path>.+?): ")
_NSJAIL_EXEC_FAILED = re.compile(
    r"Launching child process failed.*\(launching (?P<path>[^\n]*)\)\s*\Z", re.S
)
MEMORY_KILL_FRACTION = 0.9
CPU_KILL_FRACTION = 0.5
MESSAGE_CHARS = 1000


def failure_verdict(result: RunResult, limits: RunLimits) -> str | None:
    """The verdict when the run itself failed, or None when its output decides."""
    if result.jail_log:
        return "runtime_error" if _program_not_executable(result.jail_log) else "error"
    if result.output_truncated:
        return "output_limit"
    if result.wall_timed_out or result.cpu_s > limits.time_s:
        return "time_limit"
    killed = result.signal in (signal.SIGKILL, signal.SIGXCPU)
    if killed and result.memory_kb >= MEMORY_KILL_FRACTION * limits.memory_mb * 1024:
        return "memory_limit"
    # Nothing but the CPU rlimit kills a run that memory does not explain (the wall clock is
    # seen above); under load the CPU time measured can read well under the limit it hit.
    if killed and result.cpu_s >= CPU_KILL_FRACTION * limits.time_s:
        return "time_limit"
    if result.signal is not None or result.exit_code != 0:
        return "runtime_error"
    return None


def _program_not_executable(jail_log: str) -> bool:
    """Whether the jail failed only to execute the program's own artifact (a path under /box:
    what its compiler wrote, with a bad `.interp` or format): the program's fault. A
    toolchain's binary that cannot be executed, or anything else the jail logs, is the
    sandbox's."""
    lines = [line for line in jail_log.splitlines() if line.strip()]
    if len(lines) == 1 and (launcher := _LAUNCHER_EXEC_FAILED.match(lines[0])) is not None:
        return _in_box(launcher.group("path"))
    bare = _NSJAIL_EXEC_FAILED.search(jail_log)
    return bare is not None and _in_box(bare.group("path"))


def _in_box(path: str) -> bool:
    return path.startswith(f"{BOX}/")


def test_result(verdict: str, result: RunResult) -> TestResult:
    message = None
    if verdict in ("runtime_error", "error"):
        message = _tail(result.jail_log or result.stderr.decode("utf-8", "replace"))
    return TestResult(
        verdict=verdict,
        time_ms=round(result.cpu_s * 1000, 1),
        wall_ms=round(result.wall_s * 1000, 1),
        memory_kb=result.memory_kb,
        exit_code=result.exit_code,
        signal=result.signal,
        message=message,
    )


def _tail(text: str) -> str:
    """stderr's head and tail: runtimes print the error first (Node) or last (Python)."""
    text = text.strip()
    if len(text) <= MESSAGE_CHARS:
        return text
    head = MESSAGE_CHARS // 3
    return text[:head] + "\n...\n" + text[-(MESSAGE_CHARS - head) :]
