"""An embedded reward service on a free loopback port, served by uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT_S = 120


@contextmanager
def embedded_service(math_workers: int, token: str | None = None) -> Iterator[str]:
    """Start the service (math only, code judging off) and yield its base URL."""
    import uvicorn  # noqa: PLC0415

    from verifier_service.api import create_app  # noqa: PLC0415
    from verifier_service.config import Settings  # noqa: PLC0415
    from verifier_service.service import Service  # noqa: PLC0415

    settings = Settings(
        host="127.0.0.1", math_workers=math_workers, code_enabled=False, api_token=token
    )
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(Service(settings)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="reward-service", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the embedded reward service did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
