"""A real server on a chosen port, recording each /v1/verify request's Idempotency-Key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.support.server import running_asgi
from verifier_service.api import create_app
from verifier_service.config import Settings
from verifier_service.service import Service


@dataclass
class Calls:
    """(Idempotency-Key, status) of each /v1/verify request, in the order they finished."""

    entries: list[tuple[str | None, int]] = field(default_factory=list)

    def statuses(self, key: str | None) -> list[int]:
        return [status for seen, status in self.entries if seen == key]


class Recorder:
    """ASGI wrapper around the real app: records, changes nothing."""

    def __init__(self, app: ASGIApp, calls: Calls) -> None:
        self.app = app
        self.calls = calls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/verify":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(b"idempotency-key")
        status = 0

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, recording_send)
        self.calls.entries.append((raw.decode() if raw else None, status))


@dataclass
class Served:
    base_url: str
    service: Service
    calls: Calls


@contextmanager
def serve(settings: Settings, port: int, calls: Calls | None = None) -> Iterator[Served]:
    """The embedded service behind uvicorn on 127.0.0.1:`port` (reusable once stopped)."""
    calls = calls if calls is not None else Calls()
    service = Service(settings)
    app = Recorder(create_app(service), calls)
    with running_asgi(app, port=port, lifespan="on") as base_url:
        yield Served(base_url, service, calls)
