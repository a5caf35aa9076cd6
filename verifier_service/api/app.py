"""The FastAPI application: routes, limits, auth and error handlers around one Service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from verifier_service import __version__
from verifier_service.api.errors import UnexpectedErrors, install_error_handlers
from verifier_service.api.idempotency import store_for
from verifier_service.api.middleware import BodySizeLimit, RequestMetrics
from verifier_service.api.routes import jobs, openrlhf, sandboxfusion, service, verify
from verifier_service.api.threads import open_scoring_threads
from verifier_service.backend import Backend


def create_app(app_service: Backend) -> FastAPI:
    idempotency = store_for(app_service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        open_scoring_threads(app, app_service.settings.max_concurrent_scoring)
        app_service.start()
        try:
            yield
        finally:
            await idempotency.close()
            app_service.close()

    app = FastAPI(
        title="verifier-service",
        version=__version__,
        description="Bounded-time, sandboxed rewards for RL with verifiable rewards.",
        lifespan=lifespan,
    )
    app.state.service = app_service
    app.state.idempotency = idempotency
    app.add_middleware(UnexpectedErrors)  # innermost: RequestMetrics counts its 503
    app.add_middleware(BodySizeLimit, max_bytes=app_service.settings.max_body_bytes)
    app.add_middleware(RequestMetrics, counter=app_service.metrics.requests)
    install_error_handlers(app)
    for router in (
        verify.router,
        jobs.router,
        service.router,
        openrlhf.router,
        sandboxfusion.router,
    ):
        app.include_router(router)
    return app
