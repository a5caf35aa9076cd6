"""The SDK against real servers: same results as the native API, chunking, retries, errors."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.api.test_hostile_math import SLOW_TO_JUDGE
from tests.client.support import Calls, Served, serve
from tests.support.server import RunningServer, free_port, running_asgi
from verifier_service.client import (
    AsyncVerifierClient,
    CodeItem,
    CodeResult,
    MathItem,
    MathResult,
    VerifierAuthError,
    VerifierClient,
    VerifierRequestError,
    VerifierUnavailableError,
)
from verifier_service.config import Settings

TOKEN = "client-token-5e2a"
FENCE = "```"
PY_SUM = "a, b = map(int, input().split())\nprint(a + b)"
SUM_TESTS = {
    "kind": "stdio",
    "cases": [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "10 -4\n", "stdout": "6\n"}],
}


def math(response: str, reference: str | list[str], **extra: Any) -> dict[str, Any]:
    return {"task": "math", "response": response, "reference": reference, **extra}


def code(program: str, **extra: Any) -> dict[str, Any]:
    response = f"Here:\n{FENCE}python\n{program}\n{FENCE}\n"
    return {"task": "code", "response": response, "tests": SUM_TESTS, **extra}


MIXED = [
    math(r"so \boxed{\frac{1}{2}}", "0.5", id="m1"),
    math(r"the answer is \boxed{3}", "4", id="m2"),
    math("I do not know", "4", id="m3"),
    math(r"\boxed{2}", "", id="m4"),
    code(PY_SUM, id="c1"),
    code("print(0)", id="c2"),
    math(r"\boxed{x+1}", ["1+x", "y"], id=7),
]


def native(base_url: str, items: list[dict[str, Any]], token: str | None = None) -> list[Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reply = httpx.post(f"{base_url}/v1/verify", json={"items": items}, headers=headers, timeout=60)
    assert reply.status_code == 200, reply.text
    results: list[Any] = reply.json()["results"]
    return results


def comparable(result: MathResult | CodeResult) -> dict[str, Any]:
    """A result without its timings (which differ between two runs)."""
    data = result.model_dump(mode="json", exclude={"elapsed_ms"})
    for test in data.get("tests", []):
        for timing in ("time_ms", "wall_ms", "memory_kb"):
            test.pop(timing, None)
    return data


def without_timings(raw: dict[str, Any]) -> dict[str, Any]:
    if raw.get("task") == "code":
        return comparable(CodeResult.model_validate(raw))
    return comparable(MathResult.model_validate(raw))


@pytest.fixture(scope="module")
def strict() -> Iterator[Served]:
    """Token required, small body limit, at most 2 items in flight."""
    settings = Settings(math_workers=1, api_token=TOKEN, max_body_bytes=8192, max_pending_items=2)
    with serve(settings, free_port()) as served:
        yield served


def test_sync_results_equal_the_native_api(server: RunningServer) -> None:
    expected = [without_timings(raw) for raw in native(server.base_url, MIXED)]
    with VerifierClient(server.base_url) as client:
        results = client.verify(MIXED)
        rewards = client.rewards(MIXED)
    assert [comparable(result) for result in results] == expected
    assert [type(result) for result in results] == [MathResult] * 4 + [CodeResult] * 2 + [
        MathResult
    ]
    assert rewards == [1.0, 0.0, 0.0, None, 1.0, 0.0, 1.0]


def test_async_results_equal_the_native_api(server: RunningServer) -> None:
    expected = [without_timings(raw) for raw in native(server.base_url, MIXED)]

    async def run() -> tuple[list[MathResult | CodeResult], list[float | None]]:
        async with AsyncVerifierClient(server.base_url, chunk_items=2) as client:
            return await client.verify(MIXED), await client.rewards([])

    results, empty = asyncio.run(run())
    assert [comparable(result) for result in results] == expected
    assert empty == []


def test_pydantic_items_are_accepted(server: RunningServer) -> None:
    items: list[MathItem | CodeItem] = [
        MathItem(task="math", response=r"\boxed{6}", reference="6", id="a"),
        CodeItem.model_validate(code(PY_SUM, id="b")),
    ]
    with VerifierClient(server.base_url) as client:
        results = client.verify(items)
    assert [(r.id, r.verdict, r.reward) for r in results] == [
        ("a", "correct", 1.0),
        ("b", "accepted", 1.0),
    ]


def chunking_batch() -> list[dict[str, Any]]:
    # every third answer is wrong, so order mistakes show up as reward mistakes
    return [math(rf"\boxed{{{i}}}", str(i + 1 if i % 3 == 0 else i), id=i) for i in range(2500)]


def expected_chunking_rewards() -> list[float | None]:
    return [0.0 if i % 3 == 0 else 1.0 for i in range(2500)]


def test_large_batches_are_chunked_and_reassembled_in_order() -> None:
    items = chunking_batch()
    with serve(Settings(math_workers=2), free_port()) as served:
        with VerifierClient(served.base_url, chunk_items=1000, max_concurrency=3) as client:
            results = client.verify(items)
        assert [r.id for r in results] == list(range(2500))
        assert [r.reward for r in results] == expected_chunking_rewards()
        keys = [key for key, _ in served.calls.entries]
        assert len(keys) == 3 and len(set(keys)) == 3 and all(keys)
        assert [status for _, status in served.calls.entries] == [200, 200, 200]

        async def run() -> list[float | None]:
            async with AsyncVerifierClient(served.base_url, chunk_items=1000) as client:
                return await client.rewards(items)

        assert asyncio.run(run()) == expected_chunking_rewards()
        assert len(served.calls.entries) == 6


def test_a_server_restarted_on_the_same_port_gives_real_results() -> None:
    port = free_port()
    settings = Settings(math_workers=1)
    calls = Calls()
    items = [math(r"\boxed{2}", "2", id="x"), math(r"\boxed{3}", "2", id="y")]
    back_up = threading.Event()
    release = threading.Event()

    def restart_later() -> None:
        time.sleep(1.0)
        with serve(settings, port, calls):
            back_up.set()
            release.wait(60)

    with ExitStack() as stack:
        client = stack.enter_context(
            VerifierClient(f"http://127.0.0.1:{port}", retries=8, backoff_s=0.2)
        )
        with serve(settings, port, calls):
            assert client.rewards(items) == [1.0, 0.0]  # keeps a pooled connection open
        restarter = threading.Thread(target=restart_later)
        restarter.start()
        stack.callback(restarter.join, 60)
        stack.callback(release.set)
        started = time.monotonic()
        results = client.verify(items)
        assert time.monotonic() - started >= 0.9
        assert back_up.is_set()
        assert [(r.id, r.verdict, r.reward) for r in results] == [
            ("x", "correct", 1.0),
            ("y", "wrong", 0.0),
        ]
    assert [status for _, status in calls.entries] == [200, 200]


def test_a_server_that_never_comes_back_gives_none_never_zero() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    items = [math(r"\boxed{2}", "2", id="a"), code(PY_SUM, id="b")]
    with VerifierClient(url, retries=2, backoff_s=0.01) as client:
        results = client.verify(items)
        assert [r.reward for r in results] == [None, None]
        assert [(type(r), r.id, r.verdict) for r in results] == [
            (MathResult, "a", "error"),
            (CodeResult, "b", "error"),
        ]
        assert all("ConnectError" in r.reason for r in results)
        with pytest.raises(VerifierUnavailableError, match="3 attempt") as caught:
            client.verify(items, raise_on_error=True)
        assert caught.value.status_code is None  # no reply at all

    async def run() -> list[float | None]:
        async with AsyncVerifierClient(url, retries=1, backoff_s=0.01, chunk_items=1) as client:
            return await client.rewards(items)

    assert asyncio.run(run()) == [None, None]


class AnswersWith:
    """A real HTTP app whose every POST /v1/verify answers `status` with a JSON error (what a
    crashed server or a proxy in front of the service can send); records each request's
    Idempotency-Key, so `keys` counts the requests and tells chunks apart."""

    MESSAGE = "internal error: the scorer crashed"

    def __init__(self, status: int) -> None:
        self.status = status
        self.keys: list[str | None] = []
        self.app = Starlette(routes=[Route("/v1/verify", self.verify, methods=["POST"])])

    async def verify(self, request: Request) -> JSONResponse:
        await request.body()
        self.keys.append(request.headers.get("idempotency-key"))
        return JSONResponse({"error": self.MESSAGE}, status_code=self.status)


FAULTY = [math(r"\boxed{2}", "2", id="a"), code(PY_SUM, id="b")]


def assert_unavailable(results: list[MathResult | CodeResult], reason: str) -> None:
    """Documented in docs/client.md: reward None, verdict error, never 0."""
    assert [(type(r), r.id, r.reward, r.verdict) for r in results] == [
        (MathResult, "a", None, "error"),
        (CodeResult, "b", None, "error"),
    ]
    assert all(r.reason == f"verifier unavailable: {reason}" for r in results), results


def test_sync_a_500_is_sent_once_and_gives_none_or_raises() -> None:
    failing = AnswersWith(500)
    with (
        running_asgi(failing.app) as url,
        VerifierClient(url, retries=3, backoff_s=0.01) as client,
    ):
        results = client.verify(FAULTY)
        assert len(failing.keys) == 1  # not retried
        assert_unavailable(results, f"HTTP 500: {AnswersWith.MESSAGE}")
        assert client.rewards(FAULTY) == [None, None]
        assert len(failing.keys) == 2
        with pytest.raises(VerifierUnavailableError, match="after 1 attempt") as caught:
            client.verify(FAULTY, raise_on_error=True)
    assert len(failing.keys) == 3
    assert f"HTTP 500: {AnswersWith.MESSAGE}" in caught.value.message
    assert caught.value.status_code == 500


def test_async_a_500_is_sent_once_per_chunk_and_gives_none_or_raises() -> None:
    failing = AnswersWith(500)

    async def run() -> list[MathResult | CodeResult]:
        async with AsyncVerifierClient(url, retries=3, backoff_s=0.01, chunk_items=1) as client:
            results = await client.verify(FAULTY)
            assert len(failing.keys) == 2 and len(set(failing.keys)) == 2  # each chunk once
            with pytest.raises(VerifierUnavailableError, match="after 1 attempt") as caught:
                await client.verify(FAULTY[:1], raise_on_error=True)
            assert f"HTTP 500: {AnswersWith.MESSAGE}" in caught.value.message
            assert caught.value.status_code == 500
            return results

    with running_asgi(failing.app) as url:
        results = asyncio.run(run())
    assert len(failing.keys) == 3
    assert_unavailable(results, f"HTTP 500: {AnswersWith.MESSAGE}")


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_the_retried_statuses_are_sent_once_plus_each_retry(status: int) -> None:
    """The counterpart of the 500 tests: the same server, a status the client retries."""
    failing = AnswersWith(status)
    with running_asgi(failing.app) as url:
        with VerifierClient(url, retries=2, backoff_s=0.01) as client:
            results = client.verify(FAULTY)
        assert len(failing.keys) == 3 and len(set(failing.keys)) == 1  # one chunk, one key

        async def run() -> list[float | None]:
            async with AsyncVerifierClient(url, retries=2, backoff_s=0.01) as client:
                return await client.rewards(FAULTY)

        assert asyncio.run(run()) == [None, None]
    assert len(failing.keys) == 6
    assert_unavailable(results, f"HTTP {status}: {AnswersWith.MESSAGE}")
    with (
        running_asgi(failing.app) as url,
        VerifierClient(url, retries=0) as client,
        pytest.raises(VerifierUnavailableError) as caught,
    ):
        client.verify(FAULTY, raise_on_error=True)
    assert caught.value.status_code == status


def test_429_retry_after_is_honoured_until_the_request_is_admitted(strict: Served) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    slow = [math(rf"\boxed{{{SLOW_TO_JUDGE}}}", "1", options={"timeout_s": 1.5})] * 2
    replies: list[httpx.Response] = []

    def saturate() -> None:
        with httpx.Client(base_url=strict.base_url, timeout=60) as http:
            replies.append(http.post("/v1/verify", json={"items": slow}, headers=headers))

    sender = threading.Thread(target=saturate)
    sender.start()
    try:
        deadline = time.monotonic() + 10
        while strict.service.in_flight_items < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert strict.service.in_flight_items >= 2
        before = len(strict.calls.entries)
        started = time.monotonic()
        with VerifierClient(strict.base_url, token=TOKEN, retries=8, backoff_s=0.05) as client:
            [result] = client.verify([math(r"\boxed{1}", "1")])
        elapsed = time.monotonic() - started
    finally:
        sender.join(60)
    assert (result.verdict, result.reward) == ("correct", 1.0)
    [key] = {key for key, _ in strict.calls.entries[before:] if key}  # the client's one chunk
    statuses = strict.calls.statuses(key)
    assert statuses[0] == 429 and statuses[-1] == 200, statuses
    assert set(statuses[:-1]) == {429}
    # backoff_s=0.05 alone would have retried within ~0.05 s; Retry-After: 1 was honoured
    assert elapsed >= 0.95 * (len(statuses) - 1)
    assert replies and replies[0].status_code == 200


def test_a_missing_or_wrong_token_raises_auth_error(strict: Served) -> None:
    items = [math(r"\boxed{1}", "1")]
    for token in (None, "wrong"):
        with (
            VerifierClient(strict.base_url, token=token) as client,
            pytest.raises(VerifierAuthError) as caught,
        ):
            client.verify(items)
        assert caught.value.status_code == 401
        assert "VERIFIER_API_TOKEN" in caught.value.message
    with VerifierClient(strict.base_url, token=TOKEN) as client:
        assert client.rewards(items) == [1.0]


def test_a_malformed_item_raises_request_error_naming_the_field(server: RunningServer) -> None:
    items = [math(r"\boxed{1}", "1") for _ in range(5)]
    del items[3]["reference"]
    with VerifierClient(server.base_url, chunk_items=2) as client:
        with pytest.raises(VerifierRequestError) as caught:
            client.verify(items)
        # the index is the item's in the whole batch, not in its chunk (3 = chunk 1, item 1)
        assert caught.value.status_code == 422
        assert re.search(r"items\.3\.(math\.)?reference", caught.value.message), caught.value
        assert caught.value.detail[0]["field"].startswith("items.3.")

    async def run() -> None:
        async with AsyncVerifierClient(server.base_url, chunk_items=2) as client:
            await client.verify(items)

    with pytest.raises(VerifierRequestError, match=r"items\.3\."):
        asyncio.run(run())


def test_a_body_over_the_limit_raises_request_error(strict: Served) -> None:
    big = [math("x" * 10_000, "1")]
    with (
        VerifierClient(strict.base_url, token=TOKEN) as client,
        pytest.raises(VerifierRequestError, match="chunk_items") as caught,
    ):
        client.verify(big)
    assert caught.value.status_code == 413


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="chunk_items"):
        VerifierClient(chunk_items=0)
    with VerifierClient() as client, pytest.raises(TypeError, match="mapping"):
        client.verify(["not an item"])  # type: ignore[list-item]
