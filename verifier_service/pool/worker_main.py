"""The loop each worker process runs: receive a payload, call the handler, send the result."""

from __future__ import annotations

import ctypes
import importlib
import resource
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

PR_SET_PDEATHSIG = 1


def worker_main(
    connection: Connection, handler_path: str, warm_up_path: str | None, memory_mb: int
) -> None:
    _detach_from_terminal_signals()
    _cap_memory(memory_mb)
    handler = _resolve(handler_path)
    if warm_up_path:
        _resolve(warm_up_path)()
    connection.send("ready")
    while True:
        try:
            payload = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_call(handler, payload))


def _call(handler: Callable[[Any], Any], payload: Any) -> tuple[str, Any]:
    try:
        return "ok", handler(payload)
    except MemoryError:
        return "memory", "exceeded the worker's memory cap"
    except RecursionError:
        return "error", "nested too deeply"
    except Exception as error:  # a handler bug must reach the caller, not kill the worker
        return "error", f"{type(error).__name__}: {error}"


def _resolve(path: str) -> Callable[..., Any]:
    module_name, _, attribute = path.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), attribute)
    return function


def _detach_from_terminal_signals() -> None:
    """Ctrl-C reaches the whole process group: only the service decides when workers stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _cap_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
