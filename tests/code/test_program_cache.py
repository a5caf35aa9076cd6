"""The compiled-program cache, full: a program evicted while its tests run keeps its files."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.code.test_judging import code_item, stdio
from tests.support.api import verify
from tests.support.server import RunningServer, running_server
from verifier_service.config import Settings

SLOW_DOUBLE = "import time\ntime.sleep(0.3)\nprint(2 * int(input()))"


@pytest.fixture(scope="module")
def one_program_server() -> Iterator[RunningServer]:
    settings = Settings(math_workers=1, code_program_cache=1, code_parallelism=2)
    with running_server(settings) as running:
        yield running


def test_a_program_evicted_mid_run_still_runs_every_test(
    one_program_server: RunningServer,
) -> None:
    slow = code_item(
        "python",
        SLOW_DOUBLE,
        stdio([{"stdin": f"{n}\n", "stdout": f"{2 * n}\n"} for n in range(6)]),
    )
    others = [
        code_item("python", f"print({n})", stdio([{"stdin": "", "stdout": f"{n}\n"}]))
        for n in range(8)
    ]
    with (
        httpx.Client(base_url=one_program_server.base_url, timeout=120) as client,
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        slow_result = pool.submit(verify, client, slow)
        for other in others:  # each one evicts the one before, the slow one included
            [result] = verify(client, other)
            assert result["verdict"] == "accepted", result
        [result] = slow_result.result()
    assert result["verdict"] == "accepted", result
    assert [test["verdict"] for test in result["tests"]] == ["accepted"] * 6
    store = one_program_server.service.code.store
    assert store is not None
    assert len(list(store.programs_dir.iterdir())) == 1, "an evicted program was left on disk"
