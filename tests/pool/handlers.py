"""Task handlers for the pool tests; worker processes import them by name."""

from __future__ import annotations

import os
import time


def echo(payload: object) -> object:
    return payload


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def exit_abruptly(code: int) -> None:
    os._exit(code)


def fail(message: str) -> None:
    raise ValueError(message)


def own_pid(_: object) -> int:
    return os.getpid()
