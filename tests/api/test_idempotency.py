"""`Idempotency-Key` on the embedded service: a retry is answered with the first response.

Whether something was scored is read from the outside, on /metrics: every call into the
scorer observes `verifier_batch_size_items` once, and every replay counts in
`verifier_idempotent_replays_total`.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.test_hostile_math import SLOW_TO_JUDGE
from tests.support.api import math_item
from tests.support.idempotency import SECOND_ANSWER, first_ends_then_second_answers
from tests.support.server import RunningServer, running_server
from verifier_service.api.idempotency import (
    HEADER,
    REPLAYED_HEADER,
    KeyReusedError,
    MemoryStore,
    Seen,
    StoredResponse,
    answer_once,
)
from verifier_service.api.idempotency.guard import slot_of
from verifier_service.config import Settings

TOKEN = "idempotency-token-7d2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLOW = math_item(rf"\boxed{{{SLOW_TO_JUDGE}}}", "1", options={"timeout_s": 1.5})
IN_FLIGHT_WAIT_S = 30


@pytest.fixture(scope="module")
def guarded() -> Iterator[RunningServer]:
    settings = Settings(math_workers=1, api_token=TOKEN, max_pending_items=2)
    with running_server(settings) as running:
        yield running


@pytest.fixture
def http(guarded: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=guarded.base_url, timeout=120, headers=AUTH) as client:
        yield client


def body(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items)}


def sample(n: int = 3) -> dict[str, Any]:
    return body(*(math_item(rf"so \boxed{{{k}}}", str(k), id=f"s{k}") for k in range(n)))


def post(
    base_url: str, payload: dict[str, Any], key: str, path: str = "/v1/verify"
) -> httpx.Response:
    with httpx.Client(base_url=base_url, timeout=120, headers=AUTH) as client:
        return client.post(path, json=payload, headers={HEADER: key})


def metric(http: httpx.Client, pattern: str) -> float:
    found = re.findall(rf"^{pattern} ([0-9.e+]+)$", http.get("/metrics").text, re.MULTILINE)
    return sum(float(value) for value in found)


def scored(http: httpx.Client) -> float:
    """Calls into the scorer so far."""
    return metric(http, "verifier_batch_size_items_count")


def replays(http: httpx.Client, route: str = "/v1/verify") -> float:
    return metric(http, re.escape(f'verifier_idempotent_replays_total{{route="{route}"}}'))


def wait_in_flight(server: RunningServer, count: int) -> None:
    deadline = time.monotonic() + IN_FLIGHT_WAIT_S
    while server.service.in_flight_items < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.service.in_flight_items >= count, "the slow request never started"


def test_a_retry_gets_the_first_response_without_scoring_again(http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    before = scored(http), replays(http)
    first = http.post("/v1/verify", json=sample(), headers={HEADER: key})
    assert first.status_code == 200 and REPLAYED_HEADER not in first.headers
    retry = http.post("/v1/verify", json=sample(), headers={HEADER: key})
    assert retry.status_code == 200 and retry.headers[REPLAYED_HEADER] == "true"
    assert retry.content == first.content  # elapsed_ms included: the very same response
    assert retry.headers["content-type"] == first.headers["content-type"]
    assert [r["verdict"] for r in retry.json()["results"]] == ["correct"] * 3
    assert (scored(http), replays(http)) == (before[0] + 1, before[1] + 1)
    unkeyed = http.post("/v1/verify", json=sample())
    assert unkeyed.status_code == 200 and REPLAYED_HEADER not in unkeyed.headers
    assert scored(http) == before[0] + 2


def test_concurrent_duplicates_are_scored_once(guarded: RunningServer, http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    payload = body(SLOW, math_item(r"\boxed{2}", "2"))
    before = scored(http), replays(http)
    replies: list[httpx.Response] = []

    def send() -> None:
        replies.append(post(guarded.base_url, payload, key))

    first = threading.Thread(target=send)
    first.start()
    wait_in_flight(guarded, 2)  # the first is being scored: the duplicates must wait for it
    duplicates = [threading.Thread(target=send) for _ in range(3)]
    for thread in duplicates:
        thread.start()
    for thread in (first, *duplicates):
        thread.join(timeout=120)
    assert [reply.status_code for reply in replies] == [200] * 4
    assert len({reply.content for reply in replies}) == 1
    assert sorted(reply.headers.get(REPLAYED_HEADER, "") for reply in replies) == [
        "",
        "true",
        "true",
        "true",
    ]
    assert [r["verdict"] for r in replies[0].json()["results"]] == ["timeout", "correct"]
    assert (scored(http), replays(http)) == (before[0] + 1, before[1] + 3)


def test_the_same_key_with_another_body_is_a_422_naming_the_header(http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    assert http.post("/v1/verify", json=sample(2), headers={HEADER: key}).status_code == 200
    before = scored(http)
    for path, payload in (("/v1/verify", sample(3)), ("/v1/jobs", sample(2))):
        reply = http.post(path, json=payload, headers={HEADER: key})
        assert reply.status_code == 422, path
        assert HEADER in reply.json()["error"]
        assert reply.json()["detail"][0]["field"] == f"header.{HEADER}"
    assert scored(http) == before
    too_long = http.post("/v1/verify", json=sample(1), headers={HEADER: "k" * 256})
    assert too_long.status_code == 422 and HEADER in too_long.json()["error"]


def test_a_429_is_not_remembered(guarded: RunningServer, http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    payload = sample(1)
    saturating = threading.Thread(
        target=post, args=(guarded.base_url, body(SLOW, SLOW), str(uuid.uuid4()))
    )
    saturating.start()
    try:
        wait_in_flight(guarded, 2)
        refused = http.post("/v1/verify", json=payload, headers={HEADER: key})
        assert refused.status_code == 429 and "Retry-After" in refused.headers
    finally:
        saturating.join(timeout=120)
    before = scored(http)
    retry = http.post("/v1/verify", json=payload, headers={HEADER: key})
    assert retry.status_code == 200 and REPLAYED_HEADER not in retry.headers
    assert retry.json()["results"][0]["verdict"] == "correct"
    assert scored(http) == before + 1


def test_another_token_never_reads_a_stored_response(http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    assert http.post("/v1/verify", json=sample(), headers={HEADER: key}).status_code == 200
    for headers in ({HEADER: key}, {HEADER: key, "Authorization": "Bearer someone-else"}):
        with httpx.Client(base_url=str(http.base_url), timeout=60) as stranger:
            reply = stranger.post("/v1/verify", json=sample(), headers=headers)
        assert reply.status_code == 401 and REPLAYED_HEADER not in reply.headers
    assert slot_of(TOKEN, key) != slot_of("someone-else", key) != slot_of(None, key)


def test_a_job_retry_gets_the_same_job(http: httpx.Client) -> None:
    key = str(uuid.uuid4())
    first = http.post("/v1/jobs", json=sample(), headers={HEADER: key})
    retry = http.post("/v1/jobs", json=sample(), headers={HEADER: key})
    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.json() == first.json() and retry.headers[REPLAYED_HEADER] == "true"
    assert replays(http, "/v1/jobs") >= 1


def test_the_header_is_in_the_openapi_document(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    for path, status in (("/v1/verify", "200"), ("/v1/jobs", "202")):
        operation = spec["paths"][path]["post"]
        assert HEADER in [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert REPLAYED_HEADER in operation["responses"][status]["headers"]


# --- the rule itself, on the in-memory table -----------------------------------------------


def test_a_failed_or_cancelled_first_request_releases_its_waiters() -> None:
    async def settle() -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    async def scenario(end_first: str) -> tuple[StoredResponse, bool]:
        store = MemoryStore(ttl_s=60, max_keys=10, max_bytes=1 << 20)
        return await first_ends_then_second_answers(store, store, "slot", end_first, settle)

    for end_first in ("fail", "cancel"):
        assert asyncio.run(scenario(end_first)) == (SECOND_ANSWER, False)


def test_only_2xx_answers_are_kept_and_another_fingerprint_is_refused() -> None:
    async def scenario() -> None:
        store = MemoryStore(ttl_s=60, max_keys=10, max_bytes=1 << 20)

        async def busy() -> StoredResponse:
            return StoredResponse(429, b'{"error":"saturated"}')

        async def ok() -> StoredResponse:
            return StoredResponse(200, b"{}")

        assert await answer_once(store, "s", "f", busy) == (await busy(), False)
        assert await answer_once(store, "s", "f", ok) == (StoredResponse(200, b"{}"), False)
        assert await answer_once(store, "s", "f", busy) == (StoredResponse(200, b"{}"), True)
        with pytest.raises(KeyReusedError, match=HEADER):
            await answer_once(store, "s", "other", ok)

    asyncio.run(scenario())


def test_the_memory_table_forgets_the_oldest_past_its_bounds() -> None:
    async def fill(store: MemoryStore, sizes: list[int]) -> None:
        for index, size in enumerate(sizes):

            async def produce(size: int = size) -> StoredResponse:
                return StoredResponse(200, b"x" * size)

            await answer_once(store, f"slot{index}", "f", produce)

    async def claimable(store: MemoryStore, slot: str) -> bool:
        return not isinstance(await store.claim(slot, "f"), Seen)

    async def scenario() -> None:
        by_count = MemoryStore(ttl_s=60, max_keys=2, max_bytes=1 << 20)
        await fill(by_count, [1, 1, 1])
        assert by_count.answered == 2 and await claimable(by_count, "slot0")
        by_bytes = MemoryStore(ttl_s=60, max_keys=10, max_bytes=10)
        await fill(by_bytes, [4, 4, 4])
        assert by_bytes.answered == 2 and await claimable(by_bytes, "slot0")
        expiring = MemoryStore(ttl_s=0.001, max_keys=10, max_bytes=10)
        await fill(expiring, [1])
        await asyncio.sleep(0.01)
        assert expiring.answered == 0 and await claimable(expiring, "slot0")

    asyncio.run(scenario())
