"""The pre-forked deadline pool with real worker processes that overrun, crash and get killed."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from verifier_service.pool import DeadlinePool, PoolClosedError


def make_pool(handler: str, size: int = 2, memory_mb: int = 512) -> DeadlinePool:
    return DeadlinePool(
        f"tests.pool.handlers:{handler}", size=size, memory_mb=memory_mb, name="test"
    )


@pytest.fixture
def sleeper() -> Iterator[DeadlinePool]:
    with make_pool("sleep") as pool:
        yield pool


def test_results_arrive(sleeper: DeadlinePool) -> None:
    outcome = sleeper.submit(0.01, deadline_s=5).result()
    assert outcome.status == "ok" and outcome.value == 0.01


def test_overrun_is_timeout_and_the_worker_is_replaced(sleeper: DeadlinePool) -> None:
    before = set(sleeper.worker_pids())
    started = time.monotonic()
    outcome = sleeper.submit(30, deadline_s=0.3).result(timeout=20)
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 5
    wait_for_workers(sleeper, 2)
    assert set(sleeper.worker_pids()) != before
    assert sleeper.submit(0.01, deadline_s=5).result().status == "ok"


def test_one_overrun_does_not_delay_other_tasks(sleeper: DeadlinePool) -> None:
    slow = sleeper.submit(30, deadline_s=3)
    started = time.monotonic()
    quick = [sleeper.submit(0.01, deadline_s=5) for _ in range(20)]
    assert all(f.result(timeout=10).status == "ok" for f in quick)
    assert time.monotonic() - started < 2.5  # served by the other worker meanwhile
    assert slow.result(timeout=20).status == "timeout"


def test_worker_killed_from_outside_is_replaced() -> None:
    with make_pool("sleep", size=1) as pool:
        [pid] = pool.worker_pids()
        future = pool.submit(30, deadline_s=20)
        time.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
        outcome = future.result(timeout=20)
        assert outcome.status == "crashed"
        assert pool.submit(0.01, deadline_s=10).result(timeout=20).status == "ok"
        assert pool.worker_pids() != [pid]


def test_worker_that_exits_is_crashed_then_replaced() -> None:
    with make_pool("exit_abruptly", size=1) as pool:
        assert pool.submit(3, deadline_s=10).result(timeout=20).status == "crashed"
        wait_for_workers(pool, 1)


def test_memory_cap_is_enforced() -> None:
    with make_pool("allocate", size=1, memory_mb=256) as pool:
        outcome = pool.submit(1024, deadline_s=10).result(timeout=20)
        assert outcome.status == "memory"
        assert pool.submit(8, deadline_s=10).result(timeout=20).status == "ok"


def test_handler_exception_is_reported_and_the_worker_kept() -> None:
    with make_pool("fail", size=1) as pool:
        [pid] = pool.worker_pids()
        outcome = pool.submit("boom", deadline_s=10).result(timeout=20)
        assert outcome.status == "error" and "boom" in outcome.detail
        assert pool.worker_pids() == [pid]


def test_close_stops_workers_and_refuses_work() -> None:
    pool = make_pool("sleep")
    pool.start()
    pids = pool.worker_pids()
    pool.close()
    time.sleep(0.2)
    for pid in pids:
        assert not _running(pid)
    with pytest.raises(PoolClosedError):
        pool.submit(0.01, deadline_s=1)


def test_close_answers_running_and_queued_tasks() -> None:
    pool = make_pool("sleep")
    pool.start()
    futures = [pool.submit(30, deadline_s=60) for _ in range(6)]
    time.sleep(0.3)
    pool.close()
    outcomes = [future.result(timeout=20) for future in futures]
    assert {outcome.status for outcome in outcomes} <= {"crashed", "closed"}
    assert sum(outcome.status == "closed" for outcome in outcomes) >= 4
    assert pool.alive_workers() == 0


def test_no_process_is_spawned_per_task() -> None:
    with make_pool("own_pid") as pool:
        pids = {pool.submit(None, deadline_s=10).result().value for _ in range(40)}
        assert pids <= set(pool.worker_pids())


def wait_for_workers(pool: DeadlinePool, count: int) -> None:
    """Replacements start right after the failed task is answered."""
    deadline = time.monotonic() + 20
    while pool.alive_workers() < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.alive_workers() == count


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "State:\tZ" not in status.read()
    except FileNotFoundError:
        return False
