"""Functional `args` and `expected` nest at most MAX_VALUE_DEPTH deep: deeper is a 422 naming
the field, through a real server (a 900-deep argument used to crash the C++ literal generator
and fail the whole request with a 503)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.api import math_item, verify
from verifier_service.schemas.requests import MAX_VALUE_DEPTH


def _nested(depth: int) -> Any:
    return json.loads("[" * depth + "1" + "]" * depth)


def _functional(language: str, program: str, args: list[Any], expected: Any) -> dict[str, Any]:
    return {
        "task": "code",
        "language": language,
        "response": f"```{language}\n{program}\n```",
        "tests": {
            "kind": "functional",
            "entry_point": "f",
            "cases": [{"args": args, "expected": expected}],
        },
    }


CPP_COUNT = "#include <vector>\nint f(const std::vector<long long>& values) { return 1; }\n"
PYTHON_IDENTITY = "def f(value):\n    return value\n"


def test_too_deep_a_value_is_a_422_naming_the_field(client: httpx.Client) -> None:
    deep = _nested(900)
    for item, field in (
        (_functional("cpp", CPP_COUNT, [deep], 1), "items.0.code.tests.functional.cases.0.args"),
        (
            _functional("python", PYTHON_IDENTITY, [1], deep),
            "items.0.code.tests.functional.cases.0.expected",
        ),
        (
            _functional("python", PYTHON_IDENTITY, [_nested(MAX_VALUE_DEPTH + 1)], 1),
            "items.0.code.tests.functional.cases.0.args",
        ),
    ):
        reply = client.post("/v1/verify", json={"items": [item, math_item(r"\boxed{2}", "2")]})
        assert reply.status_code == 422, (field, reply.text)
        error = reply.json()["error"]
        assert field in error, error
        assert f"more than {MAX_VALUE_DEPTH} deep" in error, error


def test_a_value_at_the_limit_is_judged(client: httpx.Client) -> None:
    value = _nested(MAX_VALUE_DEPTH)
    results = verify(client, _functional("python", PYTHON_IDENTITY, [value], value))
    assert [r["verdict"] for r in results] == ["accepted"]


def test_a_get_reward_label_of_too_deep_json_is_a_422(client: httpx.Client) -> None:
    """A string label holding JSON nested past the decoder's depth used to raise past the route
    (a 503 for the whole batch); it is a 422 naming the label, and the batch's other labels do
    not matter."""
    label = '{"task": "math", "reference": ' + "[" * 5000 + "1" + "]" * 5000 + "}"
    queries = ["the answer is 2", "the answer is 2"]
    body = {"query": queries, "prompts": ["", ""], "labels": ["2", label]}
    response = client.post("/get_reward", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert [entry["field"] for entry in detail] == ["labels.1"], detail
    assert "nested too deeply" in detail[0]["message"]
