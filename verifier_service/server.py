"""Run the HTTP API with the embedded service under uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from verifier_service.api import create_app
from verifier_service.backend import Backend
from verifier_service.config import Settings
from verifier_service.service import Service

# uvicorn closes the app's lifespan, which stops the worker processes, on SIGTERM and Ctrl-C.
GRACEFUL_SHUTDOWN_S = 30


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def backend_for(settings: Settings) -> Backend:
    """The queue in front of workers when VERIFIER_REDIS_URL is set; else the embedded one."""
    if settings.redis_url:
        from verifier_service.queue.backend import QueueBackend  # noqa: PLC0415

        return QueueBackend(settings)
    return Service(settings)


def serve(settings: Settings) -> None:
    configure_logging(settings)
    app = create_app(backend_for(settings))
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
