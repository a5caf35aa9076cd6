"""The FastAPI side: the `Idempotency-Key` header as a dependency, and the store of the app.

A route that starts scoring work takes `IdempotencyDep` and hands it the coroutine that does
the work: without the header it just runs; with it, it runs once per key (see `guard.py`) and
a repeat is answered with the first response, byte for byte, plus `Idempotent-Replayed: true`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from prometheus_client import Counter
from pydantic import BaseModel

from verifier_service.api.deps import CallerTokenDep, ServiceDep
from verifier_service.api.idempotency.guard import (
    HEADER,
    KeyReusedError,
    answer_once,
    fingerprint_of,
    slot_of,
)
from verifier_service.api.idempotency.store import IdempotencyStore, MemoryStore, StoredResponse
from verifier_service.backend import Backend
from verifier_service.queue.backend import QueueBackend

REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

Model = TypeVar("Model", bound=BaseModel)


def store_for(backend: Backend) -> IdempotencyStore:
    """In queue mode the backend's Redis, shared by every API replica; else this process's
    memory."""
    settings = backend.settings
    if isinstance(backend, QueueBackend):
        from verifier_service.queue.idempotency import RedisStore  # noqa: PLC0415

        return RedisStore(
            backend.broker.url,
            ttl_s=settings.idempotency_ttl_s,
            max_keys=settings.idempotency_max_keys,
        )
    return MemoryStore(
        ttl_s=settings.idempotency_ttl_s,
        max_keys=settings.idempotency_max_keys,
        max_bytes=settings.idempotency_max_bytes,
    )


def replay_documented(status_code: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entry announcing the replay header on the success status."""
    header = {
        "description": f"`true` when this is the stored response of an earlier request with the "
        f"same {HEADER} (its work was not started again); absent otherwise.",
        "schema": {"type": "string", "enum": ["true"]},
    }
    return {status_code: {"headers": {REPLAYED_HEADER: header}}}


@dataclass(frozen=True, slots=True)
class Keyed:
    store: IdempotencyStore
    slot: str
    fingerprint: str
    replays: Counter


@dataclass(frozen=True, slots=True)
class Idempotency:
    """One request's `Idempotency-Key` (None: the request sent none)."""

    keyed: Keyed | None = None

    async def respond(
        self, produce: Callable[[], Awaitable[Model]], *, status_code: int = 200
    ) -> Model | Response:
        """`produce()`'s model as is without a key; with one, the response of the first request
        that sent it (produced now if this is that request)."""
        if self.keyed is None:
            return await produce()

        async def rendered() -> StoredResponse:
            model = await produce()
            return StoredResponse(status_code, model.model_dump_json(by_alias=True).encode())

        keyed = self.keyed
        try:
            stored, replayed = await answer_once(
                keyed.store, keyed.slot, keyed.fingerprint, rendered
            )
        except KeyReusedError as error:
            raise RequestValidationError(
                [{"loc": ("header", HEADER), "msg": str(error), "type": "idempotency_key_reused"}]
            ) from error
        headers = {}
        if replayed:
            keyed.replays.inc()
            headers[REPLAYED_HEADER] = "true"
        return Response(
            stored.body,
            status_code=stored.status_code,
            media_type=stored.media_type,
            headers=headers,
        )


async def idempotency(
    request: Request,
    service: ServiceDep,
    token: CallerTokenDep,
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            min_length=1,
            max_length=MAX_KEY_LENGTH,
            description="A retry of the same request (same body) with the same key is answered "
            "with the first response instead of being scored again (a uuid per request; "
            "the Python client sends one per chunk).",
        ),
    ] = None,
) -> Idempotency:
    if key is None:
        return Idempotency()
    store: IdempotencyStore = request.app.state.idempotency
    route = getattr(request.scope.get("route"), "path", None) or request.url.path
    body = await request.body()  # already read (and cached) by FastAPI to parse it
    return Idempotency(
        Keyed(
            store=store,
            slot=slot_of(token, key),
            fingerprint=fingerprint_of(request.method, route, body),
            replays=service.metrics.idempotent_replays.labels(route),
        )
    )


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
