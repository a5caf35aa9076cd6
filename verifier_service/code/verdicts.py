"""What one run in the jail means for its test: a verdict before output is compared."""

from __future__ import annotations

import signal

from verifier_service.sandbox import RunLimits, RunResult
from verifier_service.schemas.results import TestResult

EXEC_FAILED = "Launching child process failed"
MEMORY_KILL_FRACTION = 0.9
CPU_KILL_FRACTION = 0.5
MESSAGE_CHARS = 1000


def failure_verdict(result: RunResult, limits: RunLimits) -> str | None:
    """The verdict when the run itself failed, or None when its output decides."""
    if result.jail_log:
        # execve of the program itself failed (a compiler wrote something that is not an
        # executable): the program's fault. Anything else nsjail logs is the sandbox's.
        return "runtime_error" if EXEC_FAILED in result.jail_log else "error"
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
