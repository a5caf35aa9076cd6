"""The trainer routes' fault statuses, each caused for real behind a real server: /run_code
answers 501 in queue mode and 503 without a sandbox; /get_reward answers 503 (never a 0.0)
when an item comes back unscored, from a queue with no worker or a service with no sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.process import serving
from tests.support.redis import RedisServer
from tests.support.server import running_server
from verifier_service.config import Settings

QUEUE_TIMEOUT_S = 1
PROGRAM = {"code": "print(input())", "language": "python", "stdin": "hi\n"}
CODE_LABEL = {
    "task": "code",
    "language": "python",
    "tests": {"kind": "stdio", "cases": [{"stdin": "hi\n", "stdout": "hi\n"}]},
}
# A language whose toolchain is bound over /usr: every jail then fails to start, so the
# service's start-up probe finds that nsjail cannot run anything here.
BROKEN_LANGUAGES = """\
[languages.python]
display = "Python 3 (CPython)"
aliases = ["python", "python3"]
source = "main.py"
version = ["/usr/bin/python3", "--version"]
run = ["/usr/bin/python3", "-B", "{{source}}"]
paths = ["{file}:/usr"]
"""


def reward_body(*labels: Any) -> dict[str, Any]:
    """OpenRLHF's body, one query per label: first a math answer (2), then a program."""
    prompts = [f"Question {n}: " for n in range(len(labels))]
    responses = (r"so \boxed{2}", "```python\nprint(input())\n```")
    return {
        "query": [prompt + response for prompt, response in zip(prompts, responses, strict=False)],
        "prompts": prompts,
        "labels": list(labels),
    }


@pytest.fixture(scope="module")
def queue_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """`verifier-service serve --redis-url` against a real redis-server, with no worker."""
    directory = tmp_path_factory.mktemp("queue-mode")
    redis = RedisServer(directory)
    redis.start()
    try:
        with (
            serving(
                "--redis-url",
                redis.url,
                logs=directory,
                environment={"VERIFIER_QUEUE_TIMEOUT_S": str(QUEUE_TIMEOUT_S)},
            ) as base_url,
            httpx.Client(base_url=base_url, timeout=60) as client,
        ):
            yield client
    finally:
        redis.stop()


@pytest.fixture(scope="module", params=["code disabled", "nsjail cannot start"])
def no_sandbox(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, str]]:
    """An embedded service whose code execution is unavailable: switched off, or broken for
    real. Yields a client and the words the unavailable reason must contain."""
    if request.param == "code disabled":
        settings = Settings(math_workers=1, code_enabled=False)
        words = "VERIFIER_CODE_ENABLED=false"
    else:
        languages = tmp_path_factory.mktemp("broken-jail") / "languages.toml"
        languages.write_text(BROKEN_LANGUAGES.format(file=languages))
        # no warm jails: the probe needs no launcher built first
        settings = Settings(math_workers=1, languages_file=languages, code_warm_jails=0)
        words = "nsjail cannot start a jail here"
    with (
        running_server(settings) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        assert server.service.code.runner is None, server.service.code.unavailable_reason
        yield client, words


# --- POST /run_code ------------------------------------------------------------------------


def test_run_code_in_queue_mode_is_501(queue_api: httpx.Client) -> None:
    reply = queue_api.post("/run_code", json=PROGRAM)
    assert reply.status_code == 501, reply.text
    assert "queue mode" in reply.json()["error"]
    assert "/v1/verify" in reply.json()["error"]


def test_a_malformed_run_request_is_still_a_422_in_queue_mode(queue_api: httpx.Client) -> None:
    reply = queue_api.post(
        "/run_code", json={"code": "print(1)", "language": "python", "files": {"a": "eA=="}}
    )
    assert reply.status_code == 422, reply.text
    assert [d["field"] for d in reply.json()["detail"]] == ["files"]


def test_run_code_without_a_sandbox_is_503_with_the_reason(
    no_sandbox: tuple[httpx.Client, str],
) -> None:
    client, words = no_sandbox
    reply = client.post("/run_code", json=PROGRAM)
    assert reply.status_code == 503, reply.text
    error = reply.json()["error"]
    assert error.startswith("code execution is unavailable: ")
    assert words in error


# --- POST /get_reward ----------------------------------------------------------------------


def test_get_reward_with_no_worker_is_503_at_the_deadline(queue_api: httpx.Client) -> None:
    reply = queue_api.post("/get_reward", json=reward_body("2"))
    assert reply.status_code == 503, reply.text
    assert int(reply.headers["Retry-After"]) >= 1
    error = reply.json()["error"]
    unscored = f"query 0: no worker answered within {QUEUE_TIMEOUT_S} s"
    assert f"1 of 1 queries could not be scored ({unscored})" in error
    assert "rewards" not in reply.json()


def test_get_reward_with_an_unscored_code_item_is_503_never_a_zero(
    no_sandbox: tuple[httpx.Client, str],
) -> None:
    client, words = no_sandbox
    assert client.post("/get_reward", json=reward_body("2")).json()["rewards"] == [1.0]
    reply = client.post("/get_reward", json=reward_body("2", CODE_LABEL))
    assert reply.status_code == 503, reply.text
    assert int(reply.headers["Retry-After"]) >= 1
    error = reply.json()["error"]
    assert "1 of 2 queries could not be scored (query 1: code judging is unavailable: " in error
    assert words in error
    assert "rewards" not in reply.json()
