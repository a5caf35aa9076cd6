"""Bearer-token auth and 429 backpressure, through a real server configured for them."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.api.test_hostile_math import SLOW_TO_JUDGE
from tests.support.server import RunningServer, running_server
from verifier_service.config import Settings

TOKEN = "test-token-1f0c"


@pytest.fixture(scope="module")
def strict_server() -> Iterator[RunningServer]:
    settings = Settings(math_workers=1, api_token=TOKEN, max_pending_items=2)
    with running_server(settings) as running:
        yield running


def item(response: str, reference: str, **extra: object) -> dict[str, object]:
    return {"task": "math", "response": response, "reference": reference, **extra}


def test_every_endpoint_but_health_needs_the_token(strict_server: RunningServer) -> None:
    with httpx.Client(base_url=strict_server.base_url, timeout=60) as http:
        assert http.get("/healthz").status_code == 200
        assert http.get("/readyz").status_code == 200
        body = {"items": [item(r"\boxed{1}", "1")]}
        for method, path in (
            ("POST", "/v1/verify"),
            ("POST", "/v1/jobs"),
            ("GET", "/v1/jobs/x"),
            ("GET", "/v1/languages"),
            ("GET", "/metrics"),
        ):
            reply = http.request(method, path, json=body if method == "POST" else None)
            assert reply.status_code == 401, path
            assert "VERIFIER_API_TOKEN" in reply.json()["error"]
            wrong = http.request(
                method,
                path,
                json=body if method == "POST" else None,
                headers={"Authorization": "Bearer nope"},
            )
            assert wrong.status_code == 401
        ok = http.post("/v1/verify", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and ok.json()["results"][0]["verdict"] == "correct"


def test_saturated_service_answers_429_with_retry_after(strict_server: RunningServer) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    slow = {"items": [item(rf"\boxed{{{SLOW_TO_JUDGE}}}", "1", options={"timeout_s": 3})] * 2}
    replies: list[httpx.Response] = []

    def send_slow() -> None:
        with httpx.Client(base_url=strict_server.base_url, timeout=60) as http:
            replies.append(http.post("/v1/verify", json=slow, headers=headers))

    sender = threading.Thread(target=send_slow)
    sender.start()
    try:
        with httpx.Client(base_url=strict_server.base_url, timeout=60) as http:
            for _ in range(100):
                if strict_server.service.in_flight_items >= 2:
                    break
                threading.Event().wait(0.02)
            reply = http.post("/v1/verify", json={"items": [item("1", "1")]}, headers=headers)
            assert reply.status_code == 429
            assert int(reply.headers["Retry-After"]) >= 1
            assert "saturated" in reply.json()["error"]
    finally:
        sender.join(timeout=60)
    assert replies and replies[0].status_code == 200
    assert [r["verdict"] for r in replies[0].json()["results"]] == ["timeout", "timeout"]
