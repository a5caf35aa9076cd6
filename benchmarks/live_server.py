"""A real `python -m verifier_service serve` on a free loopback port, for the benchmarks.

The only address it binds or contacts is 127.0.0.1. The server runs math only (no toolchain
probes competing for the CPU) unless the caller's environment overrides say otherwise.
"""

# ruff: noqa: PLC0415 - httpx is imported where it is used: forked workers re-import callers

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(slots=True)
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: IO[bytes]


@contextmanager
def running_server(overrides: Mapping[str, str] | None = None) -> Iterator[Server]:
    """`python -m verifier_service serve` on a free loopback port; SIGTERM at the end."""
    port = free_port()
    env = dict(
        os.environ,
        VERIFIER_HOST=HOST,
        VERIFIER_PORT=str(port),
        VERIFIER_LOG_LEVEL="warning",
        VERIFIER_CODE_ENABLED="false",
    )
    env.update(overrides or {})
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "verifier_service", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Server(process, f"http://{HOST}:{port}", log)
        try:
            wait_ready(server)
            yield server
        finally:
            stop_server(server)


def wait_ready(server: Server, timeout_s: float = 180.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{server_log(server)}")
        try:
            response = httpx.get(f"{server.base_url}/readyz", timeout=2, trust_env=False)
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready in {timeout_s:g} s:\n{server_log(server)}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def server_log(server: Server) -> str:
    server.log.seek(0)
    return server.log.read().decode(errors="replace")[-3000:]
