"""/run_code under load, as verl's sandbox_fusion client calls it (verl/utils/reward_score/
sandbox_fusion/utils.py): the request times out after compile_timeout + run_timeout + 10 s and
only an HTTP 504 is retried, so a request that waits for a jail past that is a case scored -1
in silence. Waiting for a jail is bounded by the request's own timeouts: 504 in time."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.server import RunningServer, running_server
from verifier_service.config import Settings

REQUESTS = 24
COMPILE_TIMEOUT = 1.0
RUN_TIMEOUT = 1.0
# verl's own client-side timeout for one /run_code request.
VERL_TIMEOUT_S = COMPILE_TIMEOUT + RUN_TIMEOUT + 10
SLEEPER = "import time\ntime.sleep(0.9)\nprint('done')"


@pytest.fixture(scope="module")
def two_jails() -> Iterator[RunningServer]:
    settings = Settings(math_workers=1, code_parallelism=2, code_warm_jails=0)
    with running_server(settings) as running:
        yield running


def _run(base_url: str) -> httpx.Response:
    body = {
        "code": SLEEPER,
        "language": "python",
        "compile_timeout": COMPILE_TIMEOUT,
        "run_timeout": RUN_TIMEOUT,
    }
    with httpx.Client(base_url=base_url, timeout=VERL_TIMEOUT_S) as client:
        return client.post("/run_code", json=body)


def test_more_requests_than_jails_get_an_answer_or_a_504_before_verl_gives_up(
    two_jails: RunningServer,
) -> None:
    """24 requests of ~1 s each on 2 jails need ~12 s or more to drain: past verl's 12 s
    timeout for the last ones. Each must come back (no client timeout): Success, or a 504
    with Retry-After that verl retries."""
    with ThreadPoolExecutor(REQUESTS) as pool:
        replies = list(pool.map(_run, [two_jails.base_url] * REQUESTS))
    statuses = [reply.status_code for reply in replies]
    assert set(statuses) <= {200, 504}, statuses
    assert 504 in statuses, "the queue drained in time: the test did not saturate the jails"
    assert 200 in statuses
    for reply in replies:
        if reply.status_code == 200:
            assert reply.json()["status"] == "Success", reply.text
            assert reply.json()["run_result"]["stdout"] == "done\n"
        else:
            assert reply.headers["Retry-After"], reply.headers
            assert "no jail freed" in reply.json()["error"]
