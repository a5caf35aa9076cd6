from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.server import RunningServer, running_server
from verifier_service.config import Settings

TEST_BODY_LIMIT = 16 * 1024 * 1024


@pytest.fixture(scope="session")
def server() -> Iterator[RunningServer]:
    """The embedded service with default policy, as `make run` starts it."""
    settings = Settings(math_workers=2, max_body_bytes=TEST_BODY_LIMIT)
    with running_server(settings) as running:
        yield running


@pytest.fixture(scope="session", params=["warm", "fresh"])
def guarded_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    """A server that judges every assert test behind the completion guard, with warm jails
    and with a fresh jail per run: its tests would otherwise be judged as calls wherever a
    converter takes them (docs/code.md "Assert tests as calls")."""
    warm_jails = 2 if request.param == "warm" else 0
    settings = Settings(math_workers=1, code_warm_jails=warm_jails, code_assert_conversion=False)
    with running_server(settings) as running:
        yield running


@pytest.fixture
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=120) as http:
        yield http
