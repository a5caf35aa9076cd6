"""The release rule, run against any idempotency store: a first request that fails or is
cancelled frees its key, and the request waiting on it then answers itself."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from verifier_service.api.idempotency import answer_once
from verifier_service.api.idempotency.store import IdempotencyStore, Seen, StoredResponse

SECOND_ANSWER = StoredResponse(200, b'{"second":true}')


async def first_ends_then_second_answers(
    first_store: IdempotencyStore,
    second_store: IdempotencyStore,
    slot: str,
    end_first: str,
    settle: Callable[[], Awaitable[None]],
) -> tuple[StoredResponse, bool]:
    """Two requests with one key (through one store or two replicas' stores): the first is
    failed (`end_first="fail"`) or cancelled while the second waits; the second's answer."""
    started, finish = asyncio.Event(), asyncio.Event()
    produced_by_second = False

    async def first_produce() -> StoredResponse:
        started.set()
        await finish.wait()
        raise RuntimeError("the first request failed")

    async def second_produce() -> StoredResponse:
        nonlocal produced_by_second
        produced_by_second = True
        return SECOND_ANSWER

    first = asyncio.create_task(answer_once(first_store, slot, "same", first_produce))
    await started.wait()
    second = asyncio.create_task(answer_once(second_store, slot, "same", second_produce))
    await settle()
    assert not produced_by_second and not second.done()  # it waits for the first
    if end_first == "fail":
        finish.set()
        with pytest.raises(RuntimeError):
            await first
    else:
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
    answer = await second
    assert produced_by_second
    assert await second_store.claim(slot, "same") == Seen("same", answer[0])
    return answer
