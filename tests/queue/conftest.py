from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.redis import RedisServer
from tests.support.server import RunningApi, running_api
from verifier_service.config import Settings
from verifier_service.queue.backend import QueueBackend


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()


def queue_settings(redis: RedisServer, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "redis_url": redis.url,
        "queue_chunk_items": 4,
        "worker_heartbeat_s": 0.3,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def queue_api(redis_server: RedisServer) -> Iterator[RunningApi]:
    with running_api(QueueBackend(queue_settings(redis_server))) as api:
        yield api


@pytest.fixture
def api_client(queue_api: RunningApi) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=queue_api.base_url, timeout=120) as client:
        yield client
