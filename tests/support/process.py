"""`verifier-service serve` as an operator starts it: a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.server import START_TIMEOUT_S, free_port

STOP_TIMEOUT_S = 30


@contextmanager
def serving(*args: str, logs: Path, environment: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m verifier_service serve --port P ARGS` in its own session; its base URL once
    /healthz answers. Only `environment` sets VERIFIER_* (the caller's are not inherited);
    stdout and stderr go to `logs`/serve.log. Stopped with SIGTERM (SIGKILL to its process
    group if it lingers)."""
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("VERIFIER_")},
        "VERIFIER_LOG_LEVEL": "warning",
        **(environment or {}),
    }
    log_path = logs / "serve.log"
    argv = [sys.executable, "-m", "verifier_service", "serve", "--port", str(port), *args]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, process, log_path)
        yield base_url
    finally:
        _stop(process)


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"`serve` did not start:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: the group is its own
            process.wait()
