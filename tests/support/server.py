"""A real uvicorn server on a free loopback port, running in a thread of the test process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

from verifier_service.api import create_app
from verifier_service.backend import Backend
from verifier_service.config import Settings
from verifier_service.service import Service

START_TIMEOUT_S = 60


@dataclass
class RunningServer:
    base_url: str
    service: Service


@dataclass
class RunningApi:
    base_url: str
    backend: Backend


@contextmanager
def running_server(settings: Settings) -> Iterator[RunningServer]:
    """The embedded service behind a real server."""
    service = Service(settings)
    with running_api(service) as api:
        yield RunningServer(api.base_url, service)


@contextmanager
def running_api(backend: Backend) -> Iterator[RunningApi]:
    """Any backend (embedded or queue) behind a real uvicorn server on a free port."""
    with running_asgi(create_app(backend), lifespan="on") as base_url:
        yield RunningApi(base_url, backend)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_asgi(
    app: ASGIApp, *, port: int = 0, lifespan: Literal["on", "off"] = "off"
) -> Iterator[str]:
    """Any ASGI app behind a real uvicorn server on 127.0.0.1:`port` (0: a free one; a fixed
    port can be served again once stopped): its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            listener.close()
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
