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


@pytest.fixture
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=120) as http:
        yield http
