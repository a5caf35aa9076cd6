"""Reward integrity through the real server: every case is judged twice, by a service whose
test runs go to warm jails and by one that starts a fresh jail for every run.

`judge(items)` posts one batch to /v1/verify and answers the results by id; a case module
batches its items in a module-scoped fixture so each server judges them in one request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.support.server import RunningServer, running_server
from verifier_service.config import Settings

BATCH_TIMEOUT_S = 600
Judge = Callable[[list[dict[str, Any]]], dict[str, dict[str, Any]]]


@pytest.fixture(scope="session", params=["warm", "fresh"])
def integrity_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    warm_jails = 2 if request.param == "warm" else 0
    settings = Settings(math_workers=1, code_warm_jails=warm_jails)
    with running_server(settings) as running:
        yield running


@contextmanager
def _judging(server: RunningServer) -> Iterator[Judge]:
    with httpx.Client(base_url=server.base_url, timeout=BATCH_TIMEOUT_S) as http:

        def post(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
            response = http.post("/v1/verify", json={"items": items})
            assert response.status_code == 200, response.text
            results: list[dict[str, Any]] = response.json()["results"]
            return {str(result["id"]): result for result in results}

        yield post


@pytest.fixture(scope="module")
def judge(integrity_server: RunningServer) -> Iterator[Judge]:
    with _judging(integrity_server) as post:
        yield post


@pytest.fixture(scope="module")
def guarded_judge(guarded_server: RunningServer) -> Iterator[Judge]:
    with _judging(guarded_server) as post:
        yield post


def code_item(
    item_id: str, language: str, program: str, tests: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """A code item as a model's answer arrives: the program in a fenced block."""
    return {
        "task": "code",
        "id": item_id,
        "language": language,
        "response": f"```{language}\n{program}\n```\n",
        "tests": tests,
        **extra,
    }


# name -> (language, program, assert test code, expected verdict)
AssertCases = dict[str, tuple[str, str, str, str]]


def assert_items(cases: AssertCases, **extra: Any) -> list[dict[str, Any]]:
    """The cases as code items with assert tests, named by their keys."""
    return [
        code_item(name, language, program, {"kind": "assert", "code": tests}, **extra)
        for name, (language, program, tests, _) in cases.items()
    ]


def check_verdict(result: dict[str, Any], expected: str) -> None:
    """The verdict as expected, and its reward: 1.0 when accepted, else 0.0 (never null: each
    case is the program's doing, not the service's)."""
    assert result["verdict"] == expected, result
    assert result["reward"] == (1.0 if expected == "accepted" else 0.0), result
