"""Answer each `Idempotency-Key` once: the first request answers, every repeat gets its answer.

- A key is scoped by the caller (a digest of its bearer token when auth is on), so one tenant
  can never read another's response.
- A repeat whose request differs (another body or route) is the caller's bug: 422.
- A repeat that arrives while the first is still being answered waits for that answer.
- Only a 2xx answer is kept. A first request that fails (429, 503, a crash) or is cancelled
  releases the key, and its waiters race to claim it: one answers, the others wait again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

import anyio

from verifier_service.api.idempotency.store import Claimed, IdempotencyStore, StoredResponse

HEADER = "Idempotency-Key"


class KeyReusedError(ValueError):
    """The key was first sent with another request: the client must use a fresh key."""

    def __init__(self) -> None:
        super().__init__(
            f"this {HEADER} was already used for a different request (another body or route); "
            f"send a new {HEADER} for each distinct request and the same one only for its retries"
        )


def slot_of(token: str | None, key: str) -> str:
    """The slot of `key` for the caller holding `token` (None when auth is off)."""
    tenant = hashlib.sha256(token.encode()).hexdigest() if token else "-"
    return hashlib.sha256(f"{tenant}\n{key}".encode()).hexdigest()


def fingerprint_of(method: str, path: str, body: bytes) -> str:
    """What must be the same for a repeat to be a retry: route and body, byte for byte."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


async def answer_once(
    store: IdempotencyStore,
    slot: str,
    fingerprint: str,
    produce: Callable[[], Awaitable[StoredResponse]],
) -> tuple[StoredResponse, bool]:
    """The response for the slot and whether it is a replay; `produce` runs at most once per
    slot at a time, and not at all once a 2xx answer is kept."""
    attempt = 0
    while True:
        claim = await store.claim(slot, fingerprint)
        if isinstance(claim, Claimed):
            return await _answer(store, claim, produce), False
        if claim.fingerprint != fingerprint:
            raise KeyReusedError
        if claim.response is not None:
            return claim.response, True
        await store.wait(slot, attempt)
        attempt += 1


async def _answer(
    store: IdempotencyStore, lease: Claimed, produce: Callable[[], Awaitable[StoredResponse]]
) -> StoredResponse:
    try:
        response = await produce()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await store.release(lease)
        raise
    with anyio.CancelScope(shield=True):
        if 200 <= response.status_code < 300:
            await store.finish(lease, response)
        else:
            await store.release(lease)
    return response
